// Package store keeps conversations in Redis: each conversation's state,
// its messages in order, and the client message ids that make retries
// safe. Every change is one atomic Lua script that also publishes the
// change, so every server instance and every tab sees it. The key schema
// is in docs/redis.md.
package store

// Keys are built only here. Every key of one conversation carries the
// conversation id as a {hash tag}, so in a Redis Cluster they all live in
// one slot and the scripts may touch them together.
type keys struct {
	conv   string // HASH: state, created, last, token hash, answer context, risk, rate window
	msgs   string // STREAM: the messages, in order; the stream id is the message id
	cids   string // HASH: client message id -> message id, for idempotent retries
	events string // pub/sub channel: every change, as JSON
}

const prefix = "hl:"

func keysFor(conv string) keys {
	tag := prefix + "{" + conv + "}"
	return keys{conv: tag + ":conv", msgs: tag + ":msgs", cids: tag + ":cids", events: tag + ":events"}
}

func (k keys) list() []string { return []string{k.conv, k.msgs, k.cids, k.events} }

// EventsChannel is the pub/sub channel of a conversation.
func EventsChannel(conv string) string { return keysFor(conv).events }

// ConversationOfChannel returns the conversation id of an events channel.
func ConversationOfChannel(ch string) (string, bool) {
	const open, close = prefix + "{", "}:events"
	if len(ch) <= len(open)+len(close) || ch[:len(open)] != open || ch[len(ch)-len(close):] != close {
		return "", false
	}
	return ch[len(open) : len(ch)-len(close)], true
}
