package loadtest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// target is one server the load is driven against: a helpline instance,
// or the echo server, which speaks no protocol and answers every frame
// with itself.
type target struct {
	base    string // http://host:port/
	ws      string // the visitor websocket
	metrics string // empty for the echo server
	debug   string // the profiler, or empty
	echo    bool
}

// parseTargets checks the services' base URLs and pairs them with their
// profilers.
func parseTargets(bases, debug []string) ([]target, error) {
	if len(debug) > 0 && len(debug) != len(bases) {
		return nil, fmt.Errorf("%d profilers for %d targets: give one per target, in the same order, or none", len(debug), len(bases))
	}
	var out []target
	for i, b := range bases {
		u, err := url.Parse(strings.TrimSpace(b))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("target %q: want a base URL such as http://127.0.0.1:8080", b)
		}
		base := u.Scheme + "://" + u.Host + "/"
		t := target{base: base, ws: "ws" + strings.TrimPrefix(base, "http") + "ws", metrics: base + "metrics"}
		if len(debug) > 0 {
			t.debug = strings.TrimSuffix(strings.TrimSpace(debug[i]), "/")
		}
		out = append(out, t)
	}
	return out, nil
}

// origin is what a browser on the service's own pages would send; the
// console checks it.
func (t target) origin() string { return strings.TrimSuffix(t.base, "/") }

// sumMetric reads one unlabeled metric from every helpline target and
// adds them up; it returns -1 for the echo server.
func sumMetric(ctx context.Context, ts []target, name string) (float64, error) {
	var sum float64
	for _, t := range ts {
		if t.echo {
			return -1, nil
		}
		v, err := metric(ctx, t.metrics, name)
		if err != nil {
			return 0, err
		}
		sum += v
	}
	return sum, nil
}

// metric reads one unlabeled metric from a Prometheus text page.
func metric(ctx context.Context, url, name string) (float64, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("read metrics: %w", err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, name+" "); ok {
			return strconv.ParseFloat(strings.TrimSpace(rest), 64)
		}
	}
	return 0, errors.New("metric " + name + " not found at " + url)
}

// redisCalls counts the services' Redis commands while fn runs and
// stores them in w.RedisCalls (negative for the echo server).
func redisCalls(ctx context.Context, ts []target, w *Workload, fn func() error) error {
	before, err := sumMetric(ctx, ts, "helpline_redis_commands_total")
	if err != nil {
		return err
	}
	if err := fn(); err != nil {
		return err
	}
	after, err := sumMetric(ctx, ts, "helpline_redis_commands_total")
	if err != nil {
		return err
	}
	w.RedisCalls = after - before
	if before < 0 {
		w.RedisCalls = -1
	}
	return nil
}

// collect asks every target's profiler for a few garbage collections.
func collect(ctx context.Context, ts []target) {
	if !slices.ContainsFunc(ts, func(t target) bool { return t.debug != "" }) {
		return
	}
	for range 5 {
		for _, t := range ts {
			if t.debug == "" {
				continue
			}
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.debug+"/debug/pprof/heap?gc=1", nil)
			if err != nil {
				return
			}
			if resp, err := http.DefaultClient.Do(req); err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}
		sleep(ctx, time.Second)
	}
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
