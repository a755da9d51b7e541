package assistant

import (
	"sync"
	"time"
)

// budget enforces the per-minute request budget (a sliding window of the
// last minute's requests) and the monthly token budget (a count per
// calendar month, UTC). Both are this process's own, in memory: N
// instances may send N times the rate, and a restart starts the month's
// count again.
type budget struct {
	mu        sync.Mutex
	perMinute int
	recent    []time.Time // the requests of the last minute, oldest first
	monthly   int64       // 0: no limit
	month     string      // "2006-01" of spent
	spent     int64
}

func newBudget(perMinute int, monthly int64) *budget {
	return &budget{perMinute: perMinute, monthly: monthly}
}

// take admits one request at now, or says which budget is spent. The
// token budget is checked first: a month that is spent is spent, however
// quiet the minute.
func (b *budget) take(now time.Time) Reason {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.roll(now)
	if b.monthly > 0 && b.spent >= b.monthly {
		return TokenBudget
	}
	b.prune(now)
	if len(b.recent) >= b.perMinute {
		return RateBudget
	}
	b.recent = append(b.recent, now)
	return ""
}

// wait reports how long until a request would fit in the minute's budget.
func (b *budget) wait(now time.Time) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.prune(now)
	if len(b.recent) < b.perMinute {
		return 0
	}
	return b.recent[0].Add(time.Minute).Sub(now)
}

// spend counts tokens spent by a request admitted at now.
func (b *budget) spend(now time.Time, tokens int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.roll(now)
	b.spent += int64(tokens)
}

func (b *budget) spentIn(now time.Time) int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.roll(now)
	return b.spent
}

// roll starts a new month's count when now is in another month.
func (b *budget) roll(now time.Time) {
	if m := now.UTC().Format("2006-01"); m != b.month {
		b.month, b.spent = m, 0
	}
}

// prune forgets the requests older than a minute.
func (b *budget) prune(now time.Time) {
	cut := 0
	for cut < len(b.recent) && !b.recent[cut].After(now.Add(-time.Minute)) {
		cut++
	}
	b.recent = append(b.recent[:0], b.recent[cut:]...)
}
