// Package kb reads and validates the curated knowledge base: one Markdown
// file per entry with a small YAML front matter, plus a lexicon of the words
// visitors use. It knows nothing about search or chat; it only guarantees
// that what the bot may say is well formed.
package kb

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Entry is one curated answer.
type Entry struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Questions []string `json:"questions"`
	Keywords  []string `json:"keywords,omitempty"`
	Related   []string `json:"related,omitempty"`
	Sources   []string `json:"sources"`
	// Social marks a greeting or a thank-you: answered only when a
	// message is nothing more ("hi", "thanks"), never when it greets and
	// then asks ("hi, what is methadone").
	Social bool `json:"social,omitempty"`
	// Answer is the Markdown answer with {{placeholders}} still in it.
	Answer string `json:"answer"`

	// File is the entry's path inside the knowledge base, for messages.
	File string `json:"-"`
	// lines maps a front-matter field (and "answer") to its line in File,
	// so problems found after parsing can still point at the right line.
	lines map[string]int
}

// Line reports the line in the entry's file where field starts, or 1 if
// the field is absent.
func (e *Entry) Line(field string) int {
	if n, ok := e.lines[field]; ok {
		return n
	}
	return 1
}

// Problem is one thing wrong with the knowledge base, located precisely
// enough for a curator to fix it without reading code.
type Problem struct {
	File string
	Line int
	Msg  string
}

func (p Problem) String() string { return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg) }

// Problems is a list of problems that is also an error.
type Problems []Problem

func (ps Problems) Error() string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.String())
	}
	return b.String()
}

var (
	frontMatterDelim = []byte("---")
	bom              = []byte("\xef\xbb\xbf")
)

// ParseEntry parses one entry file. It returns the entry as far as it could
// be read and every problem found in the file itself; problems that need the
// whole base (duplicates, related links) are found by Check.
func ParseEntry(file string, data []byte) (*Entry, Problems) {
	e := &Entry{File: file, lines: map[string]int{}}
	var ps Problems
	add := func(line int, format string, args ...any) {
		ps = append(ps, Problem{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
	}
	if !utf8.Valid(data) {
		add(1, "file is not valid UTF-8")
		return e, ps
	}
	data = bytes.TrimPrefix(data, bom)
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	lines := bytes.SplitAfter(data, []byte("\n"))
	if len(lines) == 0 || !bytes.Equal(bytes.TrimSpace(lines[0]), frontMatterDelim) {
		add(1, "file must start with a line of three dashes (---) opening the front matter")
		return e, ps
	}
	end := -1
	for i := 1; i < len(lines); i++ {
		if bytes.Equal(bytes.TrimRight(lines[i], " \t\n"), frontMatterDelim) {
			end = i
			break
		}
	}
	if end < 0 {
		add(1, "front matter is not closed: add a line of three dashes (---) before the answer")
		return e, ps
	}
	front := bytes.Join(lines[1:end], nil)
	e.Answer = strings.TrimSpace(string(bytes.Join(lines[end+1:], nil)))
	// The answer starts at the first non-blank line after the closing dashes.
	e.lines["answer"] = end + 2
	for i := end + 1; i < len(lines); i++ {
		if len(bytes.TrimSpace(lines[i])) > 0 {
			e.lines["answer"] = i + 1
			break
		}
	}

	var doc yaml.Node
	if err := yaml.Unmarshal(front, &doc); err != nil {
		add(yamlErrLine(err, 1), "front matter is not valid YAML: %s", yamlErrMsg(err))
		return e, ps
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		add(2, "front matter must be a list of fields such as `id: ...` and `title: ...`")
		return e, ps
	}
	m := doc.Content[0]
	const offset = 1 // the front matter starts on line 2 of the file
	for i := 0; i+1 < len(m.Content); i += 2 {
		key, val := m.Content[i], m.Content[i+1]
		line := key.Line + offset
		if _, dup := e.lines[key.Value]; dup {
			add(line, "field %q appears twice", key.Value)
			continue
		}
		e.lines[key.Value] = line
		switch key.Value {
		case "id":
			e.ID = scalar(val, key.Value, line, add)
		case "title":
			e.Title = scalar(val, key.Value, line, add)
		case "questions":
			e.Questions = list(val, key.Value, line, offset, add)
		case "keywords":
			e.Keywords = list(val, key.Value, line, offset, add)
		case "related":
			e.Related = list(val, key.Value, line, offset, add)
		case "sources":
			e.Sources = list(val, key.Value, line, offset, add)
		case "social":
			switch v := scalar(val, key.Value, line, add); v {
			case "true", "yes":
				e.Social = true
			case "false", "no":
			default:
				add(line, "social is true or false, not %q", v)
			}
		default:
			add(line, "unknown field %q (known: id, title, questions, keywords, related, sources, social)", key.Value)
		}
	}
	return e, ps
}

func scalar(n *yaml.Node, field string, line int, add func(int, string, ...any)) string {
	if n.Kind != yaml.ScalarNode {
		add(line, "%s must be a single line of text", field)
		return ""
	}
	return strings.TrimSpace(n.Value)
}

func list(n *yaml.Node, field string, line, offset int, add func(int, string, ...any)) []string {
	switch n.Kind {
	case yaml.ScalarNode:
		if strings.TrimSpace(n.Value) == "" {
			return nil
		}
		return []string{strings.TrimSpace(n.Value)}
	case yaml.SequenceNode:
		out := make([]string, 0, len(n.Content))
		for _, item := range n.Content {
			if item.Kind != yaml.ScalarNode {
				add(item.Line+offset, "each item of %s must be plain text", field)
				continue
			}
			out = append(out, strings.TrimSpace(item.Value))
		}
		return out
	default:
		add(line, "%s must be a list (one `- item` per line)", field)
		return nil
	}
}

var (
	yamlLine       = regexp.MustCompile(`line (\d+)`)
	yamlLinePrefix = regexp.MustCompile(`line \d+: `)
)

// yamlErrLine extracts the line number from a yaml error, shifted by the
// lines that precede the YAML in the file.
func yamlErrLine(err error, offset int) int {
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		var n int
		fmt.Sscanf(m[1], "%d", &n)
		return n + offset
	}
	return 1 + offset
}

func yamlErrMsg(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	return yamlLinePrefix.ReplaceAllString(msg, "")
}
