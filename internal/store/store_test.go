package store_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"helpline/internal/conversation"
	"helpline/internal/store"
	"helpline/internal/store/storetest"
)

func TestConversation(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBStore) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			st := store.New(b.Client, store.Options{Retention: time.Hour, RatePerMinute: 100})
			conv, token, err := st.Create(ctx)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Delete(ctx, conv.ID) })
			if conv.State != conversation.StateBot || !strings.HasPrefix(token, conv.ID+".") || len(token) < 40 {
				t.Fatalf("created %+v with token %q", conv, token)
			}

			got, err := st.Open(ctx, token)
			if err != nil || got.ID != conv.ID {
				t.Fatalf("Open(token) = %+v, %v", got, err)
			}
			// Another conversation's id with this secret: the first letter
			// changed (never to itself, which one id in 64 starts with).
			other := "x" + token[1:]
			if token[0] == 'x' {
				other = "y" + token[1:]
			}
			for _, bad := range []string{"", "nonsense", conv.ID, conv.ID + ".forged", other, strings.Repeat("a", 22) + ".b"} {
				if _, err := st.Open(ctx, bad); conversation.ErrorCode(err) != conversation.NotFound {
					t.Errorf("Open(%q) = %v, want NotFound", bad, err)
				}
			}

			id1, dup, _, state, err := st.AddVisitor(ctx, conv.ID, "c1", "hello")
			if err != nil || dup || state != conversation.StateBot {
				t.Fatalf("AddVisitor = %s %v %s %v", id1, dup, state, err)
			}
			again, dup, _, _, err := st.AddVisitor(ctx, conv.ID, "c1", "hello")
			if err != nil || !dup || again != id1 {
				t.Fatalf("retry: id %s dup %v err %v, want %s dup", again, dup, err, id1)
			}
			ctxJSON := []byte(`{"entries":["x"]}`)
			id2, err := st.AddReply(ctx, conv.ID, conversation.Reply{From: conversation.FromBot, Text: "hi", Meta: json.RawMessage(`{"kind":"answer"}`), Context: ctxJSON, RiskKind: "suicide", RiskLevel: "urgent"})
			if err != nil || !conversation.After(id2, id1) {
				t.Fatalf("AddReply = %s, %v", id2, err)
			}
			_, _, gotCtx, _, err := st.AddVisitor(ctx, conv.ID, "c2", "next")
			if err != nil || string(gotCtx) != string(ctxJSON) {
				t.Errorf("context %q, %v", gotCtx, err)
			}
			// A lower risk does not replace a higher one.
			st.AddReply(ctx, conv.ID, conversation.Reply{From: conversation.FromBot, Text: "x", RiskKind: "suicide", RiskLevel: "emergency"})
			st.AddReply(ctx, conv.ID, conversation.Reply{From: conversation.FromBot, Text: "y", RiskKind: "medical", RiskLevel: "urgent"})
			if c, _ := st.Get(ctx, conv.ID); c.RiskKind != "suicide" || c.RiskLevel != "emergency" {
				t.Errorf("risk %s/%s, want the worst, suicide/emergency", c.RiskKind, c.RiskLevel)
			}

			all, err := st.Messages(ctx, conv.ID, "", 100)
			if err != nil || len(all) != 5 {
				t.Fatalf("Messages = %d, %v", len(all), err)
			}
			if all[0].From != conversation.FromVisitor || all[0].ClientID != "c1" || all[1].From != conversation.FromBot || string(all[1].Meta) != `{"kind":"answer"}` {
				t.Errorf("messages %+v", all[:2])
			}
			after, _ := st.Messages(ctx, conv.ID, id1, 100)
			if len(after) != 4 || after[0].ID != id2 {
				t.Errorf("Messages after %s: %d, first %s", id1, len(after), after[0].ID)
			}

			if err := st.SetState(ctx, conv.ID, conversation.StateClosed); err != nil {
				t.Fatal(err)
			}
			if _, _, _, _, err := st.AddVisitor(ctx, conv.ID, "c3", "more"); conversation.ErrorCode(err) != conversation.Closed {
				t.Errorf("message to a closed conversation: %v", err)
			}
			if err := st.Delete(ctx, conv.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := st.Open(ctx, token); conversation.ErrorCode(err) != conversation.NotFound {
				t.Errorf("deleted conversation opens: %v", err)
			}
			if n, _ := b.Client.Exists(ctx, "hl:{"+conv.ID+"}:conv", "hl:{"+conv.ID+"}:msgs", "hl:{"+conv.ID+"}:cids").Result(); n != 0 {
				t.Errorf("%d keys left after delete", n)
			}
		})
	}
}

func TestRateLimit(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBStore) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			st := store.New(b.Client, store.Options{Retention: time.Hour, RatePerMinute: 3})
			conv, _, _ := st.Create(ctx)
			t.Cleanup(func() { st.Delete(ctx, conv.ID) })
			for i := range 3 {
				if _, _, _, _, err := st.AddVisitor(ctx, conv.ID, string(rune('a'+i)), "x"); err != nil {
					t.Fatal(err)
				}
			}
			_, _, _, _, err := st.AddVisitor(ctx, conv.ID, "d", "x")
			if wait := conversation.RetryAfter(err); conversation.ErrorCode(err) != conversation.RateLimited || wait <= 0 || wait > time.Minute {
				t.Fatalf("fourth message: %v, want rate limited with a retry within a minute", err)
			}
		})
	}
}

// TestRetention: every key of a conversation expires after the retention,
// and each activity renews it.
func TestRetention(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBStore) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			st := store.New(b.Client, store.Options{Retention: time.Hour, RatePerMinute: 100})
			conv, _, _ := st.Create(ctx)
			t.Cleanup(func() { st.Delete(ctx, conv.ID) })
			st.AddVisitor(ctx, conv.ID, "c1", "x")
			for _, k := range []string{"conv", "msgs", "cids"} {
				ttl, err := b.Client.PTTL(ctx, "hl:{"+conv.ID+"}:"+k).Result()
				if err != nil || ttl <= 59*time.Minute || ttl > time.Hour {
					t.Errorf("%s ttl %v, %v; want about an hour", k, ttl, err)
				}
			}
		})
	}
}

func TestIDs(t *testing.T) {
	if !conversation.After("10-1", "9-5") || !conversation.After("10-2", "10-1") || conversation.After("10-1", "10-1") {
		t.Error("After orders ids wrongly")
	}
	if _, _, ok := conversation.ParseID("12-x"); ok {
		t.Error("ParseID accepted a bad id")
	}
	if got := conversation.TimeOf("1700000000123-0"); got.UnixMilli() != 1700000000123 {
		t.Errorf("TimeOf = %v", got)
	}
}

// TestDetailsOnlyWhileTheConversationLives: details merge into the
// conversation's, and once it is deleted, details come too late are
// refused and leave nothing behind (no hash without a TTL holding a phone
// number).
func TestDetailsOnlyWhileTheConversationLives(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBStore) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			st := store.New(b.Client, store.Options{Retention: time.Hour, RatePerMinute: 100})
			conv, _, err := st.Create(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := st.AddDetails(ctx, conv.ID, map[string]string{"insurer": "Aetna"}); err != nil {
				t.Fatal(err)
			}
			if err := st.AddDetails(ctx, conv.ID, map[string]string{"callback": "555-201-3344"}); err != nil {
				t.Fatal(err)
			}
			h, err := st.Handoff(ctx, conv.ID)
			if err != nil || h.Details["insurer"] != "Aetna" || h.Details["callback"] != "555-201-3344" {
				t.Fatalf("details %v, %v; want both merged", h.Details, err)
			}
			if err := st.Delete(ctx, conv.ID); err != nil {
				t.Fatal(err)
			}
			if err := st.AddDetails(ctx, conv.ID, map[string]string{"callback": "555-201-3344"}); conversation.ErrorCode(err) != conversation.NotFound {
				t.Errorf("details after the delete: %v, want not found", err)
			}
			keys, err := b.Client.Keys(ctx, "hl:{"+conv.ID+"}*").Result()
			if err != nil || len(keys) != 0 {
				t.Errorf("after the delete and late details: keys %v, %v", keys, err)
			}
		})
	}
}
