package search

import (
	"math"
	"testing"

	"helpline/internal/analysis"
	"helpline/internal/kb"
	"helpline/internal/kb/kbtest"
	"helpline/knowledge"
)

func TestOSADistance(t *testing.T) {
	tests := []struct {
		a, b string
		max  int
		want int
	}{
		{"withdrawl", "withdraw", 2, 1},
		{"teh", "the", 2, 1},
		{"suboxen", "suboxon", 2, 1},
		{"bupinorfin", "buprenorphin", 2, 3},
		{"same", "same", 1, 0},
		{"abc", "xyz", 1, 2},
	}
	for _, tt := range tests {
		if got := osaDistance(tt.a, tt.b, tt.max); got != tt.want {
			t.Errorf("osaDistance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.max, got, tt.want)
		}
	}
}

func TestSpeller(t *testing.T) {
	s := newSpeller()
	for _, w := range []string{"withdraw", "insur", "buprenorphin", "methadon", "naloxon"} {
		s.add(w, 5)
	}
	tests := map[string]string{
		"withdrawl":   "withdraw",
		"insurr":      "insur",
		"bupenorphin": "buprenorphin",
		"buprenorfin": "buprenorphin",
		"methadn":     "methadon",
		"xyzzy":       "",
		"hi":          "",
	}
	for in, want := range tests {
		if got := s.correct(in); got != want {
			t.Errorf("correct(%q) = %q, want %q", in, got, want)
		}
	}
}

func builtIn(t testing.TB) *Index {
	t.Helper()
	b, err := kb.Load(knowledge.FS())
	if err != nil {
		t.Fatal(err)
	}
	return New(analysis.New(b.Lexicon), docsOf(b.Entries), DefaultParams())
}

func docsOf(entries []*kb.Entry) []Doc {
	docs := make([]Doc, len(entries))
	for i, e := range entries {
		docs[i] = Doc{ID: e.ID, Title: e.Title, Questions: e.Questions, Keywords: e.Keywords, Body: e.Answer}
	}
	return docs
}

func TestSearch(t *testing.T) {
	ix := builtIn(t)
	tests := []struct{ q, want string }{
		{"wen do withdrawls start", "withdrawal-timeline"},
		{"subs vs methadone", "methadone-vs-buprenorphine"},
		{"insurance??", "insurance"},
		{"wat is narcan", "naloxone"},
	}
	for _, tt := range tests {
		hits := ix.Search(ix.Parse(tt.q), 5)
		if len(hits) == 0 || hits[0].ID != tt.want {
			t.Errorf("Search(%q) = %v, want %s first", tt.q, ids(hits), tt.want)
			continue
		}
		for i, h := range hits {
			if h.Score < 0 || h.Score > 1 || h.Coverage < 0 || h.Coverage > 1.0001 {
				t.Errorf("Search(%q) hit %d out of range: %+v", tt.q, i, h)
			}
			if i > 0 && h.Score > hits[i-1].Score {
				t.Errorf("Search(%q) not sorted: %v", tt.q, ids(hits))
			}
		}
	}
	q := ix.Parse("i broke my arm")
	if len(q.Corrections) > 0 {
		t.Errorf("real English words were corrected: %+v", q.Corrections)
	}
	if q := ix.Parse("the of and"); !q.Empty() {
		t.Error("a query of stopwords is not empty")
	}
}

func ids(hits []Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.ID)
	}
	return out
}

func BenchmarkSearchShipped(b *testing.B) {
	ix := builtIn(b)
	queries := []string{"wen do withdrawls start", "subs vs methadone", "insurance??", "my son is using heroin what do i do", "how long is inpatient rehab"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		ix.Search(ix.Parse(queries[i%len(queries)]), 5)
	}
}

func BenchmarkSearch10k(b *testing.B) {
	base, queries, err := kbtest.Generated(10000)
	if err != nil {
		b.Fatal(err)
	}
	ix := New(analysis.New(base.Lexicon), docsOf(base.Entries), DefaultParams())
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		ix.Search(ix.Parse(queries[i%len(queries)]), 5)
	}
}

// TestLearned: the learned ranking is a probability over every entry,
// trained once for the same texts, and it tells entries apart by the
// words only one of them uses.
func TestLearned(t *testing.T) {
	b, err := kb.Load(knowledge.FS())
	if err != nil {
		t.Fatal(err)
	}
	an := analysis.New(b.Lexicon)
	ix := New(an, docsOf(b.Entries), DefaultParams())
	if ix.model == nil {
		t.Fatal("the shipped base has no learned ranking")
	}
	if again := New(an, docsOf(b.Entries), DefaultParams()); again.model != ix.model {
		t.Error("a second index of the same texts trained its own model")
	}
	for _, q := range []string{"will methadone affect my driving", "is vivitrol approved", "how do i store narcan in a hot car", "xyzzy methadone"} {
		hits := ix.Search(ix.Parse(q), ix.Len())
		// The touched entries' probabilities and the bias mass of the
		// others make one.
		var sum float64
		for _, h := range hits {
			sum += h.Learned
			want := 0.5*h.Lexical + 0.5*h.Learned
			if math.Abs(h.Score-want) > 1e-6 {
				t.Errorf("%q: %s score %.4f, want %.4f from its lexical and learned scores", q, h.ID, h.Score, want)
			}
		}
		if sum <= 0 || sum > 1+1e-3 {
			t.Errorf("%q: learned probabilities sum to %.4f over the entries it touches", q, sum)
		}
	}
	lexical := DefaultParams()
	lexical.Learned = 0
	lx := New(an, docsOf(b.Entries), lexical)
	if lx.model != nil {
		t.Error("Learned 0 trained a model")
	}
	for _, h := range lx.Search(lx.Parse("methadone and driving"), 5) {
		if h.Learned != 0 || h.Score != h.Lexical {
			t.Errorf("lexical ranking: %s score %.3f, lexical %.3f, learned %.3f", h.ID, h.Score, h.Lexical, h.Learned)
		}
	}
	// Two entries share every word but one; the learned ranking gives a
	// question with that word to its entry more surely than the lexical
	// scores do.
	docs := []Doc{
		{ID: "drive", Title: "methadone and driving", Questions: []string{"can i drive on methadone", "is driving safe on methadone", "methadone driving license"}},
		{ID: "dose", Title: "methadone dose", Questions: []string{"what is my methadone dose", "methadone dose too high", "methadone dose change", "how is methadone dose set", "methadone dose missed"}},
	}
	small := New(an, docs, DefaultParams())
	smallLex := New(an, docs, lexical)
	h, hl := small.Search(small.Parse("does methadone affect how i drive"), 2), smallLex.Search(smallLex.Parse("does methadone affect how i drive"), 2)
	if h[0].ID != "drive" || h[0].Score-h[1].Score <= hl[0].Score-hl[1].Score {
		t.Errorf("learned %v, lexical %v: want drive first, by a wider margin with the learned ranking", h, hl)
	}
}

func TestExp(t *testing.T) {
	for x := float32(-30); x <= 0; x += 0.37 {
		got, want := float64(exp(x)), math.Exp(float64(x))
		if math.Abs(got-want) > 1e-3*want {
			t.Fatalf("exp(%g) = %g, want %g", x, got, want)
		}
	}
	if exp(-31) != 0 {
		t.Error("exp below -30 is not 0")
	}
}
