// Package render turns the curated Markdown of bot replies into HTML that
// is safe to insert into the widget: raw HTML in the Markdown is dropped,
// and links may only be http, https, tel or mailto. Visitor and
// representative text is never rendered; it is always shown as text.
package render

import (
	"bytes"
	"net/url"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Renderer renders Markdown to safe HTML. Bot replies are a fixed set of
// curated texts, so results are cached. It is safe for concurrent use.
type Renderer struct {
	md    goldmark.Markdown
	cache sync.Map // markdown -> html
}

// New returns a renderer.
func New() *Renderer {
	md := goldmark.New(goldmark.WithParserOptions(
		parser.WithASTTransformers(util.Prioritized(linkFilter{}, 100)),
	))
	return &Renderer{md: md}
}

// HTML renders markdown. goldmark without its unsafe option omits raw
// HTML; linkFilter removes links to anything but the allowed schemes.
func (r *Renderer) HTML(markdown string) string {
	if v, ok := r.cache.Load(markdown); ok {
		return v.(string)
	}
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(markdown), &buf); err != nil {
		// A renderer error cannot leak input as HTML: show nothing, and
		// the client falls back to the plain text.
		return ""
	}
	html := strings.TrimSpace(buf.String())
	r.cache.Store(markdown, html)
	return html
}

// linkFilter replaces links and autolinks whose destination is not an
// allowed scheme by their text.
type linkFilter struct{}

func (linkFilter) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	var bad []ast.Node
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch l := n.(type) {
		case *ast.Link:
			if !allowed(string(l.Destination)) {
				bad = append(bad, n)
			}
		case *ast.AutoLink:
			if !allowed(string(l.URL(reader.Source()))) {
				bad = append(bad, n)
			}
		case *ast.Image:
			bad = append(bad, n) // replies never need images
		}
		return ast.WalkContinue, nil
	})
	for _, n := range bad {
		parent := n.Parent()
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, n, c)
			c = next
		}
		parent.RemoveChild(parent, n)
	}
}

func allowed(dest string) bool {
	u, err := url.Parse(strings.TrimSpace(dest))
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "tel", "mailto":
		return true
	}
	return false
}
