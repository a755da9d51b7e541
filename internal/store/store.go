package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"helpline/internal/conversation"
)

// The refusals of a conversation's operations (and, rate limits,
// conversation.RateLimited, made for each with its retry time).
var (
	errNotFound = conversation.Errorf(conversation.NotFound, "conversation not found")
	errClosed   = conversation.Errorf(conversation.Closed, "conversation is closed")
)

// Options bound what the store keeps.
type Options struct {
	// Retention is how long a conversation lives after its last activity.
	Retention time.Duration
	// RatePerMinute bounds a conversation's visitor messages per minute.
	RatePerMinute int
	// MaxMessages bounds the messages kept per conversation (oldest go).
	MaxMessages int
	// VisitorAlive is how recent a visitor connection's beat must be for
	// the visitor to count as online (60s); connections beat more often.
	VisitorAlive time.Duration
	// Now is the clock for queue times and activity; nil is time.Now.
	// Message times are Redis's own (stream ids).
	Now func() time.Time
}

// Store keeps conversations in Redis. It is safe for concurrent use.
type Store struct {
	rdb     redis.UniversalClient
	opts    Options
	now     func() time.Time
	sharded bool // events by SPUBLISH: see Sharded
}

// New returns a store on rdb.
func New(rdb redis.UniversalClient, opts Options) *Store {
	if opts.MaxMessages == 0 {
		opts.MaxMessages = 10000
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.VisitorAlive == 0 {
		opts.VisitorAlive = time.Minute
	}
	return &Store{rdb: rdb, opts: opts, now: opts.Now, sharded: Sharded(rdb)}
}

// Client returns the Redis client, for readiness checks.
func (s *Store) Client() redis.UniversalClient { return s.rdb }

const rateWindow = 60 // seconds

// Create starts a new conversation and returns it with its token: the
// conversation id and a random secret, of which only a hash is stored.
func (s *Store) Create(ctx context.Context) (conversation.Conversation, string, error) {
	id, err := randomString(16)
	if err != nil {
		return conversation.Conversation{}, "", err
	}
	secret, err := randomString(24)
	if err != nil {
		return conversation.Conversation{}, "", err
	}
	now := s.now()
	k := keysFor(id)
	if err := s.eval(ctx, createScript, k.list(), string(conversation.StateBot), now.UnixMilli(), hashSecret(secret), s.opts.Retention.Milliseconds()).Err(); err != nil {
		return conversation.Conversation{}, "", fmt.Errorf("create conversation: %w", err)
	}
	return conversation.Conversation{ID: id, State: conversation.StateBot, Created: now, Last: now}, id + "." + secret, nil
}

// Open returns the conversation a token opens, refreshing its retention.
// A token that is malformed, unknown or forged is conversation.NotFound: the caller
// cannot tell which, and learns nothing about other conversations.
func (s *Store) Open(ctx context.Context, token string) (conversation.Conversation, error) {
	id, secret, ok := strings.Cut(token, ".")
	if !ok || !validID(id) || secret == "" || len(token) > 200 {
		return conversation.Conversation{}, errNotFound
	}
	c, tokenHash, err := s.get(ctx, id)
	if err != nil {
		return conversation.Conversation{}, err
	}
	want, _ := hex.DecodeString(tokenHash)
	got := sha256.Sum256([]byte(secret))
	if subtle.ConstantTimeCompare(want, got[:]) != 1 {
		return conversation.Conversation{}, errNotFound
	}
	return c, nil
}

// Get returns a conversation by id, refreshing its retention.
func (s *Store) Get(ctx context.Context, id string) (conversation.Conversation, error) {
	c, _, err := s.get(ctx, id)
	return c, err
}

// get returns a conversation by id, refreshing its retention, and the hash
// of its token's secret, which only Open compares.
func (s *Store) get(ctx context.Context, id string) (c conversation.Conversation, tokenHash string, err error) {
	if !validID(id) {
		return conversation.Conversation{}, "", errNotFound
	}
	res, err := s.eval(ctx, openScript, keysFor(id).list(), s.opts.Retention.Milliseconds()).StringSlice()
	if errors.Is(err, redis.Nil) || (err == nil && len(res) == 0) {
		return conversation.Conversation{}, "", errNotFound
	}
	if err != nil {
		return conversation.Conversation{}, "", fmt.Errorf("open conversation: %w", err)
	}
	c = conversation.Conversation{ID: id}
	for i := 0; i+1 < len(res); i += 2 {
		switch v := res[i+1]; res[i] {
		case "state":
			c.State = conversation.State(v)
		case "created":
			c.Created = fromMillis(v)
		case "last":
			c.Last = fromMillis(v)
		case "tok":
			tokenHash = v
		case "ctx":
			c.Context = []byte(v)
		case "risk_kind":
			c.RiskKind = v
		case "risk_level":
			c.RiskLevel = v
		case "holder":
			c.Holder = v
		case "left":
			c.Left = fromMillis(v)
		}
	}
	return c, tokenHash, nil
}

// Added is what storing a visitor's message found and did.
type Added struct {
	// ID is the stored message's id; Dup says the message was a retry of
	// one already stored, whose id it is.
	ID  string
	Dup bool
	// Context and State are the conversation's answer context and state
	// as they were before the message, which is what answering it needs.
	Context []byte
	State   conversation.State
	// Claimed says the claim asked for is the caller's: nobody else is
	// answering the message.
	Claimed bool
}

// Claim asks AddVisitor to claim the answering of the message for Owner,
// for TTL, in the same round trip. Of any number of instances handling
// the same message at once (a visitor's retry after a reconnect to
// another instance, while the first is still waiting for the language
// model), exactly one wins. A claim lives only as long as an answer may
// take, not as long as the conversation: once the reply is stored, the
// reply itself shows the message is answered (a retry finds a message
// after it); and should the instance holding the claim die before storing
// a reply, a retry after TTL is answered, rather than never. Nothing is
// claimed while a representative holds the conversation, nor with no
// Owner.
type Claim struct {
	Owner string
	TTL   time.Duration
}

// AddVisitor stores a visitor's message. A retry with a client id already
// stored returns the stored message's id with Dup set, and stores nothing.
func (s *Store) AddVisitor(ctx context.Context, conv, clientID, text string, claim Claim) (Added, error) {
	res, err := s.eval(ctx, visitorScript, append(keysFor(conv).list(), answeringKey(conv, clientID)),
		clientID, text, s.now().UnixMilli(), s.opts.Retention.Milliseconds(),
		s.opts.RatePerMinute, rateWindow, s.opts.MaxMessages,
		msgEvent(conversation.FromVisitor, text, clientID, nil),
		claim.Owner, max(claim.TTL.Milliseconds(), 1)).StringSlice()
	if err != nil {
		return Added{}, fmt.Errorf("store visitor message: %w", err)
	}
	switch res[0] {
	case "gone":
		return Added{}, errNotFound
	case "closed":
		return Added{State: conversation.StateClosed}, errClosed
	case "limited":
		secs, _ := strconv.Atoi(res[1])
		return Added{}, &conversation.Error{Code: conversation.RateLimited, Message: "too many messages",
			RetryAfter: time.Duration(max(secs, 1)) * time.Second}
	}
	return Added{ID: res[1], Dup: res[0] == "dup", Context: []byte(res[2]), State: conversation.State(res[3]), Claimed: res[4] == "1"}, nil
}

// AddReply stores a reply and returns its id.
func (s *Store) AddReply(ctx context.Context, conv string, r conversation.Reply) (string, error) {
	res, err := s.eval(ctx, replyScript, keysFor(conv).list(),
		string(r.From), r.Text, string(r.Meta), string(r.Context), r.RiskKind, r.RiskLevel, string(r.State),
		s.now().UnixMilli(), s.opts.Retention.Milliseconds(), s.opts.MaxMessages,
		msgEvent(r.From, r.Text, "", r.Meta), stateEvent(r.State, "")).StringSlice()
	if err != nil {
		return "", fmt.Errorf("store %s message: %w", r.From, err)
	}
	if res[0] == "gone" {
		return "", errNotFound
	}
	return res[1], nil
}

// SetState changes a conversation's state.
func (s *Store) SetState(ctx context.Context, conv string, state conversation.State) error {
	n, err := s.eval(ctx, stateScript, keysFor(conv).list(), string(state), s.now().UnixMilli(), s.opts.Retention.Milliseconds(),
		stateEvent(state, "")).Int()
	if err != nil {
		return fmt.Errorf("set state: %w", err)
	}
	if n == 0 {
		return errNotFound
	}
	return nil
}

// SetContext replaces a conversation's answer context without a reply:
// while a representative answers, the bot says nothing, but the safety
// screen still reads each message in the light of the ones before.
func (s *Store) SetContext(ctx context.Context, conv string, answerCtx []byte) error {
	if err := s.eval(ctx, contextScript, keysFor(conv).list(), string(answerCtx)).Err(); err != nil {
		return fmt.Errorf("set answer context: %w", err)
	}
	return nil
}

// Delete removes a conversation at once, with every trace of it: its
// messages, notes and requests' details, and its place in the queue, the
// live list, its representative's held set and the request stream.
func (s *Store) Delete(ctx context.Context, conv string) error {
	k := keysFor(conv)
	// The script returns what points at the conversation from outside its
	// keys, read as it deletes them.
	traces, err := s.eval(ctx, deleteScript, k.list(), conversation.EncodeEvent(conversation.Event{Type: "deleted"})).StringSlice()
	if err != nil {
		return fmt.Errorf("delete conversation: %w", err)
	}
	holder, reqs := traces[0], traces[1:]
	// Each on its own key (its own slot in a cluster).
	pipe := s.rdb.Pipeline()
	pipe.ZRem(ctx, queueKey, conv)
	pipe.ZRem(ctx, activeKey, conv)
	if holder != "" {
		pipe.SRem(ctx, heldKey(holder), conv)
	}
	if len(reqs) > 0 {
		pipe.XDel(ctx, requestsKey, reqs...)
		pipe.HDel(ctx, requestsDone, reqs...)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("delete conversation's traces: %w", err)
	}
	s.consoleEvent(ctx, conversation.Event{Type: "queue"})
	s.consoleEvent(ctx, conversation.Event{Type: "live"})
	if len(reqs) > 0 {
		s.consoleEvent(ctx, conversation.Event{Type: "requests"})
	}
	return nil
}

// Messages returns up to limit messages after the message id after (all
// from the start when after is empty), oldest first.
func (s *Store) Messages(ctx context.Context, conv, after string, limit int64) ([]conversation.Message, error) {
	start := "-"
	if after != "" {
		if _, _, ok := conversation.ParseID(after); !ok {
			return nil, conversation.Errorf(conversation.Invalid, "bad message id %q", after)
		}
		start = "(" + after
	}
	xs, err := s.rdb.XRangeN(ctx, keysFor(conv).msgs, start, "+", limit).Result()
	if err != nil {
		return nil, fmt.Errorf("read messages: %w", err)
	}
	out := make([]conversation.Message, 0, len(xs))
	for _, x := range xs {
		out = append(out, messageOf(x.ID, x.Values))
	}
	return out, nil
}

// LastMessages returns up to n of a conversation's latest messages,
// newest first.
func (s *Store) LastMessages(ctx context.Context, conv string, n int64) ([]conversation.Message, error) {
	xs, err := s.rdb.XRevRangeN(ctx, keysFor(conv).msgs, "+", "-", n).Result()
	if err != nil {
		return nil, fmt.Errorf("read latest messages: %w", err)
	}
	out := make([]conversation.Message, 0, len(xs))
	for _, x := range xs {
		out = append(out, messageOf(x.ID, x.Values))
	}
	return out, nil
}

func messageOf(id string, v map[string]any) conversation.Message {
	str := func(k string) string { s, _ := v[k].(string); return s }
	m := conversation.Message{ID: id, Time: conversation.TimeOf(id), From: conversation.Sender(str("from")), Text: str("text"), ClientID: str("cid")}
	if meta := str("meta"); meta != "" {
		m.Meta = json.RawMessage(meta)
	}
	return m
}

func fromMillis(s string) time.Time {
	ms, _ := strconv.ParseInt(s, 10, 64)
	return time.UnixMilli(ms).UTC()
}

func randomString(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func hashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// validID reports whether s can be a conversation id: base64url, the
// length ours have. Anything else never reaches Redis.
func validID(s string) bool {
	if len(s) != 22 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
