package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"helpline/internal/conversation"
)

// Canned replies are texts supervisors write for representatives to
// insert into a reply (never sent by themselves): one hash for the whole
// helpline, so every instance shows the same. Checking what they say
// (length, who may change them) is the console's; the store keeps them and
// tells every console when they change.

// The refusals of a canned reply: one that does not exist (any more), and
// a new one when there are as many as allowed.
var (
	errCannedNotFound = conversation.Errorf(conversation.NotFound, "canned reply not found")
	errCannedFull     = conversation.Errorf(conversation.Full, "too many canned replies")
)

// saveCannedScript adds a canned reply, unless there are max already, or
// replaces one, unless it is gone: the count or the existence checked and
// the write done in one step, so two supervisors saving at once never
// pass the limit or bring back a reply just deleted.
// KEYS: the canned replies. ARGV: id, JSON, max, "new" or "edit".
// Returns 1, or -1 when full, -2 when there is no such reply to edit.
var saveCannedScript = newScript(`
if ARGV[4] == 'new' then
  if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return -1 end
elseif redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
  return -2
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`)

// CannedReplies returns every canned reply, by title.
func (s *Store) CannedReplies(ctx context.Context) ([]conversation.CannedReply, error) {
	all, err := s.rdb.HGetAll(ctx, cannedKey).Result()
	if err != nil {
		return nil, fmt.Errorf("read canned replies: %w", err)
	}
	out := make([]conversation.CannedReply, 0, len(all))
	for id, raw := range all {
		var r conversation.CannedReply
		if json.Unmarshal([]byte(raw), &r) != nil {
			continue // not ours to show
		}
		r.ID = id
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := strings.ToLower(out[i].Title), strings.ToLower(out[j].Title)
		return a < b || a == b && out[i].ID < out[j].ID
	})
	return out, nil
}

// SaveCanned adds r (with no ID: it gets one) or replaces the reply with
// its ID, keeping at most max, and tells every console. It returns the
// reply as saved.
func (s *Store) SaveCanned(ctx context.Context, r conversation.CannedReply, max int) (conversation.CannedReply, error) {
	mode := "edit"
	if r.ID == "" {
		b := make([]byte, 8)
		rand.Read(b)
		r.ID, mode = hex.EncodeToString(b), "new"
	}
	r.Updated = s.now().UTC()
	b, err := json.Marshal(r)
	if err != nil {
		return conversation.CannedReply{}, fmt.Errorf("encode canned reply: %w", err)
	}
	n, err := s.eval(ctx, saveCannedScript, []string{cannedKey}, r.ID, b, max, mode).Int()
	switch {
	case err != nil:
		return conversation.CannedReply{}, fmt.Errorf("save canned reply %s: %w", r.ID, err)
	case n == -1:
		return conversation.CannedReply{}, errCannedFull
	case n == -2:
		return conversation.CannedReply{}, errCannedNotFound
	}
	s.consoleEvent(ctx, conversation.Event{Type: "canned"})
	return r, nil
}

// DeleteCanned removes a canned reply and tells every console.
func (s *Store) DeleteCanned(ctx context.Context, id string) error {
	n, err := s.rdb.HDel(ctx, cannedKey, id).Result()
	if err != nil {
		return fmt.Errorf("delete canned reply %s: %w", id, err)
	}
	if n == 0 {
		return errCannedNotFound
	}
	s.consoleEvent(ctx, conversation.Event{Type: "canned"})
	return nil
}
