package chat_test

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"helpline/internal/chat"
	"helpline/internal/store"
	"helpline/internal/store/storetest"
)

// TestIdleConnectionStacks holds what an idle visitor's two goroutines
// keep in stacks, once the visitor has asked something, the answer worker
// has ended and the collector has had its say: both wait in 4 KB. When the
// reader acted on frames itself, the Redis calls of a hello or a message
// grew its stack to 8 KB, which the runtime never halves again, and every
// idle connection kept about 13 KB.
func TestIdleConnectionStacks(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector enlarges stacks")
	}
	b := storetest.Backends(t, storetest.DBChat)[0]
	const n = 200
	s := start(t, b.Client, chat.Options{RatePerAddress: 10 * n, WorkerIdle: 10 * time.Millisecond}, store.Options{})
	settle := func() uint64 {
		for range 4 {
			runtime.GC()
		}
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.StackInuse
	}
	before, g0 := settle(), runtime.NumGoroutine()
	for i := range n {
		c := dial(t, s.URL)
		c.hello("", "")
		c.say(fmt.Sprint("m", i), "what is methadone")
	}
	// Each connection keeps its reader and writer; the answer workers end.
	for deadline := time.Now().Add(5 * time.Second); runtime.NumGoroutine() > g0+2*n+n/10 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	after := settle()
	per := float64(after-before) / n
	t.Logf("stacks: %.1f KB per idle connection; goroutines %d -> %d", per/1024, g0, runtime.NumGoroutine())
	if per > 10*1024 {
		t.Errorf("idle connections keep %.1f KB of stack each, want at most 10 KB (two 4 KB stacks)", per/1024)
	}
}
