package analysis

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"helpline/internal/kb"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Don't", "dont"},
		{"I’m SICK", "im sick"},
		{"adicción", "adiccion"},
		{"ﬁne", "fine"},
		{"a\x00b\tc", "a b c"},
		{"bad \xff byte", "bad   byte"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWords(t *testing.T) {
	a := New(nil)
	var raws, stems []string
	for _, w := range a.Words("Withdrawals?? helppp 8mg 12-step") {
		raws = append(raws, w.Raw)
		stems = append(stems, w.Stem)
	}
	if want := []string{"withdrawals", "helpp", "8", "mg", "12", "step"}; !slices.Equal(raws, want) {
		t.Errorf("words %q, want %q", raws, want)
	}
	if stems[0] != "withdraw" {
		t.Errorf("stem of withdrawals = %q, want withdraw", stems[0])
	}
	if n := len(a.Words(strings.Repeat("word ", 5000))); n != MaxWords {
		t.Errorf("%d words from a long text, want the bound %d", n, MaxWords)
	}
}

func TestExpand(t *testing.T) {
	a := New([]kb.Synonym{
		{Canonical: "heroin", Variants: []string{"dope", "smack"}},
		{Canonical: "withdrawal", Variants: []string{"dope sick"}},
		{Canonical: "hello", Variants: []string{"good evening"}},
		{Canonical: "define", Variants: []string{"whats", "what is"}},
		{Canonical: "signs", Variants: []string{"how can you tell"}},
		{Canonical: "family", Variants: []string{"loved one"}},
		{Canonical: "uninsured", Variants: []string{"no insurance", "doesnt cover"}},
	})
	tests := []struct {
		in   string
		want []string
	}{
		{"how long is dope sick", []string{"long", "withdraw"}},
		{"is smack dangerous", []string{"heroin", "smack", "danger"}},
		{"good evening", []string{"hello"}},
		{"the and of", nil},
		// "whats" stems to "what", but only "whats" itself is the variant.
		{"whats smack", []string{"defin", "heroin", "smack"}},
		{"what is smack", []string{"defin", "heroin", "smack"}},
		{"what about smack", []string{"heroin", "smack"}},
		// Chat spellings of function words still make the phrase.
		{"how can u tell", []string{"sign"}},
		// Chat filler phrases bring no terms.
		{"long story short, smack?", []string{"heroin", "smack"}},
		{"in the first place", nil},
		// Every negator is one term, and a lexicon phrase may hold one.
		{"smack doesn't work, won't work, never works", []string{"heroin", "smack", "not", "work", "not", "work", "not", "work"}},
		{"my insurance doesn't cover rehab", []string{"insur", "uninsur", "rehab"}},
		{"what if there is no insurance", []string{"uninsur"}},
		// Plurals and possessives of a phrase word that is a stopword.
		{"a loved one's relapse", []string{"famili", "relaps"}},
		{"loved ones", []string{"famili"}},
		// Asking for advice says nothing of the topic.
		{"any advice on smack", []string{"heroin", "smack"}},
	}
	for _, tt := range tests {
		if got := a.Terms(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Terms(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"Don't", "\xff\xfe", "ﬁ", "😭", "İstanbul", "a\u0301"} {
		f.Add(s)
	}
	a := New([]kb.Synonym{{Canonical: "heroin", Variants: []string{"dope", "black tar"}}})
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if !utf8.ValidString(n) {
			t.Fatalf("Normalize(%q) = %q is not valid UTF-8", s, n)
		}
		for _, w := range a.Words(s) {
			if w.Raw == "" || w.Stem == "" {
				t.Fatalf("empty word from %q", s)
			}
		}
		a.Terms(s)
	})
}
