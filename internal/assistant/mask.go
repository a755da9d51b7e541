package assistant

import (
	"regexp"
	"strings"
)

// What a visitor may type about themselves that never leaves the service:
// phone numbers, e-mail addresses, and names in the shapes people give
// them ("my name is ...", "I'm <Name>", "my son Jake"). The patterns lean
// towards masking too much: a word wrongly masked costs the model a word,
// a name sent cannot be taken back.
var (
	maskEmail = regexp.MustCompile(`[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+`)
	// A phone number: seven or more digits, with the usual separators.
	maskPhone = regexp.MustCompile(`\+?\(?\d(?:[\d\s().-]*\d){6,}`)
	// "my name is sam", "me llamo Ana Ruiz": the next word is a name
	// whatever its case, and a capitalized second word too.
	maskNamed = regexp.MustCompile(`(?i:\b(my name is|my name's|my names|name is|i am called|i'm called|im called|they call me|me llamo|mi nombre es))(\s+)([\p{L}][\p{L}'’-]*)((?:\s+\p{Lu}[\p{L}'’-]*)?)`)
	// "I'm Sam", "this is Sam", "call me Sam", "- Sam": only a
	// capitalized word, and not a common word written with a capital.
	maskIntro = regexp.MustCompile(`\b(I'm|I’m|Im|I am|i'm|im|i am|This is|this is|Call me|call me|It's|it's|Regards,?|Thanks,?|Love,?|Signed,?)(\s+)(\p{Lu}[\p{L}'’-]*)((?:\s+\p{Lu}[\p{L}'’-]*)?)`)
	// "my son Jake", "my wife, Maria": a relation, then a capitalized
	// word.
	maskRelation = regexp.MustCompile(`(?i:\b(my|our)\s+(son|daughter|husband|wife|boyfriend|girlfriend|partner|fiance|fiancee|fiancé|fiancée|brother|sister|mom|mum|mother|dad|father|friend|nephew|niece|cousin|uncle|aunt|grandson|granddaughter|grandma|grandpa|kid|child|stepson|stepdaughter|roommate|boss|ex)),?(\s+)(\p{Lu}[\p{L}'’-]*)`)
)

// notNames are capitalized words that follow "I'm" or "this is" without
// being a name: "I'm Scared", "This is Methadone?".
var notNames = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a an the not so just really very still here there back on in at from with
		worried scared afraid sorry sick tired trying looking going getting having thinking wondering asking
		addicted clean sober pregnant new using done ok okay fine good bad confused desperate lost alone
		withdrawing detoxing hurting ready about also currently literally honestly actually always never
		heroin fentanyl methadone suboxone narcan naloxone opioids pills it this that what how why when
		glad happy nervous embarrassed ashamed calling writing reaching 18 a'`) {
		notNames[w] = true
	}
}

// Mask returns text with the phone numbers, e-mail addresses and names
// the visitor typed replaced by [phone], [email] and [name].
func Mask(text string) string {
	text = maskEmail.ReplaceAllString(text, "[email]")
	text = maskPhone.ReplaceAllStringFunc(text, func(m string) string {
		digits := 0
		for _, r := range m {
			if r >= '0' && r <= '9' {
				digits++
			}
		}
		if digits < 7 {
			return m
		}
		// Keep the space the pattern may have taken before the next word.
		return "[phone]" + m[len(strings.TrimRight(m, " \t")):]
	})
	text = maskNamed.ReplaceAllString(text, "$1$2[name]")
	text = replaceName(maskIntro, text)
	text = replaceName(maskRelation, text)
	return text
}

// replaceName masks the capitalized name the pattern found, unless it is
// a common word. The pattern's last groups are the space before the name,
// the name, and (maskIntro) a second capitalized word, masked with it.
func replaceName(re *regexp.Regexp, text string) string {
	return re.ReplaceAllStringFunc(text, func(m string) string {
		loc := re.FindStringSubmatchIndex(m)
		// The name is group 3 of maskIntro and group 4 of maskRelation.
		g := 3
		if re == maskRelation {
			g = 4
		}
		start, end := loc[2*g], loc[2*g+1]
		if notNames[strings.ToLower(m[start:end])] {
			return m
		}
		return m[:start] + "[name]"
	})
}
