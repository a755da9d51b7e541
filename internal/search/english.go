package search

import (
	_ "embed"
	"sort"
	"strings"
)

//go:embed words/english.txt
var englishText string

// english is the sorted list of common English words, split once.
var english = func() []string {
	lines := strings.Split(englishText, "\n")
	words := lines[:0]
	for _, l := range lines {
		if l != "" && l[0] != '#' {
			words = append(words, l)
		}
	}
	if !sort.StringsAreSorted(words) {
		sort.Strings(words)
	}
	return words
}()

// isEnglish reports whether w is a correctly spelled English word.
func isEnglish(w string) bool {
	i := sort.SearchStrings(english, w)
	return i < len(english) && english[i] == w
}
