// Package answer decides how the bot replies to a visitor's message: with a
// curated answer, a short list to choose from when the question is
// ambiguous, an honest "I'm not sure" with a way to a person, a hand-off
// when the visitor asks for one, or a refusal for what the bot must never
// help with (doses, tapering on one's own, getting drugs). It uses no
// network and no shared state; the conversation's context is a small value
// the caller keeps between messages.
package answer

import (
	"slices"

	"helpline/internal/safety"
)

// Kind is the kind of reply.
type Kind string

// The kinds of decision.
const (
	// KindAnswer answers from one entry.
	KindAnswer Kind = "answer"
	// KindClarify offers two or three close entries as choices.
	KindClarify Kind = "clarify"
	// KindFallback says the bot does not know and offers a person.
	KindFallback Kind = "fallback"
	// KindHandoff means the visitor asked for a person.
	KindHandoff Kind = "handoff"
	// KindRefusal declines a request the bot must not serve.
	KindRefusal Kind = "refusal"
	// KindCrisis is a fixed safety response; the safety screen decides it.
	KindCrisis Kind = "crisis"
)

// Decision is the bot's reply to one message, with what it is based on.
type Decision struct {
	Kind Kind `json:"kind"`
	// Text is the reply in Markdown, with the operator's facts filled in.
	Text string `json:"text"`
	// Entries are the knowledge-base entries the reply is based on: the
	// answered entry, or the choices of a clarify.
	Entries []string `json:"entries"`
	// Score is the confidence in [0, 1] of the best entry.
	Score float64 `json:"score"`
	// Options are follow-up buttons: related entries after an answer,
	// the choices of a clarify.
	Options []Option `json:"options,omitempty"`
	// Alternatives are entries close to the answered one that the visitor
	// may have meant instead, offered with one tap as "Or were you asking
	// about ...?". Only answers carry them.
	Alternatives []Option `json:"alternatives,omitempty"`
	// OfferPerson asks the client to show a way to reach a person.
	OfferPerson bool `json:"offer_person,omitempty"`
	// Reason says, for representatives and tests, why this kind was
	// chosen (for a refusal: dose, taper, source, use or cheat).
	Reason string `json:"reason,omitempty"`
	// Risk is the safety screen's finding on the message; a crisis
	// decision carries the danger found, every other decision "none".
	Risk safety.Risk `json:"risk"`
	// Escalate asks for a person now, ahead of the queue, because of the
	// risk.
	Escalate bool `json:"escalate,omitempty"`
	// FollowUp marks a crisis decision that answers a further message in
	// a crisis already replied to: its text is the short fixed follow-up
	// (safety.FollowUp), not the whole reply again.
	FollowUp bool `json:"follow_up,omitempty"`
}

// Option is one button: an entry the visitor can ask about with one tap.
type Option struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// Memory is what the engine remembers of a conversation between
// messages. It is small and plain so it can be stored anywhere.
type Memory struct {
	// Recent are the visitor's last few messages, oldest first: the
	// safety screen reads a message in their light ("hes snoring weird"
	// after "my brother just shot up").
	Recent []string `json:"recent,omitempty"`
	// Entries are the entries of the last two answers, latest first; a
	// follow-up question ("how long does it last?", "which one is
	// better?") is read in their light.
	Entries []string `json:"entries,omitempty"`
	// Misses counts the fallbacks in a row, so the service can offer a
	// person when the bot keeps failing.
	Misses int `json:"misses,omitempty"`
	// Crisis is the crisis the bot last replied to, while it is ongoing
	// (within the last ongoingMessages messages): a further message in
	// the same danger gets the short follow-up, not the whole reply again.
	Crisis *Ongoing `json:"crisis,omitempty"`
}

// Ongoing is a crisis the bot has replied to: its kind, its worst level,
// and how many visitor messages ago the last crisis reply was.
type Ongoing struct {
	Kind  safety.Kind  `json:"kind"`
	Level safety.Level `json:"level"`
	Ago   int          `json:"ago,omitempty"`
}

// ongoingMessages is how many visitor messages after a crisis reply the
// crisis still counts as ongoing.
const ongoingMessages = 5

// covers reports whether a risk found now belongs to the ongoing crisis:
// the same kind, and no worse. A new kind of danger, or the same one
// grown worse (urgent, then an emergency), gets its whole reply.
func (o *Ongoing) covers(r safety.Risk) bool {
	return o != nil && o.Kind == r.Kind && !safety.Worse(r.Level, o.Level)
}

// contextTopics is how many answers back a follow-up may refer.
const contextTopics = 2

// Next returns the context after the visitor sent text and the engine
// decided d.
func (c Memory) Next(text string, d Decision) Memory {
	recent := append(append([]string(nil), c.Recent...), text)
	if n := len(recent) - safety.ContextMessages; n > 0 {
		recent = recent[n:]
	}
	next := Memory{Entries: c.Entries, Recent: recent}
	switch {
	case d.Kind == KindCrisis:
		o := Ongoing{Kind: d.Risk.Kind, Level: d.Risk.Level}
		if c.Crisis.covers(d.Risk) {
			o.Level = c.Crisis.Level
		}
		next.Crisis = &o
	case c.Crisis != nil && c.Crisis.Ago+1 < ongoingMessages:
		o := *c.Crisis
		o.Ago++
		next.Crisis = &o
	}
	switch d.Kind {
	case KindAnswer, KindClarify:
		// After a choice the topic is the first choice's, whichever the
		// visitor taps.
		next.Entries = append([]string{d.Entries[0]}, c.Entries...)
		next.Entries = slices.Compact(next.Entries)
		if len(next.Entries) > contextTopics {
			next.Entries = next.Entries[:contextTopics]
		}
	case KindFallback:
		next.Misses = c.Misses + 1
	}
	return next
}
