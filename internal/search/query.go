package search

import (
	"helpline/internal/analysis"
)

// Query is an analyzed question, ready to search. Build one with
// Index.Parse.
type Query struct {
	terms []qterm
	// Known counts the query's terms that the index knows.
	Known int
	// Unknown counts the words the index does not know even after
	// spelling correction; they lower every entry's score.
	Unknown int
	// Corrections lists the misspellings that were corrected.
	Corrections []Correction
}

// Correction is one corrected word.
type Correction struct{ From, To string }

type qterm struct {
	id int32 // -1 for a word the index does not know
	w  float32
}

// Empty reports whether the query has nothing to search for.
func (q Query) Empty() bool { return len(q.terms) == 0 }

// Parse analyzes text into a query: words the index does not know are
// corrected to the closest known word when one is close enough, and
// otherwise kept as unknown so that they count against every entry.
func (ix *Index) Parse(text string) Query {
	words := ix.an.Words(text)
	var q Query
	kept := words[:0]
	for _, w := range words {
		// A real English word is not a typo, even when the index does not
		// know it: "broke" must not become "broker".
		if !w.Stop && !ix.known(w.Stem) && !isEnglish(w.Raw) {
			if c := ix.spell.correct(w.Stem); c != "" {
				q.Corrections = append(q.Corrections, Correction{From: w.Raw, To: c})
				w.Stem = c
				if ix.an.IsStopStem(c) {
					w.Stop = true
				}
			}
		}
		kept = append(kept, w)
	}
	terms, weights := ix.an.ExpandWeighted(kept)
	return ix.queryWeighted(q, terms, weights)
}

// ParseTerms builds a query from terms that are already analyzed, such as
// the topic of an earlier answer, each with weight w.
func (ix *Index) ParseTerms(terms []string, w float32) Query {
	return ix.query(Query{}, terms, w)
}

func (ix *Index) query(q Query, terms []string, w float32) Query {
	weights := make([]float32, len(terms))
	for i := range weights {
		weights[i] = w
	}
	return ix.queryWeighted(q, terms, weights)
}

// queryWeighted adds terms with their weights; a repeated term keeps its
// largest weight.
func (ix *Index) queryWeighted(q Query, terms []string, weights []float32) Query {
	seen := make(map[string]int, len(terms))
	for i, t := range terms {
		w := weights[i]
		if j, ok := seen[t]; ok {
			if j >= 0 && w > q.terms[j].w {
				q.terms[j].w = w
			}
			continue
		}
		seen[t] = -1
		id, ok := ix.termID[t]
		switch {
		case ok:
			seen[t] = len(q.terms)
			q.terms = append(q.terms, qterm{id: id, w: w})
			q.Known++
		case ix.lexicon[t] || ix.an.IsStopStem(t):
			// A visitor's word whose canonical term carries the meaning.
		default:
			q.terms = append(q.terms, qterm{id: -1, w: w})
			q.Unknown++
		}
	}
	return q
}

// Plus returns q with the terms of o added, at o's weights scaled by w.
// Terms already in q keep q's weight.
func (q Query) Plus(o Query, w float32) Query {
	out := Query{Known: q.Known, Unknown: q.Unknown, Corrections: q.Corrections}
	out.terms = append(out.terms, q.terms...)
	for _, t := range o.terms {
		if t.id < 0 {
			continue
		}
		dup := false
		for _, x := range q.terms {
			if x.id == t.id {
				dup = true
				break
			}
		}
		if !dup {
			out.terms = append(out.terms, qterm{id: t.id, w: t.w * w})
			out.Known++
		}
	}
	return out
}

func (ix *Index) known(stem string) bool {
	if _, ok := ix.termID[stem]; ok {
		return true
	}
	return ix.lexicon[stem] || ix.an.IsStopStem(stem)
}

// Analyzer returns the analyzer the index was built with.
func (ix *Index) Analyzer() *analysis.Analyzer { return ix.an }

// Terms returns the query's known terms, for explanations.
func (ix *Index) Terms(q Query) []string {
	var out []string
	for _, t := range q.terms {
		if t.id >= 0 {
			out = append(out, ix.terms[t.id])
		}
	}
	return out
}
