package store

// The Lua scripts. Each runs atomically in Redis: what a script checks
// cannot change before it writes, and its writes are seen all at once. All
// take the conversation's keys in the order of keys.list(): conv, msgs,
// cids, events, notes, rep, reqs, conns. Every write refreshes the retention of the conversation's
// keys, so an active conversation never expires, and publishes the change
// with the command the Lua variable PUBLISH names (see script).

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
// state.
// ARGV: client id, text, now (ms), retention (ms), limit per window,
// window (s), max stream length.
// Returns {status, message id or retry seconds, context, state, recent}.
var visitorScript = newScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return {'gone'} end
local conv = redis.call('HMGET', KEYS[1], 'state', 'ctx', 'rl_w', 'rl_n')
local state, ctx = conv[1], conv[2] or ''
if state == 'closed' then return {'closed'} end
local existing = redis.call('HGET', KEYS[3], ARGV[1])
if existing then return {'dup', existing, ctx, state} end
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
redis.call(PUBLISH, KEYS[4], cjson.encode({t = 'msg', id = id, from = 'visitor', text = ARGV[2], cid = ARGV[1]}))
return {'ok', id, ctx, state}
`)

// replyScript stores a message from the bot, a representative or the
// system, with its details (meta, JSON), and updates the conversation:
// the answer context, the risk (kept at its worst), the state.
// ARGV: from, text, meta, context (” keeps it), risk kind (” keeps it),
// risk level, state (” keeps it), now (ms), retention (ms), max stream
// length.
var replyScript = newScript(`
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
redis.call(PUBLISH, KEYS[4], cjson.encode({t = 'msg', id = id, from = ARGV[1], text = ARGV[2], meta = ARGV[3]}))
if ARGV[7] ~= '' and redis.call('HGET', KEYS[1], 'state') ~= ARGV[7] then
  redis.call('HSET', KEYS[1], 'state', ARGV[7])
  redis.call(PUBLISH, KEYS[4], cjson.encode({t = 'state', state = ARGV[7]}))
end
return {'ok', id}
`)

// stateScript changes a conversation's state and tells everyone.
// ARGV: state, now (ms), retention (ms).
var stateScript = newScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'state', ARGV[1], 'last', ARGV[2])
for _, i in ipairs({1, 2, 3, 5, 7}) do redis.call('PEXPIRE', KEYS[i], ARGV[3]) end
redis.call(PUBLISH, KEYS[4], cjson.encode({t = 'state', state = ARGV[1]}))
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

// deleteScript removes a conversation at once and tells every tab.
var deleteScript = newScript(`
local n = redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[5], KEYS[7], KEYS[8])
redis.call(PUBLISH, KEYS[4], cjson.encode({t = 'deleted'}))
return n
`)
