package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"helpline/internal/store/storetest"
)

// TestRedisOutage kills the Redis under a running helpline process and
// starts it again, as a failover or a restart would: the process stays
// up, says it is not ready, and tells the visitor plainly (with the
// emergency numbers) that their message did not go through, rather than
// dropping it; once Redis is back the same connection works again,
// subscription included, and the message sent again is answered, without
// a restart.
func TestRedisOutage(t *testing.T) {
	redis := storetest.StartServer(t)
	p := startProcess(t, "REDIS_URL="+redis.URL)
	ready := func() int {
		resp, err := http.Get(p.base + "readyz")
		if err != nil {
			t.Fatalf("the process is gone: %v", err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	waitReady := func(want int) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for ready() != want {
			if time.Now().After(deadline) {
				t.Fatalf("/readyz never answered %d", want)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	botReply := func(f anyFrame) bool { return f.Type == "message" && f.From == "bot" }

	v := p.ws("ws", nil)
	send(t, v, map[string]any{"type": "hello"})
	until(t, v, "welcome", func(f anyFrame) bool { return f.Type == "welcome" })
	send(t, v, map[string]any{"type": "message", "id": "m1", "text": "what is methadone"})
	until(t, v, "the first answer", botReply)

	redis.Kill()
	waitReady(http.StatusServiceUnavailable)
	send(t, v, map[string]any{"type": "message", "id": "m2", "text": "how long does withdrawal last"})
	v.SetReadDeadline(time.Now().Add(40 * time.Second))
	var e struct {
		Type, Code, Message string
		RetryAfter          int `json:"retry_after"`
	}
	for e.Type != "error" {
		if err := v.ReadJSON(&e); err != nil {
			t.Fatalf("no answer to a message sent while Redis is down: %v", err)
		}
		if e.Type == "message" {
			t.Fatalf("a message went through with Redis down: %+v", e)
		}
	}
	if e.Code != "unavailable" || !strings.Contains(e.Message, "911") || e.RetryAfter <= 0 {
		t.Errorf("error %+v, want unavailable, with 911 and a retry_after", e)
	}

	redis.Start()
	waitReady(http.StatusOK)
	// What the widget does after retry_after: the same message again.
	// The restored subscription says what the conversation's state is
	// now, since events may have been missed while Redis was away: on
	// the way, or, when the subscription came back after the answer was
	// stored, right after the replay that brings the answer.
	sawState := false
	isState := func(f anyFrame) {
		if f.Type == "state" && f.State == "bot" {
			sawState = true
		}
	}
	resendUntilAnswered(t, v, "m2", "how long does withdrawal last", 30*time.Second, isState)
	v.SetReadDeadline(time.Now().Add(5 * time.Second))
	for !sawState {
		var f anyFrame
		if err := v.ReadJSON(&f); err != nil {
			t.Fatalf("after Redis came back, the connection was not told the conversation's state: %v", err)
		}
		isState(f)
	}
}
