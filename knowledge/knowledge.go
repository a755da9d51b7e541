// Package knowledge embeds the curated knowledge base that ships with
// helpline: the entries, the lexicon of visitors' words, the topic words,
// the substances it is about, and nothing else.
// The evaluation sets in eval/ stay out of the binary.
package knowledge

import (
	"embed"
	"io/fs"
)

//go:embed entries/*.md lexicon.yaml topic.txt substances.yaml
var files embed.FS

// FS returns the built-in knowledge base, laid out as kb.Read expects.
func FS() fs.FS { return files }
