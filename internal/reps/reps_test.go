package reps

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"helpline/internal/store/storetest"
)

// bcrypt at cost 12 takes a few hundred milliseconds per hash or compare,
// so these tests count their Add, SetPassword and Authenticate calls: the
// validation tests reach their answer before any hashing, and the lock
// tests add most failures through fail, which does not hash.

const (
	goodPW  = "correct horse battery"
	otherPW = "another long passphrase"
	ip1     = "192.0.2.1"
	ip2     = "198.51.100.7"
)

// eachBackend runs f against the embedded Redis and, when one answers, the
// real one, each with a fresh, empty database. The two run in parallel: they
// share nothing, and bcrypt keeps a core busy.
func eachBackend(t *testing.T, f func(t *testing.T, ctx context.Context, s *Store, rdb redis.UniversalClient)) {
	t.Helper()
	for _, b := range storetest.Backends(t, storetest.DBReps) {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			f(t, t.Context(), New(b.Client), b.Client)
		})
	}
}

// addRep adds an account or fails the test.
func addRep(t *testing.T, ctx context.Context, s *Store, name string, role Role) {
	t.Helper()
	if err := s.Add(ctx, name, goodPW, role); err != nil {
		t.Fatalf("Add(%q): %v", name, err)
	}
}

func TestAddValidatesName(t *testing.T) {
	// Add checks the name before the password, so a name it accepts is
	// answered with ErrBadSecret for a short password, and no hash is
	// computed either way.
	tests := []struct {
		name string
		ok   bool
	}{
		{"Al", true},
		{"Alice", true},
		{"Ann Lee", true},
		{"Mary-Jane O.", true},
		{"j.smith_2", true},
		{"José", true},
		{"Zoë Ødegaard", true},
		{"李小龙", true},
		{"R2", true},
		{"  Alice  ", true}, // trimmed first
		{strings.Repeat("a", 40), true},
		{"", false},
		{"A", false},
		{"   ", false},
		{strings.Repeat("a", 41), false},
		{".Al", false},
		{"-Al", false},
		{"_Al", false},
		{"Al-", false},
		{"Al_", false},
		{"Al ", true}, // trailing space is trimmed: "Al"
		{"Ann\tLee", false},
		{"Ann\nLee", false},
		{"al@example.org", false},
		{"<script>", false},
		{"Ann/Lee", false},
		{"Ann:Lee", false},
		{"Bob\u200bBob", false}, // zero-width space
		{"Zoe\u0308", false},    // combining mark: only letters and digits count
	}
	eachBackend(t, func(t *testing.T, ctx context.Context, s *Store, _ redis.UniversalClient) {
		for _, tt := range tests {
			err := s.Add(ctx, tt.name, "short", RoleRep)
			want := ErrBadName
			if tt.ok {
				want = ErrBadSecret
			}
			if !errors.Is(err, want) {
				t.Errorf("Add(%q, short password): got %v, want %v", tt.name, err, want)
			}
		}
		if n, err := s.Count(ctx); err != nil || n != 0 {
			t.Errorf("Count after only refused adds: got %d, %v; want 0", n, err)
		}
	})
}

func TestAddValidatesPasswordAndRole(t *testing.T) {
	tests := []struct {
		desc     string
		password string
		role     Role
		want     error // nil: any error is wanted, checked by wantText
		wantText string
	}{
		{"empty password", "", RoleRep, ErrBadSecret, ""},
		{"11 characters", "abcdefghijk", RoleRep, ErrBadSecret, ""},
		{"11 runes, more bytes", "ééééééééééé", RoleRep, ErrBadSecret, ""},
		{"no role", goodPW, "", nil, "role"},
		{"unknown role", goodPW, "admin", nil, "role"},
		{"role in capitals", goodPW, "Supervisor", nil, "role"},
		// bcrypt refuses more than 72 bytes; the account must not be
		// created with a silently truncated password.
		{"73 bytes", strings.Repeat("x", 73), RoleRep, ErrBadSecret, "72 bytes"},
	}
	eachBackend(t, func(t *testing.T, ctx context.Context, s *Store, _ redis.UniversalClient) {
		for _, tt := range tests {
			err := s.Add(ctx, "Alice", tt.password, tt.role)
			switch {
			case err == nil:
				t.Errorf("%s: Add succeeded, want an error", tt.desc)
			case tt.want != nil && !errors.Is(err, tt.want):
				t.Errorf("%s: got %v, want %v", tt.desc, err, tt.want)
			case !strings.Contains(err.Error(), tt.wantText):
				t.Errorf("%s: got %q, want it to mention %q", tt.desc, err, tt.wantText)
			}
		}
		if _, err := s.Get(ctx, "Alice"); !errors.Is(err, ErrNotFound) {
			t.Errorf("Get after only refused adds: got %v, want ErrNotFound", err)
		}
	})
}

func TestAddAndGet(t *testing.T) {
	created := time.Date(2025, 6, 1, 9, 30, 0, 123e6, time.UTC)
	eachBackend(t, func(t *testing.T, ctx context.Context, s *Store, _ redis.UniversalClient) {
		s.now = func() time.Time { return created }
		// 12 runes is enough, whatever the bytes.
		if err := s.Add(ctx, "  Zoë Lee ", "ünïcödé-pw12", RoleSupervisor); err != nil {
			t.Fatalf("Add: %v", err)
		}
		for _, lookup := range []string{"Zoë Lee", "zoë lee", "ZOË LEE"} {
			got, err := s.Get(ctx, lookup)
			if err != nil {
				t.Fatalf("Get(%q): %v", lookup, err)
			}
			want := Rep{Name: "Zoë Lee", Role: RoleSupervisor, Created: created}
			if got.Name != want.Name || got.Role != want.Role || got.Disabled || !got.Created.Equal(want.Created) {
				t.Errorf("Get(%q): got %+v, want %+v", lookup, got, want)
			}
		}
		for _, dup := range []string{"zoë lee", "ZOË LEE"} {
			if err := s.Add(ctx, dup, otherPW, RoleRep); !errors.Is(err, ErrExists) {
				t.Errorf("Add(%q) after Add(%q): got %v, want ErrExists", dup, "Zoë Lee", err)
			}
		}
		// The duplicate did not overwrite the first account.
		if got, err := s.Get(ctx, "Zoë Lee"); err != nil || got.Role != RoleSupervisor || got.Name != "Zoë Lee" {
			t.Errorf("Get after duplicate adds: got %+v, %v; want the supervisor Zoë Lee", got, err)
		}
		if _, err := s.Get(ctx, "Zoe Lee"); !errors.Is(err, ErrNotFound) {
			t.Errorf("Get(unknown): got %v, want ErrNotFound", err)
		}
		if n, err := s.Count(ctx); err != nil || n != 1 {
			t.Errorf("Count: got %d, %v; want 1", n, err)
		}
	})
}

func TestCountAndList(t *testing.T) {
	eachBackend(t, func(t *testing.T, ctx context.Context, s *Store, _ redis.UniversalClient) {
		if n, err := s.Count(ctx); err != nil || n != 0 {
			t.Fatalf("Count on an empty store: got %d, %v; want 0", n, err)
		}
		if l, err := s.List(ctx); err != nil || len(l) != 0 {
			t.Fatalf("List on an empty store: got %v, %v; want none", l, err)
		}
		addRep(t, ctx, s, "carol", RoleRep)
		addRep(t, ctx, s, "Bob", RoleSupervisor)
		addRep(t, ctx, s, "alice", RoleRep)
		if err := s.Disable(ctx, "BOB"); err != nil {
			t.Fatal(err)
		}
		if n, err := s.Count(ctx); err != nil || n != 3 {
			t.Errorf("Count: got %d, %v; want 3", n, err)
		}
		l, err := s.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		type row struct {
			Name     string
			Role     Role
			Disabled bool
		}
		var got []row
		for _, r := range l {
			got = append(got, row{r.Name, r.Role, r.Disabled})
		}
		want := []row{{"alice", RoleRep, false}, {"Bob", RoleSupervisor, true}, {"carol", RoleRep, false}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("List: got %+v, want %+v (by name, any case)", got, want)
		}
	})
}

func TestDisableEnableUnknown(t *testing.T) {
	eachBackend(t, func(t *testing.T, ctx context.Context, s *Store, rdb redis.UniversalClient) {
		if err := s.Disable(ctx, "nobody"); !errors.Is(err, ErrNotFound) {
			t.Errorf("Disable(unknown): got %v, want ErrNotFound", err)
		}
		if err := s.Enable(ctx, "nobody"); !errors.Is(err, ErrNotFound) {
			t.Errorf("Enable(unknown): got %v, want ErrNotFound", err)
		}
		if err := s.SetPassword(ctx, "nobody", goodPW); !errors.Is(err, ErrNotFound) {
			t.Errorf("SetPassword(unknown): got %v, want ErrNotFound", err)
		}
		if err := s.SetPassword(ctx, "nobody", "short"); !errors.Is(err, ErrBadSecret) {
			t.Errorf("SetPassword(short): got %v, want ErrBadSecret", err)
		}
		// None of them left an account behind.
		if keys, _ := rdb.Keys(ctx, "hl:rep:*").Result(); len(keys) != 0 {
			t.Errorf("keys after refused changes: got %v, want none", keys)
		}
	})
}

func TestAuthenticate(t *testing.T) {
	eachBackend(t, func(t *testing.T, ctx context.Context, s *Store, _ redis.UniversalClient) {
		addRep(t, ctx, s, "Dana", RoleSupervisor)

		r, err := s.Authenticate(ctx, "dana", goodPW, ip1)
		if err != nil {
			t.Fatalf("right password, name in another case: %v", err)
		}
		if r.Name != "Dana" || r.Role != RoleSupervisor {
			t.Errorf("Authenticate: got %+v, want Dana, supervisor", r)
		}

		if _, err := s.Authenticate(ctx, "Dana", goodPW+"x", ip1); !errors.Is(err, ErrBadLogin) {
			t.Errorf("wrong password: got %v, want ErrBadLogin", err)
		}
		if n := s.Failures(ctx, "DANA"); n != 1 {
			t.Errorf("Failures after one wrong password: got %d, want 1", n)
		}
		if _, err := s.Authenticate(ctx, "Dan", goodPW, ip1); !errors.Is(err, ErrBadLogin) {
			t.Errorf("wrong name: got %v, want ErrBadLogin (the same answer as a wrong password)", err)
		}

		if err := s.Disable(ctx, "Dana"); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Get(ctx, "Dana"); !got.Disabled {
			t.Errorf("Get after Disable: got %+v, want Disabled", got)
		}
		if _, err := s.Authenticate(ctx, "Dana", goodPW, ip1); !errors.Is(err, ErrDisabled) {
			t.Errorf("disabled, right password: got %v, want ErrDisabled", err)
		}
		if err := s.Enable(ctx, "Dana"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, "Dana", goodPW, ip1); err != nil {
			t.Errorf("enabled again, right password: got %v, want success", err)
		}
		if n := s.Failures(ctx, "Dana"); n != 0 {
			t.Errorf("Failures after a success: got %d, want 0", n)
		}
	})
}

func TestAccountLock(t *testing.T) {
	eachBackend(t, func(t *testing.T, ctx context.Context, s *Store, _ redis.UniversalClient) {
		addRep(t, ctx, s, "Eve", RoleRep)
		// From different addresses, so only the name's count can lock.
		for i := range MaxFailures {
			ip := fmt.Sprintf("203.0.113.%d", i)
			if _, err := s.Authenticate(ctx, "Eve", "wrong password "+ip, ip); !errors.Is(err, ErrBadLogin) {
				t.Fatalf("failure %d: got %v, want ErrBadLogin", i+1, err)
			}
		}
		if n := s.Failures(ctx, "eve"); n != MaxFailures {
			t.Errorf("Failures: got %d, want %d", n, MaxFailures)
		}
		for _, name := range []string{"Eve", "EVE"} {
			_, err := s.Authenticate(ctx, name, goodPW, ip2)
			var locked *LockedError
			if !errors.As(err, &locked) {
				t.Fatalf("right password for %q after %d failures: got %v, want *LockedError", name, MaxFailures, err)
			}
			if locked.RetryAfter < Window-time.Minute || locked.RetryAfter > Window {
				t.Errorf("RetryAfter: got %v, want about %v", locked.RetryAfter, Window)
			}
			if msg := locked.Error(); !strings.Contains(msg, "15m") {
				t.Errorf("LockedError message: got %q, want it to say 15m", msg)
			}
		}
		// Locked attempts are not counted as failures.
		if n := s.Failures(ctx, "Eve"); n != MaxFailures {
			t.Errorf("Failures after locked attempts: got %d, want %d", n, MaxFailures)
		}

		if err := s.SetPassword(ctx, "Eve", otherPW); err != nil {
			t.Fatalf("SetPassword: %v", err)
		}
		if n := s.Failures(ctx, "Eve"); n != 0 {
			t.Errorf("Failures after SetPassword: got %d, want 0", n)
		}
		if _, err := s.Authenticate(ctx, "Eve", otherPW, ip2); err != nil {
			t.Errorf("new password after SetPassword: got %v, want success", err)
		}
		if _, err := s.Authenticate(ctx, "Eve", goodPW, ip2); !errors.Is(err, ErrBadLogin) {
			t.Errorf("old password after SetPassword: got %v, want ErrBadLogin", err)
		}
	})
}

func TestAddressLock(t *testing.T) {
	eachBackend(t, func(t *testing.T, ctx context.Context, s *Store, _ redis.UniversalClient) {
		addRep(t, ctx, s, "Finn", RoleRep)
		// Guessing across many names from one address: each name stays
		// well under its own limit. The first failures go through fail
		// directly, to spare a bcrypt compare each.
		for i := range MaxIPFailures - 2 {
			s.fail(ctx, fmt.Sprintf("user%d", i), ip1)
		}
		if _, err := s.Authenticate(ctx, "nobody", goodPW, ip1); !errors.Is(err, ErrBadLogin) {
			t.Fatalf("wrong name: got %v, want ErrBadLogin", err)
		}
		// One failure short of the limit, the address may still sign in.
		if _, err := s.Authenticate(ctx, "Finn", goodPW, ip1); err != nil {
			t.Fatalf("right password with %d failures from the address: got %v, want success", MaxIPFailures-1, err)
		}
		if _, err := s.Authenticate(ctx, "Finn", "wrong", ip1); !errors.Is(err, ErrBadLogin) {
			t.Fatalf("wrong password: got %v, want ErrBadLogin", err)
		}
		for _, name := range []string{"Finn", "someone"} {
			_, err := s.Authenticate(ctx, name, goodPW, ip1)
			var locked *LockedError
			if !errors.As(err, &locked) {
				t.Errorf("%q from an address with %d failures: got %v, want *LockedError", name, MaxIPFailures, err)
			} else if locked.RetryAfter < Window-time.Minute || locked.RetryAfter > Window {
				t.Errorf("RetryAfter: got %v, want about %v", locked.RetryAfter, Window)
			}
		}
		// Another address is not locked, and neither is the name.
		if _, err := s.Authenticate(ctx, "Finn", goodPW, ip2); err != nil {
			t.Errorf("right password from another address: got %v, want success", err)
		}
	})
}

func TestLockHoldsUnderConcurrentGuessing(t *testing.T) {

	eachBackend(t, func(t *testing.T, ctx context.Context, s *Store, _ redis.UniversalClient) {
		addRep(t, ctx, s, "Gus", RoleRep)
		const guesses = 12
		var wg sync.WaitGroup
		errs := make(chan error, guesses)
		for i := range guesses {
			wg.Go(func() {
				_, err := s.Authenticate(ctx, "Gus", fmt.Sprintf("guess number %d", i), fmt.Sprintf("203.0.113.%d", i))
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		checked := 0
		for err := range errs {
			var locked *LockedError
			switch {
			case errors.Is(err, ErrBadLogin):
				checked++
			case errors.As(err, &locked):
			default:
				t.Errorf("guess: got %v, want ErrBadLogin or *LockedError", err)
			}
		}
		if checked > MaxFailures {
			t.Errorf("passwords checked for %d concurrent guesses: got %d, want at most %d", guesses, checked, MaxFailures)
		}
	})
}

func TestDelay(t *testing.T) {
	tests := []struct {
		failures int
		want     time.Duration
	}{
		{0, 0},
		{1, 500 * time.Millisecond},
		{2, time.Second},
		{5, 2500 * time.Millisecond},
		{6, 3 * time.Second},
		{7, 3 * time.Second},
		{MaxIPFailures, 3 * time.Second},
		{1000, 3 * time.Second},
	}
	for _, tt := range tests {
		if got := Delay(tt.failures); got != tt.want {
			t.Errorf("Delay(%d): got %v, want %v", tt.failures, got, tt.want)
		}
	}
	for n := 1; n <= 100; n++ {
		if Delay(n) < Delay(n-1) {
			t.Errorf("Delay(%d) = %v < Delay(%d) = %v: want it never to shrink", n, Delay(n), n-1, Delay(n-1))
		}
	}
}

func TestSessions(t *testing.T) {
	eachBackend(t, func(t *testing.T, ctx context.Context, s *Store, rdb redis.UniversalClient) {
		addRep(t, ctx, s, "Hana", RoleRep)
		r, err := s.Get(ctx, "Hana")
		if err != nil {
			t.Fatal(err)
		}
		token, err := s.NewSession(ctx, r)
		if err != nil {
			t.Fatalf("NewSession: %v", err)
		}
		other, err := s.NewSession(ctx, r)
		if err != nil {
			t.Fatalf("NewSession: %v", err)
		}
		if token == other {
			t.Fatalf("two sessions got the same token %q", token)
		}
		got, err := s.Session(ctx, token)
		if err != nil {
			t.Fatalf("Session: %v", err)
		}
		if want := (Session{Rep: "Hana", Role: RoleRep}); got != want {
			t.Errorf("Session: got %+v, want %+v", got, want)
		}

		// Only the SHA-256 of the token is kept, never the token.
		sum := sha256.Sum256([]byte(token))
		k := "hl:session:" + hex.EncodeToString(sum[:])
		ttl, err := rdb.PTTL(ctx, k).Result()
		if err != nil || ttl <= SessionTTL-time.Minute || ttl > SessionTTL {
			t.Errorf("PTTL of %s: got %v, %v; want about %v", k, ttl, err, SessionTTL)
		}
		assertNowhere(t, ctx, rdb, token)

		forged := []string{
			"",
			"x",
			token[:39],
			token[:len(token)-1],
			token + "A",
			strings.ToUpper(token),
			strings.Repeat("A", len(token)),
			strings.Repeat("A", 61),
			hex.EncodeToString(sum[:]), // the stored hash is not a token
			token + strings.Repeat("A", 100),
		}
		for _, f := range forged {
			if f == token {
				continue
			}
			if got, err := s.Session(ctx, f); !errors.Is(err, ErrNoSession) {
				t.Errorf("Session(%q): got %+v, %v; want ErrNoSession", f, got, err)
			}
		}

		// Signing out ends that session only.
		if err := s.EndSession(ctx, token); err != nil {
			t.Fatalf("EndSession: %v", err)
		}
		if _, err := s.Session(ctx, token); !errors.Is(err, ErrNoSession) {
			t.Errorf("Session after EndSession: got %v, want ErrNoSession", err)
		}
		if got, err := s.Session(ctx, other); err != nil || got.Rep != "Hana" {
			t.Errorf("other session after EndSession: got %+v, %v; want Hana's", got, err)
		}
		if err := s.EndSession(ctx, token); err != nil {
			t.Errorf("EndSession twice: got %v, want nil", err)
		}

		// A disabled account's sessions are refused.
		if err := s.Disable(ctx, "Hana"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Session(ctx, other); !errors.Is(err, ErrNoSession) {
			t.Errorf("Session of a disabled account: got %v, want ErrNoSession", err)
		}
	})
}

func TestSessionFollowsAccount(t *testing.T) {
	eachBackend(t, func(t *testing.T, ctx context.Context, s *Store, rdb redis.UniversalClient) {
		addRep(t, ctx, s, "Ian", RoleSupervisor)
		token, err := s.NewSession(ctx, Rep{Name: "Ian", Role: RoleSupervisor})
		if err != nil {
			t.Fatal(err)
		}
		// A role taken away applies to sessions already open.
		if err := rdb.HSet(ctx, repKey("Ian"), "role", string(RoleRep)).Err(); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Session(ctx, token); err != nil || got.Role != RoleRep {
			t.Errorf("Session after the role changed: got %+v, %v; want role rep", got, err)
		}
		// A session for an account that does not exist (or no longer does)
		// is refused.
		ghost, err := s.NewSession(ctx, Rep{Name: "Ghost", Role: RoleSupervisor})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := s.Session(ctx, ghost); !errors.Is(err, ErrNoSession) {
			t.Errorf("Session of an unknown account: got %+v, %v; want ErrNoSession", got, err)
		}
	})
}

func TestDisableEndsSessions(t *testing.T) {

	eachBackend(t, func(t *testing.T, ctx context.Context, s *Store, _ redis.UniversalClient) {
		addRep(t, ctx, s, "Jo", RoleRep)
		token, err := s.NewSession(ctx, Rep{Name: "Jo", Role: RoleRep})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Disable(ctx, "Jo"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Session(ctx, token); !errors.Is(err, ErrNoSession) {
			t.Fatalf("Session while disabled: got %v, want ErrNoSession", err)
		}
		if err := s.Enable(ctx, "Jo"); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Session(ctx, token); !errors.Is(err, ErrNoSession) {
			t.Errorf("session from before Disable, after Enable: got %+v, %v; want ErrNoSession (ended)", got, err)
		}
		// A new password signs out every console too.
		token, err = s.NewSession(ctx, Rep{Name: "Jo", Role: RoleRep})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SetPassword(ctx, "jo", "a brand new password"); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Session(ctx, token); !errors.Is(err, ErrNoSession) {
			t.Errorf("session from before SetPassword: got %+v, %v; want ErrNoSession", got, err)
		}
	})
}

// assertNowhere fails the test if secret appears in any key, field or value
// in the database.
func assertNowhere(t *testing.T, ctx context.Context, rdb redis.UniversalClient, secret string) {
	t.Helper()
	keys, err := rdb.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) == 0 {
		t.Fatal("no keys at all: nothing was stored")
	}
	for _, k := range keys {
		var blob string
		switch typ := rdb.Type(ctx, k).Val(); typ {
		case "string":
			blob = rdb.Get(ctx, k).Val()
		case "hash":
			blob = fmt.Sprint(rdb.HGetAll(ctx, k).Val())
		case "set":
			blob = fmt.Sprint(rdb.SMembers(ctx, k).Val())
		case "zset":
			blob = fmt.Sprint(rdb.ZRange(ctx, k, 0, -1).Val())
		case "list":
			blob = fmt.Sprint(rdb.LRange(ctx, k, 0, -1).Val())
		default:
			t.Errorf("key %s has type %s, which this check does not read", k, typ)
		}
		if strings.Contains(k, secret) || strings.Contains(blob, secret) {
			t.Errorf("the raw token is stored in key %s: %s", k, blob)
		}
	}
}

func TestPresence(t *testing.T) {
	t0 := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	eachBackend(t, func(t *testing.T, ctx context.Context, s *Store, _ redis.UniversalClient) {
		at := func(d time.Duration) { s.now = func() time.Time { return t0.Add(d) } }
		beat := func(name string, st Status) {
			t.Helper()
			if err := s.Heartbeat(ctx, name, st); err != nil {
				t.Fatalf("Heartbeat(%s): %v", name, err)
			}
		}
		presence := func(alive time.Duration) map[string]Status {
			t.Helper()
			p, err := s.Presence(ctx, alive)
			if err != nil {
				t.Fatalf("Presence: %v", err)
			}
			return p
		}
		gone := func(grace time.Duration) []string {
			t.Helper()
			g, err := s.Gone(ctx, grace)
			if err != nil {
				t.Fatalf("Gone: %v", err)
			}
			return g
		}

		if p := presence(45 * time.Second); len(p) != 0 {
			t.Errorf("Presence with no heartbeats: got %v, want none", p)
		}
		at(0)
		beat("Alice", Online)
		beat("bob", Away)
		beat("carol", "") // no status: counts as online

		at(30 * time.Second)
		beat("Bob", Offline) // the same console, any case; the newer status wins
		want := map[string]Status{"alice": Online, "bob": Offline, "carol": Online}
		if got := presence(45 * time.Second); !reflect.DeepEqual(got, want) {
			t.Errorf("Presence at +30s: got %v, want %v", got, want)
		}
		if g := gone(60 * time.Second); len(g) != 0 {
			t.Errorf("Gone at +30s: got %v, want none", g)
		}

		// At the edge: a heartbeat exactly alive ago still counts, and
		// exactly grace ago is not yet gone, so no one is both.
		at(60 * time.Second)
		if got := presence(60 * time.Second); !reflect.DeepEqual(got, want) {
			t.Errorf("Presence(60s) at +60s: got %v, want %v", got, want)
		}
		if g := gone(60 * time.Second); len(g) != 0 {
			t.Errorf("Gone(60s) at +60s: got %v, want none", g)
		}

		at(60*time.Second + time.Millisecond)
		if got, want := presence(60*time.Second), map[string]Status{"bob": Offline}; !reflect.DeepEqual(got, want) {
			t.Errorf("Presence(60s) at +60.001s: got %v, want %v", got, want)
		}
		if got, want := gone(60*time.Second), []string{"alice", "carol"}; !reflect.DeepEqual(got, want) {
			t.Errorf("Gone(60s) at +60.001s: got %v, want %v", got, want)
		}

		// Forgotten consoles are neither present nor gone; the others stay.
		if err := s.Forget(ctx, "ALICE"); err != nil {
			t.Fatal(err)
		}
		if err := s.Forget(ctx, "nobody"); err != nil {
			t.Errorf("Forget(unknown): %v", err)
		}
		if got, want := gone(60*time.Second), []string{"carol"}; !reflect.DeepEqual(got, want) {
			t.Errorf("Gone after Forget(alice): got %v, want %v", got, want)
		}
		if got := presence(time.Hour); len(got) != 2 || got["alice"] != "" {
			t.Errorf("Presence(1h) after Forget(alice): got %v, want bob and carol", got)
		}

		// A new heartbeat brings a forgotten console back.
		beat("alice", Online)
		if got := presence(time.Second); !reflect.DeepEqual(got, map[string]Status{"alice": Online}) {
			t.Errorf("Presence(1s) after alice's new heartbeat: got %v, want alice only", got)
		}
	})
}

func TestDisplayName(t *testing.T) {
	tests := []struct{ name, want string }{
		{"Ann", "Ann"},
		{"Ann Lee", "Ann"},
		{"Ann  Lee", "Ann"},
		{"  Ann Lee  ", "Ann"},
		{"Mary-Jane Watson", "Mary-Jane"},
		{"j.smith_2", "j.smith_2"},
		{"José María Pérez", "José"},
		{"李小龙", "李小龙"},
		{"", ""},
		{"   ", ""},
	}
	for _, tt := range tests {
		if got := DisplayName(tt.name); got != tt.want {
			t.Errorf("DisplayName(%q): got %q, want %q", tt.name, got, tt.want)
		}
	}
}

// fail counts a failed sign-in without checking a password (bcrypt is
// slow): what Authenticate does for a wrong one.
func (s *Store) fail(ctx context.Context, name, ip string) {
	for _, k := range []string{failKey(name), failIPKey(ip)} {
		attemptScript.Run(ctx, s.rdb, []string{k}, 1<<30, Window.Milliseconds())
	}
}

// TestLogID: logs name a representative by a stable id that is not the
// name.
func TestLogID(t *testing.T) {
	id := LogID("Ana Lopez")
	if id != LogID(" ana lopez ") || id == LogID("Ana Lopes") {
		t.Errorf("LogID not stable per account: %q", id)
	}
	if strings.Contains(strings.ToLower(id), "ana") || !strings.HasPrefix(id, "rep-") || len(id) != 12 {
		t.Errorf("LogID(%q) = %q", "Ana Lopez", id)
	}
}
