package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"helpline/internal/conversation"
)

// The director's figures, kept in Redis so that every instance reads the
// same: each wait for a person when it ends (a representative takes the
// conversation from the queue) and each close with its outcome. Both are
// sorted sets by time, trimmed to figuresKept; members carry no text, and
// no conversation id either: a figure is a count, and a deleted
// conversation must leave no trace (each member is made unique by a
// random tag instead).

// figuresKept is how long waits and outcomes are kept for the figures.
const figuresKept = 8 * 24 * time.Hour

// recordWait adds a finished wait to the figures, in a pipeline.
func (s *Store) recordWait(ctx context.Context, pipe redis.Pipeliner, p conversation.Priority, wait time.Duration) {
	now := s.now()
	pipe.ZAdd(ctx, statsWaitsKey, redis.Z{Score: float64(now.UnixMilli()), Member: figureTag() + ":" + string(p) + ":" + strconv.FormatInt(wait.Milliseconds(), 10)})
	pipe.ZRemRangeByScore(ctx, statsWaitsKey, "-inf", "("+strconv.FormatInt(now.Add(-figuresKept).UnixMilli(), 10))
}

// figureTag makes a figure's member unique.
func figureTag() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// recordOutcome adds a close to the figures.
func (s *Store) recordOutcome(ctx context.Context, pipe redis.Pipeliner, outcome string) {
	now := s.now()
	pipe.ZAdd(ctx, statsOutcomesKey, redis.Z{Score: float64(now.UnixMilli()), Member: figureTag() + ":" + outcome})
	pipe.ZRemRangeByScore(ctx, statsOutcomesKey, "-inf", "("+strconv.FormatInt(now.Add(-figuresKept).UnixMilli(), 10))
}

// Figures are the director's figures for a span of time, from every
// instance.
type Figures struct {
	Since time.Time `json:"since"`
	// Waits are the finished waits for a person, by priority, and All of
	// them; Crisis are the emergency and urgent ones together.
	Waits  map[conversation.Priority]WaitFigures `json:"waits"`
	All    WaitFigures                           `json:"all"`
	Crisis WaitFigures                           `json:"crisis"`
	// Outcomes counts the conversations closed, by outcome.
	Outcomes map[string]int `json:"outcomes"`
	// Referred is Outcomes["referred"]: referred to treatment.
	Referred int `json:"referred"`
	// CallbacksOpen counts the callback requests not yet handled, and
	// InsuranceOpen the insurance checks.
	CallbacksOpen int `json:"callbacks_open"`
	InsuranceOpen int `json:"insurance_open"`
	// Queue is the queue now: how many wait, by priority, and the oldest
	// wait, in seconds.
	Queue map[conversation.Priority]QueueFigures `json:"queue"`
}

// WaitFigures sum up waits for a person.
type WaitFigures struct {
	Count         int     `json:"count"`
	MedianSeconds float64 `json:"median_seconds"`
	P90Seconds    float64 `json:"p90_seconds"`
	MaxSeconds    float64 `json:"max_seconds"`
}

// QueueFigures are one priority's queue now.
type QueueFigures struct {
	Waiting       int     `json:"waiting"`
	OldestSeconds float64 `json:"oldest_seconds"`
}

func waitFigures(ws []time.Duration) WaitFigures {
	if len(ws) == 0 {
		return WaitFigures{}
	}
	sort.Slice(ws, func(i, j int) bool { return ws[i] < ws[j] })
	at := func(q float64) float64 { return ws[min(len(ws)-1, int(q*float64(len(ws))))].Seconds() }
	med := ws[len(ws)/2].Seconds()
	if len(ws)%2 == 0 {
		med = (ws[len(ws)/2-1] + ws[len(ws)/2]).Seconds() / 2
	}
	return WaitFigures{Count: len(ws), MedianSeconds: med, P90Seconds: at(0.9), MaxSeconds: ws[len(ws)-1].Seconds()}
}

// FiguresSince returns the figures since a time (the waits and outcomes
// since then, and the queue and requests now).
func (s *Store) FiguresSince(ctx context.Context, since time.Time) (Figures, error) {
	from := strconv.FormatInt(since.UnixMilli(), 10)
	pipe := s.rdb.Pipeline()
	waits := pipe.ZRangeByScore(ctx, statsWaitsKey, &redis.ZRangeBy{Min: from, Max: "+inf"})
	outs := pipe.ZRangeByScore(ctx, statsOutcomesKey, &redis.ZRangeBy{Min: from, Max: "+inf"})
	if _, err := pipe.Exec(ctx); err != nil {
		return Figures{}, fmt.Errorf("read figures: %w", err)
	}
	f := Figures{Since: since.UTC(), Waits: map[conversation.Priority]WaitFigures{}, Outcomes: map[string]int{}, Queue: map[conversation.Priority]QueueFigures{}}
	by := map[conversation.Priority][]time.Duration{}
	var all, crisis []time.Duration
	for _, m := range waits.Val() {
		parts := strings.Split(m, ":")
		if len(parts) != 3 {
			continue
		}
		ms, err := strconv.ParseInt(parts[2], 10, 64)
		if err != nil {
			continue
		}
		p, d := conversation.Priority(parts[1]), time.Duration(ms)*time.Millisecond
		by[p] = append(by[p], d)
		all = append(all, d)
		if p == conversation.PriorityEmergency || p == conversation.PriorityUrgent {
			crisis = append(crisis, d)
		}
	}
	for _, p := range []conversation.Priority{conversation.PriorityEmergency, conversation.PriorityUrgent, conversation.PriorityNormal} {
		f.Waits[p] = waitFigures(by[p])
	}
	f.All, f.Crisis = waitFigures(all), waitFigures(crisis)
	for _, m := range outs.Val() {
		if i := strings.LastIndexByte(m, ':'); i > 0 {
			f.Outcomes[m[i+1:]]++
		}
	}
	f.Referred = f.Outcomes["referred"]
	reqs, err := s.OpenRequests(ctx, 0)
	if err != nil {
		return Figures{}, fmt.Errorf("read figures: %w", err)
	}
	for _, r := range reqs {
		switch r.Kind {
		case "callback":
			f.CallbacksOpen++
		case "insurance":
			f.InsuranceOpen++
		}
	}
	q, err := s.QueueNow(ctx)
	if err != nil {
		return Figures{}, err
	}
	f.Queue = q
	return f, nil
}

// QueueNow returns how many wait, by priority, and each priority's oldest
// wait.
func (s *Store) QueueNow(ctx context.Context) (map[conversation.Priority]QueueFigures, error) {
	items, err := s.Queue(ctx, 10000)
	if err != nil {
		return nil, fmt.Errorf("read the queue's figures: %w", err)
	}
	out := map[conversation.Priority]QueueFigures{conversation.PriorityEmergency: {}, conversation.PriorityUrgent: {}, conversation.PriorityNormal: {}}
	now := s.now()
	for _, it := range items {
		p := it.Priority
		if _, ok := out[p]; !ok {
			p = conversation.PriorityNormal
		}
		q := out[p]
		q.Waiting++
		q.OldestSeconds = max(q.OldestSeconds, now.Sub(it.Queued).Seconds())
		out[p] = q
	}
	return out, nil
}
