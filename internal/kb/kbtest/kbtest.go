// Package kbtest builds knowledge bases for tests and benchmarks.
package kbtest

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"helpline/internal/kb"
	"helpline/knowledge"
)

// Generated returns a base of n entries made of the built-in base's words,
// with the built-in lexicon, and a query for every hundredth entry: a base
// far larger than curators will write, for measuring how search scales.
// The same n always gives the same base.
func Generated(n int) (*kb.Base, []string, error) {
	shipped, err := kb.Load(knowledge.FS())
	if err != nil {
		return nil, nil, err
	}
	var vocab []string
	for _, e := range shipped.Entries {
		for _, q := range e.Questions {
			vocab = append(vocab, strings.Fields(q)...)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	phrase := func(words int) string {
		parts := make([]string, words)
		for i := range parts {
			parts[i] = vocab[rng.IntN(len(vocab))]
		}
		return strings.Join(parts, " ")
	}
	entries := make([]*kb.Entry, n)
	var queries []string
	for i := range entries {
		e := &kb.Entry{ID: fmt.Sprintf("entry-%d", i), Title: phrase(5), Answer: phrase(60), Sources: []string{"generated"}}
		for range 12 {
			e.Questions = append(e.Questions, phrase(7))
		}
		entries[i] = e
		if i%100 == 0 {
			queries = append(queries, phrase(6))
		}
	}
	return kb.New(entries, shipped.Lexicon), queries, nil
}
