package semantic_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"helpline/internal/kb"
	"helpline/internal/semantic"
	"helpline/internal/semantic/semantictest"
	"helpline/internal/store/storetest"
)

func base(extra string) *kb.Base {
	entry := func(id, title string, qs ...string) *kb.Entry {
		return &kb.Entry{ID: id, Title: title, Questions: qs, Answer: "About " + title + ".", Sources: []string{"DOMAIN.md §1"}}
	}
	return kb.New([]*kb.Entry{
		entry("naloxone", "Naloxone", "what is narcan", "how does naloxone reverse an overdose"),
		entry("cost", "What treatment costs", "how much does rehab cost", "is treatment expensive"),
		entry("sleep", "Sleep in early recovery", "why cant i sleep after quitting", "insomnia in withdrawal"+extra),
	}, nil)
}

func embedder(s *semantictest.Server) semantic.Embedder {
	return semantic.NewOpenAI(semantic.OpenAIConfig{BaseURL: s.URL(), Model: "stand-in"})
}

// TestBuildCaches: the texts are embedded once, whichever cache holds
// them (in memory, the embedded Redis, the real one): a second build asks
// the endpoint nothing, and an entry that changed is embedded alone.
func TestBuildCaches(t *testing.T) {
	caches := map[string]func() semantic.Cache{"memory": func() semantic.Cache { return &semantic.Memory{} }}
	for _, b := range storetest.Backends(t, storetest.DBSemantic) {
		caches[b.Name] = func() semantic.Cache { return &semantic.Redis{Client: b.Client, Model: "stand-in"} }
	}
	for name, newCache := range caches {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			srv := semantictest.NewServer()
			defer srv.Close()
			cache := newCache()
			ix, st, err := semantic.Build(ctx, base(""), embedder(srv), cache)
			if err != nil {
				t.Fatal(err)
			}
			if st.Texts != 9 || st.Embedded != 9 || st.Cached != 0 || ix.Len() != 9 {
				t.Fatalf("first build: %+v, %d texts indexed", st, ix.Len())
			}
			calls := srv.Calls()
			if _, st, err = semantic.Build(ctx, base(""), embedder(srv), cache); err != nil || st.Cached != 9 || st.Embedded != 0 || srv.Calls() != calls {
				t.Fatalf("second build: %+v, %v, %d more requests", st, err, srv.Calls()-calls)
			}
			if _, st, err = semantic.Build(ctx, base(" at night"), embedder(srv), cache); err != nil || st.Cached != 8 || st.Embedded != 1 {
				t.Fatalf("after one sample question changed: %+v, %v", st, err)
			}
			if in := srv.Inputs(); in[len(in)-1] != "insomnia in withdrawal at night" {
				t.Errorf("embedded %q, want only the changed question", in[len(in)-1])
			}
		})
	}
}

// TestRank: the entry closest in meaning comes first, and the question is
// masked before it leaves: a phone number the visitor typed is never sent.
func TestRank(t *testing.T) {
	ctx := context.Background()
	srv := semantictest.NewServer()
	defer srv.Close()
	e := embedder(srv)
	ix, _, err := semantic.Build(ctx, base(""), e, &semantic.Memory{})
	if err != nil {
		t.Fatal(err)
	}
	hits, err := ix.Rank(ctx, e, "is rehab expensive? call me at 555-201-3344", 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 3 || hits[0].ID != "cost" || hits[0].Score <= hits[1].Score {
		t.Fatalf("Rank = %+v, want cost first", hits)
	}
	in := srv.Inputs()
	if q := in[len(in)-1]; strings.Contains(q, "555") || strings.Contains(q, "3344") {
		t.Errorf("the question was sent unmasked: %q", q)
	}
}

// TestBuildErrors: an endpoint that fails, or answers with the wrong
// number of vectors, fails the build with an error rather than an index
// with holes.
func TestBuildErrors(t *testing.T) {
	srv := semantictest.NewServer()
	defer srv.Close()
	srv.Fail = 500
	if _, _, err := semantic.Build(context.Background(), base(""), embedder(srv), &semantic.Memory{}); err == nil {
		t.Fatal("Build succeeded against a failing endpoint")
	}
	srv.Fail = 0
	ix, _, err := semantic.Build(context.Background(), base(""), embedder(srv), &semantic.Memory{})
	if err != nil {
		t.Fatal(err)
	}
	srv.Fail = 500
	if _, err := ix.Rank(context.Background(), embedder(srv), "what is narcan", 3); err == nil {
		t.Fatal("Rank succeeded against a failing endpoint")
	}
	calls := srv.Calls()
	if hits, err := (&semantic.Index{}).Rank(context.Background(), embedder(srv), "what is narcan", 3); err != nil || hits != nil || srv.Calls() != calls {
		t.Errorf("an empty index: %v, %v, %d requests; want nothing ranked and nothing asked", hits, err, srv.Calls()-calls)
	}
}

// TestStaleCachedVectors: a cached vector of another size than the
// endpoint's now (the model changed under its name) is embedded again,
// not kept to fail every build until it expires.
func TestStaleCachedVectors(t *testing.T) {
	srv := semantictest.NewServer()
	defer srv.Close()
	cache := &semantic.Memory{}
	cache.Put(context.Background(), []string{semantic.Key("stand-in", "Naloxone")}, [][]float32{{1, 0, 0}})
	ix, st, err := semantic.Build(context.Background(), base(""), embedder(srv), cache)
	if err != nil || ix.Len() != 9 || st.Cached != 0 || st.Embedded != 9 {
		t.Fatalf("build with a stale cached vector: %+v, %v", st, err)
	}
	got, _ := cache.Get(context.Background(), []string{semantic.Key("stand-in", "Naloxone")})
	if len(got[0]) != semantictest.Dimensions {
		t.Errorf("the stale vector stayed in the cache: %d dimensions", len(got[0]))
	}
}

// TestEmbedErrorQuotesNothing: an endpoint's error message, which may
// echo the texts sent (a visitor's question), never reaches the error the
// callers log.
func TestEmbedErrorQuotesNothing(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"error":{"message":"invalid input: my son overdosed on fentanyl","type":"invalid_request_error"}}`))
	}))
	defer srv.Close()
	e := semantic.NewOpenAI(semantic.OpenAIConfig{BaseURL: srv.URL + "/v1", Model: "stand-in"})
	_, err := e.Embed(context.Background(), []string{"my son overdosed on fentanyl"})
	if err == nil || strings.Contains(err.Error(), "fentanyl") || !strings.Contains(err.Error(), "400") {
		t.Fatalf("error %v, want the status without the endpoint's words", err)
	}
}

// TestRedisCacheRenewsOnRead: a vector read is kept for another TTL, so
// the vectors in use never expire together; on a real cluster they spread
// over the masters rather than fill one, and are all read back.
func TestRedisCacheRenewsOnRead(t *testing.T) {
	ctx := context.Background()
	vec := [][]float32{{1, 2, 3}}
	for _, b := range storetest.Backends(t, storetest.DBSemantic) {
		t.Run(b.Name, func(t *testing.T) {
			c := &semantic.Redis{Client: b.Client, Model: "renew-" + b.Name, TTL: time.Hour}
			key := semantic.Key(c.Model, "what is narcan")
			if err := c.Put(ctx, []string{key}, vec); err != nil {
				t.Fatal(err)
			}
			full := "hl:emb:" + c.Model + ":" + key
			t.Cleanup(func() { b.Client.Del(ctx, full) })
			b.Client.Expire(ctx, full, time.Minute)
			got, err := c.Get(ctx, []string{key, semantic.Key(c.Model, "never stored")})
			if err != nil || len(got[0]) != 3 || got[1] != nil {
				t.Fatalf("Get = %v, %v", got, err)
			}
			if ttl := b.Client.TTL(ctx, full).Val(); ttl < 59*time.Minute {
				t.Errorf("TTL after a read %v, want it renewed to an hour", ttl)
			}
		})
	}
	t.Run("cluster", func(t *testing.T) {
		cl := storetest.StartCluster(t, 3)
		rdb := cl.Client()
		c := &semantic.Redis{Client: rdb, Model: "spread", TTL: time.Hour}
		keys := make([]string, 300)
		vecs := make([][]float32, len(keys))
		for i := range keys {
			keys[i] = semantic.Key(c.Model, strings.Repeat("q", i+1))
			vecs[i] = []float32{float32(i)}
		}
		if err := c.Put(ctx, keys, vecs); err != nil {
			t.Fatal(err)
		}
		got, err := c.Get(ctx, keys)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range got {
			if len(v) != 1 || v[0] != float32(i) {
				t.Fatalf("vector %d read back as %v", i, v)
			}
		}
		var mu sync.Mutex
		holding := 0
		rdb.ForEachMaster(ctx, func(ctx context.Context, m *redis.Client) error {
			if n := m.DBSize(ctx).Val(); n > 0 {
				mu.Lock()
				holding++
				mu.Unlock()
			}
			return nil
		})
		if holding < 3 {
			t.Errorf("the vectors are on %d masters of 3, want them spread", holding)
		}
	})
}
