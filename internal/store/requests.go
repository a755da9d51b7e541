package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/redis/go-redis/v9"

	"helpline/internal/conversation"
)

// Callback and insurance-check requests: one stream for the helpline says
// which conversation asked for what; the person's details stay with the
// conversation.

// requestDetails is what a request holds of the person: kept with its
// conversation, never in the shared stream.
type requestDetails struct {
	Name     string `json:"name,omitempty"`
	Phone    string `json:"phone,omitempty"`
	BestTime string `json:"best_time,omitempty"`
	Insurer  string `json:"insurer,omitempty"`
	State    string `json:"state,omitempty"`
}

// requestScript keeps a request's details with its conversation, to
// expire with it, if it still exists.
// ARGV: request id, details (JSON).
var requestScript = newScript(`
local ttl = redis.call('PTTL', KEYS[1])
if ttl <= 0 then return 0 end
redis.call('HSET', KEYS[7], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[7], ttl)
return 1
`)

// AddRequest stores a request for the next representative. The shared
// stream says only which conversation asked for what; the name, number
// and insurer live with the conversation, expire with it and go when it
// is deleted. A request for a conversation that no longer exists is
// refused (conversation.NotFound): its details would outlive it.
func (s *Store) AddRequest(ctx context.Context, r conversation.Request) (string, error) {
	if r.Conv == "" {
		return "", conversation.Errorf(conversation.Invalid, "store request: no conversation")
	}
	id, err := s.rdb.XAdd(ctx, &redis.XAddArgs{Stream: requestsKey, MaxLen: 100000, Approx: true, Values: []any{
		"kind", r.Kind, "conv", r.Conv,
	}}).Result()
	if err != nil {
		return "", fmt.Errorf("store request: %w", err)
	}
	details, _ := json.Marshal(requestDetails{Name: r.Name, Phone: r.Phone, BestTime: r.BestTime, Insurer: r.Insurer, State: r.State})
	kept, err := s.eval(ctx, requestScript, keysFor(r.Conv).list(), id, string(details)).Int()
	if err != nil || kept == 0 {
		s.rdb.XDel(ctx, requestsKey, id)
		if err == nil {
			err = errNotFound
		}
		return "", fmt.Errorf("store request: %w", err)
	}
	s.consoleEvent(ctx, conversation.Event{Type: "requests"})
	return id, nil
}

// OpenRequests returns up to n requests not yet handled (all with n <= 0),
// oldest first. A handled request leaves the stream (RequestDone), so the
// stream holds the open ones and a console reads what it shows, not the
// history.
func (s *Store) OpenRequests(ctx context.Context, n int) ([]conversation.Request, error) {
	var xs []redis.XMessage
	var err error
	if n > 0 {
		xs, err = s.rdb.XRangeN(ctx, requestsKey, "-", "+", int64(n)).Result()
	} else {
		xs, err = s.rdb.XRange(ctx, requestsKey, "-", "+").Result()
	}
	if err != nil {
		return nil, err
	}
	// Entries an earlier version marked done without removing them.
	ids := make([]string, len(xs))
	for i, x := range xs {
		ids[i] = x.ID
	}
	var done []any
	if len(ids) > 0 {
		if done, err = s.rdb.HMGet(ctx, requestsDone, ids...).Result(); err != nil {
			return nil, err
		}
	}
	var open []redis.XMessage
	for i, x := range xs {
		if done[i] == nil {
			open = append(open, x)
		}
	}
	// The details, each from its conversation; a request whose
	// conversation was deleted or expired has none, and is not shown.
	pipe := s.rdb.Pipeline()
	gets := make([]*redis.StringCmd, len(open))
	for i, x := range open {
		conv, _ := x.Values["conv"].(string)
		gets[i] = pipe.HGet(ctx, keysFor(conv).reqs, x.ID)
	}
	if len(open) > 0 {
		if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
			return nil, err
		}
	}
	var out []conversation.Request
	for i, x := range open {
		str := func(k string) string { s, _ := x.Values[k].(string); return s }
		var d requestDetails
		raw, err := gets[i].Result()
		switch {
		case err == nil:
			json.Unmarshal([]byte(raw), &d)
		case str("phone") != "" || str("insurer") != "":
			// Written by an earlier version, with the details in the
			// stream; they go with TrimRequests.
			d = requestDetails{Name: str("name"), Phone: str("phone"), BestTime: str("best_time"), Insurer: str("insurer"), State: str("state")}
		default:
			continue
		}
		out = append(out, conversation.Request{ID: x.ID, Kind: str("kind"), Conv: str("conv"), Time: conversation.TimeOf(x.ID), Name: d.Name,
			Phone: d.Phone, BestTime: d.BestTime, Insurer: d.Insurer, State: d.State})
	}
	return out, nil
}

// RequestDone marks a request handled by rep.
func (s *Store) RequestDone(ctx context.Context, id, rep string) error {
	if _, _, ok := conversation.ParseID(id); !ok {
		return conversation.Errorf(conversation.Invalid, "bad request id %q", id)
	}
	xs, err := s.rdb.XRange(ctx, requestsKey, id, id).Result()
	if err != nil {
		return err
	}
	if err := s.rdb.HSet(ctx, requestsDone, id, rep).Err(); err != nil {
		return err
	}
	// Handled: out of the stream, and its details out of the conversation.
	s.rdb.XDel(ctx, requestsKey, id)
	if len(xs) == 1 {
		if conv, _ := xs[0].Values["conv"].(string); conv != "" {
			s.rdb.HDel(ctx, keysFor(conv).reqs, id)
		}
	}
	s.consoleEvent(ctx, conversation.Event{Type: "requests"})
	return nil
}

// TrimRequests forgets requests older than the retention: callers' names
// and numbers are kept no longer than their conversations.
func (s *Store) TrimRequests(ctx context.Context) error {
	minID := strconv.FormatInt(s.now().Add(-s.opts.Retention).UnixMilli(), 10) + "-0"
	if err := s.rdb.XTrimMinID(ctx, requestsKey, minID).Err(); err != nil {
		return err
	}
	done, err := s.rdb.HKeys(ctx, requestsDone).Result()
	if err != nil {
		return err
	}
	for _, id := range done {
		if conversation.After(minID, id) {
			s.rdb.HDel(ctx, requestsDone, id)
		}
	}
	return nil
}
