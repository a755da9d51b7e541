package store

import (
	"context"

	"helpline/internal/conversation"
)

// The hand-off is how a conversation reaches a person and who answers it:
// the queue (queue.go), a representative's hold (holding.go), and beside
// them the notes, requests and audit representatives keep (notes.go,
// requests.go, audit.go). What its scripts share is here.
//
// The hand-off scripts change who answers a conversation. Each runs on the
// conversation's own keys (one cluster slot), so exactly one of many
// representatives taking the same conversation at once succeeds, and no
// representative can write into a conversation held by another. KEYS are
// keys.list(): conv, msgs, cids, events, notes, rep, reqs, conns. Every script that changes the
// state stores a system message the visitor sees and publishes both.

// luaSystem stores and publishes a system message and refreshes retention.
// ARGV[1] is always now (ms), ARGV[2] the retention (ms), ARGV[3] the
// maximum stream length. The events each script publishes come, encoded,
// after its own arguments (see luaEvents).
const luaSystem = luaEvents + `
local function touch()
  redis.call('HSET', KEYS[1], 'last', ARGV[1])
  for _, i in ipairs({1, 2, 3, 5, 7}) do redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
end
local function say(text, ev)
  if text == '' then return end
  local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'from', 'system', 'text', text)
  redis.call(PUBLISH, KEYS[4], with_id(ev, id))
end
local function state(s, ev)
  redis.call('HSET', KEYS[1], 'state', s)
  redis.call(PUBLISH, KEYS[4], ev)
end
if redis.call('EXISTS', KEYS[1]) == 0 then return {'gone'} end
local conv = redis.call('HMGET', KEYS[1], 'state', 'holder', 'prio', 'queued')
local cur, holder, prio, queued = conv[1], conv[2] or '', conv[3] or '', conv[4] or ''
-- Names are compared as accounts are: without regard to case.
local function same(a, b) return string.lower(a) == string.lower(b) end
`

// systemEvents encodes what a hand-off script publishes when it says text
// and moves the conversation to state (held by holder, for StateRep): the
// system message, without the id the script gives it, then the state.
func systemEvents(text string, state conversation.State, holder string) []any {
	return []any{msgEvent(conversation.FromSystem, text, "", nil), stateEvent(state, holder)}
}

func (s *Store) run(ctx context.Context, sc *script, conv string, args ...any) ([]string, error) {
	now := s.now().UnixMilli()
	all := append([]any{now, s.opts.Retention.Milliseconds(), s.opts.MaxMessages}, args...)
	res, err := s.eval(ctx, sc, keysFor(conv).list(), all...).StringSlice()
	if err != nil {
		return nil, err
	}
	if res[0] == "gone" {
		return nil, errNotFound
	}
	if res[0] == "closed" {
		return nil, errClosed
	}
	return res, nil
}

// The refusals of a hand-off.
var (
	errTaken       = conversation.Errorf(conversation.Taken, "someone else took it first")
	errHeldByOther = conversation.Errorf(conversation.HeldByOther, "another representative holds this conversation")
	errNotHeld     = conversation.Errorf(conversation.NotHeld, "no representative holds this conversation")
	errNotWaiting  = conversation.Errorf(conversation.NotWaiting, "this conversation is not waiting for a person")
)
