package store_test

import (
	"context"
	"testing"
	"time"

	"helpline/internal/conversation"
	"helpline/internal/store"
	"helpline/internal/store/storetest"
)

// TestOnACluster runs a conversation's whole life on a real three-master
// Redis Cluster: every operation either stays in the conversation's slot
// or touches each shared key on its own, so none is refused with
// CROSSSLOT, and the keys a conversation leaves behind when deleted are
// none.
func TestOnACluster(t *testing.T) {
	cl := storetest.StartCluster(t, 3)
	rdb := cl.Client()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st := store.New(rdb, store.Options{Retention: time.Hour, RatePerMinute: 100})

	// Enough conversations that their slots fall on every master.
	var convs []string
	for i := 0; i < 12; i++ {
		c, token, err := st.Create(ctx)
		if err != nil {
			t.Fatalf("create: %v", err)
		}
		if _, err := st.Open(ctx, token); err != nil {
			t.Fatalf("open: %v", err)
		}
		convs = append(convs, c.ID)
	}
	for i, conv := range convs {
		if _, err := st.AddVisitor(ctx, conv, "m1", "i want to talk to a person", store.Claim{Owner: "test", TTL: time.Minute}); err != nil {
			t.Fatalf("visitor message: %v", err)
		}
		if _, err := st.AddReply(ctx, conv, conversation.Reply{From: conversation.FromBot, Text: "I'm finding a person.", RiskKind: "overdose", RiskLevel: "urgent"}); err != nil {
			t.Fatalf("reply: %v", err)
		}
		if err := st.MarkActive(ctx, conv); err != nil {
			t.Fatalf("mark active: %v", err)
		}
		if _, err := st.Enqueue(ctx, conv, conversation.PriorityUrgent, "asked", "finding someone", "overdose", []string{"cue"}); err != nil {
			t.Fatalf("enqueue: %v", err)
		}
		if _, err := st.AddRequest(ctx, conversation.Request{Kind: "callback", Conv: conv, Name: "N", Phone: "555-0100"}); err != nil {
			t.Fatalf("request: %v", err)
		}
		if i%2 == 0 {
			if err := st.Claim(ctx, conv, "ana", "Ana joined", false); err != nil {
				t.Fatalf("claim: %v", err)
			}
			if _, err := st.RepSays(ctx, conv, "ana", "r1", "I'm here", nil); err != nil {
				t.Fatalf("rep says: %v", err)
			}
			if err := st.Release(ctx, conv, "ana", conversation.StateBot, false, "back with the bot", ""); err != nil {
				t.Fatalf("release: %v", err)
			}
		}
	}
	if q, err := st.Queue(ctx, 50); err != nil || len(q) != len(convs)/2 {
		t.Errorf("queue %d (%v), want %d", len(q), err, len(convs)/2)
	}
	if rs, err := st.OpenRequests(ctx, 0); err != nil || len(rs) != len(convs) || rs[0].Phone != "555-0100" {
		t.Errorf("requests %d (%v)", len(rs), err)
	}
	if live, err := st.Active(ctx, 50); err != nil || len(live) != len(convs) {
		t.Errorf("live %d (%v)", len(live), err)
	}
	for _, conv := range convs {
		if err := st.Delete(ctx, conv); err != nil {
			t.Fatalf("delete: %v", err)
		}
	}
	if rs, err := st.OpenRequests(ctx, 0); err != nil || len(rs) != 0 {
		t.Errorf("after delete: %d requests (%v)", len(rs), err)
	}
}
