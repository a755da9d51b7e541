package eval

import (
	"strings"
	"testing"

	"helpline/internal/answer"
	"helpline/internal/kb"
)

// base is a knowledge base of two siblings and an unrelated entry.
func base(t *testing.T) *kb.Base {
	t.Helper()
	entry := func(id, title string, qs ...string) *kb.Entry {
		return &kb.Entry{ID: id, Title: title, Questions: qs, Answer: "About " + title + ".", Related: []string{"alpha"}, Sources: []string{"DOMAIN.md §1"}}
	}
	return kb.New([]*kb.Entry{
		entry("alpha", "Alpha clinics", "what is an alpha clinic", "alpha clinic hours", "how do alpha clinics work"),
		entry("beta", "Beta medicine", "what is beta medicine", "beta medicine side effects", "how does beta medicine work"),
		entry("gamma", "Gamma groups", "what are gamma groups", "gamma group meetings", "where are gamma groups"),
	}, nil)
}

func TestRead(t *testing.T) {
	good := `# a comment
{"q": "what is beta", "expect": ["beta"], "source": "https://example.org/faq"}
{"q": "how do i fly a kite", "kind": "fallback"}
{"q": "what is delta", "missing": "delta"}
`
	cases, err := Read(strings.NewReader(good))
	if err != nil || len(cases) != 3 || cases[0].Source != "https://example.org/faq" || cases[2].Missing != "delta" || cases[2].Line != 4 {
		t.Fatalf("Read = %+v, %v", cases, err)
	}
	for _, bad := range []string{
		`{"q": "x"}`,
		`{"q": "x", "expect": ["a"], "missing": "y"}`,
		`{"q": "x", "kind": "fallback", "missing": "y"}`,
		`{"q": "", "expect": ["a"]}`,
		`{"q": "x", "expect": ["a"], "bogus": 1}`,
	} {
		if _, err := Read(strings.NewReader(bad)); err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("Read(%s) = %v, want an error naming line 1", bad, err)
		}
	}
}

// TestRun counts what a visitor gets: right first time, one tap away,
// wrong, "not sure", and what happens to questions the base cannot answer.
func TestRun(t *testing.T) {
	e := answer.New(base(t), kb.DefaultFacts())
	cases := []Case{
		{Q: "what is beta medicine", Expect: []string{"beta"}},          // right first time
		{Q: "gamma group meetings", Expect: []string{"alpha"}},          // wrong answer
		{Q: "how do i fix my bicycle chain", Expect: []string{"gamma"}}, // not sure
		{Q: "what is an alpha clinic", Missing: "alpha clinic prices"},  // answered though the base lacks it
		{Q: "what is the capital of peru", Kind: answer.KindFallback},   // off topic, not answered
		{Q: "where can i buy subs without a script", Kind: answer.KindRefusal},
	}
	r := Run(e, cases)
	if r.InScope != 3 || r.AnsweredOK != 1 || r.Answered-r.AnsweredOK != 1 || r.FellBack != 1 {
		t.Errorf("in scope %d, right %d, wrong %d, not sure %d; want 3, 1, 1, 1", r.InScope, r.AnsweredOK, r.Answered-r.AnsweredOK, r.FellBack)
	}
	if r.Reachable != 1 {
		t.Errorf("one tap away %d, want 1", r.Reachable)
	}
	if r.Missing != 1 || r.MissAnswered != 1 {
		t.Errorf("missing %d, answered anyway %d; want 1, 1", r.Missing, r.MissAnswered)
	}
	if r.OutOfScope != 1 || r.OOSAnswered != 0 || r.OOSCrisis != 0 {
		t.Errorf("out of scope %d, answered %d, crisis %d; want 1, 0, 0", r.OutOfScope, r.OOSAnswered, r.OOSCrisis)
	}
	if r.KindOK[answer.KindRefusal] != 1 {
		t.Errorf("refusal not counted: %v", r.KindOK)
	}
	// Every mistake costs; a perfect run costs nothing.
	if c := Cost(r); c != costWrongAnswer+costNotSure+costMissAnswered {
		t.Errorf("cost %v, want %v", c, costWrongAnswer+costNotSure+costMissAnswered)
	}
	if c := Cost(Run(e, cases[:1])); c != 0 {
		t.Errorf("cost of a right answer %v, want 0", c)
	}
	var sb strings.Builder
	r.WriteSummary(&sb)
	for _, want := range []string{"right first time: 33.3%", "wrong answers:    33.3% (1)", "cannot answer yet: 1: answered anyway 1"} {
		if !strings.Contains(sb.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, sb.String())
		}
	}
}

// TestReachable: the expected entry one tap away counts, whether answered,
// offered as the alternative or among a menu's choices; a follow-up button
// after an answer does not.
func TestReachable(t *testing.T) {
	opt := func(id string) answer.Option { return answer.Option{ID: id, Title: id} }
	tests := []struct {
		d    answer.Decision
		want bool
	}{
		{answer.Decision{Kind: answer.KindAnswer, Entries: []string{"a"}}, true},
		{answer.Decision{Kind: answer.KindAnswer, Entries: []string{"b"}, Alternatives: []answer.Option{opt("a")}}, true},
		{answer.Decision{Kind: answer.KindAnswer, Entries: []string{"b", "a"}}, true},
		{answer.Decision{Kind: answer.KindClarify, Entries: []string{"b", "a"}}, true},
		{answer.Decision{Kind: answer.KindAnswer, Entries: []string{"b"}, Options: []answer.Option{opt("a")}}, false},
		{answer.Decision{Kind: answer.KindFallback}, false},
	}
	for _, tt := range tests {
		if got := reachable(tt.d, []string{"a"}); got != tt.want {
			t.Errorf("reachable(%+v) = %v, want %v", tt.d, got, tt.want)
		}
	}
}

// TestGridThresholds: a sweep tries every combination of the grid once,
// and none that would answer outright below the score it needs to be
// answered at all.
func TestGridThresholds(t *testing.T) {
	g := DefaultGrid()
	want := 0
	for _, ms := range g.MinScore {
		for _, as := range g.AnswerScore {
			if as >= ms {
				want++
			}
		}
	}
	want *= len(g.AltScore) * len(g.MinCoverage) * len(g.OffTopic) * len(g.LongMinScore) * len(g.ClarifyCoverage)
	ths := g.thresholds()
	if len(ths) != want {
		t.Fatalf("%d settings, want %d", len(ths), want)
	}
	seen := map[[7]float64]bool{}
	for _, th := range ths {
		k := [7]float64{th.MinScore, th.AnswerScore, th.AltScore, th.MinCoverage, th.OffTopicScore, th.LongMinScore, th.ClarifyCoverage}
		if seen[k] || th.AnswerScore < th.MinScore {
			t.Errorf("setting %v tried twice, or answers below its MinScore", k)
		}
		seen[k] = true
	}
}
