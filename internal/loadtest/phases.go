package loadtest

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"time"
)

// answerTimeout bounds the wait for one answer; past it the visitor is
// dropped from the workload, counted as an error.
const answerTimeout = 10 * time.Second

// chatPhase opens n visitors over ts, has each ask a question every
// interval for d, and deletes their conversations.
func chatPhase(ctx context.Context, ts []target, n int, interval, d time.Duration, questions []string) (Workload, error) {
	vs, err := connect(ctx, ts, n)
	defer deleteAll(vs)
	if err != nil {
		return Workload{Clients: len(vs)}, err
	}
	var t tally
	var elapsed time.Duration
	w := Workload{}
	err = redisCalls(ctx, ts, &w, func() error {
		elapsed = steady(ctx, vs, interval, d, questions, &t)
		return nil
	})
	calls := w.RedisCalls
	w = t.workload(len(vs), elapsed)
	w.RedisCalls = calls
	return w, err
}

// steady has every visitor ask a question every interval for d, starting
// at a random point of the first interval so the load is smooth, and
// returns how long it took. One goroutine per visitor, each ending by d
// (and at most answerTimeout later, for the answer it waits for).
func steady(ctx context.Context, vs []*visitor, interval, d time.Duration, questions []string, t *tally) time.Duration {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for i, v := range vs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sleep(ctx, rand.N(interval))
			tick := time.NewTicker(interval)
			defer tick.Stop()
			for n := 0; ctx.Err() == nil; n++ {
				sent := time.Now()
				lat, err := v.ask(questions[(i+n)%len(questions)], answerTimeout)
				t.add(sent, lat, err)
				if err != nil && !errors.Is(err, errLimited) {
					return
				}
				select {
				case <-tick.C:
				case <-ctx.Done():
				}
			}
		}()
	}
	wg.Wait()
	return time.Since(start)
}

// saturate runs the closed loop: SaturateWorkers clients each ask again as
// soon as their answer comes, for SaturateFor. A services' conversation
// may send only so many messages a minute, so each client moves to the
// next conversation of its share of the pool after PerConversation
// questions; the pool, opened before the clock starts, bounds the count.
// The echo server gets the same clients, pool and questions.
func saturate(ctx context.Context, ts []target, o Options) (Workload, error) {
	workers := min(o.SaturateWorkers, o.SaturatePool)
	pool, err := connect(ctx, ts, o.SaturatePool)
	defer deleteAll(pool)
	if err != nil {
		return Workload{Clients: workers}, err
	}
	per := max(o.PerConversation, 1)
	var t tally
	var elapsed time.Duration
	w := Workload{}
	err = redisCalls(ctx, ts, &w, func() error {
		start := time.Now()
		deadline := start.Add(o.SaturateFor)
		var wg sync.WaitGroup
		for k := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n := 0
				for i := k; i < len(pool); i += workers {
					v := pool[i]
					for range per {
						if time.Now().After(deadline) || ctx.Err() != nil {
							return
						}
						sent := time.Now()
						lat, err := v.ask(o.Questions[n%len(o.Questions)], answerTimeout)
						n++
						t.add(sent, lat, err)
						if err != nil {
							break // the next conversation takes over
						}
					}
				}
			}()
		}
		wg.Wait()
		elapsed = time.Since(start)
		return nil
	})
	calls := w.RedisCalls
	w = t.workload(workers, elapsed)
	w.RedisCalls = calls
	return w, err
}

// idle opens n connections over ts, holds them, and measures what they
// cost the services in resident memory.
func idle(ctx context.Context, ts []target, n int, hold time.Duration) (IdleReport, error) {
	var r IdleReport
	sleep(ctx, 2*time.Second) // let the earlier phases' garbage go
	collect(ctx, ts)
	rss, err := sumMetric(ctx, ts, "process_resident_memory_bytes")
	if err != nil {
		return r, err
	}
	r.RSSBefore = rss
	vs, err := connect(ctx, ts, n)
	r.Opened = len(vs)
	defer deleteAll(vs)
	if err != nil {
		return r, err
	}
	// Let the services' collectors and scavengers return what setting up
	// the connections left behind, so the figure is what they keep.
	sleep(ctx, hold)
	collect(ctx, ts)
	if r.RSSAfter, err = sumMetric(ctx, ts, "process_resident_memory_bytes"); err != nil {
		return r, err
	}
	return r, ctx.Err()
}

// IdleReport is the memory idle connections cost, summed over instances.
type IdleReport struct {
	Opened              int
	RSSBefore, RSSAfter float64 // bytes
}

// PerConnection returns the resident memory per idle connection, in
// bytes.
func (r IdleReport) PerConnection() float64 {
	if r.Opened == 0 {
		return 0
	}
	return (r.RSSAfter - r.RSSBefore) / float64(r.Opened)
}
