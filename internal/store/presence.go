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

// A visitor's presence: every open visitor connection of a conversation
// beats in the conversation's conns set, and the conversation remembers
// when its visitor was last seen. A connection that closes leaves the set
// at once; one whose instance died drops out when its beat is older than
// Options.VisitorAlive. The janitor takes a waiting visitor who has been
// gone longer than a grace period out of the line (Leave); coming back
// puts them in line again (Rejoin).

// presenceScript records a visitor connection's beat, or its end, and
// when the visitor was last seen, if the conversation still exists.
// ARGV: now (ms), connection id, "beat" or "gone", the set's lifetime (ms).
// Returns 0 for no conversation, 2 when the connection is new or gone, 1
// for a beat of one already known.
var presenceScript = newScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local changed
if ARGV[3] == 'gone' then
  changed = redis.call('ZREM', KEYS[8], ARGV[2])
else
  changed = redis.call('ZADD', KEYS[8], ARGV[1], ARGV[2])
  redis.call('PEXPIRE', KEYS[8], ARGV[4])
end
redis.call('HSET', KEYS[1], 'seen', ARGV[1])
return 1 + changed
`)

// VisitorBeat records that a visitor connection (id, unique to it) is
// open on conv.
func (s *Store) VisitorBeat(ctx context.Context, conv, id string) error {
	return s.presence(ctx, conv, id, "beat")
}

// VisitorGone records that a visitor connection closed.
func (s *Store) VisitorGone(ctx context.Context, conv, id string) error {
	return s.presence(ctx, conv, id, "gone")
}

func (s *Store) presence(ctx context.Context, conv, id, mode string) error {
	ttl := 2 * s.opts.VisitorAlive
	n, err := s.eval(ctx, presenceScript, keysFor(conv).list(), s.now().UnixMilli(), id, mode, ttl.Milliseconds()).Int()
	if err != nil {
		return fmt.Errorf("visitor presence %s: %w", conv, err)
	}
	if n == 2 { // a visitor came or went: the consoles' lists show it
		s.consoleEvent(ctx, conversation.Event{Type: "presence"})
	}
	return nil
}

// leaveScript takes a waiting visitor who is gone out of the line: the
// conversation goes back to the assistant, remembering when (left) and
// the place it had (queued and prio stay).
// ARGV: now, retention, maxlen, system text, then the events
// (systemEvents).
var leaveScript = newScript(luaSystem + `
if cur ~= 'waiting' then return {'not_waiting'} end
redis.call('HSET', KEYS[1], 'left', ARGV[1])
say(ARGV[4], ARGV[5])
state('bot', ARGV[6])
touch()
return {'ok'}
`)

// Leave takes a waiting conversation whose visitor is gone out of the
// queue; say is the system message they read when they come back. It
// returns conversation.NotWaiting if the conversation no longer waits.
func (s *Store) Leave(ctx context.Context, conv, say string) error {
	res, err := s.run(ctx, leaveScript, conv, append([]any{say}, systemEvents(say, conversation.StateBot, "")...)...)
	if err != nil {
		return fmt.Errorf("leave the queue %s: %w", conv, err)
	}
	if res[0] == "not_waiting" {
		return errNotWaiting
	}
	if err := s.rdb.ZRem(ctx, queueKey, conv).Err(); err != nil {
		return fmt.Errorf("leave the queue %s: %w", conv, err)
	}
	s.consoleEvent(ctx, conversation.Event{Type: "queue"})
	s.consoleEvent(ctx, conversation.Event{Type: "live"})
	return nil
}

// rejoinScript puts a visitor who left the line back in it: at the place
// they had when they come back within the window, else at the end, at
// their priority.
// ARGV: now, retention, maxlen, window (ms), text for the old place, text
// for the end, then the events: the system message of each text, and the
// state. Returns {"place" or "end", queued, priority}.
var rejoinScript = newScript(luaSystem + `
local left = redis.call('HGET', KEYS[1], 'left')
if cur ~= 'bot' or not left then return {'no'} end
local where = 'place'
if tonumber(ARGV[1]) - tonumber(left) > tonumber(ARGV[4]) or queued == '' then
  where = 'end'
  queued = ARGV[1]
  redis.call('HSET', KEYS[1], 'queued', queued)
else
  redis.call('HSET', KEYS[1], 'returned', ARGV[1])
end
redis.call('HDEL', KEYS[1], 'left')
if where == 'place' then say(ARGV[5], ARGV[7]) else say(ARGV[6], ARGV[8]) end
state('waiting', ARGV[9])
touch()
return {where, queued, prio}
`)

// rejoinNoOne is rejoinScript's answer for a conversation that had not
// left the line.
const rejoinNoOne = "no"

// Rejoin puts a conversation that left the queue back in it: at its old
// place when the visitor comes back within window, else at the end.
// atPlace and atEnd are the system messages for each case.
func (s *Store) Rejoin(ctx context.Context, conv string, window time.Duration, atPlace, atEnd string) (conversation.Rejoined, error) {
	res, err := s.run(ctx, rejoinScript, conv, window.Milliseconds(), atPlace, atEnd,
		msgEvent(conversation.FromSystem, atPlace, "", nil), msgEvent(conversation.FromSystem, atEnd, "", nil),
		stateEvent(conversation.StateWaiting, ""))
	if err != nil {
		return conversation.NotLeft, fmt.Errorf("rejoin the queue %s: %w", conv, err)
	}
	if res[0] == rejoinNoOne {
		return conversation.NotLeft, nil
	}
	queued, _ := strconv.ParseInt(res[1], 10, 64)
	if err := s.rdb.ZAdd(ctx, queueKey, redis.Z{Score: queueScore(conversation.Priority(res[2]), queued), Member: conv}).Err(); err != nil {
		return conversation.NotLeft, fmt.Errorf("rejoin the queue %s: %w", conv, err)
	}
	s.consoleEvent(ctx, conversation.Event{Type: "queue"})
	return conversation.Rejoined(res[0]), nil
}

// ForgetLeft clears the mark of a conversation that left the queue (its
// visitor came back when nobody could chat).
func (s *Store) ForgetLeft(ctx context.Context, conv string) error {
	return s.rdb.HDel(ctx, keysFor(conv).conv, "left").Err()
}

// ToldOrder returns the queue's order as waiting visitors were last told
// it (Janitor), so that a visitor whose place got worse can be told why,
// whichever instance tells them.
func (s *Store) ToldOrder(ctx context.Context) ([]string, error) {
	v, err := s.rdb.Get(ctx, toldKey).Result()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the told queue order: %w", err)
	}
	var out []string
	if err := json.Unmarshal([]byte(v), &out); err != nil {
		return nil, fmt.Errorf("read the told queue order: %w", err)
	}
	return out, nil
}

// SetToldOrder records the queue's order as waiting visitors were told it.
func (s *Store) SetToldOrder(ctx context.Context, order []string) error {
	b, _ := json.Marshal(order)
	if err := s.rdb.Set(ctx, toldKey, string(b), time.Hour).Err(); err != nil {
		return fmt.Errorf("record the told queue order: %w", err)
	}
	return nil
}
