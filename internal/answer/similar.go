package answer

import "slices"

// Similar is an entry and how close in meaning it is to a question, as an
// embedding model measures it (package semantic): a cosine, the higher
// the closer.
type Similar struct {
	ID    string
	Score float64
}

// Reconsider revisits decision d on text with the entries an embedding
// model found closest to it, closest first. The lexical ranking keeps the
// last word on what is plausible: the model may only choose among the
// entries the question's own words point to, so it can turn a menu into
// an answer, or an "I'm not sure" into a menu, but never bring an entry
// from nowhere, and never touch a crisis reply, a refusal, a hand-off, an
// off-topic question or a follow-up read in the light of earlier answers.
//
//   - a menu whose choices include the model's first entry, found clearly
//     closer than its second (Thresholds.SemanticMargin), becomes that
//     entry's answer, the other choices offered beside it; otherwise the
//     choices are reordered by both rankings (reciprocal rank fusion);
//   - "I'm not sure" for a weak match becomes a menu of the plausible
//     entries the model puts first, when its first is clearly closest;
//   - an answer the model clearly disagrees with gets the model's entry
//     as the alternative offered beside it.
func (e *Engine) Reconsider(text string, ctx Memory, d Decision, similar []Similar) Decision {
	if len(similar) < 2 || !e.MayReconsider(text, ctx, d) {
		return d
	}
	q := e.idx.Parse(text)
	plausible := map[string]int{}
	for i, h := range e.search(q, plausibleEntries) {
		plausible[h.ID] = i
	}
	first := similar[0]
	_, firstPlausible := plausible[first.ID]
	sure := firstPlausible && first.Score-similar[1].Score >= e.th.SemanticMargin
	switch d.Kind {
	case KindClarify:
		if sure && slices.Contains(d.Entries, first.ID) {
			return e.Pick(d, first.ID, "closest in meaning")
		}
		d.Entries = fuse(d.Entries, similar)
		d.Options = e.options(d.Entries)
		return d
	case KindFallback:
		if !sure {
			return d
		}
		choices := []string{first.ID}
		for _, s := range similar[1:] {
			if _, ok := plausible[s.ID]; ok && len(choices) < 2 {
				choices = append(choices, s.ID)
			}
		}
		return Decision{Kind: KindClarify, Text: e.texts[textClarify], Entries: choices, Score: d.Score,
			Options: e.options(choices), OfferPerson: true, Reason: "closest in meaning", Risk: d.Risk}
	default: // KindAnswer
		if !sure || len(d.Entries) != 1 || d.Entries[0] == first.ID {
			return d
		}
		for _, a := range d.Alternatives {
			if a.ID == first.ID {
				return d
			}
		}
		d.Alternatives = append(e.options([]string{first.ID}), d.Alternatives...)
		if len(d.Alternatives) > 2 {
			d.Alternatives = d.Alternatives[:2]
		}
		kept := d.Options[:0:0]
		for _, o := range d.Options {
			if o.ID != first.ID {
				kept = append(kept, o)
			}
		}
		d.Options = kept
		return d
	}
}

// MayReconsider reports whether Reconsider may change decision d on text:
// the caller need not ask an embedding model for a ranking it would
// ignore (a crisis, a refusal, a hand-off, an off-topic question, a
// follow-up read with its context, a message with no word the base knows).
func (e *Engine) MayReconsider(text string, ctx Memory, d Decision) bool {
	switch {
	case d.Reason == "off topic":
		return false
	case d.Kind == KindAnswer, d.Kind == KindClarify:
	case d.Kind == KindFallback && (d.Reason == "low score" || d.Reason == "low coverage"):
	default:
		return false
	}
	// A short question after an answer may be a follow-up the engine
	// read with its context ("how long does it last?"); the model sees the
	// question alone.
	return len(ctx.Entries) == 0 || e.idx.Parse(text).Known > 3
}

// Pick turns menu d into the answer with its entry id, the other choices
// offered beside it, for reason; a decision that is not a menu, or an id
// that is not one of its choices, is returned as it is.
func (e *Engine) Pick(d Decision, id, reason string) Decision {
	if d.Kind != KindClarify || !slices.Contains(d.Entries, id) {
		return d
	}
	var alts []string
	for _, other := range d.Entries {
		if other != id && len(alts) < 2 {
			alts = append(alts, other)
		}
	}
	a := e.answer(id, d.Score, alts)
	// The message was screened once: its finding goes with the decision.
	a.Reason, a.Risk = reason, d.Risk
	return a
}

// fuse orders ids, ranked lexically, by reciprocal rank fusion with the
// model's ranking: each list gives an entry 1/(k+rank), and the sums
// decide. k = 60 is the usual constant: it keeps one list's first place
// from outweighing both lists' agreement on another entry.
func fuse(ids []string, similar []Similar) []string {
	const k = 60.0
	score := map[string]float64{}
	for i, id := range ids {
		score[id] += 1 / (k + float64(i+1))
	}
	for i, s := range similar {
		if _, ok := score[s.ID]; ok {
			score[s.ID] += 1 / (k + float64(i+1))
		}
	}
	out := slices.Clone(ids)
	slices.SortStableFunc(out, func(a, b string) int {
		switch {
		case score[a] > score[b]:
			return -1
		case score[a] < score[b]:
			return 1
		}
		return 0
	})
	return out
}
