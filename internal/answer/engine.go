package answer

import (
	"strings"
	"unicode"

	"helpline/internal/analysis"
	"helpline/internal/kb"
	"helpline/internal/search"
)

// Thresholds turn search scores into a kind of decision. They were
// calibrated on the repository's evaluation set with `helpline kb eval
// --sweep`: a wrong confident answer is worse than a clarify, and an
// answer to an out-of-scope question is worse than both.
type Thresholds struct {
	// MinScore is the lowest top score that may be answered at all.
	MinScore float64
	// MinCoverage is the lowest share of the question's weight the top
	// entry must match; below it the question is mostly about something
	// the knowledge base does not cover.
	MinCoverage float64
	// ClarifyRatio: entries scoring at least this share of the top score
	// are close enough that the visitor should choose.
	ClarifyRatio float64
	// MaxChoices bounds the entries offered by a clarify.
	MaxChoices int
	// ContextWeight is the weight of the previous answer's topic when a
	// follow-up question is read in its light.
	ContextWeight float32
}

// DefaultThresholds returns the calibrated thresholds.
func DefaultThresholds() Thresholds {
	return Thresholds{
		MinScore:      0.30,
		MinCoverage:   0.55,
		ClarifyRatio:  0.92,
		MaxChoices:    3,
		ContextWeight: 0.5,
	}
}

// maxIntentRunes bounds the text the intent patterns read. Messages are
// limited well below this by the service; the bound keeps a pasted essay
// from costing more than a question.
const maxIntentRunes = 2000

// Engine answers questions from one knowledge base. It is immutable and
// safe for concurrent use.
type Engine struct {
	base    *kb.Base
	idx     *search.Index
	th      Thresholds
	answers map[string]string       // entry id → answer with facts filled in
	topics  map[string]search.Query // entry id → its topic, for follow-ups
	texts   map[string]string       // the engine's own texts, rendered
}

// New returns an engine over base with the default ranking and thresholds.
func New(base *kb.Base, facts kb.Facts) *Engine {
	return NewTuned(base, facts, search.DefaultParams(), DefaultThresholds())
}

// NewTuned returns an engine with explicit ranking parameters and
// thresholds, for calibration.
func NewTuned(base *kb.Base, facts kb.Facts, p search.Params, th Thresholds) *Engine {
	an := analysis.New(base.Lexicon)
	docs := make([]search.Doc, len(base.Entries))
	for i, en := range base.Entries {
		docs[i] = search.Doc{ID: en.ID, Title: en.Title, Questions: en.Questions, Keywords: en.Keywords, Body: en.Answer}
	}
	e := &Engine{
		base:    base,
		idx:     search.New(an, docs, p),
		th:      th,
		answers: make(map[string]string, len(base.Entries)),
		topics:  make(map[string]search.Query, len(base.Entries)),
		texts:   map[string]string{},
	}
	for _, en := range base.Entries {
		e.answers[en.ID] = facts.Render(en.Answer)
		topic := an.Terms(en.Title + " " + strings.Join(en.Keywords, " "))
		e.topics[en.ID] = e.idx.ParseTerms(topic, 1)
	}
	for _, t := range []string{textEmpty, textFallback, textClarify, textHandoff} {
		e.texts[t] = facts.Render(t)
	}
	for k, t := range refusalTexts {
		e.texts[k] = facts.Render(t)
	}
	return e
}

// Base returns the knowledge base the engine answers from.
func (e *Engine) Base() *kb.Base { return e.base }

// Decide returns the reply to text, a visitor's message, given what the
// conversation so far left in ctx. The caller keeps ctx.Next(decision) for
// the next message.
func (e *Engine) Decide(text string, ctx Context) Decision {
	norm := normalizeForIntent(truncateRunes(text, maxIntentRunes))
	if !hasWord(norm) {
		return Decision{Kind: KindFallback, Text: e.texts[textEmpty], Entries: []string{}, OfferPerson: true, Reason: "empty"}
	}
	if reason, ok := refusal(norm); ok {
		return Decision{Kind: KindRefusal, Text: e.texts[reason], Entries: []string{}, OfferPerson: true, Reason: reason}
	}
	if wantsPerson(norm) {
		return Decision{Kind: KindHandoff, Text: e.texts[textHandoff], Entries: []string{}, OfferPerson: true, Reason: "asked"}
	}

	q := e.idx.Parse(text)
	hits := e.idx.Search(q, e.th.MaxChoices+2)
	d := e.classify(hits)
	if len(ctx.Entries) > 0 && q.Known <= 3 {
		if topic, ok := e.topics[ctx.Entries[0]]; ok {
			aug := e.classify(e.idx.Search(q.Plus(topic, e.th.ContextWeight), e.th.MaxChoices+2))
			if preferContext(d, aug, hasAnaphora(norm)) {
				d = aug
			}
		}
	}
	return d
}

// preferContext decides between reading a question alone (bare) and in the
// light of the previous answer (aug). A question with a pronoun ("is it
// safe?") needs the context; one that is confidently answered alone does
// not.
func preferContext(bare, aug Decision, anaphora bool) bool {
	if aug.Kind == KindFallback {
		return false
	}
	if anaphora {
		return true
	}
	return bare.Kind != KindAnswer && aug.Kind == KindAnswer
}

// classify applies the thresholds to ranked hits.
func (e *Engine) classify(hits []search.Hit) Decision {
	if len(hits) == 0 {
		return e.fallback(0, "no match")
	}
	top := hits[0]
	if top.Score < e.th.MinScore {
		return e.fallback(top.Score, "low score")
	}
	if top.Coverage < e.th.MinCoverage {
		return e.fallback(top.Score, "low coverage")
	}
	choices := []string{top.ID}
	for _, h := range hits[1:] {
		if len(choices) >= e.th.MaxChoices || h.Score < e.th.ClarifyRatio*top.Score {
			break
		}
		choices = append(choices, h.ID)
	}
	if len(choices) > 1 {
		return Decision{Kind: KindClarify, Text: e.texts[textClarify], Entries: choices, Score: top.Score, Options: e.options(choices)}
	}
	en := e.base.Entry(top.ID)
	return Decision{Kind: KindAnswer, Text: e.answers[top.ID], Entries: choices, Score: top.Score, Options: e.options(en.Related)}
}

func (e *Engine) fallback(score float64, reason string) Decision {
	return Decision{Kind: KindFallback, Text: e.texts[textFallback], Entries: []string{}, Score: score, OfferPerson: true, Reason: reason}
}

func (e *Engine) options(ids []string) []Option {
	out := make([]Option, 0, len(ids))
	for _, id := range ids {
		if en := e.base.Entry(id); en != nil {
			out = append(out, Option{ID: id, Title: en.Title})
		}
	}
	return out
}

// Entry answers a tap on a follow-up button: the entry's answer, without
// searching.
func (e *Engine) Entry(id string) (Decision, bool) {
	en := e.base.Entry(id)
	if en == nil {
		return Decision{}, false
	}
	return Decision{Kind: KindAnswer, Text: e.answers[id], Entries: []string{id}, Score: 1, Options: e.options(en.Related)}, true
}

var anaphoraWords = map[string]bool{
	"it": true, "its": true, "that": true, "this": true, "they": true, "them": true, "those": true,
	"these": true, "he": true, "she": true, "him": true, "her": true, "his": true, "there": true,
}

func hasAnaphora(norm string) bool {
	for _, w := range strings.Fields(norm) {
		if anaphoraWords[w] {
			return true
		}
	}
	return false
}

func hasWord(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

func truncateRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}
