package eval

import (
	"strings"
	"unicode"

	"helpline/internal/analysis"
	"helpline/internal/kb"
)

// CopyThreshold is the share of shared words (Jaccard) above which an
// evaluation question counts as a copy of a sample question.
const CopyThreshold = 0.75

// Copy is an evaluation question that (nearly) copies a sample question.
type Copy struct {
	Case   Case
	Entry  string
	Sample string
}

// Copies finds the evaluation questions whose words are, for the most
// part, the words of one of the base's sample questions.
func Copies(base *kb.Base, cases []Case) []Copy {
	type sample struct {
		entry, text string
		words       map[string]bool
	}
	var samples []sample
	for _, en := range base.Entries {
		for _, q := range en.Questions {
			samples = append(samples, sample{en.ID, q, wordSet(q)})
		}
	}
	var out []Copy
	for _, c := range cases {
		w := wordSet(c.Q)
		for _, s := range samples {
			if jaccard(w, s.words) >= CopyThreshold {
				out = append(out, Copy{Case: c, Entry: s.entry, Sample: s.text})
				break
			}
		}
	}
	return out
}

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.FieldsFunc(analysis.Normalize(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		m[w] = true
	}
	return m
}

func jaccard(a, b map[string]bool) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	inter := 0
	for w := range a {
		if b[w] {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}
