package store

import (
	"context"

	"github.com/redis/go-redis/v9"

	"helpline/internal/conversation"
)

// The audit of what representatives did: one capped stream, newest last.

// Audit records what a representative did.
func (s *Store) Audit(ctx context.Context, rep, action, conv, detail string) error {
	return s.rdb.XAdd(ctx, &redis.XAddArgs{Stream: auditKey, MaxLen: 100000, Approx: true,
		Values: []any{"rep", rep, "action", action, "conv", conv, "detail", detail}}).Err()
}

// AuditLog returns the most recent audit entries, newest first.
func (s *Store) AuditLog(ctx context.Context, n int64) ([]conversation.AuditEntry, error) {
	xs, err := s.rdb.XRevRangeN(ctx, auditKey, "+", "-", n).Result()
	if err != nil {
		return nil, err
	}
	out := make([]conversation.AuditEntry, 0, len(xs))
	for _, x := range xs {
		str := func(k string) string { s, _ := x.Values[k].(string); return s }
		out = append(out, conversation.AuditEntry{ID: x.ID, Time: conversation.TimeOf(x.ID), Rep: str("rep"), Action: str("action"), Conv: str("conv"), Detail: str("detail")})
	}
	return out, nil
}
