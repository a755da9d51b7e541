// Package ratelimit bounds how often one client (a visitor's address, a
// representative) may do something, across every instance: the counts
// live in Redis (GCRA, go-redis's redis_rate), so N instances behind a
// load balancer allow the rate once, not N times.
package ratelimit

import (
	"context"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// Limiter admits a number of actions a minute per key.
type Limiter struct {
	lim   *redis_rate.Limiter
	limit redis_rate.Limit
	// prefix names the counts in Redis: what is limited, and, for
	// services (or test runs) sharing a Redis, whose.
	prefix string
}

// PerMinute returns a limiter of perMinute actions a minute per key, of
// which burst may come at once, counted under keys starting with prefix.
func PerMinute(rdb redis.UniversalClient, perMinute, burst int, prefix string) *Limiter {
	return &Limiter{
		lim:    redis_rate.NewLimiter(rdb),
		limit:  redis_rate.Limit{Rate: perMinute, Period: time.Minute, Burst: max(1, burst)},
		prefix: prefix,
	}
}

// Allow reports whether key may act now, and if not, how long to wait.
// When Redis cannot be asked it allows: what the action needs of Redis
// then fails too, and saying that says more than "too fast".
func (l *Limiter) Allow(ctx context.Context, key string) (bool, time.Duration) {
	res, err := l.lim.Allow(ctx, l.prefix+key, l.limit)
	if err != nil || res.Allowed > 0 {
		return true, 0
	}
	return false, res.RetryAfter
}
