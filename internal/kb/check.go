package kb

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits a curator's entry must stay within. They exist for the visitor:
// answers are read on a phone, often by someone who is unwell.
const (
	MaxTitleRunes  = 60
	MinQuestions   = 4
	MaxRelated     = 4
	MaxAnswerRunes = 700
	MaxSentences   = 6
)

var (
	idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	// dosePattern finds an amount of a substance. No answer may contain
	// one: dosing advice must come from a clinician.
	dosePattern = regexp.MustCompile(`(?i)\b\d+(?:[.,]\d+)?\s*(?:mg|mcg|µg|ug|ml|cc|milligrams?|micrograms?|millilit(?:er|re)s?)\b`)
	sentenceEnd = regexp.MustCompile(`[.!?]+["'”’)\]]*(\s|$)`)
	listItem    = regexp.MustCompile(`(?m)^\s*(?:[-*+]|\d+[.)])\s+.*[^.!?\s]\s*$`)
	// abbreviations whose dots do not end a sentence.
	abbreviations = strings.NewReplacer("e.g.", "eg", "i.e.", "ie", "U.S.", "US", "Dr.", "Dr", "vs.", "vs", "etc.", "etc", "St.", "St")
)

// Check finds the problems that need the whole base: ids, links,
// duplicate questions, and the rules every answer must keep.
func Check(b *Base) Problems {
	var ps Problems
	add := func(e *Entry, field, format string, args ...any) {
		ps = append(ps, Problem{File: e.File, Line: e.Line(field), Msg: fmt.Sprintf(format, args...)})
	}
	seenID := map[string]*Entry{}
	seenQ := map[string]*Entry{}
	for _, e := range b.Entries {
		switch {
		case e.ID == "":
			add(e, "id", "missing id")
		case !idPattern.MatchString(e.ID):
			add(e, "id", "id %q may contain only lowercase letters, digits and single dashes", e.ID)
		case e.File != "" && fileID(e.File) != e.ID:
			add(e, "id", "id %q does not match the file name (expected %s.md)", e.ID, e.ID)
		}
		if prev := seenID[e.ID]; prev != nil && e.ID != "" {
			add(e, "id", "id %q is already used by %s", e.ID, prev.File)
		}
		seenID[e.ID] = e

		if e.Title == "" {
			add(e, "title", "missing title")
		} else if n := utf8.RuneCountInString(e.Title); n > MaxTitleRunes {
			add(e, "title", "title is %d characters; keep it under %d, it is shown on a button", n, MaxTitleRunes)
		}

		if len(e.Questions) < MinQuestions {
			add(e, "questions", "%d question(s); write at least %d ways visitors ask this", len(e.Questions), MinQuestions)
		}
		for _, q := range e.Questions {
			k := QuestionKey(q)
			if k == "" {
				add(e, "questions", "empty question")
				continue
			}
			if prev := seenQ[k]; prev != nil {
				if prev == e {
					add(e, "questions", "question %q is listed twice", q)
				} else {
					add(e, "questions", "question %q is also in %s: each question belongs to one entry", q, prev.File)
				}
				continue
			}
			seenQ[k] = e
		}

		if len(e.Related) == 0 {
			add(e, "related", "no related entries; list 1 to %d ids offered as follow-ups", MaxRelated)
		} else if len(e.Related) > MaxRelated {
			add(e, "related", "%d related entries; at most %d fit as buttons", len(e.Related), MaxRelated)
		}
		seenRel := map[string]bool{}
		for _, r := range e.Related {
			switch {
			case r == e.ID:
				add(e, "related", "entry is related to itself")
			case seenRel[r]:
				add(e, "related", "related entry %q is listed twice", r)
			case b.byID[r] == nil:
				add(e, "related", "related entry %q does not exist", r)
			}
			seenRel[r] = true
		}

		if len(e.Sources) == 0 {
			add(e, "sources", "no sources; name the seed file or DOMAIN.md section the facts come from")
		}

		ps = append(ps, checkAnswer(e)...)
	}
	return ps
}

func checkAnswer(e *Entry) Problems {
	var ps Problems
	add := func(format string, args ...any) {
		ps = append(ps, Problem{File: e.File, Line: e.Line("answer"), Msg: fmt.Sprintf(format, args...)})
	}
	if e.Answer == "" {
		add("missing answer below the front matter")
		return ps
	}
	if n := utf8.RuneCountInString(e.Answer); n > MaxAnswerRunes {
		add("answer is %d characters; keep it under %d", n, MaxAnswerRunes)
	}
	if n := CountSentences(e.Answer); n > MaxSentences {
		add("answer has %d sentences; keep it to %d short ones", n, MaxSentences)
	}
	for _, name := range placeholderNames(e.Answer) {
		if !knownPlaceholder(name) {
			add("unknown placeholder {{%s}} (known: %s)", name, strings.Join(Placeholders, ", "))
		}
	}
	if strings.Count(e.Answer, "{{") != strings.Count(e.Answer, "}}") {
		add("unbalanced {{ and }}: write placeholders like {{phone}}")
	}
	if m := dosePattern.FindString(e.Answer); m != "" {
		add("answer contains an amount (%q): answers never give doses", m)
	}
	return ps
}

// CountSentences counts sentences and unpunctuated list items, roughly as
// a reader would.
func CountSentences(s string) int {
	s = abbreviations.Replace(s)
	return len(sentenceEnd.FindAllStringIndex(s, -1)) + len(listItem.FindAllStringIndex(s, -1))
}

// QuestionKey reduces a question to what makes it the same question, so
// "Insurance??" and "insurance" count as duplicates.
func QuestionKey(q string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(q) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return b.String()
}
