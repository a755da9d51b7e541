package chat_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"helpline/internal/chat"
	"helpline/internal/reps"
	"helpline/internal/store"
	"helpline/internal/store/storetest"
)

// TestResyncTellsPlace: a visitor waiting for a person when Redis goes
// away and comes back is told, on the same connection, the conversation's
// state and their place in line as they are now: events published while
// the subscription was down were lost, and the place may have moved.
func TestResyncTellsPlace(t *testing.T) {
	r := storetest.StartServer(t)
	opts, err := redis.ParseURL(r.URL)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	ctx := context.Background()
	online := func() {
		t.Helper()
		if err := reps.New(rdb).Heartbeat(ctx, "ana", reps.Online); err != nil {
			t.Fatalf("heartbeat: %v", err)
		}
	}
	online()
	s := start(t, rdb, chat.Options{}, store.Options{})
	c := dial(t, s.URL)
	c.hello("", "")
	c.say("m1", "can i talk to a real person please")
	if q := c.readType("queue"); q.Position != 1 {
		t.Fatalf("queue frame %+v, want place 1", q)
	}

	r.Kill()
	time.Sleep(300 * time.Millisecond)
	r.Start()
	online()
	var state, place bool
	deadline := time.Now().Add(15 * time.Second)
	for !(state && place) {
		if time.Now().After(deadline) {
			t.Fatalf("after Redis came back: state told %v, place told %v", state, place)
		}
		f := c.read()
		switch {
		case f.Type == "state" && f.State == "waiting":
			state = true
		case f.Type == "queue" && state:
			place = f.Position == 1
		}
	}
}
