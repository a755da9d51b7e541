package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"helpline/internal/conversation"
)

// A representative's hold on a conversation: taking it, writing in it,
// giving it back, to someone else or to the queue, and what a holder
// reads of it. Only the holder may write; the scripts check it where the
// conversation is, and each representative's set of held conversations
// follows.

// claimScript gives a conversation to a representative: one waiting for a
// person, or (takeover) one with the bot. Exactly one claim of many
// concurrent ones succeeds.
// ARGV: now, retention, maxlen, rep, system text, takeover ("1" or ""),
// then the events (systemEvents). Returns {status, queued or holder, priority, the state it was in}.
var claimScript = newScript(luaSystem + `
if cur == 'closed' then return {'closed'} end
if cur == 'rep' then return {'taken', holder} end
if cur == 'bot' and ARGV[6] ~= '1' then return {'not_waiting'} end
if cur == 'bot' then
  redis.call('HSET', KEYS[1], 'reason', 'taken_over', 'queued', ARGV[1], 'prio', 'normal')
  queued, prio = ARGV[1], 'normal'
end
redis.call('HSET', KEYS[1], 'holder', ARGV[4], 'claimed', ARGV[1])
redis.call('HDEL', KEYS[1], 'left', 'requeued', 'returned')
say(ARGV[5], ARGV[7])
state('rep', ARGV[8])
touch()
return {'ok', queued, prio, cur}
`)

// Claim gives a conversation to rep: one waiting for a person, or, with
// takeover, one the bot is answering. Of many representatives claiming
// the same conversation at once, exactly one succeeds; the others get
// conversation.Taken. say is the system message the visitor sees.
func (s *Store) Claim(ctx context.Context, conv, rep, say string, takeover bool) error {
	flag := ""
	if takeover {
		flag = "1"
	}
	res, err := s.run(ctx, claimScript, conv, append([]any{rep, say, flag},
		systemEvents(say, conversation.StateRep, rep)...)...)
	if err != nil {
		return fmt.Errorf("claim: %w", err)
	}
	switch res[0] {
	case "taken":
		return errTaken
	case "not_waiting":
		return errNotWaiting
	}
	queued, _ := strconv.ParseInt(res[1], 10, 64)
	pipe := s.rdb.Pipeline()
	pipe.ZRem(ctx, queueKey, conv)
	pipe.SAdd(ctx, heldKey(rep), conv)
	if len(res) > 3 && res[3] == string(conversation.StateWaiting) {
		pipe.LPush(ctx, waitsKey, s.now().UnixMilli()-queued)
		pipe.LTrim(ctx, waitsKey, 0, recentWaits-1)
		s.recordWait(ctx, pipe, conversation.Priority(res[2]), time.Duration(s.now().UnixMilli()-queued)*time.Millisecond)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("claim: %w", err)
	}
	s.consoleEvent(ctx, conversation.Event{Type: "queue"})
	return nil
}

// repScript stores a representative's message; only the holder may write.
// ARGV: now, retention, maxlen, rep, text, meta, client id, the message's
// event.
var repScript = newScript(luaSystem + `
if cur ~= 'rep' or not same(holder, ARGV[4]) then return {'not_holder', holder} end
if ARGV[7] ~= '' then
  local existing = redis.call('HGET', KEYS[3], 'rep:' .. ARGV[7])
  if existing then return {'dup', existing} end
end
local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'from', 'rep', 'text', ARGV[5], 'meta', ARGV[6], 'cid', ARGV[7])
if ARGV[7] ~= '' then redis.call('HSET', KEYS[3], 'rep:' .. ARGV[7], id) end
redis.call(PUBLISH, KEYS[4], with_id(ARGV[8], id))
touch()
return {'ok', id}
`)

// RepSays stores a representative's message; only the holder may write.
// clientID makes a retry safe, as for visitors.
func (s *Store) RepSays(ctx context.Context, conv, rep, clientID, text string, meta json.RawMessage) (string, error) {
	res, err := s.run(ctx, repScript, conv, rep, text, string(meta), clientID,
		msgEvent(conversation.FromRep, text, clientID, meta))
	if err != nil {
		return "", fmt.Errorf("representative message: %w", err)
	}
	if res[0] == "not_holder" {
		return "", errHeldByOther
	}
	return res[1], nil
}

// releaseScript ends a representative's hold. to is 'bot' (hand back),
// 'closed' (close, with an outcome) or 'waiting' (the representative is
// gone: back to the queue at the original priority and place). Only the
// holder, or a supervisor (ARGV[6] = "1"), may release.
// ARGV: now, retention, maxlen, rep, to, supervisor, system text, outcome,
// then the events (systemEvents).
var releaseScript = newScript(luaSystem + `
if cur == 'closed' then return {'closed'} end
if ARGV[5] == 'closed' and cur ~= 'rep' and ARGV[6] == '1' then
  -- a supervisor may close any conversation
elseif cur ~= 'rep' then return {'not_held'}
elseif not same(holder, ARGV[4]) and ARGV[6] ~= '1' then return {'not_holder', holder} end
redis.call('HDEL', KEYS[1], 'holder')
if ARGV[5] == 'waiting' then redis.call('HSET', KEYS[1], 'requeued', ARGV[1]) end
if ARGV[8] ~= '' then redis.call('HSET', KEYS[1], 'outcome', ARGV[8]) end
say(ARGV[7], ARGV[9])
state(ARGV[5], ARGV[10])
touch()
return {'ok', queued, prio, holder}
`)

// Release ends rep's hold on a conversation: to StateBot (hand back),
// StateClosed (close, with an outcome) or StateWaiting (the representative
// is gone: back to the front of the queue at the original priority). A
// supervisor may release any conversation.
func (s *Store) Release(ctx context.Context, conv, rep string, to conversation.State, supervisor bool, say, outcome string) error {
	sup := ""
	if supervisor {
		sup = "1"
	}
	res, err := s.run(ctx, releaseScript, conv, append([]any{rep, string(to), sup, say, outcome},
		systemEvents(say, to, "")...)...)
	if err != nil {
		return fmt.Errorf("release: %w", err)
	}
	switch res[0] {
	case "not_held":
		return errNotHeld
	case "not_holder":
		return errHeldByOther
	}
	holder := ""
	if len(res) > 3 {
		holder = res[3]
	}
	pipe := s.rdb.Pipeline()
	if holder != "" {
		pipe.SRem(ctx, heldKey(holder), conv)
	}
	if to == conversation.StateWaiting {
		queued, _ := strconv.ParseInt(res[1], 10, 64)
		pipe.ZAdd(ctx, queueKey, redis.Z{Score: queueScore(conversation.Priority(res[2]), queued), Member: conv})
	}
	if to == conversation.StateClosed {
		pipe.ZRem(ctx, queueKey, conv)
		if outcome != "" {
			s.recordOutcome(ctx, pipe, outcome)
		}
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("release: %w", err)
	}
	s.consoleEvent(ctx, conversation.Event{Type: "queue"})
	return nil
}

// transferScript gives a held conversation to another representative.
// ARGV: now, retention, maxlen, from rep, to rep, supervisor, system text,
// then the events (systemEvents).
var transferScript = newScript(luaSystem + `
if cur ~= 'rep' then return {'not_held'} end
if not same(holder, ARGV[4]) and ARGV[6] ~= '1' then return {'not_holder', holder} end
redis.call('HSET', KEYS[1], 'holder', ARGV[5])
say(ARGV[7], ARGV[8])
state('rep', ARGV[9])
touch()
return {'ok', holder}
`)

// Transfer gives a held conversation from one representative to another.
func (s *Store) Transfer(ctx context.Context, conv, from, to string, supervisor bool, say string) error {
	sup := ""
	if supervisor {
		sup = "1"
	}
	res, err := s.run(ctx, transferScript, conv, append([]any{from, to, sup, say},
		systemEvents(say, conversation.StateRep, to)...)...)
	if err != nil {
		return fmt.Errorf("transfer: %w", err)
	}
	switch res[0] {
	case "not_held":
		return errNotHeld
	case "not_holder":
		return errHeldByOther
	}
	pipe := s.rdb.Pipeline()
	pipe.SRem(ctx, heldKey(res[1]), conv)
	pipe.SAdd(ctx, heldKey(to), conv)
	_, err = pipe.Exec(ctx)
	return err
}

// Held returns the conversations a representative holds.
func (s *Store) Held(ctx context.Context, rep string) ([]string, error) {
	return s.rdb.SMembers(ctx, heldKey(rep)).Result()
}

// Unhold forgets a conversation in a representative's list of held ones,
// once it is no longer theirs (the visitor ended it, say).
func (s *Store) Unhold(ctx context.Context, rep, conv string) error {
	return s.rdb.SRem(ctx, heldKey(rep), conv).Err()
}

// Handoff returns a conversation's hand-off details.
func (s *Store) Handoff(ctx context.Context, conv string) (conversation.HandoffInfo, error) {
	v, err := s.rdb.HMGet(ctx, keysFor(conv).conv, "reason", "prio", "queued", "claimed", "holder", "evidence", "details", "outcome").Result()
	if err != nil {
		return conversation.HandoffInfo{}, err
	}
	str := func(i int) string { s, _ := v[i].(string); return s }
	h := conversation.HandoffInfo{Reason: str(0), Priority: conversation.Priority(str(1)), Queued: fromMillis(str(2)), Claimed: fromMillis(str(3)), Holder: str(4), Outcome: str(7)}
	json.Unmarshal([]byte(str(5)), &h.Evidence)
	json.Unmarshal([]byte(str(6)), &h.Details)
	return h, nil
}

// detailsScript merges details into the conversation's, in one step, and
// only while the conversation exists: details written after a delete or
// an expiry would recreate its hash with a phone number and no TTL.
// ARGV: now, retention, maxlen, details (JSON object).
var detailsScript = newScript(luaSystem + `
local cur = redis.call('HGET', KEYS[1], 'details')
local merged = {}
if cur then
  local ok, old = pcall(cjson.decode, cur)
  if ok and type(old) == 'table' then merged = old end
end
for k, v in pairs(cjson.decode(ARGV[4])) do merged[k] = v end
redis.call('HSET', KEYS[1], 'details', cjson.encode(merged))
return {'ok'}
`)

// AddDetails records details the visitor gave (insurer, state, callback
// number), for the representative's summary.
func (s *Store) AddDetails(ctx context.Context, conv string, details map[string]string) error {
	if len(details) == 0 {
		return nil
	}
	b, _ := json.Marshal(details)
	if _, err := s.run(ctx, detailsScript, conv, string(b)); err != nil {
		return fmt.Errorf("add details: %w", err)
	}
	return nil
}

// riskScript records a risk found while a representative answers: no bot
// reply is sent, but the conversation keeps its worst risk and evidence.
// ARGV: now, retention, maxlen, kind, level, evidence.
var riskScript = newScript(luaSystem + `
local rank = {urgent = 1, emergency = 2}
local old = redis.call('HGET', KEYS[1], 'risk_level')
if not old or (rank[ARGV[5]] or 0) >= (rank[old] or 0) then
  redis.call('HSET', KEYS[1], 'risk_kind', ARGV[4], 'risk_level', ARGV[5], 'evidence', ARGV[6])
end
return {'ok'}
`)

// MarkRisk records a risk without a reply (a representative is answering)
// and alerts the consoles.
func (s *Store) MarkRisk(ctx context.Context, conv, kind, level string, evidence []string) error {
	b, _ := json.Marshal(evidence)
	if _, err := s.run(ctx, riskScript, conv, kind, level, string(b)); err != nil {
		return fmt.Errorf("mark risk: %w", err)
	}
	s.consoleEvent(ctx, conversation.Event{Type: "alert", Conv: conv, Priority: string(conversation.PriorityOf(level)), Kind: kind})
	return nil
}
