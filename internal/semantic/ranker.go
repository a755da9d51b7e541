package semantic

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"helpline/internal/answer"
	"helpline/internal/kb"
)

// ErrNotReady is returned by Ranker.Rank while the index is being built.
var ErrNotReady = errors.New("the knowledge base is still being embedded")

// Ranker ranks entries by meaning for the answering service: it builds
// its index in the background (Run) and answers Rank from it once it is
// ready. It is safe for concurrent use.
type Ranker struct {
	e Embedder
	n int

	mu    sync.Mutex
	ix    *Index
	stats Stats
	err   error
}

// NewRanker returns a ranker on e that offers the n closest entries.
func NewRanker(e Embedder, n int) *Ranker { return &Ranker{e: e, n: n} }

// Run builds the index of base, with cache, retrying after a failure
// (an endpoint down at start-up) every retry until it succeeds or ctx
// ends. It is the index's only writer; run it once, in its own goroutine.
func (r *Ranker) Run(ctx context.Context, base *kb.Base, cache Cache, retry time.Duration, log *slog.Logger) {
	for {
		ix, st, err := Build(ctx, base, r.e, cache)
		r.mu.Lock()
		r.ix, r.stats, r.err = ix, st, err
		r.mu.Unlock()
		if err == nil {
			log.Info("knowledge base embedded", "model", r.e.Model(), "texts", st.Texts, "cached", st.Cached, "embedded", st.Embedded)
			return
		}
		log.Warn("embedding the knowledge base failed; retrying", "model", r.e.Model(), "retry", retry, "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(retry):
		}
	}
}

// Rank returns the entries closest in meaning to question, closest first.
func (r *Ranker) Rank(ctx context.Context, question string) ([]answer.Similar, error) {
	r.mu.Lock()
	ix := r.ix
	r.mu.Unlock()
	if ix == nil {
		return nil, ErrNotReady
	}
	return ix.Rank(ctx, r.e, question, r.n)
}

// Status says, for /readyz, whether the index is ready.
func (r *Ranker) Status() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case r.ix != nil:
		return fmt.Sprintf("embeddings %s: ready (%d texts, %d from the cache)", r.e.Model(), r.stats.Texts, r.stats.Cached)
	case r.err != nil:
		return fmt.Sprintf("embeddings %s: not ready (the last attempt failed)", r.e.Model())
	}
	return fmt.Sprintf("embeddings %s: being built", r.e.Model())
}
