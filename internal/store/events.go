package store

import (
	"encoding/json"
	"fmt"
)

// Event is one change to a conversation, or to what the console follows,
// as published.
type Event struct {
	// Type is "msg", "delta" (a piece of a reply being written: Message
	// has the visitor message id it answers and the text), "state",
	// "deleted", "typing", "queue" (a place in line), "note"
	// (representatives only), or, on the console channel,
	// "queue", "alert", "requests", "canned".
	Type     string
	Message  Message
	State    State
	Holder   string
	From     string // typing: visitor or rep
	Name     string // typing: the representative's display name
	Position int    // queue: place in line
	Wait     int    // queue: estimated seconds
	// Reason and ReasonText say, on a queue event, why the place got
	// worse (handoff.Why*), and in the visitor's words.
	Reason, ReasonText string
	Note               Note
	Conv               string // console events: the conversation concerned
	Priority           string // alert: its priority
	Kind               string // alert: the kind of risk
}

// DecodeEvent parses a published event.
func DecodeEvent(payload string) (Event, error) {
	var raw struct {
		T        string `json:"t"`
		ID       string `json:"id"`
		From     string `json:"from"`
		Text     string `json:"text"`
		CID      string `json:"cid"`
		Meta     string `json:"meta"`
		State    string `json:"state"`
		Holder   string `json:"holder"`
		Name     string `json:"name"`
		Position int    `json:"position"`
		Wait     int    `json:"wait"`
		Rep      string `json:"rep"`
		Conv     string `json:"conv"`
		Priority string `json:"priority"`
		Kind     string `json:"kind"`
		Reason   string `json:"reason"`
		Why      string `json:"reason_text"`
	}
	if err := json.Unmarshal([]byte(payload), &raw); err != nil {
		return Event{}, fmt.Errorf("decode event: %w", err)
	}
	e := Event{Type: raw.T, State: State(raw.State), Holder: raw.Holder, From: raw.From, Name: raw.Name,
		Position: raw.Position, Wait: raw.Wait, Conv: raw.Conv, Priority: raw.Priority, Kind: raw.Kind,
		Reason: raw.Reason, ReasonText: raw.Why}
	if raw.T == "note" {
		e.Note = Note{ID: raw.ID, Time: TimeOf(raw.ID), Rep: raw.Rep, Text: raw.Text}
	}
	if raw.T == "delta" {
		e.Message = Message{ID: raw.ID, Text: raw.Text}
	}
	if raw.T == "msg" {
		e.Message = Message{ID: raw.ID, Time: TimeOf(raw.ID), From: Sender(raw.From), Text: raw.Text, ClientID: raw.CID}
		if raw.Meta != "" {
			e.Message.Meta = json.RawMessage(raw.Meta)
		}
	}
	return e, nil
}
