package main

import (
	"errors"
	"strings"
	"testing"
)

// TestBenchUsage checks that bench refuses what it cannot run before
// loading anything: the cross-instance phase without a representative, a
// duration out of bounds, a bad target.
func TestBenchUsage(t *testing.T) {
	for _, args := range [][]string{
		{"bench", "--cross", "5"},
		{"bench", "--cross", "0", "--duration", "11m"},
		{"bench", "--cross", "0", "--idle", "-1"},
	} {
		_, stderr, err := runCLI(t, "", args...)
		if !errors.Is(err, errUsage) || !strings.Contains(stderr, "bench:") {
			t.Errorf("%q: error %v, stderr %q; want a usage error that says why", args, err, stderr)
		}
	}
	_, stderr, err := runCLI(t, "", "bench", "-h")
	if !errors.Is(err, errUsage) || !strings.Contains(stderr, "--rate-conversation") || !strings.Contains(stderr, "-saturate-pool") {
		t.Errorf("bench -h: %v, usage %q; want the usage text with the services' limits explained and every flag", err, stderr)
	}
	_, _, err = runCLI(t, "", "bench", "--cross", "0", "--target", "ftp://x", "--visitors", "1", "--duration", "1s")
	if err == nil || errors.Is(err, errUsage) || !strings.Contains(err.Error(), "target") {
		t.Errorf("a bad target: %v, want an error naming the target", err)
	}
}
