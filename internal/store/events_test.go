package store_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"helpline/internal/conversation"
	"helpline/internal/store"
	"helpline/internal/store/storetest"
)

// TestScriptsPublishWhatGoEncodes walks a conversation through every
// script that publishes, and checks that each event is byte for byte what
// conversation.EncodeEvent writes (the scripts encode nothing themselves),
// with the id of the message stored. On a real Redis Cluster too, where
// the scripts publish with SPUBLISH, and a subscriber must use SSUBSCRIBE.
func TestScriptsPublishWhatGoEncodes(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBStore) {
		t.Run(b.Name, func(t *testing.T) { scriptsPublishWhatGoEncodes(t, b.Client) })
	}
	t.Run("cluster", func(t *testing.T) { scriptsPublishWhatGoEncodes(t, storetest.StartCluster(t, 3).Client()) })
}

func scriptsPublishWhatGoEncodes(t *testing.T, rdb redis.UniversalClient) {
	ctx := context.Background()
	st := store.New(rdb, store.Options{Retention: time.Hour, RatePerMinute: 100})
	conv := newConv(t, st)
	t.Cleanup(func() { st.Delete(ctx, conv) })
	// The two channels carry the conversation's hash tag: one slot,
	// so one SSUBSCRIBE may name both.
	subscribe := rdb.Subscribe
	if store.Sharded(rdb) {
		subscribe = rdb.SSubscribe
	}
	ps := subscribe(ctx, store.EventsChannel(conv), store.RepChannel(conv))
	defer ps.Close()
	for range 2 {
		if _, err := ps.Receive(ctx); err != nil { // the confirmations
			t.Fatal(err)
		}
	}

	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	meta := json.RawMessage(`{"kind":"answer"}`)
	_, err := st.AddVisitor(ctx, conv, "c1", `Is it "safe" <here> & now?`, store.Claim{})
	must(err)
	_, err = st.AddReply(ctx, conv, conversation.Reply{From: conversation.FromBot, Text: "Yes.", Meta: meta})
	must(err)
	_, err = st.Enqueue(ctx, conv, conversation.PriorityUrgent, "asked", "Finding someone.", "", nil)
	must(err)
	must(st.Claim(ctx, conv, "Ana", "Ana is here.", false))
	_, err = st.RepSays(ctx, conv, "Ana", "r1", "Hello, I'm Ana.", nil)
	must(err)
	note, err := st.AddNote(ctx, conv, "Ana", "asked about detox")
	must(err)
	must(st.Transfer(ctx, conv, "Ana", "Ben", false, "Ben is here."))
	must(st.Release(ctx, conv, "Ben", conversation.StateBot, false, "Back to the assistant.", ""))
	_, err = st.Enqueue(ctx, conv, conversation.PriorityNormal, "asked", "Finding someone again.", "", nil)
	must(err)
	must(st.Leave(ctx, conv, "You left the line."))
	_, err = st.Rejoin(ctx, conv, time.Hour, "Back at your place.", "At the end of the line.")
	must(err)
	_, err = st.AddReply(ctx, conv, conversation.Reply{From: conversation.FromSystem, Text: "Closed.", State: conversation.StateClosed})
	must(err)
	must(st.SetState(ctx, conv, conversation.StateBot))
	msgs, err := st.Messages(ctx, conv, "", 100)
	must(err)
	must(st.Delete(ctx, conv))

	var want []conversation.Event
	next := 0
	msg := func(from conversation.Sender, text, cid string, meta json.RawMessage) {
		if next >= len(msgs) {
			t.Fatalf("only %d messages stored", len(msgs))
		}
		id := msgs[next].ID
		next++
		want = append(want, conversation.Event{Type: "msg", From: string(from), Message: conversation.Message{
			ID: id, Time: conversation.TimeOf(id), From: from, Text: text, ClientID: cid, Meta: meta}})
	}
	state := func(s conversation.State, holder string) {
		want = append(want, conversation.Event{Type: "state", State: s, Holder: holder})
	}
	msg(conversation.FromVisitor, `Is it "safe" <here> & now?`, "c1", nil)
	msg(conversation.FromBot, "Yes.", "", meta)
	msg(conversation.FromSystem, "Finding someone.", "", nil)
	state(conversation.StateWaiting, "")
	msg(conversation.FromSystem, "Ana is here.", "", nil)
	state(conversation.StateRep, "Ana")
	msg(conversation.FromRep, "Hello, I'm Ana.", "r1", nil)
	want = append(want, conversation.Event{Type: "note", Note: note})
	msg(conversation.FromSystem, "Ben is here.", "", nil)
	state(conversation.StateRep, "Ben")
	msg(conversation.FromSystem, "Back to the assistant.", "", nil)
	state(conversation.StateBot, "")
	msg(conversation.FromSystem, "Finding someone again.", "", nil)
	state(conversation.StateWaiting, "")
	msg(conversation.FromSystem, "You left the line.", "", nil)
	state(conversation.StateBot, "")
	msg(conversation.FromSystem, "Back at your place.", "", nil)
	state(conversation.StateWaiting, "")
	msg(conversation.FromSystem, "Closed.", "", nil)
	state(conversation.StateClosed, "")
	state(conversation.StateBot, "")
	want = append(want, conversation.Event{Type: "deleted"})

	for i, w := range want {
		select {
		case m := <-ps.Channel():
			if got, wantPayload := m.Payload, conversation.EncodeEvent(w); got != wantPayload {
				t.Errorf("event %d on %s:\ngot  %s\nwant %s", i, m.Channel, got, wantPayload)
			}
			if e, _ := conversation.DecodeEvent(m.Payload); !reflect.DeepEqual(e, w) {
				t.Errorf("event %d decodes as %+v, want %+v", i, e, w)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("event %d (%s) never came", i, conversation.EncodeEvent(w))
		}
	}
}
