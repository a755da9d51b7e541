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

			first, err := st.AddVisitor(ctx, conv.ID, "c1", "hello", store.Claim{})
			id1 := first.ID
			if err != nil || first.Dup || first.State != conversation.StateBot || first.Claimed {
				t.Fatalf("AddVisitor = %+v %v", first, err)
			}
			again, err := st.AddVisitor(ctx, conv.ID, "c1", "hello", store.Claim{})
			if err != nil || !again.Dup || again.ID != id1 {
				t.Fatalf("retry: %+v err %v, want %s dup", again, err, id1)
			}
			ctxJSON := []byte(`{"entries":["x"]}`)
			id2, err := st.AddReply(ctx, conv.ID, conversation.Reply{From: conversation.FromBot, Text: "hi", Meta: json.RawMessage(`{"kind":"answer"}`), Context: ctxJSON, RiskKind: "suicide", RiskLevel: "urgent"})
			if err != nil || !conversation.After(id2, id1) {
				t.Fatalf("AddReply = %s, %v", id2, err)
			}
			next, err := st.AddVisitor(ctx, conv.ID, "c2", "next", store.Claim{})
			if err != nil || string(next.Context) != string(ctxJSON) {
				t.Errorf("context %q, %v", next.Context, err)
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
			if _, err := st.AddVisitor(ctx, conv.ID, "c3", "more", store.Claim{}); conversation.ErrorCode(err) != conversation.Closed {
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

// TestAnswerClaim: storing a visitor's message claims its answering for
// one owner; a retry, here or on another instance, finds it claimed until
// the claim is released or expires; while a representative holds the
// conversation nothing is claimed, since the bot answers nothing then.
func TestAnswerClaim(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBStore) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			st, conv := newConversation(t, b, 100)
			a := store.Claim{Owner: "instance-a", TTL: time.Minute}
			bb := store.Claim{Owner: "instance-b", TTL: 200 * time.Millisecond}
			if got, err := st.AddVisitor(ctx, conv.ID, "c1", "what is methadone", a); err != nil || !got.Claimed || got.Dup {
				t.Fatalf("first copy: %+v %v, want claimed", got, err)
			}
			if got, _ := st.AddVisitor(ctx, conv.ID, "c1", "what is methadone", bb); !got.Dup || got.Claimed {
				t.Fatalf("retry on another instance: %+v, want a duplicate already claimed", got)
			}
			// Releasing another owner's claim does nothing.
			st.ReleaseAnswer(ctx, conv.ID, "c1", "instance-b")
			if got, _ := st.AddVisitor(ctx, conv.ID, "c1", "what is methadone", bb); got.Claimed {
				t.Fatal("a claim released by someone else than its owner")
			}
			if err := st.ReleaseAnswer(ctx, conv.ID, "c1", "instance-a"); err != nil {
				t.Fatal(err)
			}
			if got, _ := st.AddVisitor(ctx, conv.ID, "c1", "what is methadone", bb); !got.Claimed {
				t.Fatal("the retry after a release is not claimed")
			}
			// Claims expire: an instance that died holding one holds back a
			// retry only for its TTL.
			if b.Name != "embedded" {
				time.Sleep(300 * time.Millisecond)
				if got, _ := st.AddVisitor(ctx, conv.ID, "c1", "what is methadone", a); !got.Claimed {
					t.Error("an expired claim still holds the retry back")
				}
			}
			// A message that waited in its queue renews its claim; another
			// instance, whose retry took the claim meanwhile, keeps it.
			if got, _ := st.AddVisitor(ctx, conv.ID, "c4", "and on suboxone?", a); !got.Claimed {
				t.Fatal("a new message is not claimed")
			}
			if mine, err := st.RenewAnswer(ctx, conv.ID, "c4", "instance-a", time.Minute); err != nil || !mine {
				t.Errorf("renewing the claim held: %v, %v", mine, err)
			}
			if mine, _ := st.RenewAnswer(ctx, conv.ID, "c4", "instance-b", time.Minute); mine {
				t.Error("renewed a claim another instance holds")
			}
			if got, _ := st.AddVisitor(ctx, conv.ID, "c2", "a request", store.Claim{}); got.Claimed {
				t.Error("claimed with no owner")
			}
			if err := st.SetState(ctx, conv.ID, conversation.StateRep); err != nil {
				t.Fatal(err)
			}
			if got, _ := st.AddVisitor(ctx, conv.ID, "c3", "hello?", a); got.Claimed || got.State != conversation.StateRep {
				t.Errorf("held by a representative: %+v, want nothing claimed", got)
			}
		})
	}
}

func TestRateLimit(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBStore) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			st, conv := newConversation(t, b, 3)
			for i := range 3 {
				if _, err := st.AddVisitor(ctx, conv.ID, string(rune('a'+i)), "x", store.Claim{}); err != nil {
					t.Fatal(err)
				}
			}
			_, err := st.AddVisitor(ctx, conv.ID, "d", "x", store.Claim{})
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
			st, conv := newConversation(t, b, 100)
			st.AddVisitor(ctx, conv.ID, "c1", "x", store.Claim{})
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

// newConversation returns a store on b with a retention of an hour and
// ratePerMinute messages a minute per conversation, and a conversation in
// it, deleted when the test ends.
func newConversation(t *testing.T, b storetest.Backend, ratePerMinute int) (*store.Store, conversation.Conversation) {
	t.Helper()
	ctx := context.Background()
	st := store.New(b.Client, store.Options{Retention: time.Hour, RatePerMinute: ratePerMinute})
	conv, _, err := st.Create(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Delete(ctx, conv.ID) })
	return st, conv
}
