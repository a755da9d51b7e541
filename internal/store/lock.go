package store

import (
	"context"
	"time"
)

// TryLock takes a short lock that only one instance holds at a time, for
// work that one instance should do (the janitor). It reports whether this
// caller got it.
func (s *Store) TryLock(ctx context.Context, owner string, ttl time.Duration) bool {
	ok, err := s.rdb.SetNX(ctx, janitorLock, owner, ttl).Result()
	return err == nil && ok
}
