package broker

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

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

// TestFailedSubscribeFailsEveryWaiter: when the first subscription to a
// channel fails (here a server that accepts connections and never
// answers), a subscriber who joined it meanwhile is told at once, rather
// than waiting for a confirmation that never comes; and the channel is
// tried afresh by the next one.
func TestFailedSubscribeFailsEveryWaiter(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() { // accepts and keeps every connection, silent; ends with ln
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	}()
	rdb := redis.NewClient(&redis.Options{Addr: ln.Addr().String(), ReadTimeout: 500 * time.Millisecond, DialTimeout: 500 * time.Millisecond, MaxRetries: -1})
	defer rdb.Close()
	b := New(rdb, slog.New(slog.NewTextHandler(io.Discard, nil)))
	defer b.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
	defer cancel()
	name := channelName(t)
	errs := make(chan error, 2)
	go func() { _, err := b.Subscribe(ctx, name, 4); errs <- err }()
	time.Sleep(100 * time.Millisecond) // the first is subscribing
	start := time.Now()
	go func() { _, err := b.Subscribe(ctx, name, 4); errs <- err }()
	for range 2 {
		if err := <-errs; err == nil {
			t.Fatal("a subscription to a server that never answers succeeded")
		}
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("the subscriber who joined waited %v, want about the first's failure", d)
	}
}
