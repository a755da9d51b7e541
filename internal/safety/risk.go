// Package safety screens every visitor message for danger before the bot
// answers anything: an overdose happening now, suicidal thoughts or plans,
// self-harm, a medical emergency, violence or abuse. It must catch danger
// said indirectly ("i dont want to wake up tomorrow", "his lips are blue")
// and must not alarm people who talk about the topic ("what are the signs of
// an overdose", "this withdrawal is killing me", "my dad died of an
// overdose years ago").
//
// The screen is deterministic: cues written by people who know the domain
// (see DOMAIN.md §3), each with the kind and level of danger it signals,
// and suppressors for negation, the past, generic questions and figures of
// speech. When it finds danger, the reply is one of the fixed texts in
// responses.go, never a generated one.
package safety

import (
	"fmt"
	"log/slog"
	"strings"
)

// Kind is the kind of danger.
type Kind string

// The kinds of danger the screen recognizes.
const (
	None     Kind = "none"
	Overdose Kind = "overdose"  // an overdose happening now
	Suicide  Kind = "suicide"   // suicidal thoughts, plans or an attempt
	SelfHarm Kind = "self_harm" // hurting oneself without intent to die
	Medical  Kind = "medical"   // a medical emergency, e.g. chest pain or a seizure
	Abuse    Kind = "abuse"     // violence, threats, abuse, an unsafe child
)

// Level is how soon help is needed.
type Level string

// The levels of danger.
const (
	NoLevel Level = ""
	// Urgent: serious, needs help soon, but not this minute.
	Urgent Level = "urgent"
	// Emergency: danger to life now.
	Emergency Level = "emergency"
)

func (l Level) rank() int {
	switch l {
	case Emergency:
		return 2
	case Urgent:
		return 1
	}
	return 0
}

// Risk is the screen's finding on one message.
type Risk struct {
	Kind  Kind  `json:"kind"`
	Level Level `json:"level,omitempty"`
	// Evidence names the cues that fired and the words that fired them,
	// for representatives and tests. It contains the visitor's words, so
	// it is never logged.
	Evidence []string `json:"evidence,omitempty"`
}

// Crisis reports whether the risk calls for a crisis response.
func (r Risk) Crisis() bool { return r.Kind != None && r.Kind != "" }

// String names the kind and level only.
func (r Risk) String() string {
	if !r.Crisis() {
		return "none"
	}
	return fmt.Sprintf("%s/%s", r.Kind, r.Level)
}

// LogValue keeps the evidence, which quotes the visitor, out of logs.
func (r Risk) LogValue() slog.Value { return slog.StringValue(r.String()) }

// priority breaks ties between kinds at the same level: the reply for the
// more immediately physical danger comes first.
var priority = map[Kind]int{Overdose: 5, Suicide: 4, SelfHarm: 3, Medical: 2, Abuse: 1}

// worse reports whether a is more urgent than b.
func worse(a, b Risk) bool {
	if a.Level.rank() != b.Level.rank() {
		return a.Level.rank() > b.Level.rank()
	}
	return priority[a.Kind] > priority[b.Kind]
}

func evidence(cue, match string) string {
	return cue + ": " + strings.TrimSpace(match)
}
