package search

import (
	"crypto/sha256"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
)

// The learned ranking is a softmax classifier over the index's terms,
// trained on each entry's own texts when the index is built: its sample
// questions, title and keywords, and, at a lower weight, the sentences of
// its answer. Where the cosine and BM25F reward an entry for sharing a
// question's words, the classifier learns which words tell an entry from
// its neighbours: "drive" singles out the entry on driving however many
// entries mention methadone. Measured on the real-question set
// (knowledge/eval/real.jsonl), the best entry was the expected one for
// 59.4% of questions by the lexical scores alone and 65.0% with the
// classifier at half the score; an expected entry was in the best three
// for 75.9% and 81.6%. On the repository's own set, 92.9% and 94.9%.
//
// A term has a weight only for the entries whose texts contain it, kept
// beside the term's posting, so a question costs the classifier no more
// than BM25F does: the entries it touches get their own score, and every
// other entry its bias, whose sum is kept.
//
// Training takes about 0.6 s on the shipped base. It is
// deterministic, so a trained model is kept for the life of the process
// and shared by every index built from the same texts. A base too large
// for it (learnBudget) is ranked lexically alone.
type learned struct {
	w       [][]float32 // per term, per posting: the weight for the posting's entry
	b       []float32   // per entry
	eb      []float64   // per entry: e^b
	biasSum float64     // the sum of e^b over every entry
}

// Training settings. They were chosen on both evaluation sets: more
// epochs or a larger weight for answer sentences changed the real set's
// top-1 by less than a question in either direction.
const (
	learnEpochs = 10
	learnRate   = 0.5
	biasRate    = 0.1
	bodyWeight  = 0.3
	// learnBudget bounds the weights one epoch updates: a few seconds of
	// training. The shipped base needs 2.9 million.
	learnBudget = 30_000_000
)

// sample is one training text: its features and its entry.
type sample struct {
	f []feature
	y int32
	w float32
}

// feature is one term of a text with its weight.
type feature struct {
	id int32
	v  float32
}

var learnedCache struct {
	sync.Mutex
	m     map[[32]byte]*learned
	order [][32]byte
}

// maxCachedModels bounds the process's cache: tests build many small
// bases.
const maxCachedModels = 8

// learn trains, or finds in the cache, the classifier for the index's
// entries. It returns nil for a base too large to train.
func (ix *Index) learn(docs []Doc) *learned {
	var samples []sample
	add := func(d int, text string, w float32) {
		if f := ix.features(ix.Parse(text)); len(f) > 0 {
			samples = append(samples, sample{f: f, y: int32(d), w: w})
		}
	}
	for d, doc := range docs {
		add(d, doc.Title, 1)
		for _, q := range doc.Questions {
			add(d, q, 1)
		}
		for _, k := range doc.Keywords {
			add(d, k, 1)
		}
		for _, s := range strings.FieldsFunc(doc.Body, endsSentence) {
			add(d, s, bodyWeight)
		}
	}
	work := 0
	for _, sm := range samples {
		for _, f := range sm.f {
			work += len(ix.post[f.id])
		}
	}
	if len(samples) == 0 || work > learnBudget {
		return nil
	}
	key := ix.trainingKey(samples, len(docs))
	learnedCache.Lock()
	defer learnedCache.Unlock()
	if m, ok := learnedCache.m[key]; ok {
		return m
	}
	m := ix.train(samples, len(docs))
	if learnedCache.m == nil {
		learnedCache.m = map[[32]byte]*learned{}
	}
	if len(learnedCache.order) == maxCachedModels {
		delete(learnedCache.m, learnedCache.order[0])
		learnedCache.order = learnedCache.order[1:]
	}
	learnedCache.m[key] = m
	learnedCache.order = append(learnedCache.order, key)
	return m
}

func endsSentence(r rune) bool { return r == '.' || r == '?' || r == '!' || r == '\n' }

// trainingKey identifies what a model is trained from and aligned with:
// the index's terms with their postings (a model's weights sit beside
// them) and the samples, so that two indexes of the same texts share a
// model and no other index does.
func (ix *Index) trainingKey(samples []sample, classes int) [32]byte {
	h := sha256.New()
	var buf [8]byte
	put := func(v uint32) {
		binary.LittleEndian.PutUint32(buf[:4], v)
		h.Write(buf[:4])
	}
	put(uint32(classes))
	put(uint32(len(ix.terms)))
	for t, term := range ix.terms {
		h.Write([]byte(term))
		h.Write([]byte{0})
		put(uint32(len(ix.post[t])))
		for _, p := range ix.post[t] {
			put(uint32(p.doc))
		}
	}
	for _, s := range samples {
		put(uint32(s.y))
		put(math.Float32bits(s.w))
		put(uint32(len(s.f)))
		for _, f := range s.f {
			put(uint32(f.id))
			put(math.Float32bits(f.v))
		}
	}
	var key [32]byte
	h.Sum(key[:0])
	return key
}

// features returns q's known terms weighted by their rarity among sample
// questions, with unit length: a long letter and a short question weigh
// the same.
func (ix *Index) features(q Query) []feature {
	fs := make([]feature, 0, len(q.terms))
	var n2 float32
	for _, t := range q.terms {
		if t.id < 0 {
			continue
		}
		v := t.w * ix.qidf[t.id]
		fs = append(fs, feature{id: t.id, v: v})
		n2 += v * v
	}
	if n2 == 0 {
		return nil
	}
	inv := float32(1 / math.Sqrt(float64(n2)))
	for i := range fs {
		fs[i].v *= inv
	}
	return fs
}

// train fits the classifier by stochastic gradient descent on the
// cross-entropy, in a fixed order so that the same texts always give the
// same model.
func (ix *Index) train(samples []sample, classes int) *learned {
	m := &learned{w: make([][]float32, len(ix.post)), b: make([]float32, classes), eb: make([]float64, classes)}
	for t, ps := range ix.post {
		m.w[t] = make([]float32, len(ps))
	}
	order := make([]int, len(samples))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(1, 2))
	z := make([]float32, classes)
	seen := make([]bool, classes)
	var touched []int32
	const eta = learnRate
	for range learnEpochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		m.biasSum = m.sumBias()
		for _, i := range order {
			s := samples[i]
			touched = m.scores(ix, s.f, z, seen, touched[:0])
			m.softmax(z, touched)
			// z now holds the gradient of each touched entry.
			if seen[s.y] {
				z[s.y]--
			}
			for _, f := range s.f {
				g := eta * s.w * f.v
				row := m.w[f.id]
				for j, p := range ix.post[f.id] {
					row[j] -= g * z[p.doc]
				}
			}
			for _, c := range touched {
				m.b[c] -= eta * biasRate * z[c]
				eb := math.Exp(float64(m.b[c]))
				m.biasSum += eb - m.eb[c]
				m.eb[c] = eb
				z[c], seen[c] = 0, false
			}
		}
	}
	m.biasSum = m.sumBias()
	return m
}

// sumBias sets every e^b and returns their sum: it is kept up to date
// as the biases change, and recomputed once an epoch so that rounding
// does not build up.
func (m *learned) sumBias() float64 {
	var s float64
	for c, b := range m.b {
		m.eb[c] = math.Exp(float64(b))
		s += m.eb[c]
	}
	return s
}

// scores adds into z the score of every entry one of features f touches,
// and returns them appended to touched; seen marks them.
func (m *learned) scores(ix *Index, f []feature, z []float32, seen []bool, touched []int32) []int32 {
	for _, x := range f {
		row := m.w[x.id]
		for j, p := range ix.post[x.id] {
			if !seen[p.doc] {
				seen[p.doc] = true
				z[p.doc] = m.b[p.doc]
				touched = append(touched, p.doc)
			}
			z[p.doc] += row[j] * x.v
		}
	}
	return touched
}

// softmax turns the scores in z of the touched entries into their
// probabilities, in place. Every other entry scores its bias alone, so the
// denominator is the touched entries' own terms and the sum of e^b of the
// rest.
func (m *learned) softmax(z []float32, touched []int32) {
	var top float32
	for _, c := range touched {
		top = max(top, z[c])
	}
	rest := m.biasSum
	var sum float32
	for _, c := range touched {
		z[c] = exp(z[c] - top)
		sum += z[c]
		rest -= m.eb[c]
	}
	sum += float32(max(rest, 0) * math.Exp(float64(-top)))
	for _, c := range touched {
		z[c] /= sum
	}
}

// exp is e^x for x ≤ 0, to a relative error below 1e-3: training takes
// tens of millions of them, and math.Exp's precision buys nothing here.
// Below e^-30 it is 0.
func exp(x float32) float32 {
	if x < -30 {
		return 0
	}
	y := x * math.Log2E
	i := float32(math.Floor(float64(y)))
	f := y - i
	p := 1 + f*(0.6931472+f*(0.2402265+f*(0.0555041+f*0.0096181)))
	return p * math.Float32frombits(uint32(int32(i)+127)<<23)
}
