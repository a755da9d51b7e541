package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Priority orders the queue: emergencies first, then urgent risks, then
// everyone else; within a priority, whoever has waited longest.
type Priority string

// The priorities.
const (
	PriorityEmergency Priority = "emergency"
	PriorityUrgent    Priority = "urgent"
	PriorityNormal    Priority = "normal"
)

// PriorityOf maps a risk level to a queue priority.
func PriorityOf(riskLevel string) Priority {
	switch riskLevel {
	case "emergency":
		return PriorityEmergency
	case "urgent":
		return PriorityUrgent
	}
	return PriorityNormal
}

func (p Priority) rank() float64 {
	switch p {
	case PriorityEmergency:
		return 1
	case PriorityUrgent:
		return 2
	}
	return 3
}

// queueScore sorts by priority, then by the time the wait began; the time
// fits in 13 digits of milliseconds.
func queueScore(p Priority, queued int64) float64 { return p.rank()*1e13 + float64(queued) }

// Hand-off errors.
var (
	ErrTaken     = errors.New("someone else took it first")
	ErrNotHolder = errors.New("another representative holds this conversation")
	ErrNotHeld   = errors.New("no representative holds this conversation")
	ErrNotWaitng = errors.New("this conversation is not waiting for a person")
)

// HandoffStatus is what asking for a person did.
type HandoffStatus string

// The outcomes of Enqueue.
const (
	Queued        HandoffStatus = "ok"      // now waiting
	AlreadyQueued HandoffStatus = "waiting" // was waiting; kept its place
	AlreadyHeld   HandoffStatus = "held"    // a representative has it
)

func (s *Store) run(ctx context.Context, sc *script, conv string, args ...any) ([]string, error) {
	now := s.now().UnixMilli()
	all := append([]any{now, s.opts.Retention.Milliseconds(), s.opts.MaxMessages}, args...)
	res, err := s.eval(ctx, sc, keysFor(conv).list(), all...).StringSlice()
	if err != nil {
		return nil, err
	}
	if res[0] == "gone" {
		return nil, ErrNotFound
	}
	if res[0] == "closed" {
		return nil, ErrClosed
	}
	return res, nil
}

// Enqueue asks for a person for a conversation with the given priority and
// reason; say is the system message the visitor sees, and riskKind, with
// the evidence, what raised the priority. A conversation already waiting
// keeps its place and takes the more urgent priority.
func (s *Store) Enqueue(ctx context.Context, conv string, p Priority, reason, say, riskKind string, evidence []string) (HandoffStatus, error) {
	ev := ""
	if len(evidence) > 0 {
		b, _ := json.Marshal(evidence)
		ev = string(b)
	}
	res, err := s.run(ctx, enqueueScript, conv, string(p), reason, say, ev)
	if err != nil {
		return "", fmt.Errorf("enqueue: %w", err)
	}
	st := HandoffStatus(res[0])
	if st == Queued || st == AlreadyQueued {
		queued, _ := strconv.ParseInt(res[1], 10, 64)
		if err := s.rdb.ZAdd(ctx, queueKey, redis.Z{Score: queueScore(Priority(res[2]), queued), Member: conv}).Err(); err != nil {
			return "", fmt.Errorf("enqueue: %w", err)
		}
		s.consoleEvent(ctx, consoleEvent{T: "queue"})
		if st == Queued && p != PriorityNormal {
			s.consoleEvent(ctx, consoleEvent{T: "alert", Conv: conv, Priority: string(p), Kind: riskKind})
		}
	}
	return st, nil
}

// EnsureQueued puts a waiting conversation that is missing from the queue
// back in it, at the place it had, and reports whether it was missing.
// Asking for a person is two steps, because in a Redis Cluster the
// conversation and the queue live on different slots: an instance that
// dies between them leaves a visitor waiting but unqueued, and the
// visitor's reconnection, on another instance, repairs it here. A
// conversation claimed meanwhile may be added back as a stale entry, which
// the queue already skips and TakeNext removes.
func (s *Store) EnsureQueued(ctx context.Context, conv string) (bool, error) {
	v, err := s.rdb.HMGet(ctx, keysFor(conv).conv, "state", "prio", "queued").Result()
	if err != nil {
		return false, fmt.Errorf("ensure queued: %w", err)
	}
	str := func(i int) string { s, _ := v[i].(string); return s }
	if str(0) != string(StateWaiting) {
		return false, nil
	}
	queued, _ := strconv.ParseInt(str(2), 10, 64)
	n, err := s.rdb.ZAddNX(ctx, queueKey, redis.Z{Score: queueScore(Priority(str(1)), queued), Member: conv}).Result()
	if err != nil {
		return false, fmt.Errorf("ensure queued: %w", err)
	}
	if n > 0 {
		s.consoleEvent(ctx, consoleEvent{T: "queue"})
	}
	return n > 0, nil
}

// Claim gives a conversation to rep: one waiting for a person, or, with
// takeover, one the bot is answering. Of many representatives claiming
// the same conversation at once, exactly one succeeds; the others get
// ErrTaken. say is the system message the visitor sees.
func (s *Store) Claim(ctx context.Context, conv, rep, say string, takeover bool) error {
	flag := ""
	if takeover {
		flag = "1"
	}
	res, err := s.run(ctx, claimScript, conv, rep, say, flag)
	if err != nil {
		return fmt.Errorf("claim: %w", err)
	}
	switch res[0] {
	case "taken":
		return ErrTaken
	case "not_waiting":
		return ErrNotWaitng
	}
	queued, _ := strconv.ParseInt(res[1], 10, 64)
	pipe := s.rdb.Pipeline()
	pipe.ZRem(ctx, queueKey, conv)
	pipe.SAdd(ctx, heldKey(rep), conv)
	if len(res) > 3 && res[3] == string(StateWaiting) {
		pipe.LPush(ctx, waitsKey, s.now().UnixMilli()-queued)
		pipe.LTrim(ctx, waitsKey, 0, recentWaits-1)
		s.recordWait(ctx, pipe, Priority(res[2]), time.Duration(s.now().UnixMilli()-queued)*time.Millisecond)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("claim: %w", err)
	}
	s.consoleEvent(ctx, consoleEvent{T: "queue"})
	return nil
}

// recentWaits is how many recent waits estimate the next one.
const recentWaits = 50

// TakeNext claims the most urgent waiting conversation for rep and returns
// its id, or "" when nobody waits. say makes the system message.
func (s *Store) TakeNext(ctx context.Context, rep, say string) (string, error) {
	for attempt := 0; attempt < 5; attempt++ {
		convs, err := s.rdb.ZRange(ctx, queueKey, 0, 9).Result()
		if err != nil {
			return "", fmt.Errorf("take next: %w", err)
		}
		if len(convs) == 0 {
			return "", nil
		}
		for _, conv := range convs {
			err := s.Claim(ctx, conv, rep, say, false)
			switch {
			case err == nil:
				return conv, nil
			case errors.Is(err, ErrTaken):
				// Someone was faster; the next one, then.
			case errors.Is(err, ErrNotWaitng), errors.Is(err, ErrNotFound), errors.Is(err, ErrClosed):
				s.rdb.ZRem(ctx, queueKey, conv) // stale: not waiting any more
			default:
				return "", err
			}
		}
	}
	return "", nil
}

// RepSays stores a representative's message; only the holder may write.
// clientID makes a retry safe, as for visitors.
func (s *Store) RepSays(ctx context.Context, conv, rep, clientID, text string, meta json.RawMessage) (string, error) {
	res, err := s.run(ctx, repScript, conv, rep, text, string(meta), clientID)
	if err != nil {
		return "", fmt.Errorf("representative message: %w", err)
	}
	if res[0] == "not_holder" {
		return "", ErrNotHolder
	}
	return res[1], nil
}

// Release ends rep's hold on a conversation: to StateBot (hand back),
// StateClosed (close, with an outcome) or StateWaiting (the representative
// is gone: back to the front of the queue at the original priority). A
// supervisor may release any conversation.
func (s *Store) Release(ctx context.Context, conv, rep string, to State, supervisor bool, say, outcome string) error {
	sup := ""
	if supervisor {
		sup = "1"
	}
	res, err := s.run(ctx, releaseScript, conv, rep, string(to), sup, say, outcome)
	if err != nil {
		return fmt.Errorf("release: %w", err)
	}
	switch res[0] {
	case "not_held":
		return ErrNotHeld
	case "not_holder":
		return ErrNotHolder
	}
	holder := ""
	if len(res) > 3 {
		holder = res[3]
	}
	pipe := s.rdb.Pipeline()
	if holder != "" {
		pipe.SRem(ctx, heldKey(holder), conv)
	}
	if to == StateWaiting {
		queued, _ := strconv.ParseInt(res[1], 10, 64)
		pipe.ZAdd(ctx, queueKey, redis.Z{Score: queueScore(Priority(res[2]), queued), Member: conv})
	}
	if to == StateClosed {
		pipe.ZRem(ctx, queueKey, conv)
		if outcome != "" {
			s.recordOutcome(ctx, pipe, outcome)
		}
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("release: %w", err)
	}
	s.consoleEvent(ctx, consoleEvent{T: "queue"})
	return nil
}

// Transfer gives a held conversation from one representative to another.
func (s *Store) Transfer(ctx context.Context, conv, from, to string, supervisor bool, say string) error {
	sup := ""
	if supervisor {
		sup = "1"
	}
	res, err := s.run(ctx, transferScript, conv, from, to, sup, say)
	if err != nil {
		return fmt.Errorf("transfer: %w", err)
	}
	switch res[0] {
	case "not_held":
		return ErrNotHeld
	case "not_holder":
		return ErrNotHolder
	}
	pipe := s.rdb.Pipeline()
	pipe.SRem(ctx, heldKey(res[1]), conv)
	pipe.SAdd(ctx, heldKey(to), conv)
	_, err = pipe.Exec(ctx)
	return err
}

// Held returns the conversations a representative holds.
func (s *Store) Held(ctx context.Context, rep string) ([]string, error) {
	return s.rdb.SMembers(ctx, heldKey(rep)).Result()
}

// QueueItem is one waiting conversation.
type QueueItem struct {
	Conv     string
	Priority Priority
	Queued   time.Time
	Reason   string
	RiskKind string
}

// Queue returns up to n waiting conversations, most urgent first.
func (s *Store) Queue(ctx context.Context, n int64) ([]QueueItem, error) {
	convs, err := s.rdb.ZRange(ctx, queueKey, 0, n-1).Result()
	if err != nil {
		return nil, fmt.Errorf("read queue: %w", err)
	}
	pipe := s.rdb.Pipeline()
	cmds := make([]*redis.SliceCmd, len(convs))
	for i, c := range convs {
		cmds[i] = pipe.HMGet(ctx, keysFor(c).conv, "prio", "queued", "reason", "risk_kind", "state")
	}
	if len(convs) > 0 {
		pipe.Exec(ctx)
	}
	out := make([]QueueItem, 0, len(convs))
	for i, c := range convs {
		v, err := cmds[i].Result()
		if err != nil || v[4] != string(StateWaiting) {
			continue
		}
		str := func(x any) string { s, _ := x.(string); return s }
		out = append(out, QueueItem{Conv: c, Priority: Priority(str(v[0])), Queued: fromMillis(str(v[1])), Reason: str(v[2]), RiskKind: str(v[3])})
	}
	return out, nil
}

// Position returns a waiting conversation's place in line, from 1, or 0.
func (s *Store) Position(ctx context.Context, conv string) (int, error) {
	r, err := s.rdb.ZRank(ctx, queueKey, conv).Result()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	return int(r) + 1, err
}

// Waiting returns every waiting conversation, in queue order.
func (s *Store) Waiting(ctx context.Context) ([]string, error) {
	return s.rdb.ZRange(ctx, queueKey, 0, -1).Result()
}

// WaitingN returns the first n waiting conversations, in queue order: what
// a console shows, read without the rest of a long queue.
func (s *Store) WaitingN(ctx context.Context, n int) ([]string, error) {
	return s.rdb.ZRange(ctx, queueKey, 0, int64(n)-1).Result()
}

// RecentWaits returns how long recent visitors waited for a person.
func (s *Store) RecentWaits(ctx context.Context) ([]time.Duration, error) {
	vs, err := s.rdb.LRange(ctx, waitsKey, 0, recentWaits-1).Result()
	if err != nil {
		return nil, err
	}
	out := make([]time.Duration, 0, len(vs))
	for _, v := range vs {
		ms, _ := strconv.ParseInt(v, 10, 64)
		out = append(out, time.Duration(ms)*time.Millisecond)
	}
	return out, nil
}

// EstimateWait estimates how long the visitor at position pos will wait:
// the median of recent waits, once per turn of the available
// representatives. With no history it returns zero (unknown).
func EstimateWait(recent []time.Duration, pos, available int) time.Duration {
	if len(recent) == 0 || pos <= 0 {
		return 0
	}
	sorted := append([]time.Duration(nil), recent...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	median := sorted[len(sorted)/2]
	turns := (pos + max(available, 1) - 1) / max(available, 1)
	return median * time.Duration(turns)
}

// Note is a representative's private note.
type Note struct {
	ID   string    `json:"id"`
	Time time.Time `json:"time"`
	Rep  string    `json:"rep"`
	Text string    `json:"text"`
}

// AddNote stores a private note; it reaches consoles only.
func (s *Store) AddNote(ctx context.Context, conv, rep, text string) (Note, error) {
	res, err := s.eval(ctx, noteScript, keysFor(conv).list(), s.now().UnixMilli(), s.opts.Retention.Milliseconds(), rep, text).StringSlice()
	if err != nil {
		return Note{}, fmt.Errorf("add note: %w", err)
	}
	if res[0] == "gone" {
		return Note{}, ErrNotFound
	}
	return Note{ID: res[1], Time: TimeOf(res[1]), Rep: rep, Text: text}, nil
}

// Notes returns a conversation's private notes, oldest first.
func (s *Store) Notes(ctx context.Context, conv string) ([]Note, error) {
	xs, err := s.rdb.XRange(ctx, keysFor(conv).notes, "-", "+").Result()
	if err != nil {
		return nil, fmt.Errorf("read notes: %w", err)
	}
	out := make([]Note, 0, len(xs))
	for _, x := range xs {
		rep, _ := x.Values["rep"].(string)
		text, _ := x.Values["text"].(string)
		out = append(out, Note{ID: x.ID, Time: TimeOf(x.ID), Rep: rep, Text: text})
	}
	return out, nil
}

// HandoffInfo is what a representative's summary needs beyond messages.
type HandoffInfo struct {
	Reason   string
	Priority Priority
	Queued   time.Time
	Claimed  time.Time
	Holder   string
	Evidence []string
	Details  map[string]string
	Outcome  string
}

// Handoff returns a conversation's hand-off details.
func (s *Store) Handoff(ctx context.Context, conv string) (HandoffInfo, error) {
	v, err := s.rdb.HMGet(ctx, keysFor(conv).conv, "reason", "prio", "queued", "claimed", "holder", "evidence", "details", "outcome").Result()
	if err != nil {
		return HandoffInfo{}, err
	}
	str := func(i int) string { s, _ := v[i].(string); return s }
	h := HandoffInfo{Reason: str(0), Priority: Priority(str(1)), Queued: fromMillis(str(2)), Claimed: fromMillis(str(3)), Holder: str(4), Outcome: str(7)}
	json.Unmarshal([]byte(str(5)), &h.Evidence)
	json.Unmarshal([]byte(str(6)), &h.Details)
	return h, nil
}

// AddDetails records details the visitor gave (insurer, state, callback
// number), for the representative's summary.
func (s *Store) AddDetails(ctx context.Context, conv string, details map[string]string) error {
	h, err := s.Handoff(ctx, conv)
	if err != nil {
		return err
	}
	if h.Details == nil {
		h.Details = map[string]string{}
	}
	for k, v := range details {
		h.Details[k] = v
	}
	b, _ := json.Marshal(h.Details)
	return s.rdb.HSet(ctx, keysFor(conv).conv, "details", string(b)).Err()
}

// MarkActive records a conversation's activity for the console's list of
// live conversations.
func (s *Store) MarkActive(ctx context.Context, conv string) error {
	added, err := s.rdb.ZAdd(ctx, activeKey, redis.Z{Score: float64(s.now().UnixMilli()), Member: conv}).Result()
	if err != nil {
		return err
	}
	if added > 0 { // a conversation the consoles do not list yet
		s.consoleEvent(ctx, consoleEvent{T: "live"})
	}
	return nil
}

// ActiveWindow is how recent a conversation's activity must be for the
// consoles' live list.
const ActiveWindow = 30 * time.Minute

// Active returns up to n conversations active within ActiveWindow, most
// recent first.
func (s *Store) Active(ctx context.Context, n int64) ([]string, error) {
	since := s.now().Add(-ActiveWindow).UnixMilli()
	return s.rdb.ZRevRangeByScore(ctx, activeKey, &redis.ZRangeBy{Min: strconv.FormatInt(since, 10), Max: "+inf", Count: n}).Result()
}

// TrimActive forgets conversations not active within ActiveWindow. The
// janitor calls it, so the list stays small whether or not a console
// reads it, and reading it writes nothing.
func (s *Store) TrimActive(ctx context.Context) error {
	since := s.now().Add(-ActiveWindow).UnixMilli()
	return s.rdb.ZRemRangeByScore(ctx, activeKey, "-inf", "("+strconv.FormatInt(since, 10)).Err()
}

// Audit records what a representative did.
func (s *Store) Audit(ctx context.Context, rep, action, conv, detail string) error {
	return s.rdb.XAdd(ctx, &redis.XAddArgs{Stream: auditKey, MaxLen: 100000, Approx: true,
		Values: []any{"rep", rep, "action", action, "conv", conv, "detail", detail}}).Err()
}

// AuditEntry is one line of the audit stream.
type AuditEntry struct {
	ID, Rep, Action, Conv, Detail string
	Time                          time.Time
}

// AuditLog returns the most recent audit entries, newest first.
func (s *Store) AuditLog(ctx context.Context, n int64) ([]AuditEntry, error) {
	xs, err := s.rdb.XRevRangeN(ctx, auditKey, "+", "-", n).Result()
	if err != nil {
		return nil, err
	}
	out := make([]AuditEntry, 0, len(xs))
	for _, x := range xs {
		str := func(k string) string { s, _ := x.Values[k].(string); return s }
		out = append(out, AuditEntry{ID: x.ID, Time: TimeOf(x.ID), Rep: str("rep"), Action: str("action"), Conv: str("conv"), Detail: str("detail")})
	}
	return out, nil
}

// Request is a callback or insurance-check request.
type Request struct {
	ID       string    `json:"id"`
	Kind     string    `json:"kind"` // callback or insurance
	Conv     string    `json:"conversation"`
	Time     time.Time `json:"time"`
	Name     string    `json:"name,omitempty"`
	Phone    string    `json:"phone,omitempty"`
	BestTime string    `json:"best_time,omitempty"`
	Insurer  string    `json:"insurer,omitempty"`
	State    string    `json:"state,omitempty"`
}

// requestDetails is what a request holds of the person: kept with its
// conversation, never in the shared stream.
type requestDetails struct {
	Name     string `json:"name,omitempty"`
	Phone    string `json:"phone,omitempty"`
	BestTime string `json:"best_time,omitempty"`
	Insurer  string `json:"insurer,omitempty"`
	State    string `json:"state,omitempty"`
}

// AddRequest stores a request for the next representative. The shared
// stream says only which conversation asked for what; the name, number
// and insurer live with the conversation, expire with it and go when it
// is deleted. A request for a conversation that no longer exists is
// refused (ErrNotFound): its details would outlive it.
func (s *Store) AddRequest(ctx context.Context, r Request) (string, error) {
	if r.Conv == "" {
		return "", errors.New("store request: no conversation")
	}
	id, err := s.rdb.XAdd(ctx, &redis.XAddArgs{Stream: requestsKey, MaxLen: 100000, Approx: true, Values: []any{
		"kind", r.Kind, "conv", r.Conv,
	}}).Result()
	if err != nil {
		return "", fmt.Errorf("store request: %w", err)
	}
	details, _ := json.Marshal(requestDetails{Name: r.Name, Phone: r.Phone, BestTime: r.BestTime, Insurer: r.Insurer, State: r.State})
	kept, err := s.eval(ctx, requestScript, keysFor(r.Conv).list(), id, string(details)).Int()
	if err != nil || kept == 0 {
		s.rdb.XDel(ctx, requestsKey, id)
		if err == nil {
			err = ErrNotFound
		}
		return "", fmt.Errorf("store request: %w", err)
	}
	s.consoleEvent(ctx, consoleEvent{T: "requests"})
	return id, nil
}

// OpenRequests returns up to n requests not yet handled (all with n <= 0),
// oldest first. A handled request leaves the stream (RequestDone), so the
// stream holds the open ones and a console reads what it shows, not the
// history.
func (s *Store) OpenRequests(ctx context.Context, n int) ([]Request, error) {
	var xs []redis.XMessage
	var err error
	if n > 0 {
		xs, err = s.rdb.XRangeN(ctx, requestsKey, "-", "+", int64(n)).Result()
	} else {
		xs, err = s.rdb.XRange(ctx, requestsKey, "-", "+").Result()
	}
	if err != nil {
		return nil, err
	}
	// Entries an earlier version marked done without removing them.
	ids := make([]string, len(xs))
	for i, x := range xs {
		ids[i] = x.ID
	}
	var done []any
	if len(ids) > 0 {
		if done, err = s.rdb.HMGet(ctx, requestsDone, ids...).Result(); err != nil {
			return nil, err
		}
	}
	var open []redis.XMessage
	for i, x := range xs {
		if done[i] == nil {
			open = append(open, x)
		}
	}
	// The details, each from its conversation; a request whose
	// conversation was deleted or expired has none, and is not shown.
	pipe := s.rdb.Pipeline()
	gets := make([]*redis.StringCmd, len(open))
	for i, x := range open {
		conv, _ := x.Values["conv"].(string)
		gets[i] = pipe.HGet(ctx, keysFor(conv).reqs, x.ID)
	}
	if len(open) > 0 {
		if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
			return nil, err
		}
	}
	var out []Request
	for i, x := range open {
		str := func(k string) string { s, _ := x.Values[k].(string); return s }
		var d requestDetails
		raw, err := gets[i].Result()
		switch {
		case err == nil:
			json.Unmarshal([]byte(raw), &d)
		case str("phone") != "" || str("insurer") != "":
			// Written by an earlier version, with the details in the
			// stream; they go with TrimRequests.
			d = requestDetails{Name: str("name"), Phone: str("phone"), BestTime: str("best_time"), Insurer: str("insurer"), State: str("state")}
		default:
			continue
		}
		out = append(out, Request{ID: x.ID, Kind: str("kind"), Conv: str("conv"), Time: TimeOf(x.ID), Name: d.Name,
			Phone: d.Phone, BestTime: d.BestTime, Insurer: d.Insurer, State: d.State})
	}
	return out, nil
}

// RequestDone marks a request handled by rep.
func (s *Store) RequestDone(ctx context.Context, id, rep string) error {
	if _, _, ok := ParseID(id); !ok {
		return fmt.Errorf("bad request id %q", id)
	}
	xs, err := s.rdb.XRange(ctx, requestsKey, id, id).Result()
	if err != nil {
		return err
	}
	if err := s.rdb.HSet(ctx, requestsDone, id, rep).Err(); err != nil {
		return err
	}
	// Handled: out of the stream, and its details out of the conversation.
	s.rdb.XDel(ctx, requestsKey, id)
	if len(xs) == 1 {
		if conv, _ := xs[0].Values["conv"].(string); conv != "" {
			s.rdb.HDel(ctx, keysFor(conv).reqs, id)
		}
	}
	s.consoleEvent(ctx, consoleEvent{T: "requests"})
	return nil
}

// TrimRequests forgets requests older than the retention: callers' names
// and numbers are kept no longer than their conversations.
func (s *Store) TrimRequests(ctx context.Context) error {
	minID := strconv.FormatInt(s.now().Add(-s.opts.Retention).UnixMilli(), 10) + "-0"
	if err := s.rdb.XTrimMinID(ctx, requestsKey, minID).Err(); err != nil {
		return err
	}
	done, err := s.rdb.HKeys(ctx, requestsDone).Result()
	if err != nil {
		return err
	}
	for _, id := range done {
		if After(minID, id) {
			s.rdb.HDel(ctx, requestsDone, id)
		}
	}
	return nil
}

// TryLock takes a short lock that only one instance holds at a time, for
// work that one instance should do (the janitor). It reports whether this
// caller got it.
func (s *Store) TryLock(ctx context.Context, owner string, ttl time.Duration) bool {
	ok, err := s.rdb.SetNX(ctx, janitorLock, owner, ttl).Result()
	return err == nil && ok
}

// consoleEvent is published on the console channel.
type consoleEvent struct {
	T        string `json:"t"`
	Conv     string `json:"conv,omitempty"`
	Priority string `json:"priority,omitempty"`
	Kind     string `json:"kind,omitempty"`
}

func (s *Store) consoleEvent(ctx context.Context, e consoleEvent) {
	b, _ := json.Marshal(e)
	s.publish(ctx, ConsoleChannel, string(b))
}

// Publish sends an event that is not stored (typing, a place in line) to a
// conversation's visitor channel, or with rep set to its representatives'
// channel.
func (s *Store) Publish(ctx context.Context, conv string, rep bool, ev map[string]any) error {
	ch := keysFor(conv).events
	if rep {
		ch = keysFor(conv).rep
	}
	b, _ := json.Marshal(ev)
	return s.publish(ctx, ch, string(b))
}

// MarkRisk records a risk without a reply (a representative is answering)
// and alerts the consoles.
func (s *Store) MarkRisk(ctx context.Context, conv, kind, level string, evidence []string) error {
	b, _ := json.Marshal(evidence)
	if _, err := s.run(ctx, riskScript, conv, kind, level, string(b)); err != nil {
		return fmt.Errorf("mark risk: %w", err)
	}
	s.consoleEvent(ctx, consoleEvent{T: "alert", Conv: conv, Priority: string(PriorityOf(level)), Kind: kind})
	return nil
}

// Overview is what the console's lists show of a conversation.
type Overview struct {
	Conv      string
	State     State
	Holder    string
	Last      time.Time
	RiskKind  string
	RiskLevel string
	Priority  Priority
	Reason    string
	Queued    time.Time
	// Preview is the visitor's latest message, shortened.
	Preview string
	// VisitorOnline says whether the visitor has a connection open now;
	// VisitorSeen is when they were last connected (zero if never
	// recorded).
	VisitorOnline bool
	VisitorSeen   time.Time
	// Left is when the visitor, gone, was taken out of the queue (zero if
	// not); Requeued and Returned when the conversation went back to the
	// queue because its representative was gone, or at its old place
	// because its visitor came back.
	Left, Requeued, Returned time.Time
}

// previewRunes bounds a preview: enough to tell conversations apart.
const previewRunes = 120

// Overviews returns the overview of each conversation that still exists,
// in the order given, in two round trips however many there are.
func (s *Store) Overviews(ctx context.Context, convs []string) ([]Overview, error) {
	if len(convs) == 0 {
		return nil, nil
	}
	pipe := s.rdb.Pipeline()
	fields := make([]*redis.SliceCmd, len(convs))
	recent := make([]*redis.XMessageSliceCmd, len(convs))
	online := make([]*redis.IntCmd, len(convs))
	alive := strconv.FormatInt(s.now().Add(-s.opts.VisitorAlive).UnixMilli(), 10)
	for i, c := range convs {
		k := keysFor(c)
		fields[i] = pipe.HMGet(ctx, k.conv, "state", "holder", "last", "risk_kind", "risk_level", "prio", "reason", "queued",
			"seen", "left", "requeued", "returned")
		recent[i] = pipe.XRevRangeN(ctx, k.msgs, "+", "-", 10)
		online[i] = pipe.ZCount(ctx, k.conns, alive, "+inf")
	}
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("read overviews: %w", err)
	}
	out := make([]Overview, 0, len(convs))
	for i, c := range convs {
		v, err := fields[i].Result()
		if err != nil || v[0] == nil {
			continue // gone
		}
		str := func(i int) string { s, _ := v[i].(string); return s }
		o := Overview{Conv: c, State: State(str(0)), Holder: str(1), Last: fromMillis(str(2)), RiskKind: str(3), RiskLevel: str(4),
			Priority: Priority(str(5)), Reason: str(6), Queued: fromMillis(str(7)), VisitorOnline: online[i].Val() > 0}
		for j, t := range []*time.Time{&o.VisitorSeen, &o.Left, &o.Requeued, &o.Returned} {
			if v := str(8 + j); v != "" {
				*t = fromMillis(v)
			}
		}
		if o.State != StateRep {
			o.Holder = ""
		}
		msgs, _ := recent[i].Result()
		for _, x := range msgs {
			if m := messageOf(x.ID, x.Values); m.From == FromVisitor {
				o.Preview = shorten(m.Text, previewRunes)
				break
			}
		}
		out = append(out, o)
	}
	return out, nil
}

// shorten cuts text to at most n runes, on a word boundary when one is
// near, marking the cut.
func shorten(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	r := []rune(text)
	if len(r) <= n {
		return text
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i]
	}
	return cut + "…"
}

// Unhold forgets a conversation in a representative's list of held ones,
// once it is no longer theirs (the visitor ended it, say).
func (s *Store) Unhold(ctx context.Context, rep, conv string) error {
	return s.rdb.SRem(ctx, heldKey(rep), conv).Err()
}

// Dequeue forgets a conversation in the queue that no longer waits.
func (s *Store) Dequeue(ctx context.Context, conv string) error {
	return s.rdb.ZRem(ctx, queueKey, conv).Err()
}
