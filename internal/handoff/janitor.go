package handoff

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"helpline/internal/reps"
	"helpline/internal/store"
)

// Janitor does, on one instance at a time, the work no request triggers:
// a representative whose console has been gone longer than the grace
// period has their conversations put back at the front of the queue, at
// their original priority; waiting visitors are told when their place in
// line changes; old requests are forgotten.
type Janitor struct {
	s      *Service
	id     string
	places map[string]int // conversation -> place last told
	every  time.Duration
	ticks  int
}

// NewJanitor returns a janitor that runs every interval.
func (s *Service) NewJanitor(every time.Duration) *Janitor {
	b := make([]byte, 8)
	rand.Read(b)
	return &Janitor{s: s, id: hex.EncodeToString(b), places: map[string]int{}, every: every}
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
			err := j.s.store.Release(ctx, conv, rep, store.StateWaiting, false, j.s.Text(textRepGone), "")
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

func (j *Janitor) tellPlaces(ctx context.Context) {
	waiting, err := j.s.store.Waiting(ctx)
	if err != nil {
		return
	}
	_, online := j.s.Available(ctx)
	recent, _ := j.s.store.RecentWaits(ctx)
	now := map[string]int{}
	for i, conv := range waiting {
		pos := i + 1
		now[conv] = pos
		if j.places[conv] == pos {
			continue
		}
		wait := store.EstimateWait(recent, pos, online)
		j.s.store.Publish(ctx, conv, false, map[string]any{"t": "queue", "position": pos, "wait": int(wait.Seconds())})
	}
	j.places = now
}
