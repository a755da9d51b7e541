package console

import (
	"testing"
	"time"
)

// TestRepLimiter: a representative gets the minute's allowance, whatever
// the case of their name, and no more until a minute has passed; another
// has their own; the map forgets who has not asked for a minute.
func TestRepLimiter(t *testing.T) {
	l := newRepLimiter(3)
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	for i, name := range []string{"Ana", "ana", "ANA"} {
		if !l.allow(name, now.Add(time.Duration(i)*time.Second)) {
			t.Fatalf("request %d refused within the allowance", i+1)
		}
	}
	if l.allow("ana", now.Add(10*time.Second)) {
		t.Error("a fourth request within the minute was allowed")
	}
	if !l.allow("ben", now.Add(10*time.Second)) {
		t.Error("another representative was refused")
	}
	if !l.allow("ana", now.Add(time.Minute+time.Second)) {
		t.Error("refused a minute after the first request")
	}
	l.allow("ben", now.Add(3*time.Minute))
	if _, ok := l.recent["ana"]; ok || len(l.recent) != 1 {
		t.Errorf("remembers %v, want only ben", l.recent)
	}
}
