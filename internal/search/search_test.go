package search

import (
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
