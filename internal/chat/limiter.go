package chat

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// addrLimiter bounds the messages one client address may send, across all
// its conversations, on this instance. (The per-conversation bound is kept
// in Redis, atomically with the message, so it holds across instances.)
type addrLimiter struct {
	perMinute int
	mu        sync.Mutex
	byAddr    map[string]*addrEntry
	done      chan struct{}
	stopped   sync.Once
}

type addrEntry struct {
	lim  *rate.Limiter
	seen time.Time
}

// idleAfter is how long an address's limiter is kept after its last use.
const idleAfter = 10 * time.Minute

func newAddrLimiter(perMinute int) *addrLimiter {
	l := &addrLimiter{perMinute: perMinute, byAddr: map[string]*addrEntry{}, done: make(chan struct{})}
	go l.sweep()
	return l
}

// allow reports whether addr may send now, and if not, how long to wait.
func (l *addrLimiter) allow(addr string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.byAddr[addr]
	if !ok {
		// A burst of a third of the minute's allowance lets a visitor send
		// a few quick messages; a flood soon waits.
		e = &addrEntry{lim: rate.NewLimiter(rate.Limit(float64(l.perMinute)/60), max(1, l.perMinute/3))}
		l.byAddr[addr] = e
	}
	e.seen = now
	r := e.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// sweep forgets idle addresses, until stop.
func (l *addrLimiter) sweep() {
	t := time.NewTicker(idleAfter)
	defer t.Stop()
	for {
		select {
		case now := <-t.C:
			l.mu.Lock()
			for a, e := range l.byAddr {
				if now.Sub(e.seen) > idleAfter {
					delete(l.byAddr, a)
				}
			}
			l.mu.Unlock()
		case <-l.done:
			return
		}
	}
}

func (l *addrLimiter) stop() { l.stopped.Do(func() { close(l.done) }) }
