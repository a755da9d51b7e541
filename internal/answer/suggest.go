package answer

import (
	"slices"

	"helpline/internal/safety"
)

// crisisEntries are the entries a representative needs first in a crisis,
// by its kind, most needed first. A crisis conversation is suggested
// these, and after them only entries about danger (crisisRelevant), never
// the everyday answer its last message happens to match ("can I keep
// working during treatment?" while someone does not wake up).
var crisisEntries = map[safety.Kind][]string{
	safety.Overdose: {"overdose-what-to-do", "naloxone", "crisis-lines", "good-samaritan", "overdose-signs"},
	safety.Suicide:  {"crisis-lines", "samhsa-helpline", "reaching-out"},
	safety.SelfHarm: {"crisis-lines", "samhsa-helpline", "reaching-out"},
	safety.Medical:  {"crisis-lines", "withdrawal-dangerous", "overdose-what-to-do", "mixing-substances"},
	safety.Abuse:    {"crisis-lines", "samhsa-helpline"},
}

// crisisRelevant are the entries about danger, which may follow the
// crisis entries in a crisis conversation's suggestions.
var crisisRelevant = func() map[string]bool {
	m := map[string]bool{"naloxone-where": true, "naloxone-at-home": true, "overdose-on-mat": true,
		"overdose-risk-after-detox": true, "fentanyl": true, "child-swallowed-medication": true}
	for _, ids := range crisisEntries {
		for _, id := range ids {
			m[id] = true
		}
	}
	return m
}()

// historyTurns is how many of the visitor's earlier messages the
// suggestions read besides the last; each weighs half the one after it.
const historyTurns = 4

// Suggest returns up to n entries for a representative to adapt, from the
// conversation's risk and the visitor's messages (oldest first): in a
// crisis the entries for its kind first; otherwise, and after them, the
// best entries for the last message read in the light of the earlier ones
// ("how much does it cost" after "what is naltrexone" is about
// naltrexone's cost). Greetings and thanks are never suggested.
func (e *Engine) Suggest(questions []string, risk safety.Risk, n int) []string {
	var out []string
	add := func(id string) {
		if len(out) < n && e.base.Entry(id) != nil && !e.base.Entry(id).Social && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	crisis := risk.Crisis()
	if crisis {
		for _, id := range crisisEntries[risk.Kind] {
			add(id)
		}
	}
	if len(questions) == 0 {
		return out
	}
	last := len(questions) - 1
	q := e.idx.Parse(questions[last])
	w := float32(1)
	for i := last - 1; i >= 0 && i >= last-historyTurns; i-- {
		w /= 2
		if pq := e.idx.Parse(questions[i]); pq.Known > 0 {
			q = q.Plus(pq, w*float32(max(q.Known, 1))/float32(pq.Known))
		}
	}
	for _, h := range e.search(q, n+4) {
		if !crisis || crisisRelevant[h.ID] {
			add(h.ID)
		}
	}
	return out
}
