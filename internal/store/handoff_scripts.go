package store

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
  redis.call(PUBLISH, KEYS[4], cjson.encode({t = 'msg', id = id, from = 'system', text = text}))
end
local function state(s, holder)
  redis.call('HSET', KEYS[1], 'state', s)
  redis.call(PUBLISH, KEYS[4], cjson.encode({t = 'state', state = s, holder = holder or ''}))
end
if redis.call('EXISTS', KEYS[1]) == 0 then return {'gone'} end
local conv = redis.call('HMGET', KEYS[1], 'state', 'holder', 'prio', 'queued')
local cur, holder, prio, queued = conv[1], conv[2] or '', conv[3] or '', conv[4] or ''
-- Names are compared as accounts are: without regard to case.
local function same(a, b) return string.lower(a) == string.lower(b) end
`

// enqueueScript asks for a person: a conversation with the bot starts
// waiting; one already waiting keeps its place and takes the more urgent
// priority; one held by a representative or closed is left as it is.
// ARGV: now, retention, maxlen, priority, reason, system text, evidence.
// Returns {status, queued, priority}.
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
say(ARGV[6])
state('waiting')
touch()
return {'ok', ARGV[1], ARGV[4]}
`)

// claimScript gives a conversation to a representative: one waiting for a
// person, or (takeover) one with the bot. Exactly one claim of many
// concurrent ones succeeds.
// ARGV: now, retention, maxlen, rep, system text, takeover ("1" or "").
// Returns {status, queued or holder, priority, the state it was in}.
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
say(ARGV[5])
state('rep', ARGV[4])
touch()
return {'ok', queued, prio, cur}
`)

// repScript stores a representative's message; only the holder may write.
// ARGV: now, retention, maxlen, rep, text, meta, client id.
var repScript = newScript(luaSystem + `
if cur ~= 'rep' or not same(holder, ARGV[4]) then return {'not_holder', holder} end
if ARGV[7] ~= '' then
  local existing = redis.call('HGET', KEYS[3], 'rep:' .. ARGV[7])
  if existing then return {'dup', existing} end
end
local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'from', 'rep', 'text', ARGV[5], 'meta', ARGV[6], 'cid', ARGV[7])
if ARGV[7] ~= '' then redis.call('HSET', KEYS[3], 'rep:' .. ARGV[7], id) end
redis.call(PUBLISH, KEYS[4], cjson.encode({t = 'msg', id = id, from = 'rep', text = ARGV[5], meta = ARGV[6], cid = ARGV[7]}))
touch()
return {'ok', id}
`)

// releaseScript ends a representative's hold. to is 'bot' (hand back),
// 'closed' (close, with an outcome) or 'waiting' (the representative is
// gone: back to the queue at the original priority and place). Only the
// holder, or a supervisor (ARGV[6] = "1"), may release.
// ARGV: now, retention, maxlen, rep, to, supervisor, system text, outcome.
var releaseScript = newScript(luaSystem + `
if cur == 'closed' then return {'closed'} end
if ARGV[5] == 'closed' and cur ~= 'rep' and ARGV[6] == '1' then
  -- a supervisor may close any conversation
elseif cur ~= 'rep' then return {'not_held'}
elseif not same(holder, ARGV[4]) and ARGV[6] ~= '1' then return {'not_holder', holder} end
redis.call('HDEL', KEYS[1], 'holder')
if ARGV[5] == 'waiting' then redis.call('HSET', KEYS[1], 'requeued', ARGV[1]) end
if ARGV[8] ~= '' then redis.call('HSET', KEYS[1], 'outcome', ARGV[8]) end
say(ARGV[7])
state(ARGV[5])
touch()
return {'ok', queued, prio, holder}
`)

// transferScript gives a held conversation to another representative.
// ARGV: now, retention, maxlen, from rep, to rep, supervisor, system text.
var transferScript = newScript(luaSystem + `
if cur ~= 'rep' then return {'not_held'} end
if not same(holder, ARGV[4]) and ARGV[6] ~= '1' then return {'not_holder', holder} end
redis.call('HSET', KEYS[1], 'holder', ARGV[5])
say(ARGV[7])
state('rep', ARGV[5])
touch()
return {'ok', holder}
`)

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

// noteScript stores a private note and tells consoles; it is published on
// the representatives' channel (KEYS[6]) only, never the visitor's.
// ARGV: now, retention, rep, text.
var noteScript = newScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return {'gone'} end
local id = redis.call('XADD', KEYS[5], 'MAXLEN', '~', 1000, '*', 'rep', ARGV[3], 'text', ARGV[4])
redis.call('PEXPIRE', KEYS[5], ARGV[2])
redis.call(PUBLISH, KEYS[6], cjson.encode({t = 'note', id = id, rep = ARGV[3], text = ARGV[4]}))
return {'ok', id}
`)

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
