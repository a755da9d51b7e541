package assistant

import (
	"sync"
	"time"
)

// breaker stops asking an endpoint that keeps failing: after
// breakerFailures failures in a row (errors and timeouts, not replies
// the checks reject) it opens, and for breakerCooldown every answer is
// the curated one at once, instead of each waiting out the timeout.
// Then one request is let through (half-open): its success closes the
// breaker, its failure opens it for another cooldown.
type breaker struct {
	mu       sync.Mutex
	failures int
	openedAt time.Time // zero while closed
	trial    bool      // a half-open request is out
}

const (
	breakerFailures = 5
	breakerCooldown = 30 * time.Second
)

// CircuitOpen: the endpoint failed too often in a row; it is not asked
// until the cooldown has passed.
const CircuitOpen Reason = "circuit_open"

// allow reports whether a request may go out now.
func (b *breaker) allow(now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case b.openedAt.IsZero():
		return true
	case now.Sub(b.openedAt) < breakerCooldown || b.trial:
		return false
	}
	b.trial = true
	return true
}

// record counts a request's outcome: ok is false for an error or a
// timeout.
func (b *breaker) record(now time.Time, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.trial = false
	if ok {
		b.failures, b.openedAt = 0, time.Time{}
		return
	}
	b.failures++
	if b.failures >= breakerFailures || !b.openedAt.IsZero() {
		b.openedAt = now
	}
}

// release ends a request that says nothing of the endpoint (a spent
// budget, a caller that gave up): a trial it was is over, the count of
// failures stands.
func (b *breaker) release() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.trial = false
}

// open reports whether the breaker is open, for the readiness page.
func (b *breaker) open() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return !b.openedAt.IsZero()
}

// Failing reports whether the endpoint failed too often in a row and is
// not being asked (the circuit breaker is open), for the readiness page.
func (c *Client) Failing() bool { return c != nil && c.breaker.open() }
