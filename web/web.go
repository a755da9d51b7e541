// Package web holds the files that the helpline service serves to browsers: the embeddable chat
// widget (widget.js and widget.css), which talks to the service over the websocket protocol in
// docs/protocol.md; a demo page (index.html) of a fictional helpline website with the widget added
// by its one script tag, whose placeholders {{NAME}}, {{PHONE}}, {{PHONE_TEL}} and {{HOURS}} the server
// fills from the configured facts at start-up; and the representatives' console (console.html, console.js and
// console.css), described in docs/console.md.
//
// console.html is one static page for both the sign-in form and the console. Before serving it, the
// server replaces the placeholder {{SIGNED_IN}} with "true" or "false" and {{ERROR}} with the
// sign-in error (HTML-escaped, or empty); the console's script and styles are separate files, so the
// page works under the Content-Security-Policy "default-src 'self'".
package web

import (
	"embed"
	"io/fs"
)

//go:embed index.html site.css widget.js widget.css console.html console.js console.css
var files embed.FS

// FS returns the files, all at its root: index.html, site.css (the demo page's own styles),
// widget.js, widget.css, console.html, console.js and console.css.
func FS() fs.FS { return files }
