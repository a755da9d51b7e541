package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"helpline/internal/conversation"
	"helpline/internal/store"
	"helpline/internal/store/storetest"
)

func newConv(t *testing.T, st *store.Store) string {
	t.Helper()
	c, _, err := st.Create(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

// clockedStore returns a store whose clock the test moves by setting *now.
func clockedStore(rdb redis.UniversalClient) (*store.Store, *time.Time) {
	now := time.Date(2026, 11, 23, 3, 0, 0, 0, time.UTC)
	return store.New(rdb, store.Options{Retention: time.Hour, Now: func() time.Time { return now }}), &now
}

// TestClaimRace has 50 representatives take the same waiting conversation
// at once: exactly one gets it, the others are told someone was faster,
// and the conversation holds the winner.
func TestClaimRace(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBStore) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			st := store.New(b.Client, store.Options{Retention: time.Hour})
			for round := 0; round < 5; round++ {
				conv := newConv(t, st)
				if _, err := st.Enqueue(ctx, conv, conversation.PriorityNormal, "asked", "finding someone", "", nil); err != nil {
					t.Fatal(err)
				}
				const reps = 50
				var wg sync.WaitGroup
				errs := make([]error, reps)
				start := make(chan struct{})
				for i := range reps {
					wg.Add(1)
					go func() {
						defer wg.Done()
						<-start
						errs[i] = st.Claim(ctx, conv, fmt.Sprintf("rep%02d", i), "joined", false)
					}()
				}
				close(start)
				wg.Wait()
				winner := ""
				for i, err := range errs {
					switch {
					case err == nil && winner == "":
						winner = fmt.Sprintf("rep%02d", i)
					case err == nil:
						t.Fatalf("round %d: %s and rep%02d both got the conversation", round, winner, i)
					case conversation.ErrorCode(err) != conversation.Taken:
						t.Fatalf("round %d: rep%02d: %v, want Taken", round, i, err)
					}
				}
				if winner == "" {
					t.Fatalf("round %d: nobody got the conversation", round)
				}
				c, _ := st.Get(ctx, conv)
				if c.State != conversation.StateRep || c.Holder != winner {
					t.Fatalf("round %d: state %s holder %q, want rep %s", round, c.State, c.Holder, winner)
				}
				if pos, _ := st.Position(ctx, conv); pos != 0 {
					t.Errorf("round %d: still in the queue at %d", round, pos)
				}
				// Only the winner's system message was stored: one "joined".
				msgs, _ := st.Messages(ctx, conv, "", 100)
				joined := 0
				for _, m := range msgs {
					if m.Text == "joined" {
						joined++
					}
				}
				if joined != 1 {
					t.Errorf("round %d: %d join messages, want 1", round, joined)
				}
			}
		})
	}
}

// TestTakeNextRace has 20 representatives take from a queue of 8 at once:
// each conversation goes to exactly one, most urgent first.
func TestTakeNextRace(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBStore) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			st := store.New(b.Client, store.Options{Retention: time.Hour})
			queued := map[string]bool{}
			for i := range 8 {
				conv := newConv(t, st)
				queued[conv] = true
				p := conversation.PriorityNormal
				if i == 7 {
					p = conversation.PriorityEmergency
				}
				if _, err := st.Enqueue(ctx, conv, p, "asked", "", "", nil); err != nil {
					t.Fatal(err)
				}
			}
			var mu sync.Mutex
			got := map[string]string{}
			var wg sync.WaitGroup
			for i := range 20 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					rep := fmt.Sprintf("rep%02d", i)
					conv, err := st.TakeNext(ctx, rep, "")
					if err != nil {
						t.Error(err)
						return
					}
					if conv == "" {
						return
					}
					mu.Lock()
					defer mu.Unlock()
					if other, dup := got[conv]; dup {
						t.Errorf("%s went to both %s and %s", conv, other, rep)
					}
					got[conv] = rep
				}()
			}
			wg.Wait()
			if len(got) != len(queued) {
				t.Fatalf("%d of %d conversations taken", len(got), len(queued))
			}
			if q, _ := st.Queue(ctx, 10); len(q) != 0 {
				t.Errorf("queue not empty: %+v", q)
			}
		})
	}
}

// TestQueueOrder: emergencies before urgent risks before everyone else;
// within a priority, whoever waited longest. A conversation that asks
// again keeps its place, and a crisis moves it up.
func TestQueueOrder(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBStore) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			st, now := clockedStore(b.Client)
			enqueue := func(p conversation.Priority) string {
				conv := newConv(t, st)
				if _, err := st.Enqueue(ctx, conv, p, "asked", "", "", nil); err != nil {
					t.Fatal(err)
				}
				*now = now.Add(time.Second)
				return conv
			}
			n1 := enqueue(conversation.PriorityNormal)
			u1 := enqueue(conversation.PriorityUrgent)
			n2 := enqueue(conversation.PriorityNormal)
			e1 := enqueue(conversation.PriorityEmergency)
			u2 := enqueue(conversation.PriorityUrgent)
			want := []string{e1, u1, u2, n1, n2}
			check := func(want []string) {
				t.Helper()
				got, err := st.Waiting(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Fatalf("queue %v, want %v", got, want)
				}
			}
			check(want)
			// Asking again keeps the place.
			if st, _ := st.Enqueue(ctx, n1, conversation.PriorityNormal, "asked", "", "", nil); st != conversation.AlreadyQueued {
				t.Fatalf("asking again: %s", st)
			}
			check(want)
			// A crisis while waiting moves it up among the emergencies, where
			// it has waited longer than e1.
			if _, err := st.Enqueue(ctx, n2, conversation.PriorityEmergency, "crisis", "", "overdose", nil); err != nil {
				t.Fatal(err)
			}
			check([]string{n2, e1, u1, u2, n1})
			if pos, _ := st.Position(ctx, u1); pos != 3 {
				t.Errorf("position of u1 %d, want 3", pos)
			}
		})
	}
}

// TestHandoffStates walks the conversation states and checks that the
// moves that are not allowed are refused, with the conversation left as
// it was.
func TestHandoffStates(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBStore) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			st := store.New(b.Client, store.Options{Retention: time.Hour})
			conv := newConv(t, st)
			state := func(want conversation.State, holder string) {
				t.Helper()
				c, err := st.Get(ctx, conv)
				if err != nil || c.State != want || (want == conversation.StateRep && c.Holder != holder) {
					t.Fatalf("state %s holder %q (%v), want %s %q", c.State, c.Holder, err, want, holder)
				}
			}
			// With the bot: nobody holds it, so no one may reply, hand back
			// or transfer, and a plain take is refused.
			if _, err := st.RepSays(ctx, conv, "ana", "r1", "hi", nil); conversation.ErrorCode(err) != conversation.HeldByOther {
				t.Errorf("reply to a bot conversation: %v", err)
			}
			if err := st.Release(ctx, conv, "ana", conversation.StateBot, false, "", ""); conversation.ErrorCode(err) != conversation.NotHeld {
				t.Errorf("hand back a bot conversation: %v", err)
			}
			if err := st.Transfer(ctx, conv, "ana", "ben", false, ""); conversation.ErrorCode(err) != conversation.NotHeld {
				t.Errorf("transfer a bot conversation: %v", err)
			}
			if err := st.Claim(ctx, conv, "ana", "", false); conversation.ErrorCode(err) != conversation.NotWaiting {
				t.Errorf("take a bot conversation without taking over: %v", err)
			}
			state(conversation.StateBot, "")

			// Taking over a live one works.
			if err := st.Claim(ctx, conv, "Ana", "Ana joined", true); err != nil {
				t.Fatal(err)
			}
			state(conversation.StateRep, "Ana")
			if h, _ := st.Handoff(ctx, conv); h.Reason != "taken_over" {
				t.Errorf("reason %q, want taken_over", h.Reason)
			}
			// Another representative may not reply, hand back, transfer or
			// take it; names compare without case.
			if _, err := st.RepSays(ctx, conv, "ben", "r1", "hi", nil); conversation.ErrorCode(err) != conversation.HeldByOther {
				t.Errorf("non-holder reply: %v", err)
			}
			if err := st.Release(ctx, conv, "ben", conversation.StateBot, false, "", ""); conversation.ErrorCode(err) != conversation.HeldByOther {
				t.Errorf("non-holder hand back: %v", err)
			}
			if err := st.Transfer(ctx, conv, "ben", "cat", false, ""); conversation.ErrorCode(err) != conversation.HeldByOther {
				t.Errorf("non-holder transfer: %v", err)
			}
			if err := st.Claim(ctx, conv, "ben", "", true); conversation.ErrorCode(err) != conversation.Taken {
				t.Errorf("second take: %v", err)
			}
			if _, err := st.RepSays(ctx, conv, "ana", "r1", "hello", nil); err != nil {
				t.Errorf("holder reply (other case): %v", err)
			}
			state(conversation.StateRep, "Ana")

			// A retried reply is stored once.
			id1, _ := st.RepSays(ctx, conv, "Ana", "r2", "again", nil)
			id2, _ := st.RepSays(ctx, conv, "Ana", "r2", "again", nil)
			if id1 == "" || id1 != id2 {
				t.Errorf("retried reply stored as %s and %s", id1, id2)
			}

			// The holder transfers; a supervisor may transfer anyone's.
			if err := st.Transfer(ctx, conv, "Ana", "Ben", false, "Ben joined"); err != nil {
				t.Fatal(err)
			}
			state(conversation.StateRep, "Ben")
			if held, _ := st.Held(ctx, "ana"); len(held) != 0 {
				t.Errorf("ana still holds %v", held)
			}
			if err := st.Transfer(ctx, conv, "Sue", "Cat", true, ""); err != nil {
				t.Fatal(err)
			}
			state(conversation.StateRep, "Cat")

			// Handing back returns it to the bot; then closing needs a holder
			// or a supervisor.
			if err := st.Release(ctx, conv, "cat", conversation.StateBot, false, "back", ""); err != nil {
				t.Fatal(err)
			}
			state(conversation.StateBot, "")
			if held, _ := st.Held(ctx, "Cat"); len(held) != 0 {
				t.Errorf("cat still holds %v", held)
			}
			if err := st.Release(ctx, conv, "cat", conversation.StateClosed, false, "", "other"); conversation.ErrorCode(err) != conversation.NotHeld {
				t.Errorf("close by a former holder: %v", err)
			}
			if err := st.Release(ctx, conv, "sue", conversation.StateClosed, true, "closed", "information"); err != nil {
				t.Fatalf("supervisor close: %v", err)
			}
			state(conversation.StateClosed, "")
			if h, _ := st.Handoff(ctx, conv); h.Outcome != "information" {
				t.Errorf("outcome %q", h.Outcome)
			}
			// Closed is the end: no take, no enqueue, no reply.
			if err := st.Claim(ctx, conv, "ana", "", true); conversation.ErrorCode(err) != conversation.Closed {
				t.Errorf("take a closed conversation: %v", err)
			}
			if _, err := st.Enqueue(ctx, conv, conversation.PriorityEmergency, "crisis", "", "", nil); conversation.ErrorCode(err) != conversation.Closed {
				t.Errorf("enqueue a closed conversation: %v", err)
			}
			// Nothing is said to the visitor by a refused move: the
			// transcript has only the messages of allowed ones.
			msgs, _ := st.Messages(ctx, conv, "", 100)
			var said []string
			for _, m := range msgs {
				said = append(said, m.Text)
			}
			if want := "[Ana joined hello again Ben joined back closed]"; fmt.Sprint(said) != want {
				t.Errorf("transcript %v, want %s", said, want)
			}
		})
	}
}

// TestRequeue: a gone representative's conversation goes back to the
// queue at its original priority and place.
func TestRequeue(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBStore) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			st, now := clockedStore(b.Client)
			urgent := newConv(t, st)
			st.Enqueue(ctx, urgent, conversation.PriorityUrgent, "crisis", "", "suicide", nil)
			*now = now.Add(time.Minute)
			later := newConv(t, st)
			st.Enqueue(ctx, later, conversation.PriorityUrgent, "crisis", "", "suicide", nil)
			if err := st.Claim(ctx, urgent, "ana", "", false); err != nil {
				t.Fatal(err)
			}
			if err := st.Release(ctx, urgent, "ana", conversation.StateWaiting, false, "lost", ""); err != nil {
				t.Fatal(err)
			}
			got, _ := st.Waiting(ctx)
			if fmt.Sprint(got) != fmt.Sprint([]string{urgent, later}) {
				t.Errorf("queue %v, want the requeued one first", got)
			}
			q, _ := st.Queue(ctx, 10)
			if len(q) != 2 || q[0].Priority != conversation.PriorityUrgent {
				t.Errorf("queue %+v", q)
			}
		})
	}
}

// TestEnsureQueued: a visitor left waiting but unqueued, as by an instance
// dying between the two steps of asking for a person, gets their place
// back, once; others are left alone.
func TestEnsureQueued(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBStore) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			st, now := clockedStore(b.Client)
			first := newConv(t, st)
			st.Enqueue(ctx, first, conversation.PriorityNormal, "asked", "", "", nil)
			*now = now.Add(time.Minute)
			second := newConv(t, st)
			st.Enqueue(ctx, second, conversation.PriorityNormal, "asked", "", "", nil)
			bot := newConv(t, st)

			if err := b.Client.ZRem(ctx, "hl:queue", first).Err(); err != nil {
				t.Fatal(err)
			}
			if got, _ := st.Waiting(ctx); fmt.Sprint(got) != fmt.Sprint([]string{second}) {
				t.Fatalf("queue %v after losing the first", got)
			}
			if added, err := st.EnsureQueued(ctx, first); err != nil || !added {
				t.Fatalf("EnsureQueued(lost) = %v, %v; want added", added, err)
			}
			if got, _ := st.Waiting(ctx); fmt.Sprint(got) != fmt.Sprint([]string{first, second}) {
				t.Errorf("queue %v, want the repaired one back in first place", got)
			}
			for _, conv := range []string{first, second, bot} {
				if added, err := st.EnsureQueued(ctx, conv); err != nil || added {
					t.Errorf("EnsureQueued(%s) = %v, %v; want nothing to do", conv, added, err)
				}
			}
			if got, _ := st.Waiting(ctx); len(got) != 2 {
				t.Errorf("queue %v, want the two waiting", got)
			}
		})
	}
}

// TestDeleteLeavesNoTrace: the protocol promises a deleted conversation is
// removed from the server at once. Nothing may be left: not its keys, not
// its place in the queue, the live list or a representative's held set,
// and not the name and number of a callback it asked for. A request that
// arrives for it afterwards is refused and leaves nothing either, and the
// details of a live conversation's request expire with it.
func TestDeleteLeavesNoTrace(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBStore) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			st := store.New(b.Client, store.Options{Retention: time.Hour})
			conv, other := newConv(t, st), newConv(t, st)
			phone := fmt.Sprintf("555-%04d", time.Now().UnixNano()%10000)
			if err := st.MarkActive(ctx, conv); err != nil {
				t.Fatal(err)
			}
			if _, err := st.Enqueue(ctx, conv, conversation.PriorityNormal, "asked", "", "", nil); err != nil {
				t.Fatal(err)
			}
			if err := st.Claim(ctx, conv, "ana", "", false); err != nil {
				t.Fatal(err)
			}
			if _, err := st.AddRequest(ctx, conversation.Request{Kind: "callback", Conv: conv, Name: "Maria Example", Phone: phone, BestTime: "evenings"}); err != nil {
				t.Fatal(err)
			}
			if _, err := st.AddRequest(ctx, conversation.Request{Kind: "insurance", Conv: other, Insurer: "Aetna"}); err != nil {
				t.Fatal(err)
			}
			// Every key of the conversation, the request's details included,
			// expires with it.
			traces := func() []string {
				var found []string
				iter := b.Client.Scan(ctx, 0, "*", 1000).Iterator()
				for iter.Next(ctx) {
					key := iter.Val()
					if strings.Contains(key, conv) {
						if ttl, _ := b.Client.PTTL(ctx, key).Result(); ttl <= 0 {
							t.Errorf("key %s has no expiry (%v)", key, ttl)
						}
						found = append(found, key)
						continue
					}
					var content []string
					switch typ, _ := b.Client.Type(ctx, key).Result(); typ {
					case "zset":
						content, _ = b.Client.ZRange(ctx, key, 0, -1).Result()
					case "set":
						content, _ = b.Client.SMembers(ctx, key).Result()
					case "hash":
						m, _ := b.Client.HGetAll(ctx, key).Result()
						for k, v := range m {
							content = append(content, k, v)
						}
					case "stream":
						xs, _ := b.Client.XRange(ctx, key, "-", "+").Result()
						for _, x := range xs {
							content = append(content, fmt.Sprint(x.Values))
						}
					case "list":
						content, _ = b.Client.LRange(ctx, key, 0, -1).Result()
					}
					for _, c := range content {
						if strings.Contains(c, conv) || strings.Contains(c, phone) {
							found = append(found, key+" holds "+c)
						}
					}
				}
				return found
			}
			if len(traces()) == 0 {
				t.Fatal("the conversation left no keys before it was deleted: the check sees nothing")
			}
			if err := st.Delete(ctx, conv); err != nil {
				t.Fatal(err)
			}
			if left := traces(); len(left) > 0 {
				t.Errorf("after delete: %q", left)
			}
			rs, err := st.OpenRequests(ctx, 0)
			if err != nil || len(rs) != 1 || rs[0].Conv != other || rs[0].Insurer != "Aetna" {
				t.Errorf("open requests %+v (%v), want only the other conversation's", rs, err)
			}
			// Written after the delete: refused, nothing kept.
			if _, err := st.AddRequest(ctx, conversation.Request{Kind: "callback", Conv: conv, Name: "Maria Example", Phone: phone}); conversation.ErrorCode(err) != conversation.NotFound {
				t.Errorf("request for a deleted conversation: %v, want NotFound", err)
			}
			if left := traces(); len(left) > 0 {
				t.Errorf("after a late request: %q", left)
			}
		})
	}
}

// TestTrimActive: the live list shows the last half hour; older
// conversations are forgotten by the janitor's trim, whether or not any
// console reads the list, and reading it changes nothing.
func TestTrimActive(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBStore) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			st, now := clockedStore(b.Client)
			old, recent := newConv(t, st), newConv(t, st)
			st.MarkActive(ctx, old)
			*now = now.Add(store.ActiveWindow - time.Minute)
			st.MarkActive(ctx, recent)
			*now = now.Add(2 * time.Minute)
			live, err := st.Active(ctx, 10)
			if err != nil || !slices.Contains(live, recent) || slices.Contains(live, old) {
				t.Fatalf("live %v (%v), want the recent one only", live, err)
			}
			isMember := func(conv string) bool {
				_, err := b.Client.ZScore(ctx, "hl:active", conv).Result()
				return err == nil
			}
			if !isMember(old) {
				t.Fatal("reading the list trimmed it")
			}
			if err := st.TrimActive(ctx); err != nil {
				t.Fatal(err)
			}
			if isMember(old) || !isMember(recent) {
				t.Errorf("after the trim: old kept %v, recent kept %v", isMember(old), isMember(recent))
			}
		})
	}
}

// TestRequestsAreBounded: a handled request leaves the stream, with its
// details, so what a console reads on every change is what it shows (at
// most n), not the whole day's history.
func TestRequestsAreBounded(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBStore) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			b.Client.Del(ctx, "hl:requests", "hl:requests:done")
			st := store.New(b.Client, store.Options{Retention: time.Hour})
			var ids []string
			var convs []string
			for i := 0; i < 5; i++ {
				conv := newConv(t, st)
				id, err := st.AddRequest(ctx, conversation.Request{Kind: "callback", Conv: conv, Name: "N", Phone: fmt.Sprintf("555-010%d", i)})
				if err != nil {
					t.Fatal(err)
				}
				ids, convs = append(ids, id), append(convs, conv)
			}
			if rs, err := st.OpenRequests(ctx, 3); err != nil || len(rs) != 3 || rs[0].ID != ids[0] {
				t.Fatalf("first three: %+v (%v)", rs, err)
			}
			if err := st.RequestDone(ctx, ids[0], "ana"); err != nil {
				t.Fatal(err)
			}
			if n, _ := b.Client.XLen(ctx, "hl:requests").Result(); n != 4 {
				t.Errorf("stream length %d after one was handled, want 4", n)
			}
			if left, _ := b.Client.HLen(ctx, "hl:{"+convs[0]+"}:reqs").Result(); left != 0 {
				t.Errorf("the handled request's details are still kept (%d)", left)
			}
			if rs, err := st.OpenRequests(ctx, 3); err != nil || len(rs) != 3 || rs[0].ID != ids[1] {
				t.Errorf("after one handled: %+v (%v)", rs, err)
			}
			if rs, err := st.OpenRequests(ctx, 0); err != nil || len(rs) != 4 {
				t.Errorf("all open: %d (%v)", len(rs), err)
			}
		})
	}
}
