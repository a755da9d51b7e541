package store

import (
	"encoding/json"
	"fmt"
)

// Event is one change to a conversation, as published by the scripts.
type Event struct {
	// Type is "msg", "state" or "deleted".
	Type    string
	Message Message
	State   State
}

// DecodeEvent parses a published event.
func DecodeEvent(payload string) (Event, error) {
	var raw struct {
		T     string `json:"t"`
		ID    string `json:"id"`
		From  string `json:"from"`
		Text  string `json:"text"`
		CID   string `json:"cid"`
		Meta  string `json:"meta"`
		State string `json:"state"`
	}
	if err := json.Unmarshal([]byte(payload), &raw); err != nil {
		return Event{}, fmt.Errorf("decode event: %w", err)
	}
	e := Event{Type: raw.T, State: State(raw.State)}
	if raw.T == "msg" {
		e.Message = Message{ID: raw.ID, Time: TimeOf(raw.ID), From: Sender(raw.From), Text: raw.Text, ClientID: raw.CID}
		if raw.Meta != "" {
			e.Message.Meta = json.RawMessage(raw.Meta)
		}
	}
	return e, nil
}
