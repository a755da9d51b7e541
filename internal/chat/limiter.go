package chat

import (
	"context"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// addrLimiter bounds the messages one client address sends, across every
// instance: the count lives in Redis (GCRA, go-redis's redis_rate), so N
// instances behind a load balancer allow the rate once, not N times.
type addrLimiter struct {
	lim   *redis_rate.Limiter
	limit redis_rate.Limit
	// prefix separates the counts of services that share a Redis (and of
	// test runs on one machine).
	prefix string
}

func newAddrLimiter(rdb redis.UniversalClient, perMinute int, prefix string) *addrLimiter {
	return &addrLimiter{
		lim: redis_rate.NewLimiter(rdb),
		// A burst of a third of the minute's allowance lets a visitor send
		// a few quick messages; a flood soon waits.
		limit:  redis_rate.Limit{Rate: perMinute, Period: time.Minute, Burst: max(1, perMinute/3)},
		prefix: prefix,
	}
}

// allow reports whether addr may send now, and if not, how long to wait.
// When Redis cannot be asked it allows: the message's own store then fails,
// and the visitor is told that, which says more than "too fast".
func (l *addrLimiter) allow(ctx context.Context, addr string) (bool, time.Duration) {
	res, err := l.lim.Allow(ctx, "hl:addr:"+l.prefix+addr, l.limit)
	if err != nil || res.Allowed > 0 {
		return true, 0
	}
	return false, res.RetryAfter
}
