// Package analysis turns the text visitors type, and the text curators
// write, into the terms the search index compares: it normalizes Unicode
// and case, splits words, stems them with the Snowball English stemmer, and
// maps the visitors' words ("dope sick", "subs") onto the entries' words
// (withdrawal, buprenorphine) with the curated lexicon.
//
// The same Analyzer must process both sides, so that a word means the same
// thing in a question and in an entry.
package analysis

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"helpline/internal/kb"
)

// MaxWords bounds how many words of one text are analyzed. It keeps a 10 KB
// message from costing more than a normal one; no real question needs more.
const MaxWords = 400

// Word is one word of a text, with what the analyzer knows of it.
type Word struct {
	// Raw is the normalized word as written.
	Raw string
	// Stem is its Snowball stem, or a correction set by the caller.
	Stem string
	// Stop marks a function word that carries no topic on its own.
	Stop bool
}

// Analyzer analyzes text with a lexicon. It is safe for concurrent use.
type Analyzer struct {
	// phrases maps the stem a lexicon variant starts with to the variants
	// that start with it, longest first.
	phrases map[string][]phrase
	// stems caches the stems of every lexicon word and stopword, which
	// make up most of what visitors type.
	stems map[string]string
}

type phrase struct {
	stems []string
	// raws holds, for a word whose stem is a stopword's, the word itself,
	// which must then match exactly: "whats" is "what is", but its stem
	// "what" is every other question too.
	raws  []string
	terms []string // the canonical term's stems, emitted on a match
}

// New returns an analyzer that expands the given lexicon. The words of
// vocabulary, such as the knowledge base's own texts, are stemmed once here
// rather than each time they are analyzed: stemming was most of the time
// it took to build an index.
func New(lexicon []kb.Synonym, vocabulary ...string) *Analyzer {
	a := &Analyzer{phrases: map[string][]phrase{}, stems: map[string]string{}}
	for w := range stopwords {
		a.stems[w] = stem(w)
	}
	for _, text := range vocabulary {
		// a is not shared yet, so its cache may still grow.
		for _, w := range a.Words(text) {
			if _, ok := a.stems[w.Raw]; !ok {
				a.stems[w.Raw] = w.Stem
			}
		}
	}
	// Filler phrases are phrases that bring no term at all.
	lexicon = append([]kb.Synonym{{Variants: fillerPhrases}}, lexicon...)
	for _, syn := range lexicon {
		canon := a.Terms(syn.Canonical)
		if len(canon) == 0 && syn.Canonical != "" {
			continue
		}
		for _, v := range syn.Variants {
			ws := a.Words(v)
			if len(ws) == 0 {
				continue
			}
			p := phrase{terms: canon}
			for _, w := range ws {
				p.stems = append(p.stems, w.Stem)
				raw := ""
				if _, stop := stopStems[w.Stem]; stop {
					raw = w.Raw
				}
				p.raws = append(p.raws, raw)
			}
			first := p.stems[0]
			list := append(a.phrases[first], p)
			// Longest first, so "dope sick" wins over "dope".
			for i := len(list) - 1; i > 0 && len(list[i].stems) > len(list[i-1].stems); i-- {
				list[i], list[i-1] = list[i-1], list[i]
			}
			a.phrases[first] = list
		}
	}
	return a
}

// Terms analyzes text completely: words, stems, lexicon, stopwords.
func (a *Analyzer) Terms(text string) []string {
	return a.Expand(a.Words(text))
}

// Words normalizes text and splits it into at most MaxWords words.
func (a *Analyzer) Words(text string) []Word {
	text = Normalize(text)
	var words []Word
	start := -1
	prevDigit := false
	flush := func(end int) {
		if start < 0 {
			return
		}
		raw := squash(text[start:end])
		words = append(words, a.word(raw))
		start = -1
	}
	for i, r := range text {
		if len(words) >= MaxWords {
			return words
		}
		isDigit := unicode.IsDigit(r)
		if unicode.IsLetter(r) || isDigit {
			// Split "8mg" and "12step" where letters meet digits.
			if start >= 0 && isDigit != prevDigit {
				flush(i)
			}
			if start < 0 {
				start = i
			}
			prevDigit = isDigit
			continue
		}
		flush(i)
	}
	if len(words) < MaxWords {
		flush(len(text))
	}
	return words
}

func (a *Analyzer) word(raw string) Word {
	if w, ok := chatSpelling[raw]; ok {
		raw = w
	}
	s, ok := a.stems[raw]
	if !ok {
		s = stem(raw)
	}
	if negators[raw] {
		// Every way of saying "not" is one term, which the lexicon and
		// the entries' sample questions can match: "my insurance doesnt
		// cover rehab" is about being without coverage.
		return Word{Raw: raw, Stem: negationTerm}
	}
	return Word{Raw: raw, Stem: s, Stop: stopwords[raw]}
}

// negationTerm is the term every negator becomes.
const negationTerm = "not"

var negators = toSet(`not no dont doesnt didnt cant cannot wont isnt arent wasnt werent aint havent hasnt hadnt without never nor neither none nothing nobody shouldnt couldnt wouldnt`)

// chatSpelling maps the shortest chat spellings of function words to the
// words, so that a lexicon phrase written once ("how can you tell")
// matches however it is typed ("how can u tell").
var chatSpelling = map[string]string{
	"u": "you", "ur": "your", "r": "are", "wat": "what", "wht": "what", "waht": "what", "whta": "what",
	"wut": "what", "hw": "how", "hwo": "how", "abt": "about", "bout": "about", "ppl": "people", "w": "with",
}

// Expand maps words to index terms and drops stopwords. A lexicon word
// becomes its canonical term and stays itself too ("suboxone" is also
// buprenorphine); a lexicon phrase is replaced by its term, because its
// words mean something else together ("good evening" is a greeting, not an
// evening program).
func (a *Analyzer) Expand(words []Word) []string {
	terms, _ := a.ExpandWeighted(words)
	return terms
}

// VariantWeight is the weight, in a query, of a lexicon word beside the
// canonical term it brings: "suboxone" is mostly buprenorphine, a little
// itself, and a misspelling like "withdrawls" must not count its concept
// twice.
const VariantWeight = 0.5

// ExpandWeighted is Expand with a weight for each term, for queries.
func (a *Analyzer) ExpandWeighted(words []Word) ([]string, []float32) {
	terms := make([]string, 0, len(words)+4)
	weights := make([]float32, 0, len(words)+4)
	add := func(t string, w float32) {
		terms = append(terms, t)
		weights = append(weights, w)
	}
	for i := 0; i < len(words); {
		if p, ok := a.match(words, i); ok {
			for _, t := range p.terms {
				add(t, 1)
			}
			if len(p.stems) == 1 && !words[i].Stop {
				add(words[i].Stem, VariantWeight)
			}
			i += len(p.stems)
			continue
		}
		if !words[i].Stop {
			add(words[i].Stem, 1)
		}
		i++
	}
	return terms, weights
}

func (a *Analyzer) match(words []Word, i int) (phrase, bool) {
	for _, p := range a.phrases[words[i].Stem] {
		if i+len(p.stems) > len(words) {
			continue
		}
		ok := true
		for j, s := range p.stems {
			// A word whose stem is a stopword's must be the word itself,
			// or its plural or possessive: "loved ones", "a loved one's".
			if words[i+j].Stem != s || (p.raws[j] != "" && words[i+j].Raw != p.raws[j] && words[i+j].Raw != p.raws[j]+"s") {
				ok = false
				break
			}
		}
		if ok {
			return p, true
		}
	}
	return phrase{}, false
}

// LexiconStems returns every stem the lexicon knows, so a spelling
// corrector can map a typo onto a visitor's word as well as an entry's.
func (a *Analyzer) LexiconStems() []string {
	var out []string
	for _, ps := range a.phrases {
		for _, p := range ps {
			out = append(out, p.stems...)
		}
	}
	return out
}

// IsStopStem reports whether stem is the stem of a stopword.
func (a *Analyzer) IsStopStem(s string) bool {
	_, ok := stopStems[s]
	return ok
}

var stripMarks = runes.Remove(runes.In(unicode.Mn))

// Normalize makes text comparable: valid UTF-8, no control characters,
// compatibility forms and accents folded ("ﬁ" → "fi", "adicción" →
// "adiccion"), lower case, and apostrophes inside words removed so
// "don't" and "dont" are one word.
func Normalize(text string) string {
	if !isPlainASCII(text) {
		text = strings.ToValidUTF8(text, " ")
		if folded, _, err := transform.String(transform.Chain(norm.NFKD, stripMarks), text); err == nil {
			text = folded
		}
	}
	var b strings.Builder
	b.Grow(len(text))
	for _, r := range text {
		switch {
		case r == '\'' || r == '’' || r == '‘' || r == 'ʼ' || r == '`':
			// dropped: joins "don't" into "dont"
		case unicode.IsControl(r) || r == utf8.RuneError:
			b.WriteByte(' ')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// squash shortens runs of three or more equal letters to two, so
// "pleeease" and "helppp" come close to the words meant.
func squash(w string) string {
	run, prev := 0, rune(-1)
	need := false
	for _, r := range w {
		if r == prev {
			run++
			if run >= 3 {
				need = true
				break
			}
		} else {
			run, prev = 1, r
		}
	}
	if !need {
		return w
	}
	var b strings.Builder
	run, prev = 0, -1
	for _, r := range w {
		if r == prev {
			run++
		} else {
			run, prev = 1, r
		}
		if run <= 2 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func stem(w string) string {
	if len(w) <= 2 {
		return w
	}
	return english.Stem(w, true)
}
