package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"helpline/internal/conversation"
)

// The queue of conversations waiting for a person: one sorted set for the
// helpline, by priority, then by when the wait began. A conversation's own
// hash says it waits (its script runs on its slot); the set, on another
// slot in a cluster, is written after, and repaired (EnsureQueued) if an
// instance died in between.

// queueScore sorts by priority, then by the time the wait began; the time
// fits in 13 digits of milliseconds.
func queueScore(p conversation.Priority, queued int64) float64 {
	return float64(p.Rank())*1e13 + float64(queued)
}

// enqueueScript asks for a person: a conversation with the bot starts
// waiting; one already waiting keeps its place and takes the more urgent
// priority; one held by a representative or closed is left as it is.
// ARGV: now, retention, maxlen, priority, reason, system text, evidence,
// then the events (systemEvents). Returns {status, queued, priority}.
var enqueueScript = newScript(luaSystem + `
local rank = {emergency = 1, urgent = 2, normal = 3}
if cur == 'rep' then return {'held', holder} end
if cur == 'closed' then return {'closed'} end
if ARGV[7] ~= '' then redis.call('HSET', KEYS[1], 'evidence', ARGV[7]) end
if cur == 'waiting' then
  if (rank[ARGV[4]] or 3) < (rank[prio] or 3) then
    redis.call('HSET', KEYS[1], 'prio', ARGV[4])
    prio = ARGV[4]
  end
  touch()
  return {'waiting', queued, prio}
end
redis.call('HSET', KEYS[1], 'prio', ARGV[4], 'queued', ARGV[1], 'reason', ARGV[5])
redis.call('HDEL', KEYS[1], 'left', 'requeued', 'returned')
say(ARGV[6], ARGV[8])
state('waiting', ARGV[9])
touch()
return {'ok', ARGV[1], ARGV[4]}
`)

// Enqueue asks for a person for a conversation with the given priority and
// reason; say is the system message the visitor sees, and riskKind, with
// the evidence, what raised the priority. A conversation already waiting
// keeps its place and takes the more urgent priority.
func (s *Store) Enqueue(ctx context.Context, conv string, p conversation.Priority, reason, say, riskKind string, evidence []string) (conversation.HandoffStatus, error) {
	ev := ""
	if len(evidence) > 0 {
		b, _ := json.Marshal(evidence)
		ev = string(b)
	}
	res, err := s.run(ctx, enqueueScript, conv, append([]any{string(p), reason, say, ev},
		systemEvents(say, conversation.StateWaiting, "")...)...)
	if err != nil {
		return "", fmt.Errorf("enqueue: %w", err)
	}
	st := conversation.HandoffStatus(res[0])
	if st == conversation.Queued || st == conversation.AlreadyQueued {
		queued, _ := strconv.ParseInt(res[1], 10, 64)
		if err := s.rdb.ZAdd(ctx, queueKey, redis.Z{Score: queueScore(conversation.Priority(res[2]), queued), Member: conv}).Err(); err != nil {
			return "", fmt.Errorf("enqueue: %w", err)
		}
		s.consoleEvent(ctx, conversation.Event{Type: "queue"})
		if st == conversation.Queued && p != conversation.PriorityNormal {
			s.consoleEvent(ctx, conversation.Event{Type: "alert", Conv: conv, Priority: string(p), Kind: riskKind})
		}
	}
	return st, nil
}

// EnsureQueued puts a waiting conversation that is missing from the queue
// back in it, at the place it had, and reports whether it was missing.
// Asking for a person is two steps, because in a Redis Cluster the
// conversation and the queue live on different slots: an instance that
// dies between them leaves a visitor waiting but unqueued, and the
// visitor's reconnection, on another instance, repairs it here. A
// conversation claimed meanwhile may be added back as a stale entry, which
// the queue already skips and TakeNext removes.
func (s *Store) EnsureQueued(ctx context.Context, conv string) (bool, error) {
	v, err := s.rdb.HMGet(ctx, keysFor(conv).conv, "state", "prio", "queued").Result()
	if err != nil {
		return false, fmt.Errorf("ensure queued: %w", err)
	}
	str := func(i int) string { s, _ := v[i].(string); return s }
	if str(0) != string(conversation.StateWaiting) {
		return false, nil
	}
	queued, _ := strconv.ParseInt(str(2), 10, 64)
	n, err := s.rdb.ZAddNX(ctx, queueKey, redis.Z{Score: queueScore(conversation.Priority(str(1)), queued), Member: conv}).Result()
	if err != nil {
		return false, fmt.Errorf("ensure queued: %w", err)
	}
	if n > 0 {
		s.consoleEvent(ctx, conversation.Event{Type: "queue"})
	}
	return n > 0, nil
}

// recentWaits is how many recent waits estimate the next one.
const recentWaits = 50

// TakeNext claims the most urgent waiting conversation for rep and returns
// its id, or "" when nobody waits. say makes the system message.
func (s *Store) TakeNext(ctx context.Context, rep, say string) (string, error) {
	for attempt := 0; attempt < 5; attempt++ {
		convs, err := s.rdb.ZRange(ctx, queueKey, 0, 9).Result()
		if err != nil {
			return "", fmt.Errorf("take next: %w", err)
		}
		if len(convs) == 0 {
			return "", nil
		}
		for _, conv := range convs {
			err := s.Claim(ctx, conv, rep, say, false)
			switch conversation.ErrorCode(err) {
			case "":
				return conv, nil
			case conversation.Taken:
				// Someone was faster; the next one, then.
			case conversation.NotWaiting, conversation.NotFound, conversation.Closed:
				s.rdb.ZRem(ctx, queueKey, conv) // stale: not waiting any more
			default:
				return "", err
			}
		}
	}
	return "", nil
}

// Queue returns up to n waiting conversations, most urgent first.
func (s *Store) Queue(ctx context.Context, n int64) ([]conversation.QueueItem, error) {
	convs, err := s.rdb.ZRange(ctx, queueKey, 0, n-1).Result()
	if err != nil {
		return nil, fmt.Errorf("read queue: %w", err)
	}
	pipe := s.rdb.Pipeline()
	cmds := make([]*redis.SliceCmd, len(convs))
	for i, c := range convs {
		cmds[i] = pipe.HMGet(ctx, keysFor(c).conv, "prio", "queued", "reason", "risk_kind", "state")
	}
	if len(convs) > 0 {
		pipe.Exec(ctx)
	}
	out := make([]conversation.QueueItem, 0, len(convs))
	for i, c := range convs {
		v, err := cmds[i].Result()
		if err != nil || v[4] != string(conversation.StateWaiting) {
			continue
		}
		str := func(x any) string { s, _ := x.(string); return s }
		out = append(out, conversation.QueueItem{Conv: c, Priority: conversation.Priority(str(v[0])), Queued: fromMillis(str(v[1])), Reason: str(v[2]), RiskKind: str(v[3])})
	}
	return out, nil
}

// Position returns a waiting conversation's place in line, from 1, or 0.
func (s *Store) Position(ctx context.Context, conv string) (int, error) {
	r, err := s.rdb.ZRank(ctx, queueKey, conv).Result()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	return int(r) + 1, err
}

// Waiting returns every waiting conversation, in queue order.
func (s *Store) Waiting(ctx context.Context) ([]string, error) {
	return s.rdb.ZRange(ctx, queueKey, 0, -1).Result()
}

// WaitingN returns the first n waiting conversations, in queue order: what
// a console shows, read without the rest of a long queue.
func (s *Store) WaitingN(ctx context.Context, n int) ([]string, error) {
	return s.rdb.ZRange(ctx, queueKey, 0, int64(n)-1).Result()
}

// RecentWaits returns how long recent visitors waited for a person.
func (s *Store) RecentWaits(ctx context.Context) ([]time.Duration, error) {
	vs, err := s.rdb.LRange(ctx, waitsKey, 0, recentWaits-1).Result()
	if err != nil {
		return nil, err
	}
	out := make([]time.Duration, 0, len(vs))
	for _, v := range vs {
		ms, _ := strconv.ParseInt(v, 10, 64)
		out = append(out, time.Duration(ms)*time.Millisecond)
	}
	return out, nil
}

// Dequeue forgets a conversation in the queue that no longer waits.
func (s *Store) Dequeue(ctx context.Context, conv string) error {
	return s.rdb.ZRem(ctx, queueKey, conv).Err()
}
