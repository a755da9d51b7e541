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

// TestClientAddr: behind N proxies the client is the entry the outermost
// one wrote, counted from the right; what a client writes into the header
// itself never passes for its address.
func TestClientAddr(t *testing.T) {
	tests := []struct {
		remote  string
		fwd     []string // one entry per header line
		proxies int
		want    string
	}{
		{"192.0.2.1:5000", nil, 0, "192.0.2.1"},
		{"192.0.2.1:5000", []string{"203.0.113.9"}, 0, "192.0.2.1"}, // no proxy in front: the header is ignored
		{"10.0.0.2:5000", []string{"203.0.113.9"}, 1, "203.0.113.9"},
		// The client sent "1.2.3.4"; the load balancer appended what it saw.
		{"10.0.0.2:5000", []string{"1.2.3.4, 203.0.113.9"}, 1, "203.0.113.9"},
		// A CDN, then a load balancer: the CDN's entry is the client.
		{"10.0.0.2:5000", []string{"1.2.3.4, 203.0.113.9, 198.51.100.7"}, 2, "203.0.113.9"},
		// The same across two header lines.
		{"10.0.0.2:5000", []string{"1.2.3.4", "203.0.113.9"}, 1, "203.0.113.9"},
		// Shorter than the proxies would write: misconfigured, so the peer.
		{"10.0.0.2:5000", []string{"203.0.113.9"}, 2, "10.0.0.2"},
		{"10.0.0.2:5000", nil, 1, "10.0.0.2"},
		{"10.0.0.2:5000", []string{"1.2.3.4, "}, 1, "10.0.0.2"},
		{"[2001:db8::1]:443", nil, 0, "2001:db8::1"},
		{"not-an-address", nil, 0, "not-an-address"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.remote
		for _, f := range tt.fwd {
			r.Header.Add("X-Forwarded-For", f)
		}
		if got := ClientAddr(r, tt.proxies); got != tt.want {
			t.Errorf("ClientAddr(%q, fwd %q, %d proxies) = %q, want %q", tt.remote, tt.fwd, tt.proxies, got, tt.want)
		}
	}
}
