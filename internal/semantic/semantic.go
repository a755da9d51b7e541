// Package semantic ranks knowledge-base entries by meaning rather than by
// wording, with the embeddings of an optional OpenAI-compatible endpoint.
// Each entry's title and sample questions are embedded once and kept in a
// cache keyed by a hash of the model and the text, so a restart, another
// instance or a knowledge base that changed in one entry re-embeds only
// what is new. A visitor's question is masked (assistant.Mask) before it
// is embedded, like every text sent to the endpoint.
//
// The ranking never decides alone: the answering engine uses it to choose
// among entries its own lexical ranking found plausible
// (answer.Engine.Reconsider), so that a question worded unlike any sample
// question can still be answered, and no embedding can bring an entry the
// words of the question do not support.
package semantic

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"net/http"
	"sort"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"helpline/internal/answer"
	"helpline/internal/assistant"
	"helpline/internal/kb"
)

// Embedder turns texts into vectors, one per text, in order.
type Embedder interface {
	Embed(ctx context.Context, texts []string) ([][]float32, error)
	// Model names the model, so vectors of different models never mix
	// in a cache.
	Model() string
}

// OpenAIConfig configures an Embedder on an OpenAI-compatible endpoint.
type OpenAIConfig struct {
	APIKey, BaseURL, Model string
	// Timeout bounds one request (default 8s).
	Timeout time.Duration
	// HTTPClient sends the requests; nil uses a client of its own.
	HTTPClient *http.Client
}

type openAIEmbedder struct {
	api     *openai.Client
	model   string
	timeout time.Duration
}

// NewOpenAI returns an Embedder that calls the endpoint's embeddings API
// through go-openai.
func NewOpenAI(cfg OpenAIConfig) Embedder {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 8 * time.Second
	}
	return &openAIEmbedder{api: assistant.OpenAI(cfg.APIKey, cfg.BaseURL, cfg.HTTPClient, cfg.Timeout), model: cfg.Model, timeout: cfg.Timeout}
}

func (o *openAIEmbedder) Model() string { return o.model }

func (o *openAIEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	res, err := o.api.CreateEmbeddings(ctx, openai.EmbeddingRequest{Input: texts, Model: openai.EmbeddingModel(o.model)})
	if err != nil {
		// The endpoint's message may echo the texts (a visitor's question):
		// the error says only what failed, since callers log it.
		if ctx.Err() != nil {
			return nil, fmt.Errorf("embeddings: %w", ctx.Err())
		}
		return nil, fmt.Errorf("embeddings: %s", assistant.ErrorDetail(err))
	}
	if len(res.Data) != len(texts) {
		return nil, fmt.Errorf("embeddings: %d vectors for %d texts", len(res.Data), len(texts))
	}
	out := make([][]float32, len(texts))
	for _, d := range res.Data {
		if d.Index < 0 || d.Index >= len(texts) || out[d.Index] != nil {
			return nil, fmt.Errorf("embeddings: vector index %d out of order", d.Index)
		}
		out[d.Index] = d.Embedding
	}
	return out, nil
}

// Cache keeps vectors by key between processes. Get returns nil for a
// key it does not hold.
type Cache interface {
	Get(ctx context.Context, keys []string) ([][]float32, error)
	Put(ctx context.Context, keys []string, vecs [][]float32) error
}

// Key is the cache key of text's vector under model.
func Key(model, text string) string {
	h := sha256.Sum256([]byte(model + "\x00" + text))
	return hex.EncodeToString(h[:16])
}

// batch is how many texts one embeddings request carries: OpenAI takes up
// to 2,048, local servers often far fewer.
const batch = 64

// Index holds the vectors of a knowledge base's texts. It is immutable
// and safe for concurrent use.
type Index struct {
	ids  []string    // entry ids, in base order
	vecs [][]float32 // per text, unit length
	doc  []int       // per text: its entry
}

// Stats says what building an index cost.
type Stats struct {
	Texts, Cached, Embedded int
}

// Build embeds the title and the sample questions of every entry of base,
// taking what cache already holds and adding what it embeds.
func Build(ctx context.Context, base *kb.Base, e Embedder, cache Cache) (*Index, Stats, error) {
	ix := &Index{}
	var texts []string
	for d, en := range base.Entries {
		ix.ids = append(ix.ids, en.ID)
		for _, t := range append([]string{en.Title}, en.Questions...) {
			texts = append(texts, t)
			ix.doc = append(ix.doc, d)
		}
	}
	st := Stats{Texts: len(texts)}
	keys := make([]string, len(texts))
	for i, t := range texts {
		keys[i] = Key(e.Model(), t)
	}
	ix.vecs = make([][]float32, len(texts))
	if cache != nil {
		got, err := cache.Get(ctx, keys)
		if err != nil {
			return nil, st, fmt.Errorf("reading cached embeddings: %w", err)
		}
		for i, v := range got {
			if v != nil {
				ix.vecs[i] = v
				st.Cached++
			}
		}
	}
	// dim is the vectors' size, the endpoint's once it has answered: cached
	// vectors of another size (the model changed under its name, or a value
	// was damaged) are stale, and embedded again.
	dim := 0
	for round := 0; ; round++ {
		var missing []int
		for i, v := range ix.vecs {
			if v == nil {
				missing = append(missing, i)
			}
		}
		if len(missing) == 0 {
			if len(ix.vecs) == 0 {
				break
			}
			if dim == 0 {
				dim = len(ix.vecs[0])
			}
			stale := 0
			for i, v := range ix.vecs {
				if len(v) != dim {
					ix.vecs[i] = nil
					stale++
				}
			}
			if stale == 0 {
				break
			}
			if round > 2 {
				return nil, st, fmt.Errorf("embeddings: %d vectors are not of %d dimensions", stale, dim)
			}
			st.Cached -= stale
			continue
		}
		for len(missing) > 0 {
			n := min(batch, len(missing))
			part := missing[:n]
			missing = missing[n:]
			in := make([]string, n)
			for j, i := range part {
				in[j] = texts[i]
			}
			vecs, err := e.Embed(ctx, in)
			if err != nil {
				return nil, st, err
			}
			pk := make([]string, n)
			vs := make([][]float32, n)
			for j, i := range part {
				if dim == 0 {
					dim = len(vecs[j])
				}
				if len(vecs[j]) == 0 || len(vecs[j]) != dim {
					// Checked before anything is cached: a bad answer must
					// not outlive this attempt.
					return nil, st, fmt.Errorf("embeddings: a vector of %d dimensions, want %d", len(vecs[j]), dim)
				}
				ix.vecs[i] = unit(vecs[j])
				pk[j], vs[j] = keys[i], ix.vecs[i]
			}
			st.Embedded += n
			if cache != nil {
				if err := cache.Put(ctx, pk, vs); err != nil {
					return nil, st, fmt.Errorf("caching embeddings: %w", err)
				}
			}
		}
	}
	return ix, st, nil
}

// Rank embeds question (masked) and returns the n entries closest to it,
// closest first, each with the cosine of the question to its closest
// text. An empty index ranks nothing and asks the endpoint nothing.
func (ix *Index) Rank(ctx context.Context, e Embedder, question string, n int) ([]answer.Similar, error) {
	if len(ix.vecs) == 0 {
		return nil, nil
	}
	vecs, err := e.Embed(ctx, []string{assistant.Mask(question)})
	if err != nil {
		return nil, err
	}
	if len(vecs) != 1 {
		return nil, fmt.Errorf("embeddings: %d vectors for one question", len(vecs))
	}
	q := unit(vecs[0])
	if len(q) != len(ix.vecs[0]) {
		return nil, fmt.Errorf("embeddings: question of %d dimensions, index of %d", len(q), len(ix.vecs[0]))
	}
	best := make([]float64, len(ix.ids))
	for i := range best {
		best[i] = -1
	}
	for i, v := range ix.vecs {
		var dot float32
		for k := range v {
			dot += v[k] * q[k]
		}
		if c := float64(dot); c > best[ix.doc[i]] {
			best[ix.doc[i]] = c
		}
	}
	hits := make([]answer.Similar, len(ix.ids))
	for d, id := range ix.ids {
		hits[d] = answer.Similar{ID: id, Score: best[d]}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].Score > hits[j].Score })
	return hits[:min(n, len(hits))], nil
}

// Len is the number of texts indexed.
func (ix *Index) Len() int { return len(ix.vecs) }

func unit(v []float32) []float32 {
	var n float64
	for _, x := range v {
		n += float64(x) * float64(x)
	}
	out := make([]float32, len(v))
	if n == 0 {
		return out
	}
	inv := float32(1 / math.Sqrt(n))
	for i, x := range v {
		out[i] = x * inv
	}
	return out
}
