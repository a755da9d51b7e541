package assistant_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"helpline/internal/assistant"
	"helpline/internal/assistant/assistanttest"
)

// TestCircuitBreaker: after five failures in a row the endpoint is not
// asked for 30 seconds (every answer the curated one at once); then one
// request tries it, and a failure opens the breaker again, a success
// closes it.
func TestCircuitBreaker(t *testing.T) {
	clk := &clock{now: time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)}
	var failing atomic.Bool
	failing.Store(true)
	c, srv := newClient(t, func(req openai.ChatCompletionRequest) assistanttest.Reply {
		if failing.Load() {
			return assistanttest.Reply{Status: http.StatusInternalServerError}
		}
		return assistanttest.Grounded(req)
	}, func(cfg *assistant.Config) { cfg.Now, cfg.RequestsPerMinute = clk.Now, 1000 })
	answer := func() assistant.Result {
		t.Helper()
		r := c.Answer(context.Background(), ask("how does narcan work"))
		if !r.Used && r.Text != curated {
			t.Fatalf("reason %s with text %q, want the curated answer", r.Reason, r.Text)
		}
		return r
	}
	requests := func() int { return len(srv.Requests()) }
	for i := range 5 {
		if r := answer(); r.Reason != assistant.Failed {
			t.Fatalf("failure %d: %s", i+1, r.Reason)
		}
	}
	start := time.Now()
	for range 20 {
		if r := answer(); r.Reason != assistant.CircuitOpen || r.Reason.Called() {
			t.Fatalf("with the breaker open: %s (called %v)", r.Reason, r.Reason.Called())
		}
	}
	if requests() != 5 {
		t.Fatalf("%d requests, want the 5 that failed", requests())
	}
	if d := time.Since(start); d > 100*time.Millisecond {
		t.Errorf("20 answers with the breaker open took %v, want no wait", d)
	}
	clk.add(31 * time.Second)
	if r := answer(); r.Reason != assistant.Failed || requests() != 6 {
		t.Fatalf("the trial after the cooldown: %s, %d requests", r.Reason, requests())
	}
	if r := answer(); r.Reason != assistant.CircuitOpen {
		t.Fatalf("after a failed trial: %s, want open again", r.Reason)
	}
	failing.Store(false)
	clk.add(31 * time.Second)
	for i := range 3 {
		if r := answer(); r.Reason != assistant.Used {
			t.Fatalf("answer %d after a good trial: %s, want the breaker closed", i+1, r.Reason)
		}
	}
}

// TestCircuitBreakerIgnoresTheCaller: requests the caller gave up on (a
// newer message, a closed chat) say nothing of the endpoint: they neither
// reset the count of failures nor close the breaker.
func TestCircuitBreakerIgnoresTheCaller(t *testing.T) {
	clk := &clock{now: time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)}
	var slow atomic.Bool
	c, srv := newClient(t, func(req openai.ChatCompletionRequest) assistanttest.Reply {
		if slow.Load() {
			return assistanttest.Reply{Delay: time.Second}
		}
		return assistanttest.Reply{Status: http.StatusInternalServerError}
	}, func(cfg *assistant.Config) { cfg.Now, cfg.RequestsPerMinute = clk.Now, 1000 })
	gaveUp := func() {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		slow.Store(true)
		c.Answer(ctx, ask("how does narcan work"))
		slow.Store(false)
	}
	for range 4 {
		c.Answer(context.Background(), ask("how does narcan work"))
	}
	gaveUp()
	if r := c.Answer(context.Background(), ask("how does narcan work")); r.Reason != assistant.Failed {
		t.Fatalf("the fifth failure: %s", r.Reason)
	}
	if r := c.Answer(context.Background(), ask("how does narcan work")); r.Reason != assistant.CircuitOpen {
		t.Fatalf("after five failures with a request given up among them: %s, want the breaker open", r.Reason)
	}
	clk.add(31 * time.Second)
	gaveUp() // the trial, given up on
	n := len(srv.Requests())
	if r := c.Answer(context.Background(), ask("how does narcan work")); r.Reason == assistant.Used || len(srv.Requests()) != n+1 {
		t.Fatalf("after a trial given up on: %s, %d requests; want another trial, not a closed breaker", r.Reason, len(srv.Requests())-n)
	}
}
