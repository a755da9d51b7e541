package main

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"helpline/internal/store/storetest"
)

// TestLostInstance kills the instance a representative's console is on,
// while they hold a visitor connected to another instance. Reconnecting
// to the surviving instance within the grace, the representative still
// holds the conversation and goes on answering; nobody else could take it
// meanwhile. When their console is gone for longer than the grace, the
// conversation goes back to the queue and the visitor is told.
func TestLostInstance(t *testing.T) {
	redis := storetest.StartServer(t)
	env := []string{"REDIS_URL=" + redis.URL, "HELPLINE_REP_GRACE=10s"}
	const password = "a long enough password"
	getenv := func(k string) string {
		if k == "REDIS_URL" {
			return redis.URL
		}
		return ""
	}
	if err := run(context.Background(), []string{"rep", "add", "ana"}, getenv, strings.NewReader(password+"\n"), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	a, b := startProcess(t, env...), startProcess(t, env...)
	cookie := a.signIn("ana", password)
	console := a.console(cookie)

	visitor := b.ws("ws", nil)
	send(t, visitor, map[string]any{"type": "hello"})
	w := until(t, visitor, "welcome", func(f anyFrame) bool { return f.Type == "welcome" })
	send(t, visitor, map[string]any{"type": "message", "id": "m1", "text": "can i talk to a real person please"})
	until(t, visitor, "waiting", func(f anyFrame) bool { return f.Type == "state" && f.State == "waiting" })
	send(t, console, map[string]any{"type": "take", "conversation": w.Conversation})
	until(t, console, "the transcript", func(f anyFrame) bool { return f.Type == "transcript" })
	until(t, visitor, "the representative", func(f anyFrame) bool { return f.Type == "state" && f.State == "rep" })

	// A dies with Ana's console on it; she is back, on B, in two seconds.
	a.kill()
	time.Sleep(2 * time.Second)
	console = b.console(cookie)
	until(t, console, "her conversations", func(f anyFrame) bool {
		if f.Type != "mine" {
			return false
		}
		for _, it := range f.Items {
			if it.Conversation == w.Conversation {
				return true
			}
		}
		t.Fatalf("after reconnecting within the grace, Ana's conversations are %+v", f.Items)
		return false
	})
	send(t, console, map[string]any{"type": "reply", "conversation": w.Conversation, "id": "r1", "text": "Sorry, my connection dropped. I'm still here."})
	until(t, visitor, "her reply from B", func(f anyFrame) bool { return f.Type == "message" && f.From == "rep" })

	// Now she is gone for good: after the grace (10s) and the janitor's
	// round (5s), the visitor is back in the queue, and told.
	console.Close()
	closed := time.Now()
	visitor.SetReadDeadline(time.Now().Add(25 * time.Second))
	var told bool
	for {
		var f anyFrame
		if err := visitor.ReadJSON(&f); err != nil {
			t.Fatalf("the conversation never went back to the queue: %v (told: %v)", err, told)
		}
		if f.Type == "message" && f.From == "system" && strings.Contains(f.Text, "lost their connection") {
			told = true
		}
		if f.Type == "state" && f.State == "waiting" {
			if d := time.Since(closed); d < 9500*time.Millisecond {
				t.Errorf("requeued %v after the console closed, before the grace of 10s", d.Round(100*time.Millisecond))
			}
			break
		}
	}
	if !told {
		t.Error("back in the queue without being told why")
	}
}
