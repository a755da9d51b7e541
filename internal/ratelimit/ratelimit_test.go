package ratelimit_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"helpline/internal/ratelimit"
	"helpline/internal/store/storetest"
)

// TestSharedAcrossInstances: two limiters on one Redis, as two instances
// are, share each key's allowance; another key, or another prefix, has
// its own; and with Redis gone the limiter allows.
func TestSharedAcrossInstances(t *testing.T) {
	ctx := context.Background()
	for _, b := range storetest.Backends(t, storetest.DBChat) {
		t.Run(b.Name, func(t *testing.T) {
			prefix := "hl:test-limit:" + t.Name() + time.Now().Format("150405.000000") + ":"
			one := ratelimit.PerMinute(b.Client, 4, 4, prefix)
			two := ratelimit.PerMinute(b.Client, 4, 4, prefix)
			for i, l := range []*ratelimit.Limiter{one, two, one, two} {
				if ok, _ := l.Allow(ctx, "ana"); !ok {
					t.Fatalf("action %d refused within the allowance", i+1)
				}
			}
			ok, wait := two.Allow(ctx, "ana")
			if ok || wait <= 0 || wait > time.Minute {
				t.Errorf("fifth action: allowed %v, wait %v; want refused with a wait under a minute", ok, wait)
			}
			if ok, _ := one.Allow(ctx, "ben"); !ok {
				t.Error("another key was refused")
			}
			if ok, _ := ratelimit.PerMinute(b.Client, 4, 4, prefix+"other:").Allow(ctx, "ana"); !ok {
				t.Error("another prefix was refused")
			}
		})
	}
	gone := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: 100 * time.Millisecond})
	defer gone.Close()
	if ok, _ := ratelimit.PerMinute(gone, 1, 1, "hl:x:").Allow(ctx, "ana"); !ok {
		t.Error("refused while Redis cannot be asked")
	}
}
