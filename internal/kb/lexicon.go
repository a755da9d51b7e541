package kb

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Synonym maps the words visitors use (Variants) to the term the entries
// use (Canonical). Either side may be a phrase of several words.
type Synonym struct {
	Canonical string
	Variants  []string
	Line      int
}

// ParseLexicon parses lexicon.yaml: a mapping from each canonical term to
// the list of its variants.
func ParseLexicon(file string, data []byte) ([]Synonym, Problems) {
	var ps Problems
	add := func(line int, format string, args ...any) {
		ps = append(ps, Problem{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		add(yamlErrLine(err, 0), "lexicon is not valid YAML: %s", yamlErrMsg(err))
		return nil, ps
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		add(m.Line, "lexicon must map each term to a list of variants, like `heroin: [dope, smack]`")
		return nil, ps
	}
	var out []Synonym
	seenCanon := map[string]int{}
	seenVariant := map[string]string{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		key, val := m.Content[i], m.Content[i+1]
		canon := strings.ToLower(strings.TrimSpace(key.Value))
		if canon == "" {
			add(key.Line, "empty term")
			continue
		}
		if prev, dup := seenCanon[canon]; dup {
			add(key.Line, "term %q is already listed on line %d: merge the two lists", canon, prev)
			continue
		}
		seenCanon[canon] = key.Line
		variants := list(val, canon, key.Line, 0, add)
		syn := Synonym{Canonical: canon, Line: key.Line}
		for _, v := range variants {
			v = strings.ToLower(v)
			switch {
			case v == "":
				add(key.Line, "%s: empty variant", canon)
			case v == canon:
				add(key.Line, "%s: lists itself as a variant", canon)
			case seenVariant[v] != "":
				add(key.Line, "variant %q is listed under both %q and %q: a word can mean only one thing", v, seenVariant[v], canon)
			default:
				seenVariant[v] = canon
				syn.Variants = append(syn.Variants, v)
			}
		}
		if len(variants) == 0 {
			add(key.Line, "%s: no variants", canon)
		}
		if len(syn.Variants) == 0 {
			continue
		}
		out = append(out, syn)
	}
	return out, ps
}
