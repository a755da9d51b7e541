package store

import (
	"encoding/json"

	"helpline/internal/conversation"
)

// The Lua scripts. Each runs atomically in Redis: what a script checks
// cannot change before it writes, and its writes are seen all at once. All
// take the conversation's keys in the order of keys.list(): conv, msgs,
// cids, events, notes, rep, reqs, conns. Every write refreshes the retention of the conversation's
// keys, so an active conversation never expires, and publishes the change
// with the command the Lua variable PUBLISH names (see script).

// luaEvents is what every script that publishes starts with. It encodes
// no event: Go does (conversation.EncodeEvent), and passes each event a
// script may publish in ARGV, so that what every instance reads is written
// in one place. A message's id, which only the script knows once it has
// stored the message, with_id puts in the encoded event (written without
// it) where EncodeEvent puts it: right after the type.
const luaEvents = `
local function with_id(ev, id)
  local at = string.find(ev, '"', 7, true)
  return string.sub(ev, 1, at) .. ',"id":"' .. id .. '"' .. string.sub(ev, at + 1)
end
`

// msgEvent encodes the event of a message a script stores, without its
// id (luaEvents).
func msgEvent(from conversation.Sender, text, clientID string, meta json.RawMessage) string {
	return conversation.EncodeEvent(conversation.Event{Type: "msg",
		Message: conversation.Message{From: from, Text: text, ClientID: clientID, Meta: meta}})
}

// stateEvent encodes the event of a new state, "" for none.
func stateEvent(state conversation.State, holder string) string {
	if state == "" {
		return ""
	}
	return conversation.EncodeEvent(conversation.Event{Type: "state", State: state, Holder: holder})
}

// createScript makes a new conversation.
// ARGV: state, now (ms), token hash, retention (ms).
var createScript = newScript(`
redis.call('HSET', KEYS[1], 'state', ARGV[1], 'created', ARGV[2], 'last', ARGV[2], 'tok', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
`)

// openScript returns a conversation's fields, refreshing its retention, or
// nil if there is none.
// ARGV: retention (ms).
var openScript = newScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
for _, i in ipairs({1, 2, 3, 5, 7}) do redis.call('PEXPIRE', KEYS[i], ARGV[1]) end
return redis.call('HGETALL', KEYS[1])
`)

// visitorScript stores a visitor's message, unless it is a retry of one
// already stored (same client id), the conversation is closed, or the
// conversation sent too many messages in the current window. In one round
// trip it also returns what answering needs: the answer context and the
// state; and, given an owner, it claims the answering of the message for
// it (KEYS[9], SET NX with a TTL) unless a representative holds the
// conversation, whom the bot never answers for.
// ARGV: client id, text, now (ms), retention (ms), limit per window,
// window (s), max stream length, the message's event, claim owner (empty
// claims nothing), claim TTL (ms).
// Returns {status, message id or retry seconds, context, state, claimed}.
var visitorScript = newScript(luaEvents + `
if redis.call('EXISTS', KEYS[1]) == 0 then return {'gone'} end
local conv = redis.call('HMGET', KEYS[1], 'state', 'ctx', 'rl_w', 'rl_n')
local state, ctx = conv[1], conv[2] or ''
if state == 'closed' then return {'closed'} end
local function claim()
  if ARGV[9] == '' or state == 'rep' then return '0' end
  if redis.call('SET', KEYS[9], ARGV[9], 'NX', 'PX', ARGV[10]) then return '1' end
  return '0'
end
local existing = redis.call('HGET', KEYS[3], ARGV[1])
if existing then return {'dup', existing, ctx, state, claim()} end
local now, window = tonumber(ARGV[3]), tonumber(ARGV[6])
local w = math.floor(now / 1000 / window)
local n = 0
if tonumber(conv[3] or '-1') == w then n = tonumber(conv[4] or '0') end
if n >= tonumber(ARGV[5]) then
  return {'limited', tostring(math.ceil((w + 1) * window - now / 1000))}
end
local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[7], '*', 'from', 'visitor', 'text', ARGV[2], 'cid', ARGV[1])
redis.call('HSET', KEYS[1], 'rl_w', w, 'rl_n', n + 1, 'last', ARGV[3])
redis.call('HSET', KEYS[3], ARGV[1], id)
for _, i in ipairs({1, 2, 3, 5, 7}) do redis.call('PEXPIRE', KEYS[i], ARGV[4]) end
redis.call(PUBLISH, KEYS[4], with_id(ARGV[8], id))
return {'ok', id, ctx, state, claim()}
`)

// replyScript stores a message from the bot, a representative or the
// system, with its details (meta, JSON), and updates the conversation:
// the answer context, the risk (kept at its worst), the state.
// ARGV: from, text, meta, context (” keeps it), risk kind (” keeps it),
// risk level, state (” keeps it), now (ms), retention (ms), max stream
// length, the message's event, the state's event.
var replyScript = newScript(luaEvents + `
if redis.call('EXISTS', KEYS[1]) == 0 then return {'gone'} end
local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[10], '*', 'from', ARGV[1], 'text', ARGV[2], 'meta', ARGV[3])
redis.call('HSET', KEYS[1], 'last', ARGV[8])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'ctx', ARGV[4]) end
if ARGV[5] ~= '' then
  local rank = {urgent = 1, emergency = 2}
  local old = redis.call('HGET', KEYS[1], 'risk_level')
  if not old or (rank[ARGV[6]] or 0) >= (rank[old] or 0) then
    redis.call('HSET', KEYS[1], 'risk_kind', ARGV[5], 'risk_level', ARGV[6])
  end
end
for _, i in ipairs({1, 2, 3, 5, 7}) do redis.call('PEXPIRE', KEYS[i], ARGV[9]) end
redis.call(PUBLISH, KEYS[4], with_id(ARGV[11], id))
if ARGV[7] ~= '' and redis.call('HGET', KEYS[1], 'state') ~= ARGV[7] then
  redis.call('HSET', KEYS[1], 'state', ARGV[7])
  redis.call(PUBLISH, KEYS[4], ARGV[12])
end
return {'ok', id}
`)

// stateScript changes a conversation's state and tells everyone.
// ARGV: state, now (ms), retention (ms), the state's event.
var stateScript = newScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'state', ARGV[1], 'last', ARGV[2])
for _, i in ipairs({1, 2, 3, 5, 7}) do redis.call('PEXPIRE', KEYS[i], ARGV[3]) end
redis.call(PUBLISH, KEYS[4], ARGV[4])
return 1
`)

// contextScript replaces a conversation's answer context, if the
// conversation still exists.
// ARGV: context.
var contextScript = newScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'ctx', ARGV[1])
return 1
`)

// deleteScript removes a conversation at once and tells every tab. It
// returns what points at the conversation from outside its keys, read
// before they go, for the caller to remove there: the representative
// holding it (empty for none), then its requests' ids.
// ARGV: the deletion's event.
var deleteScript = newScript(`
local holder = redis.call('HGET', KEYS[1], 'holder') or ''
local out = {holder}
for _, id in ipairs(redis.call('HKEYS', KEYS[7])) do out[#out + 1] = id end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[5], KEYS[7], KEYS[8])
redis.call(PUBLISH, KEYS[4], ARGV[1])
return out
`)
