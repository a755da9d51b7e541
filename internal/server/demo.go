package server

import (
	"html"
	"io/fs"
	"net/http"
	"strings"
	"unicode"

	"helpline/internal/kb"
)

// demoName is the demo page's fictional helpline, used while the operator
// has not configured a name of its own.
const demoName = "Harbor Light Helpline"

// demoPage serves index.html with the operator's facts in place of its
// placeholders ({{NAME}}, {{PHONE}}, {{PHONE_TEL}}, {{HOURS}}), rendered
// once, at start-up, so the page says what the assistant says.
func demoPage(fsys fs.FS, f kb.Facts) http.Handler {
	data, err := fs.ReadFile(fsys, "index.html")
	if err != nil {
		return http.NotFoundHandler()
	}
	page := []byte(renderDemo(string(data), f))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", cacheShort)
		w.Write(page)
	})
}

// renderDemo fills the demo page's placeholders, HTML-escaped.
func renderDemo(page string, f kb.Facts) string {
	if f == (kb.Facts{}) {
		f = kb.DefaultFacts()
	}
	name := f.HelplineName
	if name == "" || name == kb.DefaultFacts().HelplineName {
		name = demoName
	}
	hours := strings.TrimRight(f.Hours, ".")
	if hours != "" {
		hours = string(unicode.ToUpper(rune(hours[0]))) + hours[1:]
	}
	return strings.NewReplacer(
		"{{NAME}}", html.EscapeString(name),
		"{{PHONE}}", html.EscapeString(f.Phone),
		"{{PHONE_TEL}}", html.EscapeString(telHref(f.Phone)),
		"{{HOURS}}", html.EscapeString(hours),
	).Replace(page)
}

// keypad gives each letter its digit on a phone's keypad.
var keypad = func() map[rune]rune {
	m := map[rune]rune{}
	for d, letters := range []string{2: "ABC", 3: "DEF", 4: "GHI", 5: "JKL", 6: "MNO", 7: "PQRS", 8: "TUV", 9: "WXYZ"} {
		for _, l := range letters {
			m[l] = rune('0' + d)
		}
	}
	return m
}()

// telHref is the tel: link for a phone number as the operator writes it
// (1-800-662-HELP, (202) 555-0142), dialled as the widget dials it:
// letters as on a keypad, ten digits in the North American plan.
func telHref(phone string) string {
	var digits strings.Builder
	for _, r := range strings.ToUpper(phone) {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case keypad[r] != 0:
			digits.WriteRune(keypad[r])
		}
	}
	d := digits.String()
	switch {
	case len(d) == 10:
		return "tel:+1" + d
	case len(d) == 11:
		return "tel:+" + d
	}
	return "tel:" + d
}
