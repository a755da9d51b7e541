package assistant

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"helpline/internal/answer"
	"helpline/internal/kb"
)

// Checked is a reply after the checks: its text without the sources line,
// the ids it cites, and Used or the first check it failed.
type Checked struct {
	Text   string
	Cited  []string
	Reason Reason
	Detail string
}

var (
	// sourcesLine is the reply's last line: SOURCES: id, id.
	sourcesLine = regexp.MustCompile(`(?i)^\**\s*sources?\s*:\s*\**\s*(.*?)\s*\**\s*$`)
	entryID     = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

	// offScript is a reply that talks about its prompt or its rules.
	offScript = regexp.MustCompile(`(?i)\b(?:system (?:prompt|message)|my (?:instructions|rules|prompt)|developer mode|jailbr[eo]ak|ignor(?:e|ing) (?:my|the|all|your) (?:previous )?(?:instructions|rules)|entry id=)`)
	// roleClaim is a reply that presents itself as a clinician, or
	// diagnoses.
	roleClaim = regexp.MustCompile(`(?i)\b(?:(?:(?:i am|i'm|im)\s+(?:a|an|your)|speaking as (?:a|an|your)|as your)\s+(?:licensed\s+|medical\s+|real\s+|trained\s+)?(?:doctor|physician|nurse|clinician|pharmacist|therapist|counsel+or|psychiatrist|psychologist|prescriber|medical professional|addiction specialist|md)\b|\bi (?:can )?diagnose\b|\bmy diagnosis\b|\byou (?:definitely |clearly |probably |certainly )?have (?:an? )?(?:opioid use disorder|oud|substance use disorder|addiction)\b|\bmedical advice:)`)

	numberWord = `(?:\d+(?:[.,]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|hundred|half(?: a)?|a quarter|a couple of|a few|several)`
	unitWord   = `(?:mg|mgs|milligrams?|mcg|micrograms?|µg|ug|ml|mls|milliliters?|millilitres?|cc|grams?|g|pills?|tablets?|tabs?|strips?|films?|doses?|units?|drops?|bags?|points?|patch(?:es)?|shots?|bundles?)`
	// amount is a number and a unit: "8 mg", "two pills".
	amount = regexp.MustCompile(`(?i)\b(` + numberWord + `)[\s-]*(` + unitWord + `)\b`)

	// The instructions a reply must never give, beyond what the refusal
	// patterns find in a request.
	instructions = []*regexp.Regexp{
		// "take 8 mg", "start with two strips", "cut it to half a film".
		regexp.MustCompile(`(?i)\b(?:take|taking|use|using|start(?:ing)?|give|giving|dose|inject|snort|smoke|increase|decrease|reduce|lower|raise|double|split|cut|drop|go down to|go up to)\b[^.!?\n]{0,40}\b` + numberWord + `[\s-]*` + unitWord + `\b`),
		// "lower it by a quarter every week", "cut back a little each day".
		regexp.MustCompile(`(?i)\b(?:taper|reduce|lower|cut|drop|decrease|step down|wean)\b[^.!?\n]{0,50}\b(?:by|every|each|per|a)\b[^.!?\n]{0,25}\b(?:day|days|week|weeks|percent|%)`),
		// "double your dose", "skip the dose".
		regexp.MustCompile(`(?i)\b(?:double|triple|increase|raise|up|lower|reduce|cut|decrease|split|skip|halve)\b (?:your|the|his|her|their|my) (?:dose|dosage|meds|medication|medicine)\b`),
		// "it is fine to mix them".
		regexp.MustCompile(`(?i)\b(?:safe|fine|ok|okay|alright|all right) to (?:mix|combine|take|use|drink|inject|snort|smoke)\b`),
		// "buy them online", "get some off the street".
		regexp.MustCompile(`(?i)\b(?:buy|get|order|score|cop|find|purchase|pick up)\b[^.!?\n]{0,50}\b(?:without (?:a |any )?(?:prescription|script|doctor)|online|dark ?web|off the street|on the street|from a dealer|from a friend|from someone)\b`),
	}

	email = regexp.MustCompile(`(?i)[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+`)
	link  = regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s<>()\[\]"']+`)
	// domain is a bare web address such as findtreatment.gov.
	domain = regexp.MustCompile(`(?i)\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:com|org|gov|net|edu|info|io|us|co|uk|ca|health|app|ai|me|ly|biz|link|site|online|help)\b(?:/[^\s<>()\[\]"']*)?`)
	// phone is a phone number: seven or more digits with separators, or
	// a number written with letters (1-800-662-HELP).
	phone  = regexp.MustCompile(`\+?\(?\d(?:[\d\s().-]*\d){6,}|\b\d{3}[\s.-]?[A-Z]{4}\b`)
	number = regexp.MustCompile(`\d+(?:[.,]\d+)*`)
)

// Check checks a model's reply against the entries it was given and the
// operator's facts, and returns the text to use or the first check it
// failed. The reply must end with a line "SOURCES: id, id" that cites at
// least one entry, and only given ones; it may add no number, amount,
// phone number, web address or e-mail address that the cited entries and
// the facts do not contain; its text must be at most maxRunes characters;
// and it may give no dosing, tapering, sourcing or drug-use instruction,
// claim to be a clinician, diagnose, or talk about its instructions.
func Check(reply string, entries []*kb.Entry, facts kb.Facts, maxRunes int) Checked {
	reply = strings.TrimSpace(strings.ReplaceAll(reply, "\r\n", "\n"))
	if reply == "" {
		return Checked{Reason: Empty}
	}
	if strings.Contains(reply, markOpen) || strings.Contains(reply, markClose) || offScript.MatchString(reply) {
		return Checked{Reason: Markup}
	}
	text, cited, ok := splitSources(reply)
	if !ok || len(cited) == 0 {
		return Checked{Reason: NoCitation}
	}
	c := Checked{Text: text, Cited: cited}
	given := map[string]*kb.Entry{}
	for _, e := range entries {
		given[e.ID] = e
	}
	var grounds []string
	for _, id := range cited {
		e := given[id]
		if e == nil {
			return c.fail(UnknownCitation, id)
		}
		grounds = append(grounds, e.Title, facts.Render(e.Answer))
	}
	if strings.TrimSpace(text) == "" {
		return c.fail(Empty, "")
	}
	if n := utf8.RuneCountInString(text); n > maxRunes {
		return c.fail(TooLong, "")
	}
	if m := roleClaim.FindString(text); m != "" {
		return c.fail(Role, m)
	}
	grounds = append(grounds, facts.HelplineName, facts.Phone, facts.Hours, facts.Website, facts.Insurers)
	g := newGrounds(grounds)
	// A sentence copied from a cited entry is reviewed text ("anyone can
	// buy Narcan without a prescription"); the instruction checks read
	// the sentences the model wrote itself.
	if own := g.novel(text); own != "" {
		if reason, ok := answer.Refusal(own); ok {
			return c.fail(Instruction, reason)
		}
		for _, re := range instructions {
			if m := re.FindString(own); m != "" {
				return c.fail(Instruction, m)
			}
		}
	}
	if reason, detail := g.unsupported(text); reason != "" {
		return c.fail(reason, detail)
	}
	c.Reason = Used
	return c
}

// unsupported returns the first e-mail address, web address, phone
// number, amount or number of text that the grounds do not contain, with
// its reason, or "" when there is none.
func (g grounds) unsupported(text string) (Reason, string) {
	rest := text
	for _, m := range email.FindAllString(rest, -1) {
		if !g.has(m) {
			return Link, m
		}
	}
	rest = email.ReplaceAllString(rest, " ")
	for _, re := range []*regexp.Regexp{link, domain} {
		for _, m := range re.FindAllString(rest, -1) {
			if !g.hasLink(m) {
				return Link, m
			}
		}
		rest = re.ReplaceAllString(rest, " ")
	}
	for _, m := range phone.FindAllString(rest, -1) {
		if !g.hasPhone(m) {
			return Phone, strings.TrimSpace(m)
		}
	}
	rest = phone.ReplaceAllString(rest, " ")
	for _, m := range amount.FindAllStringSubmatch(rest, -1) {
		if !g.amounts[normAmount(m[1], m[2])] {
			return Amount, m[0]
		}
	}
	for _, m := range number.FindAllString(rest, -1) {
		if !g.numbers[m] {
			return Number, m
		}
	}
	return "", ""
}

func (c Checked) fail(r Reason, detail string) Checked {
	c.Reason, c.Detail = r, detail
	return c
}

// splitSources splits a reply into its text and the ids of its last
// line. A reply that names its sources anywhere but on its last line, or
// not at all, is malformed.
func splitSources(reply string) (string, []string, bool) {
	lines := strings.Split(reply, "\n")
	last := strings.TrimSpace(lines[len(lines)-1])
	m := sourcesLine.FindStringSubmatch(last)
	if m == nil {
		return "", nil, false
	}
	text := strings.TrimSpace(strings.Join(lines[:len(lines)-1], "\n"))
	for _, l := range lines[:len(lines)-1] {
		if sourcesLine.MatchString(strings.TrimSpace(l)) {
			return "", nil, false
		}
	}
	var ids []string
	for _, id := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		id = strings.Trim(id, "[]`'\".")
		if !entryID.MatchString(id) {
			return text, ids, false
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return text, ids, true
}

// grounds is what a reply may repeat: the text of the cited entries and
// the facts, with its numbers, amounts and phone numbers picked out.
type grounds struct {
	text    string          // lowercased
	numbers map[string]bool // every number in the text
	amounts map[string]bool // every normalized amount
	phones  []string        // the digits of every phone number
	// sentences are the sentences of the text, as sentences returns them.
	sentences map[string]bool
}

func newGrounds(texts []string) grounds {
	all := strings.Join(texts, "\n")
	g := grounds{text: strings.ToLower(all), numbers: map[string]bool{}, amounts: map[string]bool{}, sentences: map[string]bool{}}
	for _, t := range texts {
		for _, s := range sentences(t) {
			g.sentences[s] = true
		}
	}
	for _, m := range number.FindAllString(all, -1) {
		g.numbers[m] = true
	}
	for _, m := range amount.FindAllStringSubmatch(all, -1) {
		g.amounts[normAmount(m[1], m[2])] = true
	}
	for _, m := range phone.FindAllString(all, -1) {
		g.phones = append(g.phones, phoneDigits(m))
	}
	return g
}

// sentenceEnd splits a reply into sentences.
var sentenceEnd = regexp.MustCompile(`[.!?]+(?:\s+|$)|\n\s*\n`)

// novel returns the sentences of text that are not copied whole from
// the grounds, joined. Copied means the same words as one sentence of the
// grounds, whatever the spacing and case: a fragment ("take more than
// 8 mg" out of "never take more than 8 mg") is not a copy.
func (g grounds) novel(text string) string {
	var own []string
	for _, s := range sentences(text) {
		if !g.sentences[s] {
			own = append(own, s)
		}
	}
	return strings.Join(own, ". ")
}

// sentences splits text into sentences, lowercased, with single spaces.
func sentences(text string) []string {
	var out []string
	for _, s := range sentenceEnd.Split(text, -1) {
		if s = strings.ToLower(strings.Join(strings.Fields(s), " ")); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (g grounds) has(s string) bool { return strings.Contains(g.text, strings.ToLower(s)) }

// hasLink reports whether the grounds contain a web address, compared
// without its scheme, "www." and trailing punctuation.
func (g grounds) hasLink(s string) bool {
	s = strings.ToLower(strings.TrimRight(s, ".,;:!?/"))
	s = strings.TrimPrefix(strings.TrimPrefix(s, "https://"), "http://")
	s = strings.TrimPrefix(s, "www.")
	return s != "" && strings.Contains(g.text, s)
}

// hasPhone reports whether a phone number's digits are those, or part of
// those, of a phone number in the grounds.
func (g grounds) hasPhone(s string) bool {
	d := phoneDigits(s)
	for _, p := range g.phones {
		// Part of a number given, or the number with the country code.
		if strings.Contains(p, d) || d == "1"+p {
			return true
		}
	}
	return false
}

// phoneDigits is a phone number's digits, with letters read as a phone
// keypad reads them (HELP is 4357).
func phoneDigits(s string) string {
	const keypad = "22233344455566677778889999"
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			b.WriteByte(keypad[r-'A'])
		}
	}
	return b.String()
}

// normAmount writes an amount one way: "8 mg", "8mg" and "8 milligrams"
// are "8 mg"; "two pills" and "two pill" are "two pill".
func normAmount(n, unit string) string {
	n, unit = strings.ToLower(n), strings.ToLower(unit)
	switch {
	case strings.HasPrefix(unit, "milligram") || unit == "mgs":
		unit = "mg"
	case strings.HasPrefix(unit, "microgram") || unit == "µg" || unit == "ug":
		unit = "mcg"
	case strings.HasPrefix(unit, "millilit") || unit == "mls" || unit == "cc":
		unit = "ml"
	case strings.HasPrefix(unit, "gram"):
		unit = "g"
	case unit == "patches":
		unit = "patch"
	default:
		unit = strings.TrimSuffix(unit, "s")
	}
	return n + " " + unit
}
