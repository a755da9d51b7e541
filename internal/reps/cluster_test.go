package reps

import (
	"context"
	"testing"
	"time"

	"helpline/internal/store/storetest"
)

// TestPresenceOnACluster: on a Redis Cluster a representative's heartbeat
// touches two keys in two slots; as a transaction it was refused
// (CROSSSLOT), so nobody was ever online and every visitor was told no one
// could chat.
func TestPresenceOnACluster(t *testing.T) {
	cl := storetest.StartCluster(t, 3)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s := New(cl.Client())
	if err := s.Add(ctx, "ana", "a long enough password", RoleRep); err != nil {
		t.Fatal(err)
	}
	if err := s.Heartbeat(ctx, "ana", Away); err != nil {
		t.Fatalf("heartbeat: %v", err)
	}
	present, err := s.Presence(ctx, time.Minute)
	if err != nil || present["ana"] != Away {
		t.Errorf("presence %v (%v), want ana away", present, err)
	}
	if err := s.Left(ctx, "ana"); err != nil {
		t.Errorf("left: %v", err)
	}
}
