package search

import "unicode/utf8"

// speller corrects a misspelled word to the closest word of a vocabulary.
// It uses the symmetric-delete idea (as in SymSpell): every vocabulary word
// is stored under itself and each string made by deleting one of its
// letters; a typo within one edit of a word shares one of those keys. Long
// words also get two deletions, since "bupinorfine" is two edits away.
type speller struct {
	words []string
	df    []int // how common each word is, to break ties
	keys  map[string][]int32
}

const (
	minCorrectRunes = 5 // shorter words have too many neighbours to guess
	twoEditRunes    = 8 // words this long may be two edits away
)

func newSpeller() *speller { return &speller{keys: map[string][]int32{}} }

func (s *speller) add(word string, df int) {
	n := utf8.RuneCountInString(word)
	if n < minCorrectRunes-1 {
		return
	}
	id := int32(len(s.words))
	s.words = append(s.words, word)
	s.df = append(s.df, df)
	s.put(word, id)
	for _, d := range deletes(word) {
		s.put(d, id)
		if n >= twoEditRunes {
			for _, d2 := range deletes(d) {
				s.put(d2, id)
			}
		}
	}
}

func (s *speller) put(key string, id int32) {
	ids := s.keys[key]
	for _, x := range ids {
		if x == id {
			return
		}
	}
	s.keys[key] = append(ids, id)
}

// correct returns the best vocabulary word for w, or "" if none is close
// enough. Closer words win, then words with the same first letter (people
// rarely mistype the first), then more common words.
func (s *speller) correct(w string) string {
	n := utf8.RuneCountInString(w)
	if n < minCorrectRunes {
		return ""
	}
	maxDist := 1
	if n >= twoEditRunes {
		maxDist = 2
	}
	best, bestDist, bestFirst, bestDF := "", maxDist+1, false, -1
	consider := func(ids []int32) {
		for _, id := range ids {
			c := s.words[id]
			d := osaDistance(w, c, maxDist)
			if d > maxDist {
				continue
			}
			first := firstRune(c) == firstRune(w)
			better := d < bestDist ||
				(d == bestDist && first && !bestFirst) ||
				(d == bestDist && first == bestFirst && s.df[id] > bestDF)
			if better {
				best, bestDist, bestFirst, bestDF = c, d, first, s.df[id]
			}
		}
	}
	consider(s.keys[w])
	for _, d := range deletes(w) {
		consider(s.keys[d])
		if maxDist == 2 {
			for _, d2 := range deletes(d) {
				consider(s.keys[d2])
			}
		}
	}
	return best
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// deletes returns every string made by deleting one rune of w.
func deletes(w string) []string {
	rs := []rune(w)
	out := make([]string, 0, len(rs))
	buf := make([]rune, 0, len(rs))
	for i := range rs {
		buf = append(buf[:0], rs[:i]...)
		buf = append(buf, rs[i+1:]...)
		out = append(out, string(buf))
	}
	return out
}

// osaDistance is the optimal string alignment distance (Levenshtein plus
// adjacent transpositions) between a and b, or max+1 once it must exceed
// max.
func osaDistance(a, b string, max int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > max || -d > max {
		return max + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
