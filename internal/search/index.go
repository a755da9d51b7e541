// Package search ranks knowledge-base entries for a visitor's question. It
// combines two signals computed from one inverted index:
//
//   - BM25F over each entry's fields (its sample questions, title, keywords
//     and answer, weighted), which rewards entries that talk about the
//     question's words;
//   - the cosine similarity of the question to the entry's closest sample
//     question, which rewards an entry that was written for exactly this
//     question.
//
// Misspelled words are corrected against the index's vocabulary before
// ranking. Scores are normalized to [0, 1] so the answering engine can
// apply calibrated thresholds to them.
package search

import (
	"math"
	"sort"
	"sync"

	"helpline/internal/analysis"
)

// Field is a part of an entry that is indexed with its own weight.
type Field int

// The indexed fields of an entry.
const (
	Questions Field = iota
	Title
	Keywords
	Body
	NumFields
)

// Doc is one entry to index, as text.
type Doc struct {
	ID        string
	Title     string
	Questions []string
	Keywords  []string
	Body      string
}

// Params tune the ranking. The defaults were chosen by measuring top-1
// accuracy on the repository's evaluation set (see README).
type Params struct {
	// Weight scales each field's term frequencies in BM25F.
	Weight [NumFields]float64
	// B is each field's length normalization.
	B [NumFields]float64
	// K1 is the BM25 term-frequency saturation.
	K1 float64
	// QuestionShare is the share of the best sample question's cosine in
	// the final score; the rest is normalized BM25F.
	QuestionShare float64
	// TopQuestions is how many of an entry's best-matching sample
	// questions are averaged: an entry several of whose samples match is
	// more likely right than one with a single lucky match.
	TopQuestions int
	// BestQuestion is the share of the single best sample question in
	// that average: a visitor who asks almost exactly a sample question
	// ("whats methadone") should get that entry, not a choice among its
	// neighbours. Measured: top-1 91.7% → 92.9% on the evaluation set and
	// 88.9% → 89.8% on held-out questions at 0.5.
	BestQuestion float64
	// Unknown is the weight of a word the index does not know, as a
	// share of the weight of the rarest known word. Unknown words count
	// against every entry: a question mostly about something else must
	// not be answered.
	Unknown float64
	// Learned is the share of the learned ranking's probability in the
	// final score (see learned); 0 ranks by the lexical scores alone.
	Learned float64
}

// DefaultParams returns the tuned ranking parameters.
func DefaultParams() Params {
	return Params{
		Weight:        [NumFields]float64{Questions: 2, Title: 2, Keywords: 1.5, Body: 0.3},
		B:             [NumFields]float64{Questions: 0.6, Title: 0.3, Keywords: 0.3, Body: 0.75},
		K1:            1.2,
		QuestionShare: 0.4,
		Unknown:       0.7,
		TopQuestions:  3,
		BestQuestion:  0.5,
		Learned:       0.5,
	}
}

// Index is an immutable search index over a set of entries. It is safe for
// concurrent use.
type Index struct {
	an  *analysis.Analyzer
	p   Params
	ids []string

	termID  map[string]int32
	terms   []string
	idf     []float32   // per term, over entries: for BM25F
	qidf    []float32   // per term, over sample questions: for the cosine
	post    [][]posting // per term: the entries containing it
	qpost   [][]int32   // per term: the sample questions containing it
	qdoc    []int32     // per sample question: its entry
	qinv    []float32   // per sample question: 1 / the norm of its idf vector
	flen    [][NumFields]float32
	avg     [NumFields]float32
	maxIDF  float32
	maxQIDF float32

	// lexicon holds stems that only the lexicon knows (visitors' words
	// such as "smack"); they are neither errors nor unknown words.
	lexicon map[string]bool
	spell   *speller
	model   *learned // nil when Params.Learned is 0 or the base is too large
	scratch sync.Pool
}

// maxTop bounds Params.TopQuestions.
const maxTop = 6

// posting is one entry containing a term, with the term's BM25F
// saturated weight in that entry: it depends only on the entry and the
// term, so it is computed once, when the index is built.
type posting struct {
	doc int32
	sat float32
}

// New builds an index of docs analyzed with an.
func New(an *analysis.Analyzer, docs []Doc, p Params) *Index {
	ix := &Index{an: an, p: p, termID: map[string]int32{}, lexicon: map[string]bool{}}
	ix.ids = make([]string, len(docs))
	ix.flen = make([][NumFields]float32, len(docs))
	var qterms [][]int32
	// Field frequencies wait here until the average field lengths are
	// known; then they become each posting's saturated weight.
	var freqs [][NumFields]uint16
	var where [][2]int32
	for d, doc := range docs {
		ix.ids[d] = doc.ID
		var tf [NumFields]map[int32]uint16
		addField := func(f Field, text string) {
			terms := an.Terms(text)
			if tf[f] == nil {
				tf[f] = map[int32]uint16{}
			}
			for _, t := range terms {
				tf[f][ix.intern(t)]++
			}
			ix.flen[d][f] += float32(len(terms))
		}
		for _, q := range doc.Questions {
			addField(Questions, q)
			qterms = append(qterms, ix.distinct(an.Terms(q)))
			ix.qdoc = append(ix.qdoc, int32(d))
		}
		addField(Title, doc.Title)
		qterms = append(qterms, ix.distinct(an.Terms(doc.Title)))
		ix.qdoc = append(ix.qdoc, int32(d))
		for _, k := range doc.Keywords {
			addField(Keywords, k)
		}
		addField(Body, doc.Body)

		merged := map[int32][NumFields]uint16{}
		for f := range NumFields {
			for t, n := range tf[f] {
				v := merged[t]
				v[f] = n
				merged[t] = v
			}
		}
		for t, v := range merged {
			ix.post[t] = append(ix.post[t], posting{doc: int32(d)})
			freqs = append(freqs, v)
			where = append(where, [2]int32{t, int32(len(ix.post[t]) - 1)})
		}
	}
	for f := range NumFields {
		var sum float32
		for d := range ix.flen {
			sum += ix.flen[d][f]
		}
		if len(docs) > 0 {
			ix.avg[f] = max(sum/float32(len(docs)), 1)
		}
	}
	k1 := float32(p.K1)
	for i, v := range freqs {
		t, j := where[i][0], where[i][1]
		d := ix.post[t][j].doc
		var tfw float32
		for f := range NumFields {
			if v[f] == 0 {
				continue
			}
			norm := 1 - float32(p.B[f]) + float32(p.B[f])*ix.flen[d][f]/ix.avg[f]
			tfw += float32(p.Weight[f]) * float32(v[f]) / norm
		}
		ix.post[t][j].sat = tfw * (k1 + 1) / (k1 + tfw)
	}
	n := float64(len(docs))
	ix.idf = make([]float32, len(ix.terms))
	for t := range ix.terms {
		df := float64(len(ix.post[t]))
		ix.idf[t] = float32(math.Log(1 + (n-df+0.5)/(df+0.5)))
	}
	ix.maxIDF = float32(math.Log(1 + (n+0.5)/0.5))
	// The cosine compares a question with sample questions, so a word's
	// weight there comes from how many sample questions use it: words the
	// answers repeat ("cravings") can still single out a question.
	ix.qpost = make([][]int32, len(ix.terms))
	for q, ts := range qterms {
		for _, t := range ts {
			ix.qpost[t] = append(ix.qpost[t], int32(q))
		}
	}
	nq := float64(len(qterms))
	ix.qidf = make([]float32, len(ix.terms))
	for t := range ix.terms {
		df := float64(len(ix.qpost[t]))
		ix.qidf[t] = float32(math.Log(1 + (nq-df+0.5)/(df+0.5)))
	}
	ix.maxQIDF = float32(math.Log(1 + (nq+0.5)/0.5))
	ix.qinv = make([]float32, len(qterms))
	for q, ts := range qterms {
		var sum float32
		for _, t := range ts {
			sum += ix.qidf[t] * ix.qidf[t]
		}
		if sum > 0 {
			ix.qinv[q] = float32(1 / math.Sqrt(float64(sum)))
		}
	}

	ix.spell = newSpeller()
	for t, term := range ix.terms {
		ix.spell.add(term, len(ix.post[t]))
	}
	for _, s := range an.LexiconStems() {
		if _, ok := ix.termID[s]; !ok && !ix.lexicon[s] {
			ix.lexicon[s] = true
			ix.spell.add(s, 0)
		}
	}
	ix.scratch.New = func() any { return ix.newScratch() }
	if p.Learned > 0 {
		ix.model = ix.learn(docs)
	}
	return ix
}

func (ix *Index) intern(term string) int32 {
	if id, ok := ix.termID[term]; ok {
		return id
	}
	id := int32(len(ix.terms))
	ix.termID[term] = id
	ix.terms = append(ix.terms, term)
	ix.post = append(ix.post, nil)
	return id
}

func (ix *Index) distinct(terms []string) []int32 {
	seen := map[int32]bool{}
	var out []int32
	for _, t := range terms {
		id := ix.intern(t)
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// Len reports the number of indexed entries.
func (ix *Index) Len() int { return len(ix.ids) }

// ID returns the id of the entry at position doc.
func (ix *Index) ID(doc int) string { return ix.ids[doc] }

// Hit is one ranked entry.
type Hit struct {
	Doc int
	ID  string
	// Score is the final score in [0, 1].
	Score float64
	// Question is the similarity to the sample questions, as scored (see
	// Params.TopQuestions and BestQuestion).
	Question float64
	// Best is the cosine similarity to the single closest sample question.
	Best float64
	// BM25 is the normalized BM25F score.
	BM25 float64
	// Coverage is the share of the query's weight that the entry matches.
	Coverage float64
	// Learned is the learned ranking's probability of the entry, and
	// Lexical the score from the cosine and BM25F alone.
	Learned, Lexical float64
}

type scratch struct {
	bm      []float32
	matched []float32
	top     [][maxTop]float32 // per entry: its best sample cosines, best first
	qdot    []float32
	docs    []int32
	qs      []int32
	z       []float32 // per entry: its learned score
}

func (ix *Index) newScratch() *scratch {
	return &scratch{
		bm:      make([]float32, len(ix.ids)),
		matched: make([]float32, len(ix.ids)),
		top:     make([][maxTop]float32, len(ix.ids)),
		qdot:    make([]float32, len(ix.qdoc)),
		z:       make([]float32, len(ix.ids)),
	}
}

// Search returns the k best entries for q, best first.
func (ix *Index) Search(q Query, k int) []Hit {
	if len(q.terms) == 0 || k <= 0 {
		return nil
	}
	s := ix.scratch.Get().(*scratch)
	defer func() {
		for _, d := range s.docs {
			s.bm[d], s.matched[d], s.top[d], s.z[d] = 0, 0, [maxTop]float32{}, 0
		}
		for _, qi := range s.qs {
			s.qdot[qi] = 0
		}
		s.docs, s.qs = s.docs[:0], s.qs[:0]
		ix.scratch.Put(s)
	}()

	k1 := float32(ix.p.K1)
	var mass, maxBM, qnorm2, knownNorm2 float32
	for _, t := range q.terms {
		idf, qidf := ix.maxIDF*float32(ix.p.Unknown), ix.maxQIDF*float32(ix.p.Unknown)
		if t.id >= 0 {
			idf, qidf = ix.idf[t.id], ix.qidf[t.id]
		}
		mass += t.w * idf
		maxBM += t.w * idf * (k1 + 1)
		qnorm2 += t.w * qidf * t.w * qidf
		if t.id < 0 {
			continue
		}
		knownNorm2 += t.w * qidf * t.w * qidf
		var lw []float32
		if ix.model != nil {
			lw = ix.model.w[t.id]
		}
		for j, p := range ix.post[t.id] {
			if s.matched[p.doc] == 0 {
				s.docs = append(s.docs, p.doc)
			}
			s.bm[p.doc] += t.w * idf * p.sat
			s.matched[p.doc] += t.w * idf
			if lw != nil {
				s.z[p.doc] += t.w * qidf * lw[j]
			}
		}
		for _, qi := range ix.qpost[t.id] {
			if s.qdot[qi] == 0 {
				s.qs = append(s.qs, qi)
			}
			s.qdot[qi] += t.w * qidf * qidf
		}
	}
	// The cosines are kept unscaled by the query's own norm, which is the
	// same for every sample question, and scaled once per entry below.
	qinv := float32(1 / math.Sqrt(float64(qnorm2)))
	nTop := min(max(ix.p.TopQuestions, 1), maxTop)
	for _, qi := range s.qs {
		c, top := s.qdot[qi]*ix.qinv[qi], &s.top[ix.qdoc[qi]]
		if c <= top[nTop-1] {
			continue
		}
		i := nTop - 1
		for ; i > 0 && c > top[i-1]; i-- {
			top[i] = top[i-1]
		}
		top[i] = c
	}
	share, learnShare := ix.p.QuestionShare, 0.0
	if ix.model != nil && knownNorm2 > 0 {
		// The features have unit length, as in training (features); they
		// are summed in the loop over postings above rather than built,
		// since a search walks those postings anyway.
		inv := float32(1 / math.Sqrt(float64(knownNorm2)))
		for _, d := range s.docs {
			s.z[d] = ix.model.b[d] + s.z[d]*inv
		}
		ix.model.softmax(s.z, s.docs)
		learnShare = ix.p.Learned
	}
	hits := make([]Hit, 0, k+1)
	for _, d := range s.docs {
		bm := float64(s.bm[d] / maxBM)
		var sum float32
		for _, c := range s.top[d][:nTop] {
			sum += c
		}
		sum *= qinv
		best := s.top[d][0] * qinv
		qs := (1-ix.p.BestQuestion)*float64(sum)/float64(nTop) + ix.p.BestQuestion*float64(best)
		lexical := share*qs + (1-share)*bm
		score, learned := lexical, 0.0
		if learnShare > 0 {
			learned = float64(s.z[d])
			score = (1-learnShare)*lexical + learnShare*learned
		}
		if len(hits) == k && !ranksBefore(score, ix.ids[d], hits[k-1]) {
			continue
		}
		// Insert in order into the k best so far: k is a handful, so this
		// is cheaper than sorting every entry the query touched.
		h := Hit{Doc: int(d), ID: ix.ids[d], Score: score, Question: qs, Best: float64(best), BM25: bm, Coverage: float64(s.matched[d] / mass), Learned: learned, Lexical: lexical}
		i := sort.Search(len(hits), func(i int) bool { return ranksBefore(h.Score, h.ID, hits[i]) })
		if len(hits) < k {
			hits = append(hits, Hit{})
		}
		copy(hits[i+1:], hits[i:len(hits)-1])
		hits[i] = h
	}
	return hits
}

// ranksBefore orders hits by score, then by id so that ties are stable.
func ranksBefore(score float64, id string, h Hit) bool {
	if score != h.Score {
		return score > h.Score
	}
	return id < h.ID
}
