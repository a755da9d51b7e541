// Package storetest gives tests the two Redis backends the service runs
// on: a real Redis (REDIS_URL, or 127.0.0.1:6379) and the embedded one.
//
// The service keeps some keys for every conversation at once (the queue,
// representatives' presence), so tests on the real Redis each use a
// database of their own, emptied when the test starts: databases 1 to 14
// of the Redis named by REDIS_URL belong to the tests, one per test
// process, leased in database 15 (see lease), so that two runs on one
// machine never share one; the DB constants say which each package tries
// first. Database 0, the service's, is left alone.
package storetest

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"helpline/internal/embedredis"
	"helpline/internal/store"
)

// The test databases, one per package whose tests use Redis, so that
// packages tested at the same time never see each other's keys.
const (
	DBStore    = 1
	DBChat     = 2
	DBConsole  = 3
	DBHandoff  = 4
	DBReps     = 5
	DBCommand  = 6
	DBBroker   = 7
	DBSemantic = 8
)

// Backend is one Redis to run a test against.
type Backend struct {
	Name   string
	Client redis.UniversalClient
	// URL reaches the same Redis and database (empty for the embedded
	// one), for a second client or a whole service.
	URL string
}

// Backends returns the embedded Redis and, when one answers, the real one
// at database db, emptied. With REDIS_URL set (as in CI) a real Redis that
// does not answer fails the test; without it, a missing local Redis only
// skips that backend.
func Backends(t testing.TB, db int) []Backend {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv, err := embedredis.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	emb, closeEmb, err := store.Connect(ctx, srv.URL(), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeEmb)
	out := []Backend{{Name: "embedded", Client: emb}}
	if b, ok := Real(t, db); ok {
		out = append(out, b)
	}
	return out
}

// Real returns the real Redis at database db, emptied, if one answers;
// as in Backends, with REDIS_URL set one must.
func Real(t testing.TB, db int) (Backend, bool) {
	t.Helper()
	if db < 1 || db > 15 {
		t.Fatalf("test database %d: use 1 to 15", db)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	env := os.Getenv("REDIS_URL")
	opts, err := redis.ParseURL(orDefault(env, "redis://127.0.0.1:6379/0"))
	if err != nil {
		t.Fatalf("REDIS_URL: %v", err)
	}
	probe := redis.NewClient(opts)
	err = probe.Ping(ctx).Err()
	probe.Close()
	switch {
	case err == nil:
	case env != "":
		t.Fatalf("REDIS_URL is set but Redis does not answer: %v", err)
	default:
		t.Logf("no Redis at 127.0.0.1:6379 (%v); testing the embedded one only", err)
		return Backend{}, false
	}
	opts.DB = lease(t, *opts, db)
	db = opts.DB
	u := redisURL(opts)
	real, closeReal, err := store.Connect(ctx, u, "")
	if err != nil {
		t.Fatalf("test database %d: %v", db, err)
	}
	t.Cleanup(closeReal)
	if err := real.FlushDB(ctx).Err(); err != nil {
		t.Fatalf("empty test database %d: %v", db, err)
	}
	return Backend{Name: "redis", Client: real, URL: u}, true
}

// A test process leases one database for its whole run, so that two runs
// on one machine (two developers' suites, a session's and CI's) never
// flush or read each other's keys: the lease is a key in database
// leaseDB, refreshed while the process lives and gone a minute after it
// ends. The package's own database is tried first.
const (
	leaseDB  = 15
	leaseTTL = time.Minute
)

var leased struct {
	sync.Mutex
	db int
}

func lease(t testing.TB, opts redis.Options, want int) int {
	t.Helper()
	leased.Lock()
	defer leased.Unlock()
	if leased.db != 0 {
		return leased.db
	}
	opts.DB = leaseDB
	ctl := redis.NewClient(&opts)
	token := fmt.Sprintf("%d-%d", os.Getpid(), time.Now().UnixNano())
	order := []int{want}
	for db := 1; db < leaseDB; db++ {
		if db != want {
			order = append(order, db)
		}
	}
	for _, db := range order {
		key := fmt.Sprintf("helpline:test:lease:%d", db)
		ok, err := ctl.SetNX(context.Background(), key, token, leaseTTL).Result()
		if err != nil {
			t.Fatalf("lease a test database: %v", err)
		}
		if !ok {
			continue
		}
		// Kept while this process runs; it ends with the process.
		go func() {
			for range time.Tick(leaseTTL / 3) {
				ctl.Expire(context.Background(), key, leaseTTL)
			}
		}()
		leased.db = db
		return db
	}
	ctl.Close()
	t.Fatalf("all %d test databases are leased by other test runs", leaseDB-1)
	return 0
}

func redisURL(o *redis.Options) string {
	scheme := "redis"
	if o.TLSConfig != nil {
		scheme = "rediss"
	}
	auth := ""
	if o.Username != "" || o.Password != "" {
		auth = o.Username + ":" + o.Password + "@"
	}
	return scheme + "://" + auth + o.Addr + "/" + itoa(o.DB)
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return "1" + string(rune('0'+n-10))
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
