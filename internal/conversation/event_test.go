package conversation

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func TestEventRoundTrip(t *testing.T) {
	id := "1700000000000-3"
	at := time.UnixMilli(1700000000000).UTC()
	for _, e := range []Event{
		{Type: "msg", From: "bot", Message: Message{ID: id, Time: at, From: FromBot, Text: "Hello <b>there</b>", ClientID: "c1", Meta: json.RawMessage(`{"kind":"answer"}`)}},
		{Type: "msg", From: "system", Message: Message{ID: id, Time: at, From: FromSystem, Text: "Finding someone"}},
		{Type: "state", State: StateRep, Holder: "Ana"},
		{Type: "deleted"},
		{Type: "typing", From: "rep", Name: "Ana L."},
		{Type: "queue", Position: 3, Wait: 120, Reason: "crisis_first", ReasonText: "Someone in crisis was put first."},
		{Type: "note", Note: Note{ID: id, Time: at, Rep: "ana", Text: "called back"}},
		{Type: "alert", Conv: "c", Priority: "emergency", Kind: "overdose"},
	} {
		payload := EncodeEvent(e)
		got, err := DecodeEvent(payload)
		if err != nil {
			t.Fatalf("DecodeEvent(%s): %v", payload, err)
		}
		if !reflect.DeepEqual(got, e) {
			t.Errorf("EncodeEvent then DecodeEvent:\ngot  %+v\nwant %+v\n(published %s)", got, e, payload)
		}
	}
}

// The wire form is what every instance of every version reads: a type
// and only the fields it uses, named as the scripts name them.
func TestEncodeEventWireForm(t *testing.T) {
	for _, tt := range []struct {
		e    Event
		want string
	}{
		{Event{Type: "queue"}, `{"t":"queue"}`},
		{Event{Type: "typing", From: "visitor"}, `{"t":"typing","from":"visitor"}`},
		{Event{Type: "alert", Conv: "c", Priority: "urgent", Kind: "relapse"}, `{"t":"alert","conv":"c","priority":"urgent","kind":"relapse"}`},
		{Event{Type: "queue", Position: 2, Wait: 60, Reason: "r", ReasonText: "why"}, `{"t":"queue","position":2,"wait":60,"reason":"r","reason_text":"why"}`},
		{Event{Type: "note", Note: Note{ID: "1-0", Rep: "ana", Text: "x"}}, `{"t":"note","id":"1-0","text":"x","rep":"ana"}`},
	} {
		if got := EncodeEvent(tt.e); got != tt.want {
			t.Errorf("EncodeEvent(%+v) = %s, want %s", tt.e, got, tt.want)
		}
	}
}

func TestDecodeEventRefusesGarbage(t *testing.T) {
	if _, err := DecodeEvent("not json"); err == nil {
		t.Error("DecodeEvent(not json): no error")
	}
}

// The store's scripts put a message's id into its event, encoded without
// one, right after the type: what EncodeEvent writes with the id must be
// exactly that.
func TestEncodeEventIDFollowsType(t *testing.T) {
	id := "1700000000000-12"
	for _, e := range []Event{
		{Type: "msg", Message: Message{ID: id, From: FromRep, Text: `a "quoted", <b>`, ClientID: "r1", Meta: json.RawMessage(`{"name":"Ana"}`)}},
		{Type: "msg", Message: Message{ID: id}},
		{Type: "note", Note: Note{ID: id, Rep: "ana", Text: "x"}},
	} {
		with := EncodeEvent(e)
		e.Message.ID, e.Note.ID = "", ""
		without := EncodeEvent(e)
		typ := `{"t":"` + e.Type + `"`
		if got := typ + `,"id":"` + id + `"` + without[len(typ):]; got != with {
			t.Errorf("id put in after the type: %s, want %s", got, with)
		}
	}
}
