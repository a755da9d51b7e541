package store

import (
	"context"

	"github.com/redis/go-redis/v9"

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
// maximum stream length.
const luaSystem = `
local function touch()
  redis.call('HSET', KEYS[1], 'last', ARGV[1])
  for _, i in ipairs({1, 2, 3, 5, 7}) do redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
end
local function say(text)
  if text == '' then return end
  local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'from', 'system', 'text', text)
  redis.call('PUBLISH', KEYS[4], cjson.encode({t = 'msg', id = id, from = 'system', text = text}))
end
local function state(s, holder)
  redis.call('HSET', KEYS[1], 'state', s)
  redis.call('PUBLISH', KEYS[4], cjson.encode({t = 'state', state = s, holder = holder or ''}))
end
if redis.call('EXISTS', KEYS[1]) == 0 then return {'gone'} end
local conv = redis.call('HMGET', KEYS[1], 'state', 'holder', 'prio', 'queued')
local cur, holder, prio, queued = conv[1], conv[2] or '', conv[3] or '', conv[4] or ''
-- Names are compared as accounts are: without regard to case.
local function same(a, b) return string.lower(a) == string.lower(b) end
`

func (s *Store) run(ctx context.Context, script *redis.Script, conv string, args ...any) ([]string, error) {
	now := s.now().UnixMilli()
	all := append([]any{now, s.opts.Retention.Milliseconds(), s.opts.MaxMessages}, args...)
	res, err := script.Run(ctx, s.rdb, keysFor(conv).list(), all...).StringSlice()
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
