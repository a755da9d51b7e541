package kb

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"helpline/knowledge"
)

const goodEntry = `---
id: withdrawal-timeline
title: When withdrawal starts
questions:
  - when does withdrawal start
  - how long does dope sickness last
  - "wen do withdrawls kick in"
  - how many days till im not sick
related: [withdrawal-symptoms]
sources:
  - seeds/001.txt
---
It usually starts within a day. Call {{phone}} to talk.
`

func TestParseEntry(t *testing.T) {
	e, ps := ParseEntry("entries/withdrawal-timeline.md", []byte(goodEntry))
	if len(ps) > 0 {
		t.Fatalf("problems in a valid entry: %v", ps)
	}
	if e.ID != "withdrawal-timeline" || len(e.Questions) != 4 || e.Questions[2] != "wen do withdrawls kick in" {
		t.Errorf("parsed %+v", e)
	}
	if got, want := e.Line("related"), 9; got != want {
		t.Errorf("related on line %d, want %d", got, want)
	}
	if got, want := e.Line("answer"), 13; got != want {
		t.Errorf("answer on line %d, want %d", got, want)
	}
	if !strings.HasPrefix(e.Answer, "It usually") {
		t.Errorf("answer %q", e.Answer)
	}
}

func TestParseEntryProblems(t *testing.T) {
	tests := []struct {
		name, data string
		line       int
		msg        string
	}{
		{"no front matter", "just text", 1, "must start with"},
		{"unclosed", "---\nid: a\n", 1, "not closed"},
		{"bad yaml", "---\nid: a\ntitle: b: c\n---\nanswer", 3, "not valid YAML"},
		{"tab indent", "---\nid: a\n\ttitle: b\n---\nanswer", 3, "not valid YAML"},
		{"unknown field", "---\nid: a\ntitel: typo\n---\nanswer", 3, `unknown field "titel"`},
		{"social not a boolean", "---\nid: a\nsocial: maybe\n---\nanswer", 3, `social is true or false`},
		{"duplicate field", "---\nid: a\nid: b\n---\nanswer", 3, "appears twice"},
		{"list as title", "---\ntitle: [a, b]\n---\nanswer", 2, "single line"},
		{"invalid utf8", "---\nid: \xff\n---\n", 1, "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ps := ParseEntry("entries/a.md", []byte(tt.data))
			if len(ps) == 0 {
				t.Fatalf("no problem found, want one on line %d containing %q", tt.line, tt.msg)
			}
			if ps[0].Line != tt.line || !strings.Contains(ps[0].Msg, tt.msg) {
				t.Errorf("got %v, want line %d containing %q", ps[0], tt.line, tt.msg)
			}
		})
	}
}

func entry(id string, mutate func(e *Entry)) *Entry {
	e := &Entry{
		ID: id, Title: "Title of " + id, File: "entries/" + id + ".md",
		Questions: []string{"q1 " + id, "q2 " + id, "q3 " + id, "q4 " + id},
		Related:   []string{"other"}, Sources: []string{"DOMAIN.md §1"},
		Answer: "A short answer. Call {{phone}}.",
	}
	if mutate != nil {
		mutate(e)
	}
	return e
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(e *Entry)
		want   string
	}{
		{"valid", nil, ""},
		{"bad id", func(e *Entry) { e.ID = "Bad_ID" }, "may contain only"},
		{"id not file name", func(e *Entry) { e.File = "entries/x.md" }, "does not match the file name"},
		{"long title", func(e *Entry) { e.Title = strings.Repeat("x", 61) }, "title is 61 characters"},
		{"few questions", func(e *Entry) { e.Questions = e.Questions[:2] }, "2 question(s)"},
		{"missing related", func(e *Entry) { e.Related = []string{"nope"} }, `"nope" does not exist`},
		{"self related", func(e *Entry) { e.Related = []string{"one"} }, "related to itself"},
		{"no sources", func(e *Entry) { e.Sources = nil }, "no sources"},
		{"unknown placeholder", func(e *Entry) { e.Answer = "Call {{fone}}." }, "unknown placeholder {{fone}}"},
		{"dose", func(e *Entry) { e.Answer = "Most people take 8 mg a day." }, "answers never give doses"},
		{"dose in ml", func(e *Entry) { e.Answer = "Start with 30ml." }, "answers never give doses"},
		{"long answer", func(e *Entry) { e.Answer = strings.Repeat("Word ", 150) + "." }, "characters"},
		{"many sentences", func(e *Entry) { e.Answer = strings.Repeat("Short one. ", 7) }, "7 sentences"},
		{"empty answer", func(e *Entry) { e.Answer = "" }, "missing answer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := New([]*Entry{entry("one", tt.mutate), entry("other", func(e *Entry) { e.Related = []string{"one"} })}, nil)
			ps := Check(b)
			if tt.want == "" {
				if len(ps) > 0 {
					t.Fatalf("problems in a valid base: %v", ps)
				}
				return
			}
			if !strings.Contains(ps.Error(), tt.want) {
				t.Errorf("got %v, want a problem containing %q", ps, tt.want)
			}
		})
	}
}

func TestCheckDuplicates(t *testing.T) {
	a := entry("one", nil)
	b := entry("other", func(e *Entry) { e.Related = []string{"one"}; e.Questions[0] = "Q1  ONE??" })
	c := entry("one", func(e *Entry) { e.File = "entries/copy/one.md" })
	ps := Check(New([]*Entry{a, b, c}, nil))
	for _, want := range []string{`question "Q1  ONE??" is also in`, `id "one" is already used`} {
		if !strings.Contains(ps.Error(), want) {
			t.Errorf("problems %v lack %q", ps, want)
		}
	}
}

func TestParseLexicon(t *testing.T) {
	lex, ps := ParseLexicon("lexicon.yaml", []byte("heroin: [dope, smack]\nwithdrawal: [dope sick]\n"))
	if len(ps) > 0 || len(lex) != 2 || lex[1].Variants[0] != "dope sick" {
		t.Fatalf("got %+v, %v", lex, ps)
	}
	_, ps = ParseLexicon("lexicon.yaml", []byte("heroin: [dope]\nmethadone: [dope]\n"))
	if len(ps) != 1 || ps[0].Line != 2 || !strings.Contains(ps[0].Msg, "both") {
		t.Errorf("got %v, want the ambiguous variant on line 2", ps)
	}
}

func TestParseTopic(t *testing.T) {
	words, ps := ParseTopic("topic.txt", []byte("# comment\nHeroin\n\nlife skills\nheroin\n"))
	if !slices.Equal(words, []string{"heroin", "life skills"}) {
		t.Errorf("words %q", words)
	}
	if len(ps) != 1 || ps[0].Line != 5 || !strings.Contains(ps[0].Msg, "line 2") {
		t.Errorf("got %v, want the repeated word on line 5", ps)
	}
}

func TestRead(t *testing.T) {
	fsys := fstest.MapFS{
		"entries/withdrawal-timeline.md": {Data: []byte(strings.Replace(goodEntry, "related: [withdrawal-symptoms]", "related: [missing]", 1))},
		"lexicon.yaml":                   {Data: []byte("heroin: [dope]\n")},
	}
	_, ps := Read(fsys)
	if len(ps) != 1 || ps[0].String() != `entries/withdrawal-timeline.md:9: related entry "missing" does not exist` {
		t.Errorf("got %v", ps)
	}
	if _, err := Load(fstest.MapFS{}); err == nil || !strings.Contains(err.Error(), "no entries") {
		t.Errorf("an empty base loaded: %v", err)
	}
}

// TestBuiltInKnowledgeBase holds the shipped base to every rule.
func TestBuiltInKnowledgeBase(t *testing.T) {
	b, ps := Read(knowledge.FS())
	if len(ps) > 0 {
		t.Fatalf("the built-in knowledge base has problems:\n%v", ps)
	}
	if len(b.Entries) < 80 {
		t.Errorf("%d entries, want at least 80", len(b.Entries))
	}
	for _, e := range b.Entries {
		if strings.ContainsAny(DefaultFacts().Render(e.Answer), "{}") {
			t.Errorf("%s: placeholder left after rendering", e.File)
		}
	}
}

func TestRender(t *testing.T) {
	f := Facts{HelplineName: "Hope Line", Phone: "555-0100", Hours: "24/7", Website: "example.org", Insurers: "most"}
	got := f.Render("Call {{helpline_name}} at {{phone}} ({{hours}}), {{website}}, {{insurers}}.")
	if want := "Call Hope Line at 555-0100 (24/7), example.org, most."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func FuzzParseEntry(f *testing.F) {
	f.Add([]byte(goodEntry))
	f.Add([]byte("---\n---\n"))
	f.Add([]byte("---\nquestions: {a: b}\n---\n\xff"))
	f.Add([]byte("\xef\xbb\xbf---\r\nid: x\r\n---\r\nok"))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, ps := ParseEntry("entries/f.md", data)
		for _, p := range ps {
			if p.Line < 1 {
				t.Fatalf("problem without a line: %v", p)
			}
		}
		if e == nil {
			t.Fatal("nil entry")
		}
		if utf8.Valid(data) && !utf8.ValidString(e.Answer) {
			t.Fatal("answer is not valid UTF-8")
		}
		Check(New([]*Entry{e}, nil))
	})
}
