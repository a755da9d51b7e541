package handoff

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"helpline/internal/conversation"
	"helpline/internal/reps"
)

// Janitor does, on one instance at a time, the work no request triggers:
// a representative whose console has been gone longer than the grace
// period has their conversations put back at the front of the queue, at
// their original priority; a waiting visitor with no connection for
// longer than the visitor grace leaves the queue; waiting visitors are
// told when their place in line changes, and why when it got worse; old
// requests are forgotten.
type Janitor struct {
	s     *Service
	id    string
	every time.Duration
	ticks int
}

// NewJanitor returns a janitor that runs every interval.
func (s *Service) NewJanitor(every time.Duration) *Janitor {
	b := make([]byte, 8)
	rand.Read(b)
	return &Janitor{s: s, id: hex.EncodeToString(b), every: every}
}

// Run works until ctx ends.
func (j *Janitor) Run(ctx context.Context) {
	t := time.NewTicker(j.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if j.s.store.TryLock(ctx, j.id, j.every-j.every/10) {
				j.Tick(ctx)
			}
		}
	}
}

// Tick does one round of the work.
func (j *Janitor) Tick(ctx context.Context) {
	j.requeueGone(ctx)
	j.leaveGone(ctx)
	j.tellPlaces(ctx)
	if err := j.s.store.TrimActive(ctx); err != nil {
		j.s.log.Warn("trim the live list", "err", err)
	}
	if j.ticks++; j.ticks%12 == 0 {
		if err := j.s.store.TrimRequests(ctx); err != nil {
			j.s.log.Warn("trim requests", "err", err)
		}
	}
}

func (j *Janitor) requeueGone(ctx context.Context) {
	gone, err := j.s.reps.Gone(ctx, j.s.opts.Grace)
	if err != nil {
		j.s.log.Error("presence", "err", err)
		return
	}
	for _, rep := range gone {
		held, err := j.s.store.Held(ctx, rep)
		if err != nil {
			continue
		}
		for _, conv := range held {
			err := j.s.store.Release(ctx, conv, rep, conversation.StateWaiting, false, j.s.Text(textRepGone), "")
			if err != nil {
				j.s.log.Warn("requeue", "conv", conv, "rep", reps.LogID(rep), "err", err)
				continue
			}
			j.s.store.Audit(ctx, rep, "requeued_after_disconnect", conv, "")
			j.s.log.Info("requeued after the representative's console was gone", "conv", conv, "rep", reps.LogID(rep))
		}
		j.s.reps.Forget(ctx, rep)
	}
}

// leaveGone takes out of the queue the waiting visitors who have had no
// connection open for longer than the visitor grace.
func (j *Janitor) leaveGone(ctx context.Context) {
	waiting, err := j.s.store.Waiting(ctx)
	if err != nil || len(waiting) == 0 {
		return
	}
	all, err := j.s.store.Overviews(ctx, waiting)
	if err != nil {
		j.s.log.Warn("visitor presence", "err", err)
		return
	}
	cutoff := j.s.now().Add(-j.s.opts.VisitorGrace)
	for _, o := range all {
		seen := o.VisitorSeen
		if seen.IsZero() {
			seen = o.Last
		}
		if o.State != conversation.StateWaiting || o.VisitorOnline || seen.After(cutoff) {
			continue
		}
		if err := j.s.store.Leave(ctx, o.Conv, j.s.Text(textLeft)); err != nil {
			if conversation.ErrorCode(err) != conversation.NotWaiting {
				j.s.log.Warn("leave the queue", "conv", o.Conv, "err", err)
			}
			continue
		}
		j.s.log.Info("a waiting visitor was gone too long and left the queue", "conv", o.Conv)
	}
}

// tellPlaces tells each waiting visitor whose place changed since they
// were last told (by any instance: the order told is kept in Redis), and,
// when it got worse, why.
func (j *Janitor) tellPlaces(ctx context.Context) {
	waiting, err := j.s.store.Waiting(ctx)
	if err != nil {
		return
	}
	told, err := j.s.store.ToldOrder(ctx)
	if err != nil {
		j.s.log.Warn("queue places", "err", err)
	}
	before := make(map[string]int, len(told))
	for i, conv := range told {
		before[conv] = i + 1
	}
	var info map[string]conversation.Overview // read only when a place got worse
	_, online := j.s.Available(ctx)
	recent, _ := j.s.store.RecentWaits(ctx)
	for i, conv := range waiting {
		pos := i + 1
		if before[conv] == pos {
			continue
		}
		ev := conversation.Event{Type: "queue", Position: pos, Wait: int(conversation.EstimateWait(recent, pos, online).Seconds())}
		if was := before[conv]; was > 0 && pos > was {
			if info == nil {
				info = j.overviews(ctx, waiting)
			}
			why := whyWorse(conv, waiting[:i], before, info)
			ev.Reason, ev.ReasonText = why, WhyText(why)
		}
		j.s.store.Publish(ctx, conv, false, ev)
	}
	if err := j.s.store.SetToldOrder(ctx, waiting); err != nil {
		j.s.log.Warn("queue places", "err", err)
	}
}

func (j *Janitor) overviews(ctx context.Context, convs []string) map[string]conversation.Overview {
	out := map[string]conversation.Overview{}
	all, err := j.s.store.Overviews(ctx, convs)
	if err != nil {
		j.s.log.Warn("queue places", "err", err)
	}
	for _, o := range all {
		out[o.Conv] = o
	}
	return out
}

// whyWorse says why conv's place got worse: of those now ahead of it that
// were not before, the most telling reason, in the order of WhyEmergency,
// WhyUrgent, WhyRequeued, WhyReturned, WhyOther.
func whyWorse(conv string, ahead []string, before map[string]int, info map[string]conversation.Overview) string {
	rank := map[string]int{WhyEmergency: 0, WhyUrgent: 1, WhyRequeued: 2, WhyReturned: 3, WhyOther: 4}
	best := WhyOther
	mine := info[conv].Priority
	for _, other := range ahead {
		if b := before[other]; b > 0 && b < before[conv] {
			continue // it was ahead already
		}
		o := info[other]
		why := WhyOther
		switch {
		case o.Priority == conversation.PriorityEmergency && mine != conversation.PriorityEmergency:
			why = WhyEmergency
		case o.Priority == conversation.PriorityUrgent && mine == conversation.PriorityNormal:
			why = WhyUrgent
		case !o.Requeued.IsZero():
			why = WhyRequeued
		case !o.Returned.IsZero():
			why = WhyReturned
		}
		if rank[why] < rank[best] {
			best = why
		}
	}
	return best
}
