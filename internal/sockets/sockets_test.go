package sockets

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"
)

// TestShutdown: Shutdown stops every live connection, waits for each to
// end, and refuses new ones; a connection that will not end makes it
// return with its context's error.
func TestShutdown(t *testing.T) {
	var s Set
	ended := make(chan struct{}, 2)
	for range 2 {
		stop := make(chan struct{})
		if !s.Go(func() { close(stop) }, func() { <-stop; ended <- struct{}{} }) {
			t.Fatal("refused before shutdown")
		}
	}
	if s.Closing() {
		t.Fatal("closing before shutdown")
	}
	if err := s.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(ended) != 2 {
		t.Fatalf("%d of 2 connections ended before Shutdown returned", len(ended))
	}
	if !s.Closing() || s.Go(func() {}, func() { t.Error("ran after shutdown") }) {
		t.Fatal("a connection was accepted after shutdown")
	}

	var stuck Set
	release := make(chan struct{})
	defer close(release)
	stuck.Go(func() {}, func() { <-release })
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := stuck.Shutdown(ctx); err != context.DeadlineExceeded {
		t.Fatalf("Shutdown with a connection that will not end: %v", err)
	}
}

func TestClientAddr(t *testing.T) {
	tests := []struct {
		remote, fwd string
		trust       bool
		want        string
	}{
		{"192.0.2.1:5000", "", false, "192.0.2.1"},
		{"192.0.2.1:5000", "203.0.113.9", false, "192.0.2.1"}, // not behind a trusted proxy: ignored
		{"192.0.2.1:5000", "203.0.113.9, 10.0.0.1", true, "203.0.113.9"},
		{"192.0.2.1:5000", "", true, "192.0.2.1"},
		{"[2001:db8::1]:443", "", false, "2001:db8::1"},
		{"not-an-address", "", false, "not-an-address"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.remote
		if tt.fwd != "" {
			r.Header.Set("X-Forwarded-For", tt.fwd)
		}
		if got := ClientAddr(r, tt.trust); got != tt.want {
			t.Errorf("ClientAddr(%q, fwd %q, trust %v) = %q, want %q", tt.remote, tt.fwd, tt.trust, got, tt.want)
		}
	}
}
