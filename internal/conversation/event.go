package conversation

import (
	"encoding/json"
	"fmt"
)

// Event is one change to a conversation, or to what the consoles follow,
// as published to every instance.
type Event struct {
	// Type is "msg", "state", "deleted", "typing", "queue" (a place in
	// line), "note" (representatives only), or, on the console channel,
	// "queue", "live", "presence", "alert", "requests", "canned".
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

// wireEvent is an event as published: one flat JSON object whose "t" says
// what it is. The fields a type does not use are left out.
type wireEvent struct {
	T        string `json:"t"`
	ID       string `json:"id,omitempty"`
	From     string `json:"from,omitempty"`
	Text     string `json:"text,omitempty"`
	CID      string `json:"cid,omitempty"`
	Meta     string `json:"meta,omitempty"`
	State    string `json:"state,omitempty"`
	Holder   string `json:"holder,omitempty"`
	Name     string `json:"name,omitempty"`
	Position int    `json:"position,omitempty"`
	Wait     int    `json:"wait,omitempty"`
	Rep      string `json:"rep,omitempty"`
	Conv     string `json:"conv,omitempty"`
	Priority string `json:"priority,omitempty"`
	Kind     string `json:"kind,omitempty"`
	Reason   string `json:"reason,omitempty"`
	Why      string `json:"reason_text,omitempty"`
}

// EncodeEvent gives an event as it is published; DecodeEvent reads it
// back. It is the only encoder of events: the store's scripts publish
// what it wrote, and put in a message's id, which they learn only when
// they store it, themselves. For them it promises that the type comes
// first and the id second.
func EncodeEvent(e Event) string {
	w := wireEvent{T: e.Type, From: e.From, State: string(e.State), Holder: e.Holder, Name: e.Name,
		Position: e.Position, Wait: e.Wait, Conv: e.Conv, Priority: e.Priority, Kind: e.Kind,
		Reason: e.Reason, Why: e.ReasonText}
	switch e.Type {
	case "msg":
		m := e.Message
		w.ID, w.From, w.Text, w.CID, w.Meta = m.ID, string(m.From), m.Text, m.ClientID, string(m.Meta)
	case "note":
		w.ID, w.Rep, w.Text = e.Note.ID, e.Note.Rep, e.Note.Text
	}
	b, err := json.Marshal(w)
	if err != nil { // strings and numbers only: cannot happen
		panic(fmt.Sprintf("encode event: %v", err))
	}
	return string(b)
}

// DecodeEvent parses a published event.
func DecodeEvent(payload string) (Event, error) {
	var raw wireEvent
	if err := json.Unmarshal([]byte(payload), &raw); err != nil {
		return Event{}, fmt.Errorf("decode event: %w", err)
	}
	e := Event{Type: raw.T, State: State(raw.State), Holder: raw.Holder, From: raw.From, Name: raw.Name,
		Position: raw.Position, Wait: raw.Wait, Conv: raw.Conv, Priority: raw.Priority, Kind: raw.Kind,
		Reason: raw.Reason, ReasonText: raw.Why}
	if raw.T == "note" {
		e.Note = Note{ID: raw.ID, Time: TimeOf(raw.ID), Rep: raw.Rep, Text: raw.Text}
	}
	if raw.T == "msg" {
		e.Message = Message{ID: raw.ID, Time: TimeOf(raw.ID), From: Sender(raw.From), Text: raw.Text, ClientID: raw.CID}
		if raw.Meta != "" {
			e.Message.Meta = json.RawMessage(raw.Meta)
		}
	}
	return e, nil
}
