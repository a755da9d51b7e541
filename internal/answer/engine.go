package answer

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"helpline/internal/analysis"
	"helpline/internal/kb"
	"helpline/internal/safety"
	"helpline/internal/search"
)

// Thresholds turn search scores into a kind of decision. They were
// calibrated on the repository's evaluation set with `helpline kb eval
// --sweep`: a wrong confident answer is worse than a clarify, and an
// answer to an out-of-scope question is worse than both.
type Thresholds struct {
	// MinScore is the lowest top score that may be answered at all; below
	// it the bot says it is not sure.
	MinScore float64
	// AnswerScore is the lowest top score answered outright; between
	// MinScore and AnswerScore the visitor is offered choices.
	AnswerScore float64
	// MinCoverage is the lowest share of the question's weight the top
	// entry must match to be answered outright.
	MinCoverage float64
	// ClarifyCoverage is the lowest coverage for which choices are
	// offered; below it the question is mostly about something the
	// knowledge base does not cover.
	ClarifyCoverage float64
	// ClarifyRatio: entries scoring at least this share of the top score
	// are close enough that the visitor should choose.
	ClarifyRatio float64
	// MaxChoices bounds the entries offered by a clarify, and LetterChoices
	// the entries offered for a letter (LongTerms), whose right entry is
	// more often further down. Measured on the real-question set's 109
	// letters, the right entry is ranked fourth for 7 of them and fifth
	// for 4: a fourth choice puts it one tap away for 8 more questions
	// (77.8% -> 80.8% of all), changing nothing else. A fifth would reach
	// 4 more (83.1%), also changing nothing else, but makes six buttons
	// with the way to a person: too many to read on a phone.
	MaxChoices, LetterChoices int
	// SampleMatch and SampleGap: a question this similar to one of the top
	// entry's sample questions, and at least SampleGap more similar than
	// to any of the next entry's, is answered even when the scores are
	// close.
	SampleMatch, SampleGap float64
	// OffTopicScore is the score from which a question with no topic word
	// (knowledge/topic.txt) is answered outright; below it the best entry
	// is offered as a choice.
	OffTopicScore float64
	// AltScore is the lowest top score at which a close sibling is
	// offered beside an answer ("Or were you asking about ...?") rather
	// than as one of a menu of choices with no answer.
	AltScore float64
	// AltRatio: an answer with no sibling within ClarifyRatio still offers
	// the next entry as its alternative when that scores at least this
	// share of the answer's score, unless the question is word for word
	// one of the answer's sample questions (SampleMatch). Measured on both
	// question sets: at 0.6, 9% of answers carry an alternative (1%
	// without), and the right entry is one tap away for 1 more real
	// question and 4 more of the repository's; at 0.5, 19% of answers for
	// 2 and 6.
	AltRatio float64
	// LongTerms is the number of known terms from which a message counts
	// as a letter, and LongMinScore the lowest top score from which a
	// letter is offered its best entries as a choice.
	LongTerms    int
	LongMinScore float64
	// ContextWeight is the weight of the previous answer's topic when a
	// follow-up question is read in its light.
	ContextWeight float32
	// PrevWeight is the weight of the visitor's previous message when a
	// follow-up is read in its light.
	PrevWeight float32
	// OfferScore is the lowest top score from which a question about our
	// topic (knowledge/topic.txt) too weakly matched to choose among is
	// offered its two likeliest entries, with a person, rather than "I'm
	// not sure". Measured on the real-question set: at 0.25, "I'm not
	// sure" on answerable questions 17 → 13 and one tap away 185 → 189,
	// for 3 more off-topic questions offered a menu (none answered); at
	// 0.20, 1 question more for 5 more off-topic menus.
	OfferScore float64
	// SemanticMargin is how much closer in meaning (cosine) an embedding
	// model must find its first entry than its second for Reconsider to
	// act on it. It depends on the model: calibrate it with
	// `helpline kb eval --llm` against the operator's endpoint.
	SemanticMargin float64
}

// DefaultThresholds returns the calibrated thresholds.
//
// They are what `helpline kb eval --sweep` finds cheapest on the
// repository's set and the real-question set together, with a cost in a
// visitor's taps (internal/eval.Cost): a tap for an entry one tap away, two
// for an unneeded "I'm not sure", two for a wrong answer with the right
// entry beside it, four for a wrong answer, ten for an off-topic question
// answered. The sweep of December 2026 chose a higher answer score (0.55)
// and alternative score (0.85) than before: on real questions a close
// sibling is as often right as the top entry, so a menu costs less than a
// confident guess. OffTopicScore rose from 0.70 to 0.80 when the knowledge
// base grew to 167 entries and 3,000 more sample questions: at 0.70, nine
// real off-topic questions (quitting cigarettes, a custody dispute) found
// an entry close enough to be answered. With the learned ranking (search
// Params.Learned 0.5) scores are sharper: the sweep chose MinCoverage 0.55,
// AltScore 0.65, OffTopicScore 0.85 (at 0.80 a custody dispute with an ex
// is answered with the child-protection entry), and LongMinScore 0.05, so
// that a letter is nearly always offered its likeliest entries. MinScore
// applies to the better of the final and the lexical score (see
// classify), and 0.40 rather than the cheapest 0.44 keeps five more real
// questions from "I'm not sure" for five more choices offered to
// off-topic ones. ClarifyCoverage fell from 0.40 to 0.30 in the same
// sweep: seven fewer "I'm not sure" on questions the base answers, and no
// off-topic question answered.
func DefaultThresholds() Thresholds {
	return Thresholds{
		MinScore:        0.40,
		AnswerScore:     0.55,
		MinCoverage:     0.55,
		ClarifyCoverage: 0.30,
		ClarifyRatio:    0.90,
		MaxChoices:      3,
		LetterChoices:   4,
		SampleMatch:     0.98,
		SampleGap:       0.1,
		OffTopicScore:   0.85,
		AltScore:        0.65,
		AltRatio:        0.6,
		LongTerms:       12,
		LongMinScore:    0.05,
		ContextWeight:   0.7,
		PrevWeight:      1,
		OfferScore:      0.25,
		SemanticMargin:  0.04,
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
	topic   [][]string              // the terms of each topic word or phrase
	ours    map[string]bool         // the terms of the substances the base is about
	others  map[string]string       // the term of another substance → the entry for it, or notOurs
	forThem map[string]bool         // the entries for other substances (values of others)
}

// New returns an engine over base with the default ranking and thresholds.
func New(base *kb.Base, facts kb.Facts) *Engine {
	return NewTuned(base, facts, search.DefaultParams(), DefaultThresholds())
}

// NewTuned returns an engine with explicit ranking parameters and
// thresholds, for calibration.
func NewTuned(base *kb.Base, facts kb.Facts, p search.Params, th Thresholds) *Engine {
	var vocabulary []string
	for _, en := range base.Entries {
		vocabulary = append(append(append(vocabulary, en.Title, en.Answer), en.Questions...), en.Keywords...)
	}
	an := analysis.New(base.Lexicon, vocabulary...)
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
	e.ours, e.others = map[string]bool{}, map[string]string{}
	for _, w := range base.Substances.Ours {
		for _, t := range an.Terms(w) {
			e.ours[t] = true
		}
	}
	e.forThem = map[string]bool{}
	for id, ws := range base.Substances.Others {
		e.forThem[id] = true
		for _, w := range ws {
			for _, t := range an.Terms(w) {
				e.others[t] = id
			}
		}
	}
	for _, w := range base.Substances.NotOurs {
		for _, t := range an.Terms(w) {
			e.others[t] = notOurs
		}
	}
	for _, w := range base.Topic {
		if terms := an.Terms(w); len(terms) > 0 {
			e.topic = append(e.topic, terms)
		}
	}
	for _, en := range base.Entries {
		e.answers[en.ID] = facts.Render(en.Answer)
		e.topics[en.ID] = e.idx.ParseTerms(an.Terms(en.Title), 1)
	}
	for _, t := range []string{textEmpty, textFallback, textClarify, textHandoff} {
		e.texts[t] = facts.Render(t)
	}
	for k, t := range refusalTexts {
		e.texts[k] = facts.Render(t)
	}
	return e
}

// WithThresholds returns an engine that shares e's index and texts and
// decides with th: calibration tries hundreds of thresholds on one index.
func (e *Engine) WithThresholds(th Thresholds) *Engine {
	c := *e
	c.th = th
	return &c
}

// Base returns the knowledge base the engine answers from.
func (e *Engine) Base() *kb.Base { return e.base }

// Decide returns the reply to text, a visitor's message, given what the
// conversation so far left in ctx. The caller keeps ctx.Next(decision) for
// the next message.
func (e *Engine) Decide(text string, ctx Memory) Decision {
	// Safety comes before everything else, on every message.
	if risk := safety.Screen(text, ctx.Recent); risk.Crisis() {
		d := Decision{
			Kind: KindCrisis, Text: safety.Response(risk), Entries: []string{}, Score: 1,
			OfferPerson: true, Escalate: true, Reason: string(risk.Kind), Risk: risk,
		}
		// "What do i do" after the crisis reply: the next steps and the
		// number, not the whole reply again.
		if ctx.Crisis.covers(risk) {
			d.Text, d.FollowUp = safety.FollowUp(safety.Risk{Kind: risk.Kind, Level: ctx.Crisis.Level}), true
		}
		return d
	}
	d := e.decide(text, ctx)
	// Too weak a match to choose, but about our topic ("can I make
	// phone calls" in rehab): the two likeliest entries and a person are
	// more use than "I'm not sure" alone. An off-topic question, with no
	// topic word, still gets "I'm not sure".
	if d.Kind == KindFallback && (d.Reason == "low score" || d.Reason == "low coverage") && d.Score >= e.th.OfferScore && e.onTopic(text) {
		var ids []string
		for _, h := range e.search(e.idx.Parse(text), 2) {
			ids = append(ids, h.ID)
		}
		if len(ids) > 0 {
			d = Decision{Kind: KindClarify, Text: e.texts[textClarify], Entries: ids, Score: d.Score, Options: e.options(ids), OfferPerson: true, Reason: "weak match on topic"}
		}
	}
	// A weak answer needs a topic word: "what is normal blood pressure"
	// shares words with the clonidine entry without being about our topic.
	// The entry is still offered, as a choice of one. A follow-up takes its
	// topic from the answer before it.
	if d.Kind == KindAnswer && d.Score < e.th.OffTopicScore && len(ctx.Entries) == 0 && len(e.topic) > 0 && !e.isSocial(d) && !e.onTopic(text) {
		d = Decision{Kind: KindClarify, Text: e.texts[textClarify], Entries: d.Entries[:1], Score: d.Score, Options: e.options(d.Entries[:1]), OfferPerson: true, Reason: "off topic"}
	}
	d.Risk = safety.Risk{Kind: safety.None}
	return d
}

// onTopic reports whether text has one of the knowledge base's topic
// words, or every term of one of its topic phrases: "life skills" is on
// topic, "life" alone is not.
func (e *Engine) onTopic(text string) bool {
	terms := e.idx.Terms(e.idx.Parse(text))
	for _, phrase := range e.topic {
		all := true
		for _, t := range phrase {
			if !slices.Contains(terms, t) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

func (e *Engine) decide(text string, ctx Memory) Decision {
	norm := normalizeForIntent(truncateRunes(text, maxIntentRunes))
	if !hasWord(norm) {
		return Decision{Kind: KindFallback, Text: e.texts[textEmpty], Entries: []string{}, OfferPerson: true, Reason: "empty"}
	}
	if reason, ok := asks(text, norm); ok {
		return Decision{Kind: KindRefusal, Text: e.texts[reason], Entries: []string{}, OfferPerson: true, Reason: reason}
	}
	if wantsPerson(norm) {
		return Decision{Kind: KindHandoff, Text: e.texts[textHandoff], Entries: []string{}, OfferPerson: true, Reason: "asked"}
	}

	q := e.idx.Parse(text)
	// One search serves the whole message and, when it has parts, the
	// entries its thin parts may choose among.
	hits := e.search(q, max(e.th.MaxChoices+2, plausibleEntries))
	d := e.classify(hits, q.Known)
	// "Hi, I am new here and was wondering...": a greeting ranked first,
	// even too weakly to be answered, says the rest is the question.
	greeted := len(hits) > 0 && e.base.Entry(hits[0].ID).Social
	// A message of several questions, or a question inside a story, is
	// read part by part as well as whole.
	if ps := parts(text); len(ps) > 0 {
		d = e.byParts(ps, q, hits, d)
	}
	// A question only about another substance ("how long does meth
	// withdrawal last") gets the entry that says this chat is about
	// opioids, not an opioid answer as if it were about meth; the opioid
	// answer stays one tap away.
	switch id := e.elsewhere(q); {
	case id == notOurs:
		// "Am I addicted to gambling": no entry of ours is about it.
		return e.fallback(d.Score, "not our topic")
	case id != "" && first(d.Entries) != id:
		d = e.answer(id, max(d.Score, e.th.AnswerScore), alternativeTo(d, id))
	}
	// A greeting or a thank-you around a question ("hi, my son is sick
	// every morning, what is this") is not the question: answer the rest.
	if greeted || e.isSocial(d) {
		if rest := e.withoutSocial(text); rest != "" {
			if r := e.decide(rest, ctx); r.Kind == KindAnswer || r.Kind == KindClarify {
				return r
			}
		}
	}
	if len(ctx.Entries) > 0 && q.Known <= 3 {
		marked := followUpMarker(norm)
		aug := q
		for i, prev := range ctx.Entries {
			if topic, ok := e.topics[prev]; ok && topic.Known > 0 {
				// A topic weighs ContextWeight times the question itself,
				// however many words its title has; the older topic counts
				// half: "which one is better" after methadone, then
				// suboxone, is about both.
				w := e.th.ContextWeight * float32(max(q.Known, 1)) / float32(topic.Known) / float32(i+1)
				aug = aug.Plus(topic, w)
			}
		}
		// The visitor's own previous message says what "it" is in their
		// words, which the entry's title may not: "does it work on
		// fentanyl too" after "how does narcan work".
		if n := len(ctx.Recent); n > 0 && e.th.PrevWeight > 0 {
			if pq := e.idx.Parse(ctx.Recent[n-1]); pq.Known > 0 {
				w := e.th.PrevWeight * float32(max(q.Known, 1)) / float32(pq.Known)
				aug = aug.Plus(pq, w)
			}
		}
		hits := e.search(aug, e.th.MaxChoices+4)
		a := e.classify(e.followUp(hits, ctx.Entries), aug.Known)
		// A question sure of its subject ("what is suboxone", after an
		// answer on withdrawal) stands on its own: the context may choose
		// among its close entries, never replace them.
		standsAlone := !marked && d.Kind == KindClarify && !d.OfferPerson && !slices.Contains(d.Entries, first(a.Entries))
		if !standsAlone && preferContext(d, a, marked, hasAnaphora(norm)) {
			d = a
		}
	}
	return d
}

// search returns the k best entries for q. A question that names one of
// the knowledge base's own substances is about it, also when it names
// another: "can you drink alcohol on methadone" is about mixing, never the
// entry that says this chat is not about alcohol.
func (e *Engine) search(q search.Query, k int) []search.Hit {
	if len(e.forThem) == 0 || !e.namesOurs(q) {
		return e.idx.Search(q, k)
	}
	hits := e.idx.Search(q, k+len(e.forThem))
	kept := hits[:0]
	for _, h := range hits {
		if !e.forThem[h.ID] {
			kept = append(kept, h)
		}
	}
	return kept[:min(k, len(kept))]
}

func (e *Engine) namesOurs(q search.Query) bool {
	for _, t := range e.idx.Terms(q) {
		if e.ours[t] {
			return true
		}
	}
	return false
}

// elsewhere returns the entry for the other substance q names, when it
// names one and none of the knowledge base's own.
func (e *Engine) elsewhere(q search.Query) string {
	id := ""
	for _, t := range e.idx.Terms(q) {
		if e.ours[t] {
			return ""
		}
		if o, ok := e.others[t]; ok && id == "" {
			id = o
		}
	}
	return id
}

// notOurs marks, in Engine.others, a term of something no entry is about.
const notOurs = "-"

// alternativeTo returns d's first entry as the alternative to answering
// with entry id instead, when d was sure enough of it.
func alternativeTo(d Decision, id string) []string {
	if (d.Kind == KindAnswer || d.Kind == KindClarify) && !d.OfferPerson && len(d.Entries) > 0 && d.Entries[0] != id {
		return d.Entries[:1]
	}
	return nil
}

func first(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

// byParts reads each part of a message alone and returns the most useful
// decision: the whole message's, one part's, or, when two parts are two
// questions confidently answered by different entries, both answers.
func (e *Engine) byParts(ps []string, whole search.Query, wholeHits []search.Hit, d Decision) Decision {
	wholeDecision := d
	var answers []Decision
	var prev search.Query
	letter := e.isLetter(whole.Known)
	var leading []string
	for _, h := range wholeHits[:min(e.th.MaxChoices, len(wholeHits))] {
		leading = append(leading, h.ID)
	}
	// A thin part ("what are my options?" at the end of a letter) may only
	// choose among the entries the whole message points to: read alone it
	// is about anything.
	plausible := map[string]bool{}
	for _, h := range wholeHits {
		plausible[h.ID] = true
	}
	for _, p := range ps {
		pq := e.idx.Parse(p)
		own := pq
		// A part that points back ("and how is it given?") takes its
		// subject from the part before it, or from the whole message.
		if hasAnaphora(normalizeForIntent(p)) {
			ctx := prev
			if ctx.Known == 0 {
				ctx = whole
			}
			if ctx.Known > 0 {
				pq = pq.Plus(ctx, e.th.PrevWeight*float32(max(own.Known, 1))/float32(ctx.Known))
			}
		}
		prev = own
		if pq.Known < 2 {
			continue
		}
		pd := e.classify(e.search(pq, e.th.MaxChoices+2), pq.Known)
		if own.Known < standAlone && !plausible[first(pd.Entries)] {
			continue
		}
		// In a letter the story says more than any one sentence: "is it
		// okay to continue taking this medication?" is about pregnancy
		// when the letter around it is. A part may only answer with one
		// of the entries the whole letter ranks first, and never replace
		// the letter's choices with a menu of its own. Measured on the
		// real-question set's 109 letters: the right entry one tap away
		// 50% -> 61%, wrong answers 7 -> 3, right first time unchanged.
		if letter && (pd.Kind != KindAnswer || !slices.Contains(leading, first(pd.Entries))) {
			continue
		}
		// A part unsure alone, led by the entry the whole message answers
		// with confidence, is the question that entry answers: "How long
		// do people stay on it?" after "What is methadone?".
		if pd.Kind == KindClarify && wholeDecision.Kind == KindAnswer && first(pd.Entries) == first(wholeDecision.Entries) {
			pd = wholeDecision
		}
		if pd.Kind == KindAnswer && !e.isSocial(pd) {
			answers = append(answers, pd)
		}
		if better(pd, d) {
			d = pd
		}
	}
	if len(answers) < 2 {
		return d
	}
	// The two best answers with different entries, in the order asked.
	best, next := -1, -1
	for i, a := range answers {
		switch {
		case best < 0 || a.Score > answers[best].Score:
			if best >= 0 && answers[best].Entries[0] != a.Entries[0] {
				next = best
			}
			best = i
		case a.Entries[0] != answers[best].Entries[0] && (next < 0 || a.Score > answers[next].Score):
			next = i
		}
	}
	if next < 0 {
		return d
	}
	if next < best {
		best, next = next, best
	}
	return e.twoAnswers(answers[best], answers[next])
}

// plausibleEntries is how many of the whole message's best entries a thin
// part may choose among, and standAlone the known terms from which a part
// is a question of its own.
const (
	plausibleEntries = 8
	standAlone       = 3
)

// twoAnswers answers two questions of one message, each under its title.
func (e *Engine) twoAnswers(a, b Decision) Decision {
	ea, eb := e.base.Entry(a.Entries[0]), e.base.Entry(b.Entries[0])
	text := "**" + ea.Title + "**\n\n" + a.Text + "\n\n**" + eb.Title + "**\n\n" + b.Text
	var related []string
	for _, r := range append(append([]string(nil), ea.Related...), eb.Related...) {
		if r != ea.ID && r != eb.ID && !slices.Contains(related, r) && len(related) < 4 {
			related = append(related, r)
		}
	}
	return Decision{Kind: KindAnswer, Text: text, Entries: []string{ea.ID, eb.ID}, Score: min(a.Score, b.Score), Options: e.options(related)}
}

// isSocial reports whether d answers with, or offers first, a greeting or
// a thank-you.
func (e *Engine) isSocial(d Decision) bool {
	if (d.Kind != KindAnswer && d.Kind != KindClarify) || len(d.Entries) == 0 {
		return false
	}
	en := e.base.Entry(d.Entries[0])
	return en != nil && en.Social
}

// withoutSocial returns text without its greeting and thank-you parts: the
// sentences, and the first or last word or two, that alone are social. It
// returns "" when nothing else is left, or nothing was social.
func (e *Engine) withoutSocial(text string) string {
	// A part is social when a social entry ranks first and accounts for
	// nearly all of its words.
	social := func(s string) bool {
		q := e.idx.Parse(s)
		if q.Known == 0 {
			return false
		}
		hits := e.idx.Search(q, 1)
		if len(hits) == 0 || hits[0].Coverage < socialCoverage {
			return false
		}
		en := e.base.Entry(hits[0].ID)
		return en != nil && en.Social
	}
	var kept []string
	dropped := false
	for _, s := range splitSentences(text) {
		if social(s) {
			dropped = true
			continue
		}
		words := strings.Fields(s)
		// "yo what are the signs", "good morning my son...", "...thanks"
		for n := 2; n >= 1; n-- {
			if len(words) > n && social(strings.Join(words[:n], " ")) {
				words, dropped = words[n:], true
				break
			}
		}
		for n := 2; n >= 1; n-- {
			if len(words) > n && social(strings.Join(words[len(words)-n:], " ")) {
				words, dropped = words[:len(words)-n], true
				break
			}
		}
		kept = append(kept, strings.Join(words, " "))
	}
	if !dropped || len(kept) == 0 {
		return ""
	}
	return strings.Join(kept, ". ")
}

// socialCoverage is how much of a part of a message a greeting must
// account for to be only a greeting.
const socialCoverage = 0.9

// followUp reranks the hits for a follow-up question: the entries the
// previous answers offered as related are more likely. The entries just
// answered are not made less likely: a follow-up often asks more of the
// same entry ("does it work on fentanyl too?" after naloxone), and the
// evaluation sets agree (top-1 91.2% → 91.7% here, 88.4% → 88.9% on
// held-out questions, with a same-entry penalty of 0.8 removed).
func (e *Engine) followUp(hits []search.Hit, prev []string) []search.Hit {
	related := map[string]bool{}
	for _, id := range prev {
		if en := e.base.Entry(id); en != nil {
			for _, r := range en.Related {
				related[r] = true
			}
		}
	}
	for i := range hits {
		if related[hits[i].ID] && !slices.Contains(prev, hits[i].ID) {
			hits[i].Score = min(1, hits[i].Score*followUpRelated)
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].Score > hits[j].Score })
	return hits
}

// followUpRelated is how much more likely a related entry is.
const followUpRelated = 1.3

// preferContext decides between reading a question alone (bare) and in the
// light of the previous answers (aug). A question that points back ("is it
// safe?", "what about my son") or says nothing on its own ("and if i dont
// have any") needs the context; one confidently answered alone does not.
func preferContext(bare, aug Decision, marked, pronoun bool) bool {
	switch {
	case aug.Kind == KindFallback:
		return false
	case bare.Kind == KindFallback:
		return true
	case pronoun:
		// "where do you get it" names nothing: what "it" is comes from
		// the conversation, however well the words alone match. Measured
		// on 47 follow-ups: the same top-1, answered precision 86.5% →
		// 91.2%.
		return true
	case marked:
		// "and what is suboxone" is clear on its own; "what about my
		// son" is not.
		return bare.Kind != KindAnswer
	}
	return bare.Kind != KindAnswer && aug.Kind == KindAnswer
}

// better reports whether decision a is more useful to the visitor than b:
// an answer beats a choice, which beats "I'm not sure"; then the higher
// score wins.
func better(a, b Decision) bool {
	rank := func(d Decision) int {
		switch d.Kind {
		case KindAnswer:
			return 2
		case KindClarify:
			return 1
		}
		return 0
	}
	if rank(a) != rank(b) {
		return rank(a) > rank(b)
	}
	return a.Score > b.Score
}

func splitSentences(text string) []string {
	var out []string
	start := 0
	for i, r := range text {
		if r == '.' || r == '?' || r == '!' || r == '\n' || r == ',' {
			if s := strings.TrimSpace(text[start : i+utf8.RuneLen(r)]); len(strings.Fields(s)) > 0 {
				out = append(out, strings.TrimRight(s, ".,!\n "))
				if r == '?' {
					out[len(out)-1] = strings.TrimRight(out[len(out)-1], "?") + "?"
				}
			}
			start = i + utf8.RuneLen(r)
		}
	}
	if s := strings.TrimSpace(text[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// isLetter reports whether a message of known terms is a letter: many
// sentences that match every entry a little.
func (e *Engine) isLetter(known int) bool { return known >= e.th.LongTerms }

// choices is how many entries a clarify offers for a message of known
// terms.
func (e *Engine) choices(known int) int {
	if e.isLetter(known) && e.th.LetterChoices > 0 {
		return e.th.LetterChoices
	}
	return e.th.MaxChoices
}

// classify applies the thresholds to ranked hits of a query with the
// given number of known terms.
func (e *Engine) classify(hits []search.Hit, known int) Decision {
	if len(hits) == 0 {
		return e.fallback(0, "no match")
	}
	top := hits[0]
	// A letter of many sentences matches every entry a little: its best
	// scores are low however clear it is, but the entries it ranks first
	// are still the likeliest. It gets them as a choice, not "I'm not
	// sure".
	if e.isLetter(known) && top.Score >= e.th.LongMinScore && top.Score < e.th.MinScore {
		choices := make([]string, 0, e.choices(known))
		for _, h := range hits {
			if len(choices) == e.choices(known) {
				break
			}
			choices = append(choices, h.ID)
		}
		return Decision{Kind: KindClarify, Text: e.texts[textClarify], Entries: choices, Score: top.Score, Options: e.options(choices), OfferPerson: true, Reason: "long message"}
	}
	// The learned ranking is sure of little that a visitor's own words
	// put unlike any sample question; the lexical score alone still says
	// whether the best entries are worth offering.
	if max(top.Score, top.Lexical) < e.th.MinScore {
		return e.fallback(top.Score, "low score")
	}
	if top.Coverage < e.th.ClarifyCoverage {
		return e.fallback(top.Score, "low coverage")
	}
	// Unsure but not lost: offer the best entries to choose from.
	unsure := top.Score < e.th.AnswerScore || top.Coverage < e.th.MinCoverage
	choices := []string{top.ID}
	oneWord := known <= 1 && !e.base.Entry(top.ID).Social
	for _, h := range hits[1:] {
		// A single word ("methadone?") says too little to pick one of its
		// entries, however far ahead the first is; "thanks" does.
		if len(choices) >= e.choices(known) || (!unsure && !oneWord && h.Score < e.th.ClarifyRatio*top.Score) {
			break
		}
		choices = append(choices, h.ID)
	}
	// A question that is, word for word, one the curators wrote for the
	// top entry, and clearly less like any of its neighbours', is that
	// entry's: "what is methadone" is not a choice between methadone and
	// methadone clinics. A single word ("help") is too little to be
	// anyone's question.
	asSample := known >= 2 && top.Best >= e.th.SampleMatch && (len(hits) < 2 || hits[1].Best <= top.Best-e.th.SampleGap)
	if !unsure && len(choices) > 1 && asSample {
		choices = choices[:1]
	}
	// Unsure, even with a single candidate, is a choice: "Did you mean
	// this?", never an answer. So is a single word ("methadone?"), which
	// says too little to pick one of its entries.
	if unsure || (len(choices) > 1 && (known <= 1 || top.Score < e.th.AltScore)) {
		return Decision{Kind: KindClarify, Text: e.texts[textClarify], Entries: choices, Score: top.Score, Options: e.options(choices), OfferPerson: unsure}
	}
	// Sure of the topic, with a sibling close behind ("what is suboxone":
	// buprenorphine, or why it contains naloxone): the best entry is
	// answered, and the sibling is one tap away. A menu with no answer
	// would cost every visitor a tap to spare a few of them one.
	alts := choices[1:]
	if len(alts) == 0 && !asSample && len(hits) > 1 && hits[1].Score >= e.th.AltRatio*top.Score {
		alts = []string{hits[1].ID}
	}
	return e.answer(top.ID, top.Score, alts)
}

// answer answers with entry id, offering alts as the entries the visitor
// may have meant instead.
func (e *Engine) answer(id string, score float64, alts []string) Decision {
	en := e.base.Entry(id)
	var related []string
	for _, r := range en.Related {
		if !slices.Contains(alts, r) {
			related = append(related, r)
		}
	}
	d := Decision{Kind: KindAnswer, Text: e.answers[id], Entries: []string{id}, Score: score, Options: e.options(related)}
	if len(alts) > 0 {
		d.Alternatives = e.options(alts)
	}
	return d
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
	return Decision{Kind: KindAnswer, Text: e.answers[id], Entries: []string{id}, Score: 1, Options: e.options(en.Related), Risk: safety.Risk{Kind: safety.None}}, true
}

// followUpMarker reports whether a question points back at what was
// said before: a pronoun, or an opening such as "what about" or "and".
func followUpMarker(norm string) bool {
	if hasAnaphora(norm) {
		return true
	}
	return followUpOpening.MatchString(norm)
}

var followUpOpening = regexp.MustCompile(`^(?:what about|how about|and|also|but|then|so|ok and|what if|which one|after that)\b|\b(?:after that|instead|the other one|which one)\b`)

// Person answers the visitor's tap on "talk to a person".
func (e *Engine) Person() Decision {
	return Decision{Kind: KindHandoff, Text: e.texts[textHandoff], Entries: []string{}, OfferPerson: true, Reason: "asked", Risk: safety.Risk{Kind: safety.None}}
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

// Explanation shows how a question was read and ranked, for curators
// asking "why did this question get that answer?".
type Explanation struct {
	Terms       []string            `json:"terms"`
	Corrections []search.Correction `json:"corrections,omitempty"`
	Unknown     int                 `json:"unknown"`
	Hits        []search.Hit        `json:"hits"`
}

// Explain ranks text alone, without context, and reports the top n hits.
func (e *Engine) Explain(text string, n int) Explanation {
	q := e.idx.Parse(text)
	return Explanation{Terms: e.idx.Terms(q), Corrections: q.Corrections, Unknown: q.Unknown, Hits: e.idx.Search(q, n)}
}
