package main

import (
	"fmt"

	"testing"
	"time"

	"helpline/internal/store/storetest"
)

// TestSentinelFailover runs a helpline process on a Redis watched by a
// Sentinel (REDIS_URL is the Sentinel, REDIS_MASTER its name) and kills
// the master: the Sentinel promotes the replica, the service follows it
// without a restart, and the visitor's conversation goes on where it was.
func TestSentinelFailover(t *testing.T) {
	s := storetest.StartSentinel(t)
	p := startProcess(t, "REDIS_URL="+s.Addr, "REDIS_MASTER="+s.MasterName)
	botReply := func(f anyFrame) bool { return f.Type == "message" && f.From == "bot" }

	v := p.ws("ws", nil)
	send(t, v, map[string]any{"type": "hello"})
	until(t, v, "welcome", func(f anyFrame) bool { return f.Type == "welcome" })
	send(t, v, map[string]any{"type": "message", "id": "m1", "text": "what is methadone"})
	until(t, v, "the first answer", botReply)
	time.Sleep(500 * time.Millisecond) // the replica has it

	s.Master.Kill()
	deadline := time.Now().Add(45 * time.Second)
	for i := 0; ; i++ {
		id := fmt.Sprintf("m2-%d", i)
		send(t, v, map[string]any{"type": "message", "id": id, "text": "how long does withdrawal last"})
		v.SetReadDeadline(time.Now().Add(5 * time.Second))
		answered := false
		for {
			var f anyFrame
			if err := v.ReadJSON(&f); err != nil {
				break // no answer yet: send again, as the widget does
			}
			if f.Type == "error" {
				if f.Code == "closed" {
					t.Fatalf("after the failover the conversation is gone: %+v", f)
				}
				break
			}
			if botReply(f) {
				answered = true
				break
			}
		}
		if answered {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("no answer after the failover")
		}
		time.Sleep(time.Second)
	}
}
