// Package web holds the visitor-facing files that the helpline service serves: the embeddable
// chat widget (widget.js and widget.css), which talks to the service over the websocket protocol
// in docs/protocol.md, and a demo page (index.html) of a fictional helpline website with the
// widget added by its one script tag.
package web

import (
	"embed"
	"io/fs"
)

//go:embed index.html site.css widget.js widget.css
var files embed.FS

// FS returns the files, with index.html, site.css (the demo page's own styles), widget.js and
// widget.css at its root.
func FS() fs.FS { return files }
