package safety

import "strings"

// keyIndex finds, in one pass over a message, which cues have one of their
// keys in it. With dozens of cues of a dozen keys each, testing every key
// with strings.Contains cost more than all the patterns together.
type keyIndex struct {
	byPrefix map[[2]byte][]keyRef
}

type keyRef struct {
	key string
	cue int
}

func newKeyIndex(cs []cue) keyIndex {
	ix := keyIndex{byPrefix: map[[2]byte][]keyRef{}}
	for i, c := range cs {
		for _, k := range c.keys {
			if len(k) < 2 {
				panic("safety: cue key shorter than two bytes: " + c.name)
			}
			p := [2]byte{k[0], k[1]}
			ix.byPrefix[p] = append(ix.byPrefix[p], keyRef{k, i})
		}
	}
	return ix
}

// active marks in on[i] whether cue i has a key in text.
func (ix keyIndex) active(text string, on []bool) {
	for i := 0; i+1 < len(text); i++ {
		refs, ok := ix.byPrefix[[2]byte{text[i], text[i+1]}]
		if !ok {
			continue
		}
		for _, r := range refs {
			if !on[r.cue] && strings.HasPrefix(text[i:], r.key) {
				on[r.cue] = true
			}
		}
	}
}

var cueKeys = newKeyIndex(cues)
