package answer

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// A message is often more than one question, or a question inside a story:
// "What is methadone and how is it given?", or a parent's letter whose
// last line asks what to do. Read whole, such a message matches every entry
// a little and none well enough; read part by part, each part finds its
// entry. The parts of a message are its questions when it has any, else
// its sentences.

// maxParts bounds the parts read, so a pasted essay costs a few searches.
const maxParts = 6

// parts returns the parts of text worth reading alone: its question
// sentences, split where a second question is joined to the first ("and
// how", "or should"), or, when it asks nothing, its sentences. It returns
// nil when the message is a single part.
func parts(text string) []string {
	sentences := sentences(text)
	var questions, all []string
	for _, s := range sentences {
		for _, p := range splitJoined(s) {
			if len(strings.Fields(p)) < minPartWords {
				continue
			}
			all = append(all, p)
			if isQuestion(p) {
				questions = append(questions, p)
			}
		}
	}
	out := all
	if len(questions) > 0 {
		out = questions
	}
	if len(out) > maxParts {
		// The last questions of a long letter are the ones it asks.
		out = out[len(out)-maxParts:]
	}
	if len(all) < 2 {
		return nil
	}
	return out
}

// minPartWords is the fewest words a part needs to be read alone: "why?"
// or "help" says nothing without the rest.
const minPartWords = 3

// sentences splits text at sentence ends and line breaks, keeping a
// question mark on the sentence it ends.
func sentences(text string) []string {
	var out []string
	start := 0
	for i, r := range text {
		if r == '.' || r == '?' || r == '!' || r == '\n' || r == ';' {
			end := i + utf8.RuneLen(r)
			if s := strings.TrimSpace(text[start:end]); strings.Trim(s, ".!?;\n ") != "" {
				s = strings.TrimRight(s, ".!;\n ")
				out = append(out, s)
			}
			start = end
		}
	}
	if s := strings.TrimSpace(text[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// joined finds a second question joined to a first: "what is methadone
// and how is it given", "is it safe, or should i stop".
var joined = regexp.MustCompile(`(?i),? (?:and|or|also|plus|but) (?:also )?((?:how|what|whats|when|where|why|who|which|is|are|can|could|should|does|do|will|would)\b)`)

// splitJoined splits a sentence where a second question is joined to it.
func splitJoined(s string) []string {
	locs := joined.FindAllStringSubmatchIndex(s, -1)
	if len(locs) == 0 || !isQuestion(s) {
		return []string{s}
	}
	var out []string
	start := 0
	for _, l := range locs {
		if p := strings.TrimSpace(s[start:l[0]]); p != "" {
			out = append(out, p)
		}
		start = l[2]
	}
	return append(out, strings.TrimSpace(s[start:]))
}

// questionStart is how a question begins, when it has no question mark.
var questionStart = regexp.MustCompile(`(?i)^(?:(?:so|but|and|ok|okay|also|then|now|well|please|hi|hello|hey),? )*(?:how|what|whats|what's|when|where|why|who|which|is|are|am|can|could|should|does|do|did|will|would|any|anyone|has|have)\b`)

func isQuestion(s string) bool {
	return strings.HasSuffix(s, "?") || questionStart.MatchString(s)
}
