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
		if r := answer(); r.Reason != assistant.CircuitOpen {
			t.Fatalf("with the breaker open: %s", r.Reason)
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
