// Package reps keeps the helpline's representatives in Redis: their
// accounts (bcrypt password hashes, roles), their console sessions, their
// presence, and the sign-in throttle that slows and then locks guessing.
package reps

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/redis/go-redis/v9"
	"golang.org/x/crypto/bcrypt"
)

// Role is what a representative may do.
type Role string

// The roles.
const (
	RoleRep        Role = "rep"
	RoleSupervisor Role = "supervisor"
)

// Rep is one account, without its password hash.
type Rep struct {
	Name     string
	Role     Role
	Disabled bool
	Created  time.Time
}

// Errors.
var (
	ErrExists    = errors.New("a representative with that name exists")
	ErrNotFound  = errors.New("no such representative")
	ErrBadName   = errors.New("a name is 2 to 40 letters, digits, spaces, dots, dashes or underscores")
	ErrBadSecret = errors.New("a password has at least 12 characters and at most 72 bytes")
	ErrBadLogin  = errors.New("wrong name or password")
	ErrNoSession = errors.New("not signed in")
	ErrDisabled  = errors.New("account disabled")
)

// LockedError says sign-in is locked for a while after repeated failures.
type LockedError struct{ RetryAfter time.Duration }

func (e *LockedError) Error() string {
	return fmt.Sprintf("too many failed sign-ins; try again in %s", e.RetryAfter.Round(time.Minute))
}

// Throttle bounds password guessing.
const (
	MaxFailures   = 5                // failures in Window that lock the account
	Window        = 15 * time.Minute // how long failures are remembered, and the lock lasts
	MaxIPFailures = 20               // failures from one address in Window that lock the address
	SessionTTL    = 12 * time.Hour
	bcryptCost    = 12
)

// Keys.
func repKey(name string) string      { return "hl:rep:" + strings.ToLower(name) }
func sessionKey(hash string) string  { return "hl:session:" + hash }
func sessionsKey(name string) string { return "hl:sessions:" + strings.ToLower(name) }
func failKey(name string) string     { return "hl:login:name:" + strings.ToLower(name) }
func failIPKey(ip string) string     { return "hl:login:ip:" + ip }

const (
	repsKey     = "hl:reps"
	presenceKey = "hl:presence"
)

// Store keeps representatives in Redis.
type Store struct {
	rdb redis.UniversalClient
	now func() time.Time
}

// New returns a store on rdb.
func New(rdb redis.UniversalClient) *Store { return &Store{rdb: rdb, now: time.Now} }

var nameRE = regexp.MustCompile(`^[\pL\pN][\pL\pN ._-]{0,38}[\pL\pN.]$`)

// Add creates an account.
func (s *Store) Add(ctx context.Context, name, password string, role Role) error {
	name = strings.TrimSpace(name)
	if !nameRE.MatchString(name) {
		return ErrBadName
	}
	if err := checkPassword(password); err != nil {
		return err
	}
	if role != RoleRep && role != RoleSupervisor {
		return fmt.Errorf("role %q: use rep or supervisor", role)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcryptCost)
	if err != nil {
		return fmt.Errorf("hash password: %w", err)
	}
	ok, err := s.rdb.HSetNX(ctx, repKey(name), "name", name).Result()
	if err != nil {
		return fmt.Errorf("add representative: %w", err)
	}
	if !ok {
		return ErrExists
	}
	if err := s.rdb.HSet(ctx, repKey(name), "role", string(role), "pw", string(hash), "disabled", "0", "created", s.now().UnixMilli()).Err(); err != nil {
		return fmt.Errorf("add representative: %w", err)
	}
	return s.rdb.SAdd(ctx, repsKey, strings.ToLower(name)).Err()
}

// Get returns an account.
func (s *Store) Get(ctx context.Context, name string) (Rep, error) {
	r, _, err := s.get(ctx, name)
	return r, err
}

func (s *Store) get(ctx context.Context, name string) (Rep, string, error) {
	m, err := s.rdb.HGetAll(ctx, repKey(name)).Result()
	if err != nil {
		return Rep{}, "", fmt.Errorf("read representative: %w", err)
	}
	if m["name"] == "" {
		return Rep{}, "", ErrNotFound
	}
	ms, _ := strconv.ParseInt(m["created"], 10, 64)
	return Rep{Name: m["name"], Role: Role(m["role"]), Disabled: m["disabled"] == "1", Created: time.UnixMilli(ms)}, m["pw"], nil
}

// List returns every account, by name.
func (s *Store) List(ctx context.Context) ([]Rep, error) {
	names, err := s.rdb.SMembers(ctx, repsKey).Result()
	if err != nil {
		return nil, fmt.Errorf("list representatives: %w", err)
	}
	sort.Strings(names)
	out := make([]Rep, 0, len(names))
	for _, n := range names {
		if r, err := s.Get(ctx, n); err == nil {
			out = append(out, r)
		}
	}
	return out, nil
}

// Count returns how many accounts there are.
func (s *Store) Count(ctx context.Context) (int64, error) {
	return s.rdb.SCard(ctx, repsKey).Result()
}

// SetPassword changes an account's password, lifts any sign-in lock and
// signs out every console of the account: a reset is often because the
// old password, or a session, was stolen.
func (s *Store) SetPassword(ctx context.Context, name, password string) error {
	if err := checkPassword(password); err != nil {
		return err
	}
	if _, err := s.Get(ctx, name); err != nil {
		return err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcryptCost)
	if err != nil {
		return fmt.Errorf("hash password: %w", err)
	}
	pipe := s.rdb.Pipeline()
	pipe.HSet(ctx, repKey(name), "pw", string(hash))
	pipe.Del(ctx, failKey(name))
	if _, err = pipe.Exec(ctx); err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	return s.endSessions(ctx, name)
}

// checkPassword enforces the length bcrypt can take.
func checkPassword(pw string) error {
	if utf8.RuneCountInString(pw) < 12 || len(pw) > 72 {
		return ErrBadSecret
	}
	return nil
}

// Disable stops an account from signing in and ends its sessions: an open
// console is closed at its next heartbeat. Enable lets it sign in again.
func (s *Store) Disable(ctx context.Context, name string) error { return s.setDisabled(ctx, name, "1") }

// Enable undoes Disable.
func (s *Store) Enable(ctx context.Context, name string) error { return s.setDisabled(ctx, name, "0") }

func (s *Store) setDisabled(ctx context.Context, name, v string) error {
	if _, err := s.Get(ctx, name); err != nil {
		return err
	}
	if err := s.rdb.HSet(ctx, repKey(name), "disabled", v).Err(); err != nil {
		return err
	}
	if v == "1" {
		return s.endSessions(ctx, name)
	}
	return nil
}

// Authenticate checks a name and password from address ip. Repeated
// failures are slowed by the caller (Delay) and then locked.
//
// Each attempt is counted as a failure before its password is checked,
// and uncounted if it was right, so that guesses sent in parallel cannot
// all pass the lock while bcrypt works on them.
func (s *Store) Authenticate(ctx context.Context, name, password, ip string) (Rep, error) {
	var counted []string
	for _, l := range []struct {
		key   string
		limit int
	}{{failKey(name), MaxFailures}, {failIPKey(ip), MaxIPFailures}} {
		res, err := attemptScript.Run(ctx, s.rdb, []string{l.key}, l.limit, Window.Milliseconds()).Int64Slice()
		if err != nil {
			s.uncount(ctx, counted...)
			return Rep{}, fmt.Errorf("count sign-in attempt: %w", err)
		}
		if res[0] == 0 {
			s.uncount(ctx, counted...) // a locked attempt is no failure
			return Rep{}, &LockedError{RetryAfter: max(time.Duration(res[1])*time.Millisecond, time.Minute)}
		}
		counted = append(counted, l.key)
	}
	r, hash, err := s.get(ctx, name)
	if errors.Is(err, ErrNotFound) {
		// Compare anyway, so a wrong name takes as long as a wrong password.
		bcrypt.CompareHashAndPassword(dummyHash(), []byte(password))
		return Rep{}, ErrBadLogin
	}
	if err != nil {
		s.uncount(ctx, counted...)
		return Rep{}, err
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
		return Rep{}, ErrBadLogin
	}
	s.uncount(ctx, counted...)
	if r.Disabled {
		return Rep{}, ErrDisabled
	}
	s.rdb.Del(ctx, failKey(name)) // a right password forgives the name's failures
	return r, nil
}

// attemptScript counts one attempt in KEYS[1] unless ARGV[1] attempts are
// counted already; the count lasts ARGV[2] ms after the last one. It
// returns {1, 0} when counted, or {0, ms until the lock ends}.
var attemptScript = redis.NewScript(`
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n >= tonumber(ARGV[1]) then return {0, redis.call('PTTL', KEYS[1])} end
redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {1, 0}
`)

// uncount takes back attempts that were not failures.
func (s *Store) uncount(ctx context.Context, keys ...string) {
	for _, k := range keys {
		uncountScript.Run(ctx, s.rdb, []string{k})
	}
}

var uncountScript = redis.NewScript(`
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then redis.call('DECR', KEYS[1]) end
return 0
`)

// dummyHash is compared against when the name is unknown. It is made on
// first use, not at start: a bcrypt hash costs a quarter of a second, and
// every command of the binary would pay it.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("not a real password"), bcryptCost)
	return h
})

// Failures returns how many recent failures a name has, for slowing the
// answer down.
func (s *Store) Failures(ctx context.Context, name string) int {
	n, _ := s.rdb.Get(ctx, failKey(name)).Int()
	return n
}

// Delay is how long to wait before answering a failed sign-in: longer with
// every failure, so guessing is slow long before the lock.
func Delay(failures int) time.Duration {
	return min(time.Duration(failures)*500*time.Millisecond, 3*time.Second)
}

// Session is a signed-in console.
type Session struct {
	Rep  string
	Role Role
}

// NewSession starts a session and returns its token (only its hash is
// stored).
func (s *Store) NewSession(ctx context.Context, r Rep) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	hash := hashToken(token)
	k := sessionKey(hash)
	// Separate keys may live on separate cluster nodes: a plain pipeline,
	// not a transaction.
	pipe := s.rdb.Pipeline()
	pipe.HSet(ctx, k, "rep", r.Name, "role", string(r.Role), "created", s.now().UnixMilli())
	pipe.PExpire(ctx, k, SessionTTL)
	pipe.SAdd(ctx, sessionsKey(r.Name), hash) // to end them all, on Disable
	pipe.PExpire(ctx, sessionsKey(r.Name), SessionTTL)
	if _, err := pipe.Exec(ctx); err != nil {
		return "", fmt.Errorf("start session: %w", err)
	}
	return token, nil
}

// Session returns the session a token names, checking that its account is
// still enabled.
func (s *Store) Session(ctx context.Context, token string) (Session, error) {
	if len(token) < 40 || len(token) > 60 {
		return Session{}, ErrNoSession
	}
	m, err := s.rdb.HGetAll(ctx, sessionKey(hashToken(token))).Result()
	if err != nil {
		return Session{}, fmt.Errorf("read session: %w", err)
	}
	if m["rep"] == "" {
		return Session{}, ErrNoSession
	}
	r, err := s.Get(ctx, m["rep"])
	if err != nil || r.Disabled {
		return Session{}, ErrNoSession
	}
	return Session{Rep: r.Name, Role: r.Role}, nil
}

// EndSession signs a console out.
func (s *Store) EndSession(ctx context.Context, token string) error {
	return s.rdb.Del(ctx, sessionKey(hashToken(token))).Err()
}

// endSessions signs out every console of an account.
func (s *Store) endSessions(ctx context.Context, name string) error {
	hashes, err := s.rdb.SMembers(ctx, sessionsKey(name)).Result()
	if err != nil {
		return fmt.Errorf("end sessions: %w", err)
	}
	for _, h := range hashes {
		if err := s.rdb.Del(ctx, sessionKey(h)).Err(); err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
	}
	return s.rdb.Del(ctx, sessionsKey(name)).Err()
}

func hashToken(t string) string {
	h := sha256.Sum256([]byte(t))
	return hex.EncodeToString(h[:])
}

// Presence.

// Status is a representative's availability.
type Status string

// The statuses.
const (
	Online  Status = "online"
	Away    Status = "away"
	Offline Status = "offline"
)

// Heartbeat records that a representative's console is alive, with its
// status.
func (s *Store) Heartbeat(ctx context.Context, name string, st Status) error {
	// Two keys in two cluster slots: a pipeline, not a transaction (which
	// a Redis Cluster refuses with CROSSSLOT). A status a moment behind
	// the heartbeat is harmless.
	pipe := s.rdb.Pipeline()
	pipe.ZAdd(ctx, presenceKey, redis.Z{Score: float64(s.now().UnixMilli()), Member: strings.ToLower(name)})
	pipe.HSet(ctx, repKey(name), "status", string(st))
	_, err := pipe.Exec(ctx)
	return err
}

// Left records that a console of the representative disconnected now.
// The grace before their conversations go back to the queue is counted
// from here, not from the last heartbeat, which may be a whole beat
// earlier. A representative no longer present (requeued, forgotten) is not
// added back.
func (s *Store) Left(ctx context.Context, name string) error {
	return s.rdb.ZAddXX(ctx, presenceKey, redis.Z{Score: float64(s.now().UnixMilli()), Member: strings.ToLower(name)}).Err()
}

// Presence returns every representative whose console has beaten within
// alive, with its status.
func (s *Store) Presence(ctx context.Context, alive time.Duration) (map[string]Status, error) {
	since := s.now().Add(-alive).UnixMilli()
	names, err := s.rdb.ZRangeByScore(ctx, presenceKey, &redis.ZRangeBy{Min: strconv.FormatInt(since, 10), Max: "+inf"}).Result()
	if err != nil {
		return nil, fmt.Errorf("read presence: %w", err)
	}
	// One round trip for every status, however many are online.
	pipe := s.rdb.Pipeline()
	cmds := make([]*redis.StringCmd, len(names))
	for i, n := range names {
		cmds[i] = pipe.HGet(ctx, repKey(n), "status")
	}
	if len(names) > 0 {
		pipe.Exec(ctx) // a missing status is redis.Nil: online
	}
	out := map[string]Status{}
	for i, n := range names {
		st := cmds[i].Val()
		if st == "" {
			st = string(Online)
		}
		out[n] = Status(st)
	}
	return out, nil
}

// Gone returns the representatives whose last heartbeat is older than
// grace: their consoles are gone.
func (s *Store) Gone(ctx context.Context, grace time.Duration) ([]string, error) {
	before := s.now().Add(-grace).UnixMilli()
	return s.rdb.ZRangeByScore(ctx, presenceKey, &redis.ZRangeBy{Min: "-inf", Max: "(" + strconv.FormatInt(before, 10)}).Result()
}

// Forget removes a representative from presence (after their
// conversations were handed on).
func (s *Store) Forget(ctx context.Context, name string) error {
	return s.rdb.ZRem(ctx, presenceKey, strings.ToLower(name)).Err()
}

// LogID stands for a representative in logs, which never hold names: the
// same account always gets the same short id, which the audit stream
// (where names are kept) can be matched against with this function.
func LogID(name string) string {
	h := sha256.Sum256([]byte("rep:" + strings.ToLower(strings.TrimSpace(name))))
	return "rep-" + hex.EncodeToString(h[:4])
}

// DisplayName is the name shown to visitors: the first word of the
// account name.
func DisplayName(name string) string {
	first, _, _ := strings.Cut(strings.TrimSpace(name), " ")
	return first
}
