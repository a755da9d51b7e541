// Package storetest gives tests the two Redis backends the service runs
// on: a real Redis (REDIS_URL, or 127.0.0.1:6379) and the embedded one.
package storetest

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"helpline/internal/store"
)

// Backend is one Redis to run a test against.
type Backend struct {
	Name   string
	Client redis.UniversalClient
}

// Backends returns the embedded Redis and, when one answers, the real one.
// With REDIS_URL set (as in CI) a real Redis that does not answer fails
// the test; without it, a missing local Redis only skips that backend.
func Backends(t testing.TB) []Backend {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	emb, closeEmb, _, err := store.Connect(ctx, "", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeEmb)
	out := []Backend{{Name: "embedded", Client: emb}}

	url := os.Getenv("REDIS_URL")
	real, closeReal, _, err := store.Connect(ctx, orDefault(url, "redis://127.0.0.1:6379/0"), "")
	switch {
	case err == nil:
		t.Cleanup(closeReal)
		out = append(out, Backend{Name: "redis", Client: real})
	case url != "":
		t.Fatalf("REDIS_URL is set but Redis does not answer: %v", err)
	default:
		t.Logf("no Redis at 127.0.0.1:6379 (%v); testing the embedded one only", err)
	}
	return out
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
