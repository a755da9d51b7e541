package broker

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"testing"
	"time"

	"helpline/internal/store/storetest"
)

// Channels are shared by every database of a Redis, so each run names its
// own.
func channelName(t *testing.T) string {
	b := make([]byte, 6)
	rand.Read(b)
	return "test:broker:" + t.Name() + ":" + hex.EncodeToString(b)
}

// TestSubscribeWhileTheLastLeaves: a tab closing (the conversation's last
// subscriber on this instance) while another opens must never leave the
// new one deaf. The race is made certain: the newcomer subscribes in the
// very moment after the last subscriber left and before the broker acts
// on it.
func TestSubscribeWhileTheLastLeaves(t *testing.T) {
	for _, be := range storetest.Backends(t, storetest.DBBroker) {
		t.Run(be.Name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			b := New(be.Client, slog.New(slog.NewTextHandler(io.Discard, nil)))
			defer b.Close()
			name := channelName(t)

			first, err := b.Subscribe(ctx, name, 4)
			if err != nil {
				t.Fatal(err)
			}
			var second *Subscription
			b.leaving = func(string) {
				b.leaving = nil
				s, err := b.Subscribe(ctx, name, 4)
				if err != nil {
					t.Error(err)
					return
				}
				second = s
			}
			first.Close()
			if second == nil {
				t.Fatal("the second subscription was not made")
			}
			defer second.Close()

			// Whatever is published now must reach the second.
			deadline := time.Now().Add(3 * time.Second)
			for time.Now().Before(deadline) {
				if err := be.Client.Publish(ctx, name, `{"t":"typing"}`).Err(); err != nil {
					t.Fatal(err)
				}
				select {
				case ev, ok := <-second.C:
					if !ok {
						t.Fatal("subscription closed")
					}
					if ev.Type != "typing" {
						t.Fatalf("event %+v", ev)
					}
					return
				case <-time.After(100 * time.Millisecond):
				}
			}
			t.Fatal("the subscriber that joined as the last one left hears nothing")
		})
	}
}
