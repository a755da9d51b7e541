package main

import (
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
	resendUntilAnswered(t, v, "m2", "how long does withdrawal last", 45*time.Second, nil)
}
