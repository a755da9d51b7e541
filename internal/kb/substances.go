package kb

import (
	"fmt"
	"strings"
)

// SubstancesFile says which substances the knowledge base is about and
// which it only points elsewhere for.
const SubstancesFile = "substances.yaml"

// OurSubstances is the key, in substances.yaml, of the substances the
// knowledge base answers about, and NotOurs the key of the things people
// are hooked on that are no substance of ours at all (a phone, gambling):
// a question about them alone is not our topic.
const (
	OurSubstances = "ours"
	NotOurs       = "not-ours"
)

// Substances is what substances.yaml says: the substances the knowledge
// base is about (Ours), and for other substances the entry that answers a
// question naming only them (Others, entry id to substances). "How long
// does meth withdrawal last" must get the honest "this chat is about
// opioids" entry, never the heroin timeline as if it were about meth.
type Substances struct {
	Ours   []string
	Others map[string][]string
	// NotOurs lists what a question may be about that no entry answers.
	NotOurs []string
}

// ParseSubstances parses substances.yaml: like the lexicon, a mapping of
// keys to lists, where the key "ours" lists the knowledge base's own
// substances and every other key is an entry id.
func ParseSubstances(file string, data []byte) (Substances, Problems) {
	syns, ps := ParseLexicon(file, data)
	s := Substances{Others: map[string][]string{}}
	for _, syn := range syns {
		for _, v := range syn.Variants {
			if strings.ContainsAny(v, " \t") {
				ps = append(ps, Problem{File: file, Line: syn.Line, Msg: fmt.Sprintf("%s: %q: one word each (a phrase would match its words one by one)", syn.Canonical, v)})
			}
		}
		switch syn.Canonical {
		case OurSubstances:
			s.Ours = syn.Variants
			continue
		case NotOurs:
			s.NotOurs = syn.Variants
			continue
		}
		s.Others[syn.Canonical] = syn.Variants
	}
	if len(syns) > 0 && len(s.Ours) == 0 {
		ps = append(ps, Problem{File: file, Line: 1, Msg: fmt.Sprintf("no %q list: name the substances the knowledge base is about", OurSubstances)})
	}
	return s, ps
}

// checkSubstances reports entries named in substances.yaml that do not
// exist.
func checkSubstances(b *Base) Problems {
	var ps Problems
	for id := range b.Substances.Others {
		if b.Entry(id) == nil {
			ps = append(ps, Problem{File: SubstancesFile, Line: 1, Msg: fmt.Sprintf("entry %q does not exist (every key but %q and %q is an entry id)", id, OurSubstances, NotOurs)})
		}
	}
	return ps
}

// String lists the substances for logs and explanations.
func (s Substances) String() string {
	return fmt.Sprintf("ours: %s; others: %d entries", strings.Join(s.Ours, ", "), len(s.Others))
}
