// Package store keeps the helpline's domain, package conversation, in
// Redis: each conversation's state, its messages in order, and the client
// message ids that make retries safe; the queue, the representatives'
// holds, notes, requests and audit. Every change is one atomic Lua script
// that also publishes the change (as conversation.EncodeEvent wrote it),
// so every server instance and every tab sees it. Refusals are
// *conversation.Error. The key schema is in docs/redis.md.
package store

import "strings"

// Keys are built only here. Every key of one conversation carries the
// conversation id as a {hash tag}, so in a Redis Cluster they all live in
// one slot and the scripts may touch them together.
type keys struct {
	conv   string // HASH: state, created, last, token hash, answer context, risk, rate window, hand-off
	msgs   string // STREAM: the messages, in order; the stream id is the message id
	cids   string // HASH: client message id -> message id, for idempotent retries
	events string // pub/sub channel: every change the visitor may see, as JSON
	notes  string // STREAM: representatives' private notes
	rep    string // pub/sub channel: what only representatives see (notes, the visitor typing)
	reqs   string // HASH: request id -> the details of a callback or insurance request (name, phone...)
	conns  string // ZSET: the visitor's open connections -> last heartbeat (ms); short-lived
}

const prefix = "hl:"

func keysFor(conv string) keys {
	tag := prefix + "{" + conv + "}"
	return keys{conv: tag + ":conv", msgs: tag + ":msgs", cids: tag + ":cids", events: tag + ":events", notes: tag + ":notes", rep: tag + ":rep", reqs: tag + ":reqs", conns: tag + ":conns"}
}

// list gives the keys in the order every script takes them.
func (k keys) list() []string {
	return []string{k.conv, k.msgs, k.cids, k.events, k.notes, k.rep, k.reqs, k.conns}
}

// RepChannel is the channel of what only representatives see of a
// conversation.
func RepChannel(conv string) string { return keysFor(conv).rep }

// Keys outside any conversation.
const (
	queueKey     = prefix + "queue"         // ZSET: waiting conversations, by priority then time
	activeKey    = prefix + "active"        // ZSET: conversations by last activity, for the console
	waitsKey     = prefix + "waits"         // LIST: recent waits for a person (ms)
	auditKey     = prefix + "audit"         // STREAM: what representatives did
	requestsKey  = prefix + "requests"      // STREAM: callback and insurance-check requests: kind and conversation only; the details live with the conversation
	requestsDone = prefix + "requests:done" // HASH: handled request id -> representative
	janitorLock  = prefix + "janitor"       // one instance at a time tidies up
	toldKey      = prefix + "queue:told"    // STRING: the queue order waiting visitors were last told (JSON)
	cannedKey    = prefix + "canned"        // HASH: canned reply id -> JSON (title, text, updated, by), written by supervisors
	// ZSETs for the director's figures, by time (ms): finished waits for a
	// person ("conv:priority:ms") and closes ("conv:outcome").
	statsWaitsKey    = prefix + "stats:waits"
	statsOutcomesKey = prefix + "stats:outcomes"
	// ConsoleChannel carries changes every console follows: the queue,
	// alerts, requests, canned replies.
	ConsoleChannel = prefix + "console"
)

// heldKey is the SET of conversations a representative holds.
func heldKey(rep string) string { return prefix + "held:" + strings.ToLower(rep) }

// EventsChannel is the pub/sub channel of a conversation.
func EventsChannel(conv string) string { return keysFor(conv).events }
