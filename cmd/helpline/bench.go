package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"helpline/internal/loadtest"
)

// runBench puts a running service under load from loopback and reports
// what it measured (see README, "Load test").
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags := newFlags("bench", stderr)
	url := flags.String("url", "ws://127.0.0.1:8080/ws", "the visitor websocket of a running service")
	metricsURL := flags.String("metrics", "http://127.0.0.1:8080/metrics", "the service's metrics page")
	visitors := flags.Int("visitors", 1000, "active visitors")
	interval := flags.Duration("interval", time.Second, "time between one visitor's questions")
	duration := flags.Duration("duration", 30*time.Second, "how long the visitors ask (the run stops by itself)")
	idle := flags.Int("idle", 10000, "idle connections to open after the active phase and measure (0 to skip)")
	debug := flags.String("debug", "", "the service's profiler (serve --debug-addr), e.g. http://127.0.0.1:6060: collect garbage before measuring memory")
	if err := parseFlags(flags, args); err != nil {
		return err
	}
	if *visitors < 0 || *idle < 0 || *interval <= 0 || *duration <= 0 || *duration > 10*time.Minute {
		fmt.Fprintln(stderr, "bench: visitors and idle must be ≥ 0, interval > 0, duration between 0 and 10m")
		return errUsage
	}
	res, err := loadtest.Run(ctx, loadtest.Options{
		URL: *url, MetricsURL: *metricsURL, Visitors: *visitors, Interval: *interval, Duration: *duration,
		Idle: *idle, Questions: loadtest.Questions, DebugURL: *debug,
	}, stderr)
	if *visitors > 0 && res.Elapsed > 0 {
		fmt.Fprintf(stdout, "active: %d visitors, one question every %s for %s\n", *visitors, *interval, res.Elapsed.Round(time.Millisecond))
		fmt.Fprintf(stdout, "  questions %d, answered %d, errors %d\n", res.Asked, res.Answered, res.Errors)
		fmt.Fprintf(stdout, "  answer round trip: p50 %s  p95 %s  p99 %s  max %s\n",
			res.Percentile(50), res.Percentile(95), res.Percentile(99), res.Percentile(100))
		secs := res.Elapsed.Seconds()
		fmt.Fprintf(stdout, "  throughput: %.0f questions/s, %.0f messages/s stored (question + answer)\n", float64(res.Answered)/secs, 2*float64(res.Answered)/secs)
		if res.Answered > 0 {
			fmt.Fprintf(stdout, "  redis round trips per visitor message: %.2f\n", res.RedisCalls/float64(res.Answered))
		}
	}
	if res.IdleOpened > 0 {
		per := (res.IdleRSSAfter - res.IdleRSSBefore) / float64(res.IdleOpened)
		fmt.Fprintf(stdout, "idle: %d connections; service RSS %.1f MB -> %.1f MB, %.1f KB per connection\n",
			res.IdleOpened, res.IdleRSSBefore/1e6, res.IdleRSSAfter/1e6, per/1024)
	}
	return err
}
