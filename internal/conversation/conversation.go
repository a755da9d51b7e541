// Package conversation is the helpline's domain, apart from any storage or
// transport: a conversation and its messages, the queue for a person, what
// representatives keep beside a conversation, the events that tell every
// tab and every console of a change, and the one error type, with codes,
// that every operation on them returns. Package store keeps all of it in
// Redis; packages chat and console speak it to visitors and
// representatives.
package conversation

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// State is where a conversation is in its life.
type State string

// The states of a conversation.
const (
	StateBot     State = "bot"     // the assistant answers
	StateWaiting State = "waiting" // a person is being found
	StateRep     State = "rep"     // a representative answers; the bot is silent
	StateClosed  State = "closed"  // ended; kept until it expires
)

// Sender is who wrote a message.
type Sender string

// The senders.
const (
	FromVisitor Sender = "visitor"
	FromBot     Sender = "bot"
	FromRep     Sender = "rep"
	FromSystem  Sender = "system"
)

// Conversation is a conversation's state, without its messages.
type Conversation struct {
	ID      string
	State   State
	Created time.Time
	Last    time.Time
	// Context is the answering engine's context, as stored (JSON).
	Context   []byte
	RiskKind  string
	RiskLevel string
	// Holder is the representative answering, when State is StateRep.
	Holder string
	// Left is when a waiting visitor who was gone was taken out of the
	// queue, while they have not come back; zero otherwise.
	Left time.Time
}

// Message is one stored message.
type Message struct {
	ID       string
	Time     time.Time
	From     Sender
	Text     string
	ClientID string
	// Meta holds the details of a bot message (kind, entries, options...),
	// as JSON; nil for others.
	Meta json.RawMessage
}

// Reply is a message to store from the bot, a representative or the
// system, and what it changes in the conversation.
type Reply struct {
	From Sender
	Text string
	Meta json.RawMessage
	// Context replaces the answer context when not nil.
	Context []byte
	// RiskKind and RiskLevel are recorded when the risk is at least as
	// severe as the one already recorded.
	RiskKind, RiskLevel string
	// State, when set, is the conversation's new state.
	State State
}

// Overview is what the console's lists show of a conversation.
type Overview struct {
	Conv      string
	State     State
	Holder    string
	Last      time.Time
	RiskKind  string
	RiskLevel string
	Priority  Priority
	Reason    string
	Queued    time.Time
	// Preview is the visitor's latest message, shortened.
	Preview string
	// VisitorOnline says whether the visitor has a connection open now;
	// VisitorSeen is when they were last connected (zero if never
	// recorded).
	VisitorOnline bool
	VisitorSeen   time.Time
	// Left is when the visitor, gone, was taken out of the queue (zero if
	// not); Requeued and Returned when the conversation went back to the
	// queue because its representative was gone, or at its old place
	// because its visitor came back.
	Left, Requeued, Returned time.Time
}

// Message ids are "milliseconds-sequence", as Redis stream ids are: they
// order the messages and say when each was stored, and a client resumes
// after the last one it has.

// ParseID splits a message id into its milliseconds and sequence.
func ParseID(id string) (ms, seq uint64, ok bool) {
	a, b, found := strings.Cut(id, "-")
	if !found {
		return 0, 0, false
	}
	ms, err1 := strconv.ParseUint(a, 10, 64)
	seq, err2 := strconv.ParseUint(b, 10, 64)
	return ms, seq, err1 == nil && err2 == nil
}

// After reports whether message id a comes after b.
func After(a, b string) bool {
	am, as, _ := ParseID(a)
	bm, bs, _ := ParseID(b)
	return am > bm || (am == bm && as > bs)
}

// TimeOf returns the time a message id was assigned.
func TimeOf(id string) time.Time {
	ms, _, _ := ParseID(id)
	return time.UnixMilli(int64(ms)).UTC()
}
