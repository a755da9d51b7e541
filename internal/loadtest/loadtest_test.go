package loadtest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"helpline/internal/answer"
	"helpline/internal/broker"
	"helpline/internal/chat"
	"helpline/internal/console"
	"helpline/internal/embedredis"
	"helpline/internal/handoff"
	"helpline/internal/kb"
	"helpline/internal/metrics"
	"helpline/internal/render"
	"helpline/internal/reps"
	"helpline/internal/server"
	"helpline/internal/store"
	"helpline/internal/store/storetest"
	"helpline/knowledge"
	"helpline/web"
)

// dbLoadtest is the test database this package tries first (see
// storetest: the lower numbers are other packages').
const dbLoadtest = 8

// redisURL returns the real Redis's test database when one answers, or
// an embedded Redis.
func redisURL(t *testing.T) string {
	t.Helper()
	if b, ok := storetest.Real(t, dbLoadtest); ok {
		return b.URL
	}
	srv, err := embedredis.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv.URL()
}

// startInstance starts the whole service, visitor and console, as serve
// does, on its own Redis client (so that its metrics count its own
// commands), with the limits the bench's usage asks for.
func startInstance(t *testing.T, url string, engine *answer.Engine) string {
	t.Helper()
	ctx := context.Background()
	rdb, closeRedis, err := store.Connect(ctx, url, "")
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	m := metrics.New()
	store.Instrument(rdb, m.RedisCommands, m.RedisErrors)
	b := broker.New(rdb, log)
	st := store.New(rdb, store.Options{Retention: time.Hour, RatePerMinute: 20})
	accounts := reps.New(rdb)
	ho := handoff.New(st, accounts, kb.DefaultFacts(), handoff.Options{MaxChats: 4}, log)
	visitors := chat.NewHandler(st, b, engine, ho, render.New(), m, log, chat.Options{RatePerAddress: 100000000, RateKeyPrefix: t.Name() + ":"})
	consoles := console.New(console.Deps{Store: st, Reps: accounts, Handoff: ho, Broker: b, Engine: engine, Render: render.New(),
		Metrics: m, Bot: visitors, Log: log, Web: web.FS()})
	srv := httptest.NewServer(server.New(server.Deps{Log: log, Redis: rdb, Metrics: m, Visitor: visitors, Console: consoles, Web: web.FS()}))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		consoles.Shutdown(ctx)
		visitors.Shutdown(ctx)
		srv.Close()
		b.Close()
		closeRedis()
	})
	return srv.URL
}

// TestRunShape runs a tiny version of every phase against two instances
// on one Redis and checks that each phase reported, with the figures the
// bench prints computed: the echo server's ratios, both directions of
// cross-instance delivery, the flooder's outcome, memory. Their values
// are the machine's, not the test's.
func TestRunShape(t *testing.T) {
	base, err := kb.Load(knowledge.FS())
	if err != nil {
		t.Fatal(err)
	}
	engine := answer.New(base, kb.DefaultFacts())
	url := redisURL(t)
	a, b := startInstance(t, url, engine), startInstance(t, url, engine)
	rdb, closeRedis, err := store.Connect(context.Background(), url, "")
	if err != nil {
		t.Fatal(err)
	}
	defer closeRedis()
	const password = "correct horse battery"
	if err := reps.New(rdb).Add(context.Background(), "bench", password, reps.RoleRep); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var progress bytes.Buffer
	rep, err := Run(ctx, Options{
		Targets:  []string{a, b},
		Visitors: 4, Interval: 200 * time.Millisecond, Duration: time.Second,
		Cross: 6, CrossInterval: 100 * time.Millisecond, CrossDuration: time.Second, Rep: "bench", Password: password,
		SaturateFor: 300 * time.Millisecond, SaturateWorkers: 2, SaturatePool: 6, PerConversation: 5,
		Flood: 300, FloodVisitors: 3, FloodFor: time.Second,
		Idle: 6, IdleHold: 100 * time.Millisecond,
	}, &progress)
	if err != nil {
		t.Fatalf("run: %v\nprogress:\n%s", err, progress.String())
	}

	if c := rep.Cross; c == nil {
		t.Error("no cross-instance report")
	} else {
		if c.VisitorsOn == c.RepOn {
			t.Errorf("visitors and representative both on %s, want different instances", c.RepOn)
		}
		if c.Conversations != 4 || c.MaxChats != 4 {
			t.Errorf("%d conversations with a limit of %d, want the limit, 4", c.Conversations, c.MaxChats)
		}
		if c.RepToVisitor.N == 0 || c.VisitorToRep.N == 0 || c.RepToVisitor.P99 <= 0 || c.VisitorToRep.P99 <= 0 {
			t.Errorf("cross-instance latencies %+v and %+v, want both measured", c.RepToVisitor, c.VisitorToRep)
		}
		if c.PerSecond() <= 0 || c.RedisPerMessage() <= 0 {
			t.Errorf("cross-instance %.1f messages/s, %.2f Redis round trips each, want both > 0", c.PerSecond(), c.RedisPerMessage())
		}
	}
	for name, c := range map[string]*Comparison{"chat": rep.Chat, "saturation": rep.Saturation} {
		if c == nil {
			t.Errorf("no %s report", name)
			continue
		}
		if c.Helpline.Answered == 0 || c.Echo.Answered == 0 {
			t.Errorf("%s: %d answered by the services, %d by the echo server, want both > 0", name, c.Helpline.Answered, c.Echo.Answered)
		}
		if c.Ratio() <= 0 || c.P99Ratio() <= 0 {
			t.Errorf("%s: ratios %.2f and %.2f, want both computed", name, c.Ratio(), c.P99Ratio())
		}
		if c.Helpline.RedisPerMessage() <= 0 || c.Echo.RedisPerMessage() >= 0 {
			t.Errorf("%s: Redis round trips per message %.2f (services) and %.2f (echo), want > 0 and not counted",
				name, c.Helpline.RedisPerMessage(), c.Echo.RedisPerMessage())
		}
	}
	if f := rep.Flood; f == nil {
		t.Error("no flood report")
	} else {
		o := f.Flooder
		// A service that cannot keep up with the flood's answers closes
		// the flooder (1011) before the limit refuses it: the race
		// detector's slowness is enough. Either is an outcome reported.
		if o.Sent == 0 || o.Stored > 20 || (o.RateLimited == 0 && !o.Closed) || (!o.Closed && o.Lasted <= 0) {
			t.Errorf("flooder %+v, want at most the limit's 20 stored, refused with rate_limited or closed, and the flood timed", o)
		}
		if f.Quiet.Latency.N == 0 || f.Flooded.Latency.N == 0 || f.P99Ratio() <= 0 {
			t.Errorf("flood: %d answers without, %d with, ratio %.2f; want both measured", f.Quiet.Latency.N, f.Flooded.Latency.N, f.P99Ratio())
		}
		if f.Quiet.Errors+f.Flooded.Errors > 0 {
			t.Errorf("the other visitors got %d and %d errors, want none: the flood must not limit them", f.Quiet.Errors, f.Flooded.Errors)
		}
	}
	if i := rep.Idle; i == nil || i.Opened != 6 || i.RSSBefore <= 0 || i.RSSAfter <= 0 {
		t.Errorf("idle report %+v, want 6 connections and memory read", i)
	}

	var out bytes.Buffer
	rep.Write(&out)
	t.Logf("report:\n%s", out.String())
	for _, want := range []string{"cross-instance:", "representative -> visitor: p50", "chat:", "saturation:",
		"round trips/s helpline/echo:", "flood:", "flooder: ", "rate_limited", "idle: 6 connections"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}

func TestSummarize(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	got := summarize(ds)
	want := Latency{N: 100, P50: 50 * time.Millisecond, P95: 95 * time.Millisecond, P99: 99 * time.Millisecond, Max: 100 * time.Millisecond}
	if got != want {
		t.Errorf("summarize(1..100 ms) = %+v, want %+v", got, want)
	}
	if got := summarize(nil); got != (Latency{}) {
		t.Errorf("summarize(nil) = %+v, want zero", got)
	}
}

func TestSince(t *testing.T) {
	text := marked(markRep, 7)
	if d, ok := since(markRep, text); !ok || d < 0 || d > time.Minute {
		t.Errorf("since(%q) = %s, %v; want a small duration", text, d, ok)
	}
	for _, bad := range []string{"bench-r 7", "bench-v 7 123", "bench-r 7 x", "hello"} {
		if _, ok := since(markRep, bad); ok {
			t.Errorf("since(%q) matched, want not", bad)
		}
	}
}

// TestErrorKind: errors that differ only in their addresses (each
// connection has a port of its own) count as one kind.
func TestErrorKind(t *testing.T) {
	for _, tc := range []struct{ err, want string }{
		{"read tcp 127.0.0.1:53312->127.0.0.1:8081: i/o timeout", "read tcp host:port->host:port: i/o timeout"},
		{"dial tcp [::1]:8082: connect: connection refused", "dial tcp host:port: connect: connection refused"},
		{"websocket: close 1013: unavailable; reconnect", "websocket: close 1013: unavailable; reconnect"},
	} {
		if got := errorKind(errors.New(tc.err)); got != tc.want {
			t.Errorf("errorKind(%q) = %q, want %q", tc.err, got, tc.want)
		}
	}
}
