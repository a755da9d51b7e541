package kb

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// The layout of a knowledge base directory.
const (
	EntriesDir  = "entries"
	LexiconFile = "lexicon.yaml"
	TopicFile   = "topic.txt"
)

// Base is a knowledge base: its entries, sorted by id, its lexicon, and its
// topic words.
type Base struct {
	Entries []*Entry
	Lexicon []Synonym
	// Topic lists the words and phrases that show a message is about the
	// helpline's topic at all (topic.txt); a question with none of them is
	// not answered outright. Empty means every question may be.
	Topic []string
	// Substances says which substances the base is about and which it
	// only points elsewhere for (substances.yaml).
	Substances Substances
	byID       map[string]*Entry
}

// Entry returns the entry with the given id, or nil.
func (b *Base) Entry(id string) *Entry { return b.byID[id] }

// New builds a base from entries and a lexicon that are already in memory,
// such as a generated base for benchmarks. It does not check them.
func New(entries []*Entry, lexicon []Synonym) *Base {
	b := &Base{Entries: entries, Lexicon: lexicon, byID: make(map[string]*Entry, len(entries))}
	sort.Slice(b.Entries, func(i, j int) bool { return b.Entries[i].ID < b.Entries[j].ID })
	for _, e := range entries {
		b.byID[e.ID] = e
	}
	return b
}

// Read reads every entry and the lexicon from fsys and checks them. It
// returns the base as far as it could be read, and every problem found;
// callers that serve visitors must refuse a base with problems (see Load).
func Read(fsys fs.FS) (*Base, Problems) {
	var ps Problems
	files, err := fs.Glob(fsys, path.Join(EntriesDir, "*.md"))
	if err != nil {
		return New(nil, nil), Problems{{File: EntriesDir, Line: 1, Msg: err.Error()}}
	}
	if len(files) == 0 {
		ps = append(ps, Problem{File: EntriesDir, Line: 1, Msg: "no entries: expected files named entries/<id>.md"})
	}
	var entries []*Entry
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			ps = append(ps, Problem{File: f, Line: 1, Msg: err.Error()})
			continue
		}
		e, eps := ParseEntry(f, data)
		ps = append(ps, eps...)
		entries = append(entries, e)
	}
	var lex []Synonym
	if data, err := fs.ReadFile(fsys, LexiconFile); err == nil {
		var lps Problems
		lex, lps = ParseLexicon(LexiconFile, data)
		ps = append(ps, lps...)
	} else if !errors.Is(err, fs.ErrNotExist) {
		ps = append(ps, Problem{File: LexiconFile, Line: 1, Msg: err.Error()})
	}
	b := New(entries, lex)
	if data, err := fs.ReadFile(fsys, TopicFile); err == nil {
		var tps Problems
		b.Topic, tps = ParseTopic(TopicFile, data)
		ps = append(ps, tps...)
	} else if !errors.Is(err, fs.ErrNotExist) {
		ps = append(ps, Problem{File: TopicFile, Line: 1, Msg: err.Error()})
	}
	if data, err := fs.ReadFile(fsys, SubstancesFile); err == nil {
		var sps Problems
		b.Substances, sps = ParseSubstances(SubstancesFile, data)
		ps = append(ps, sps...)
		ps = append(ps, checkSubstances(b)...)
	} else if !errors.Is(err, fs.ErrNotExist) {
		ps = append(ps, Problem{File: SubstancesFile, Line: 1, Msg: err.Error()})
	}
	ps = append(ps, Check(b)...)
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].File != ps[j].File {
			return ps[i].File < ps[j].File
		}
		return ps[i].Line < ps[j].Line
	})
	return b, ps
}

// Load reads and checks the knowledge base in fsys and fails on any problem,
// so a broken edit can never reach visitors.
func Load(fsys fs.FS) (*Base, error) {
	b, ps := Read(fsys)
	if len(ps) > 0 {
		return nil, fmt.Errorf("knowledge base has %d problem(s):\n%w", len(ps), ps)
	}
	return b, nil
}

// fileID is the id an entry file's name implies.
func fileID(file string) string { return strings.TrimSuffix(path.Base(file), ".md") }

// ParseTopic parses topic.txt: one word or phrase per line; blank lines and
// lines starting with # are comments.
func ParseTopic(file string, data []byte) ([]string, Problems) {
	var out []string
	var ps Problems
	seen := map[string]int{}
	for i, line := range strings.Split(string(data), "\n") {
		w := strings.ToLower(strings.TrimSpace(line))
		if w == "" || strings.HasPrefix(w, "#") {
			continue
		}
		if prev, dup := seen[w]; dup {
			ps = append(ps, Problem{File: file, Line: i + 1, Msg: fmt.Sprintf("%q is already listed on line %d", w, prev)})
			continue
		}
		seen[w] = i + 1
		out = append(out, w)
	}
	return out, ps
}
