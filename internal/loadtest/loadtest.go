// Package loadtest puts running helpline services under load from
// loopback and measures them against a bare gorilla/websocket echo server
// started in the same run, so that the figure that matters is a ratio the
// machine's speed cancels out of.
//
// A run has phases, each bounded in time and in count, and each stops by
// itself: cross-instance delivery between a representative on one
// instance and visitors on another; many visitors chatting at a steady
// pace; a closed loop that saturates the service; one visitor flooding
// while others chat, against the same chat without the flood; and many
// idle connections, whose memory is measured. The tool deletes the
// conversations it made. The services' own metrics give what only they
// can see: Redis round trips and resident memory.
package loadtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"
)

// Options describe a run. A zero count or duration skips its phase.
type Options struct {
	// Targets are the services' base URLs (http://127.0.0.1:8080/). Load
	// is spread over them round-robin; each serves /ws, /console and
	// /metrics.
	Targets []string
	// Debug are the services' profilers (serve --debug-addr), in the
	// order of Targets, or empty: before reading memory the tool asks each
	// for a few garbage collections, as a service that has run a while
	// would have had.
	Debug []string

	// Visitors ask one question every Interval for Duration, first
	// against the services and then, the same way, against the echo
	// server.
	Visitors int
	Interval time.Duration
	Duration time.Duration

	// Cross conversations, their visitors on the first target, are taken
	// over by the representative Rep signed in on the second (the first
	// when there is one), who then exchanges a message each way with
	// each of them every CrossInterval for CrossDuration.
	Cross         int
	CrossInterval time.Duration
	CrossDuration time.Duration
	Rep, Password string

	// SaturateFor runs a closed loop of SaturateWorkers clients, each
	// asking again as soon as its answer comes, against the services and
	// then against the echo server. A conversation asks at most
	// PerConversation questions (the services bound a conversation's
	// messages per minute) and the next one of a pool of SaturatePool
	// opened beforehand takes over; the pool bounds the count.
	SaturateFor     time.Duration
	SaturateWorkers int
	SaturatePool    int
	PerConversation int

	// Flood messages are sent as fast as possible by one visitor on the
	// first target while FloodVisitors others there ask one question a
	// second for FloodFor; the same visitors' chat without the flood runs
	// first, for comparison.
	Flood         int
	FloodVisitors int
	FloodFor      time.Duration

	// Idle connections are opened last, held for IdleHold, and measured.
	Idle     int
	IdleHold time.Duration

	// Questions are asked in turn.
	Questions []string
}

// Report is what a run measured; a phase that did not run is nil.
type Report struct {
	Targets    int
	Cross      *CrossReport
	Chat       *Comparison
	Saturation *Comparison
	Flood      *FloodReport
	Idle       *IdleReport
}

// Workload is one workload driven against one server.
type Workload struct {
	Clients                 int
	Asked, Answered, Errors int
	Elapsed                 time.Duration
	Latency                 Latency
	// RedisCalls are the services' Redis commands during the workload,
	// summed over instances; negative for the echo server, which has
	// none.
	RedisCalls float64
}

// PerSecond returns the answered round trips per second.
func (w Workload) PerSecond() float64 {
	if w.Elapsed <= 0 {
		return 0
	}
	return float64(w.Answered) / w.Elapsed.Seconds()
}

// RedisPerMessage returns the Redis round trips per visitor message, or
// a negative number when they were not counted.
func (w Workload) RedisPerMessage() float64 {
	if w.RedisCalls < 0 || w.Answered == 0 {
		return -1
	}
	return w.RedisCalls / float64(w.Answered)
}

// Comparison is one workload against the services and, with the same
// clients, message sizes and concurrency, against the echo server.
type Comparison struct {
	Helpline, Echo Workload
}

// Ratio returns the services' round trips per second as a fraction of
// the echo server's.
func (c Comparison) Ratio() float64 {
	if c.Echo.PerSecond() == 0 {
		return 0
	}
	return c.Helpline.PerSecond() / c.Echo.PerSecond()
}

// P99Ratio returns the services' 99th percentile round trip as a multiple
// of the echo server's.
func (c Comparison) P99Ratio() float64 {
	if c.Echo.Latency.P99 == 0 {
		return 0
	}
	return float64(c.Helpline.Latency.P99) / float64(c.Echo.Latency.P99)
}

// Latency summarizes a set of latencies.
type Latency struct {
	N                  int
	P50, P95, P99, Max time.Duration
}

// summarize sorts ds and returns their percentiles.
func summarize(ds []time.Duration) Latency {
	if len(ds) == 0 {
		return Latency{}
	}
	slices.Sort(ds)
	at := func(p float64) time.Duration {
		i := int(float64(len(ds))*p/100+0.5) - 1
		return ds[min(max(i, 0), len(ds)-1)]
	}
	return Latency{N: len(ds), P50: at(50), P95: at(95), P99: at(99), Max: ds[len(ds)-1]}
}

// Run runs the phases in turn until all are done or ctx ends. Progress
// goes to progress; a phase that fails ends the run with what was
// measured so far.
func Run(ctx context.Context, o Options, progress io.Writer) (Report, error) {
	rep := Report{Targets: len(o.Targets)}
	if len(o.Targets) == 0 {
		return rep, errors.New("no target")
	}
	if len(o.Questions) == 0 {
		o.Questions = Questions
	}
	ts, err := parseTargets(o.Targets, o.Debug)
	if err != nil {
		return rep, err
	}
	echo, err := startEcho()
	if err != nil {
		return rep, err
	}
	defer echo.Close()

	if o.Cross > 0 && o.CrossDuration > 0 {
		fmt.Fprintf(progress, "cross-instance: %d conversations...\n", o.Cross)
		r, err := cross(ctx, ts, o)
		rep.Cross = &r
		if err != nil {
			return rep, fmt.Errorf("cross-instance: %w", err)
		}
	}
	if o.Visitors > 0 && o.Duration > 0 {
		fmt.Fprintf(progress, "chat: %d visitors, one question every %s for %s, then the same against the echo server...\n", o.Visitors, o.Interval, o.Duration)
		var c Comparison
		if c.Helpline, err = chatPhase(ctx, ts, o.Visitors, o.Interval, o.Duration, o.Questions); err != nil {
			return rep, fmt.Errorf("chat: %w", err)
		}
		if c.Echo, err = chatPhase(ctx, echo.targets(), o.Visitors, o.Interval, o.Duration, o.Questions); err != nil {
			return rep, fmt.Errorf("chat against the echo server: %w", err)
		}
		rep.Chat = &c
	}
	if o.SaturateFor > 0 && o.SaturateWorkers > 0 {
		fmt.Fprintf(progress, "saturation: %d clients in a closed loop for %s, then the same against the echo server...\n", o.SaturateWorkers, o.SaturateFor)
		var c Comparison
		if c.Helpline, err = saturate(ctx, ts, o); err != nil {
			return rep, fmt.Errorf("saturation: %w", err)
		}
		if c.Echo, err = saturate(ctx, echo.targets(), o); err != nil {
			return rep, fmt.Errorf("saturation against the echo server: %w", err)
		}
		rep.Saturation = &c
	}
	if o.Flood > 0 && o.FloodVisitors > 0 && o.FloodFor > 0 {
		fmt.Fprintf(progress, "flood: %d visitors for %s without a flood, then with one visitor sending %d messages...\n", o.FloodVisitors, o.FloodFor, o.Flood)
		r, err := flood(ctx, ts, o)
		rep.Flood = &r
		if err != nil {
			return rep, fmt.Errorf("flood: %w", err)
		}
	}
	if o.Idle > 0 {
		fmt.Fprintf(progress, "idle: opening %d connections and holding them %s...\n", o.Idle, o.IdleHold)
		r, err := idle(ctx, ts, o.Idle, o.IdleHold)
		rep.Idle = &r
		if err != nil {
			return rep, fmt.Errorf("idle: %w", err)
		}
	}
	return rep, nil
}

// Questions is a mix of what visitors ask, for the load.
var Questions = []string{
	"wen do withdrawls start", "subs vs methadone", "insurance??", "how long is inpatient rehab",
	"my son is using heroin what do i do", "is this chat confidential", "what is narcan",
	"can i keep working during treatment", "how do i deal with cravings", "what does detox cost",
}
