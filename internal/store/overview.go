package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"helpline/internal/conversation"
)

// What the consoles' lists read: the conversations active lately, and an
// overview of each.

// MarkActive records a conversation's activity for the console's list of
// live conversations.
func (s *Store) MarkActive(ctx context.Context, conv string) error {
	added, err := s.rdb.ZAdd(ctx, activeKey, redis.Z{Score: float64(s.now().UnixMilli()), Member: conv}).Result()
	if err != nil {
		return err
	}
	if added > 0 { // a conversation the consoles do not list yet
		s.consoleEvent(ctx, conversation.Event{Type: "live"})
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

// previewRunes bounds a preview: enough to tell conversations apart.
const previewRunes = 120

// Overviews returns the overview of each conversation that still exists,
// in the order given, in two round trips however many there are.
func (s *Store) Overviews(ctx context.Context, convs []string) ([]conversation.Overview, error) {
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
	out := make([]conversation.Overview, 0, len(convs))
	for i, c := range convs {
		v, err := fields[i].Result()
		if err != nil || v[0] == nil {
			continue // gone
		}
		str := func(i int) string { s, _ := v[i].(string); return s }
		o := conversation.Overview{Conv: c, State: conversation.State(str(0)), Holder: str(1), Last: fromMillis(str(2)), RiskKind: str(3), RiskLevel: str(4),
			Priority: conversation.Priority(str(5)), Reason: str(6), Queued: fromMillis(str(7)), VisitorOnline: online[i].Val() > 0}
		for j, t := range []*time.Time{&o.VisitorSeen, &o.Left, &o.Requeued, &o.Returned} {
			if v := str(8 + j); v != "" {
				*t = fromMillis(v)
			}
		}
		if o.State != conversation.StateRep {
			o.Holder = ""
		}
		msgs, _ := recent[i].Result()
		for _, x := range msgs {
			if m := messageOf(x.ID, x.Values); m.From == conversation.FromVisitor {
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
