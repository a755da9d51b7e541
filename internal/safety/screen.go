package safety

import (
	"regexp"
	"strings"
	"unicode"

	"helpline/internal/analysis"
)

// MaxRunes bounds how much of one message is screened. The service limits
// messages far below it; the bound keeps a pasted essay cheap. Danger at
// the end of a long message matters, so it is generous.
const MaxRunes = 10000

// ContextMessages is how many earlier visitor messages the screen reads.
const ContextMessages = 3

// Screen reads a visitor message, with the visitor's previous messages
// (oldest first) as context, and returns the most urgent danger it finds.
func Screen(msg string, context []string) Risk {
	if len(context) > ContextMessages {
		context = context[len(context)-ContextMessages:]
	}
	text := normalize(msg)
	// The context is what the visitor said about danger: "i'd like to
	// talk to a person" or an insurer's name says nothing the next message
	// could continue, and read as context it only lends its words.
	var ctxText []string
	for _, c := range context {
		if n := normalize(c); speaksOfDanger(n) {
			ctxText = append(ctxText, n)
		}
	}
	used := usedRecently(text)
	for _, c := range ctxText {
		if usedRecently(c) {
			used = true
		}
	}

	risk, explained := screenCues(text, used)
	if !risk.Crisis() {
		prev := ""
		if len(ctxText) > 0 {
			prev = ctxText[len(ctxText)-1]
		}
		// A message only preparing for danger ("i just want narcan in my
		// car just in case") tells of no danger now for the model to see.
		// Nor does a letter about a death or a memory ("the image of his
		// face, blue and not breathing"), unless it turns to now.
		if !preparing(text) && !((mourning(text) || remembers(text)) && !nowMarker.MatchString(text)) {
			mt := text
			if containsAny(mt, worryKeys) {
				mt = worryForOthers.ReplaceAllString(mt, "worried about them")
			}
			risk = models.screen(mt, prev, explained)
		}
	}
	if risk.Crisis() {
		// Taking everything, right after talk of suicide, is an attempt.
		if risk.Kind == Overdose {
			for _, c := range ctxText {
				if topic(c) == Suicide {
					risk.Kind = Suicide
				}
			}
		}
		return risk
	}
	if len(ctxText) == 0 {
		return Risk{Kind: None}
	}
	// After talk of suicide or self-harm, even past talk ("i used to cut"),
	// an act or the means ("did it again", "i have my meds counted out",
	// "how much would it take") is that danger now.
	if act.MatchString(text) {
		for i := len(ctxText) - 1; i >= 0; i-- {
			if k := topic(ctxText[i]); k != None {
				level := Urgent
				if k == Suicide {
					level = Emergency
				}
				return Risk{Kind: k, Level: level, Evidence: []string{"continues talk of " + string(k) + ": " + text}}
			}
		}
	}
	// A message that means danger after what the visitor told before.
	for _, r := range followUps {
		if !r.now.MatchString(text) {
			continue
		}
		for _, c := range ctxText {
			if r.before(c) {
				return Risk{Kind: r.kind, Level: r.level, Evidence: []string{r.why + ": " + text}}
			}
		}
	}
	// A short plea after an emergency described a moment ago ("what do i
	// do", "hes still not moving") is the same emergency.
	if continuation.MatchString(text) {
		for i := len(ctxText) - 1; i >= 0; i-- {
			prev := screenText(ctxText[i], used)
			if prev.Level == Emergency {
				prev.Evidence = append([]string{"continues an emergency described just before"}, prev.Evidence...)
				return prev
			}
		}
	}
	return Risk{Kind: None}
}

// screenText applies every cue to one normalized message.
func screenText(text string, used bool) Risk {
	r, _ := screenCues(text, used)
	return r
}

// screenCues is screenText that also reports the kinds of danger a cue
// found in words a suppressor then explained away: a figure of speech
// ("my car is having a seizure"), a negation, the past. The model must not
// find those kinds in the same words.
func screenCues(text string, used bool) (Risk, kindBits) {
	best := Risk{Kind: None}
	var explained kindBits
	if text == "" {
		return best, 0
	}
	suicidal := false
	// "someone just overdosed what do i do" is no general question: "just"
	// puts it here and now, unless the message only imagines it ("what if
	// someone just collapsed").
	urgentNow := containsAny(text, urgencyKeys) && urgency.MatchString(text) ||
		strings.Contains(text, "just") && justHappened.MatchString(text) && !conditional.MatchString(text)
	// "what do i do if i ever find my son not breathing? i want a plan
	// just in case": one sentence can make the whole message a plan.
	wholeHypothetical := containsAny(text, planningKeys) && planning.MatchString(text)
	clauses := splitClauses(text)
	whole := []string{strings.ReplaceAll(text, ".", " ")}
	var on [maxCues]bool
	cueKeys.active(text, on[:len(cues)])
	// A letter about someone who died of an overdose describes how they
	// were found; the danger it tells of is over.
	grieving := mourning(text)
	for i := range cues {
		c := &cues[i]
		if !on[i] || (grieving && c.past && (c.kind == Overdose || c.kind == Medical)) {
			continue
		}
		if c.needsUse && !used {
			continue
		}
		if c.needsThird && !thirdPerson.MatchString(text) {
			continue
		}
		scope := clauses
		if c.whole {
			scope = whole
		}
		for _, cl := range scope {
			for _, m := range c.re.FindAllStringIndex(cl, -1) {
				if suppressed(c, cl, m, urgentNow, wholeHypothetical) || (c.unlessAbout != nil && c.unlessAbout.MatchString(text)) {
					explained |= kindBit[c.kind]
					continue
				}
				r := Risk{Kind: c.kind, Level: c.level, Evidence: []string{evidence(c.name, cl[m[0]:m[1]])}}
				if c.escalate && r.Level != Emergency && escalator.MatchString(text) {
					r.Level = Emergency
					r.Evidence = append(r.Evidence, "with a plan, means or time")
				}
				// Someone else collapsing, foaming or not breathing after
				// drug use is an overdose whatever the cue's own kind.
				if c.kind == Medical && used && c.level == Emergency && thirdPerson.MatchString(cl) && overdoseLike[c.name] {
					r.Kind = Overdose
				}
				if c.kind == Suicide {
					suicidal = true
				}
				if worse(r, best) {
					r.Evidence = append(r.Evidence, best.Evidence...)
					best = r
				} else {
					best.Evidence = append(best.Evidence, r.Evidence...)
				}
			}
		}
	}
	// Taking too much, said alongside wanting to die, is a suicide
	// attempt: the reply must speak to both the body and the despair.
	if suicidal && best.Kind == Overdose {
		best.Kind = Suicide
	}
	return best, explained
}

// remembers reports whether a normalized text holds a memory ("the image
// of", "flashbacks of").
func remembers(text string) bool {
	return containsAny(text, recollectionKeys) && recollection.MatchString(text)
}

// mourning reports whether a message tells of someone who died.
func mourning(text string) bool {
	return containsAny(text, deathKeys) && died.MatchString(text) && !nearlyDied.MatchString(text)
}

// followUps are the messages that are a danger after what the visitor
// said before: alone, "hes still not answering" could be about a phone.
var followUps = []struct {
	now    *regexp.Regexp
	before func(earlier string) bool
	kind   Kind
	level  Level
	why    string
}{
	// "ems gave him narcan", then "hes gonna use again tonight": the
	// overdose risk at its highest.
	{useAgain, overdoseTold.MatchString, Overdose, Urgent, "using again after an overdose"},
	// "he said he would kill me", then "ya llego y esta gritando afuera".
	{arrivedNow, threatTold.MatchString, Abuse, Emergency, "the one who threatened is here"},
	// Someone who used, or just left detox, and does not answer behind a
	// door is an overdose until shown otherwise.
	{notAnswering, func(c string) bool { return usedRecently(c) || behindDoor.MatchString(c) }, Overdose, Emergency, "not answering after use"},
	// Blood, after talk of vomiting or diarrhea.
	{bloodNow, gutTopic.MatchString, Medical, Emergency, "blood after vomiting or diarrhea"},
}

// preparing reports whether a message plans for a danger that may come,
// without urgency: "just in case", "for a class project".
func preparing(text string) bool {
	return containsAny(text, planningKeys) && planning.MatchString(text) && !(containsAny(text, urgencyKeys) && urgency.MatchString(text))
}

// usedRecently reports whether a message says drugs were just taken. The
// substring check first keeps the large pattern off most messages.
func usedRecently(text string) bool {
	return containsAny(text, useKeys) && recentUse.MatchString(text)
}

var useKeys = []string{"just", "used", "shot", "did", "took", "snorted", "smoked", "popped", "injected", "after", "high", "using", "nodd", "needle", "overdos", "oding", "od", "pupils", "pinned", "pinpoint", "doing"}

// overdoseLike names the medical cues that, seen in someone else right
// after drug use, are an overdose.
var overdoseLike = map[string]bool{"collapse or fainting": true, "cannot breathe": true, "foaming at the mouth": true}

// topic reports which self-directed danger a message talks about, even in
// the past or negated: the context a later message continues.
func topic(text string) Kind {
	switch {
	case selfHarmTopic.MatchString(text):
		return SelfHarm
	case suicideTopic.MatchString(text):
		return Suicide
	}
	return None
}

// suppressed reports whether a match is talk about the topic rather than
// danger now.
func suppressed(c *cue, clause string, m []int, urgentNow, wholeHypothetical bool) bool {
	before, after := clause[:m[0]], strings.TrimSpace(clause[m[1]:])
	if c.unless != nil && c.unless.MatchString(after) {
		return true
	}
	if c.unlessBefore != nil && c.unlessBefore.MatchString(before) {
		return true
	}
	if c.personal && !personalAnchor.MatchString(clause) && topicTalk.MatchString(clause) {
		return true
	}
	if c.negatable && negatedBefore(before, clause[m[0]:m[1]]) {
		return true
	}
	if c.past && remembers(clause) && near(recollection, clause, m, pastReach) && !nowMarker.MatchString(clause) {
		return true
	}
	if c.past && (!presentMarker.MatchString(clause) || recovered.MatchString(clause)) {
		if near(pastMarker, clause, m, pastReach) {
			return true
		}
		// What happened last night is over for an overdose or a seizure,
		// but not for violence or self-harm.
		if (c.kind == Overdose || c.kind == Medical) && recentPast.MatchString(clause) {
			return true
		}
	}
	if c.generic && !urgentNow && (genericQuestion(clause) || hypothetical.MatchString(clause) || wholeHypothetical) {
		return true
	}
	return false
}

// maxCues bounds the number of cues: screenText keeps their flags in an
// array on the stack.
const maxCues = 128

// pastReach is how far, in bytes, a past marker may stand from a cue and
// still put it in the past: "had a heart attack 3 years ago" is past, but
// in "i overdosed last year and tonight i want to die" the wish is not.
const pastReach = 60

// near reports whether re matches within reach bytes of the match m.
func near(re *regexp.Regexp, clause string, m []int, reach int) bool {
	for _, p := range re.FindAllStringIndex(clause, -1) {
		if p[1] >= m[0]-reach && p[0] <= m[1]+reach {
			return true
		}
	}
	return false
}

var (
	negator = regexp.MustCompile(`\b(?:not|never|no longer|dont|do not|didnt|did not|wouldnt|would not|wont|will not|isnt|arent|aint|no|nor|neither)\b`)
	// A negator followed by these does not negate what comes after:
	// "cant stop thinking about killing myself".
	partOfDanger = regexp.MustCompile(`\b(?:arent|isnt|is not|are not|not|wont|will not|doesnt|does not|cant) (?:there|real|stop|stopping|respond|responding|wake|waking|moving|breathing|move|react|reacting|answer)\b|\bwish (?:i|id|i d) (?:was |were |had )?never (?:been )?born\b`)
	notNegating  = regexp.MustCompile(`\b(?:cant|can not|cannot|couldnt) (?:stop|help|quit|shake)\b|\bno (?:one|body)\b|\bnot sure\b|\bnever (?:felt|been) (?:this|so)\b`)
)

// negatedBefore reports whether the match, or the three words before it,
// negate the cue: "im not suicidal", "i would never hurt myself".
func negatedBefore(before, match string) bool {
	words := strings.Fields(before)
	if len(words) > 3 {
		words = words[len(words)-3:]
	}
	full := strings.Join(words, " ") + " " + match
	// Only the part of the match before its last word can negate it.
	window := full
	if i := strings.LastIndexByte(window, ' '); i > 0 {
		window = window[:i]
	}
	// A negation the danger itself is made of ("seeing things that arent
	// there", "bleeding that wont stop") negates nothing.
	if notNegating.MatchString(window) || partOfDanger.MatchString(full) {
		return false
	}
	return negator.MatchString(window)
}

var (
	pastMarker = regexp.MustCompile(`\b(?:remember when|had (?:\w+ ){0,2}(?:thought|tried|attempted|wanted|planned|overdosed|cut|been suicidal)|admitted (?:that )?(?:he|she|they|i) had|(?:the |that )?(?:image|picture|memory|memories|sight) of|i (?:still )?(?:remember|see him|see her)|flashbacks?|nightmares? (?:of|about)|years? ago|months? ago|(?:a|one|two|three|few|couple|several|\d+) (?:years?|months?|weeks?) (?:ago|back)|last (?:year|summer|winter|spring|fall|month|christmas|time)|when i was (?:a kid|a teen|a teenager|younger|little|young|in (?:high )?school|in college|\d+)|as a (?:kid|child|teen|teenager)|in (?:high school|middle school|college|my teens|my twenties)|used to|back (?:then|in the day|in \d+)|in the past|once before|(?:years|months) back|back when|since then|(?:im|i am|been|now) (?:in recovery|clean|sober)|(?:passed away|died|lost (?:him|her|them|my \w+)) (?:of|from|to) (?:an )?(?:overdose|od|suicide)|(?:died|passed) (?:of|from) (?:an )?(?:overdose|od)|(?:killed himself|killed herself|took (?:his|her) (?:own )?life)|(?:survived|got through) (?:it|an? \w+)|survivors?|history of|in (?:19|20)\d\d|back in (?:19|20)\d\d|(?:been|got|im|i am|was) (?:out|away|safe) (?:for|of it|now|since)|(?:i was|we were) in an? \w+ (?:relationship|marriage)|(?:im|i am) safe now|turned out to be)\b`)
	recentPast = regexp.MustCompile(`\b(?:last (?:night|week|weekend)|yesterday|the other day|earlier this week)\b`)
	// Present markers keep a sentence with a past marker live: "i used to
	// cut myself and now im doing it again".
	presentMarker = regexp.MustCompile(`\b(?:again|right now|rn|today|tonight|earlier|currently|just (?:found|saw|noticed|now|walked in)|anymore|still|lately|recently|these days|now (?:hes|shes|im|i m|theyre|its|he is|she is|i am|again))\b`)
	// recovered is the present of someone who came through: "now im 5
	// years clean" keeps a past danger past, where "now im doing it
	// again" does not.
	recovered    = regexp.MustCompile(`\bnow (?:im|i m|i am|hes|shes|he is|she is)(?: \w+){0,3} (?:clean|sober|in recovery|doing (?:well|better|good|great|ok|okay)|better|okay|ok|fine|safe|happy)\b`)
	planningKeys = []string{"case", "ever", "were to", "was to", "never", "paper", "class", "project", "essay", "report", "research"}
	planning     = regexp.MustCompile(`\b(?:just in case|in case|if (?:i|he|she|they|we|my \w+|someone) (?:ever|were to|was to)|(?:ever|never) (?:self ?harmed|hurt (?:myself|yourself)|overdosed|had a seizure)|for an? (?:\w+ ){0,2}(?:paper|class|course|project|essay|report|training|assignment|test)|research paper|doing research)\b`)

	// hypothetical frames ask how to recognize or prepare for danger,
	// even about a named person: "how would i tell if my daughter is
	// overdosing", "what should i say if my friend tells me".
	hypothetical = regexp.MustCompile(`\b(?:how (?:would|do|can|could|will|should|to) (?:i|you|we|u|one|people)? ?(?:tell|know|recognize|spot|notice|see|check)(?: \w+)? (?:if|whether|when)|what (?:are|r|re) (?:the )?(?:signs|symptoms|warning signs)|what (?:does|do) (?:it|an overdose|overdosing|that|a seizure) look like|(?:signs|symptoms) of|in case|just in case|what if|what happens (?:if|when)|should i (?:keep|have|get|carry|learn|buy)|what (?:should|do|would|can) (?:i|we) (?:say|tell (?:him|her|them))|if (?:he|she|they|my \w+) (?:ever )?(?:tells|says|talks|mentions|brings up)|(?:is it|its|it is) (?:normal|common|safe|ok|okay) (?:to|for|if)|how (?:long|often|much|many) (?:does|do|will|can|should)|how common|why do (?:they|rehabs?|doctors|nurses) ask|(?:an )?(?:overdose|od) signs?|signs? of (?:an )?(?:overdose|od))\b`)

	// genericSubject: "you" is left out, because "can you stay with me"
	// speaks to the chat, not about people in general.
	genericSubject = regexp.MustCompile(`\b(?:someone|somebody|a person|anyone|anybody|people|a friend|one|ppl)\b`)
	personalAnchor = regexp.MustCompile(`\b(?:my|i|im|ive|me|we|were|our|us|hes|shes|he|she|him|her|his|mom|dad|bf|gf|boyfriend|girlfriend|husband|wife|son|daughter|brother|sister|roommate|buddy)\b`)
	// topicTalk names a danger as a subject of treatment or study: "dbt for
	// self harm", "suicidal thoughts in people on methadone".
	topicTalk      = regexp.MustCompile(`\b(?:for|about|with|and addiction|in people|in recovery|treat\w*|therap\w*|dbt|cbt|program\w*|common|research|stud\w*|people who|someone who|how to|help with|rates?|statistics)\b`)
	questionMarker = regexp.MustCompile(`\b(?:if|in case|is that|is this|what (?:are|is|do|does|should|happens|to do|causes|can)|how (?:do|can|would|does|to|should|long|often)|can (?:you|u|people|someone|a person)|does|do (?:people|you)|is it|signs? of|symptoms? of|why (?:do|does|is)|should i (?:keep|have|learn|carry)|when (?:someone|a person|people))\b`)
)

// genericQuestion reports whether a clause asks about the topic in
// general ("what should you do if someone is turning blue") rather than
// describing someone real ("my bf is turning blue").
func genericQuestion(clause string) bool {
	if !questionMarker.MatchString(clause) {
		return false
	}
	if personalAnchor.MatchString(clause) {
		// "what do i do if someone isnt breathing" names a generic person
		// although it starts with "i": the subject of the danger decides.
		return genericSubject.MatchString(clause) && !specificSubject.MatchString(clause)
	}
	return true
}

var (
	specificSubject = regexp.MustCompile(`\b(?:my|hes|shes|he|she|him|his|her|our|bf|gf)\b`)
	thirdPerson     = regexp.MustCompile(`\b(?:he|she|they|hes|shes|theyre|him|her|them|his|someone|somebody|` + people + `s?)\b`)
	// recentUse: drugs taken just now, not a mention of a medicine someone
	// is on ("since he started methadone").
	recentUse  = regexp.MustCompile(`\b(?:just (?:used|shot|did|took|snorted|smoked|popped|injected|banged|hit)|took (?:his|her|my|their|all (?:his|her|my|their)|some|a bunch of|too many|a lot of) (?:pills|meds|dope|methadone|subs|xanax|bars|oxys?|percs|fent)|(?:used|shot up|did|took|snorted|smoked|popped|injected)(?: \w+){0,3} (?:an hour|a few minutes|minutes|earlier|tonight|today|together|ago|just now)|after (?:using|shooting|he used|she used|they used|we used|getting high|doing)|shot up|shooting up|got high|getting high|was using|were using|been using|using (?:tonight|today|again)|(?:did|doing) (?:a |some )?(?:line|lines|shot|bag|bags|bump|hit|fent|dope|dose)|nodding|nodded off|needle (?:still )?in|high (?:right now|rn|on)|is high|so high|overdos\w*|oding|od|(?:pupils|eyes) (?:are |r )?(?:tiny|pinpoint|pinned|so small|really small)|pinned|pinpoint pupils)\b`)
	deathKeys  = []string{"died", "passed away", "funeral", "buried", "burying", "lost my", "lost our", "death"}
	died       = regexp.MustCompile(`\b(?:died (?:of|from|in|after|on|at|when|last|\d)|died\b.*\b(?:overdose|od|fentanyl|heroin)|passed away|funeral|buried|burying|lost (?:my|our) (?:\w+ )?(?:son|daughter|child|brother|sister|husband|wife|mom|mother|dad|father|friend|boyfriend|girlfriend|partner|baby|grandson|granddaughter|nephew|niece|cousin) (?:to|from|in)|(?:overdose|od) death|death of (?:my|our))\b`)
	nearlyDied = regexp.MustCompile(`\b(?:almost|nearly|could have|couldve|would have|wouldve|might have|or (?:he|she|they)(?: will| would| could)?) (?:have )?died\b`)
	// recollection puts what follows in memory, however present the
	// sentence: "i still cant get the image of his face, blue and not
	// breathing, out of my head".
	recollection = regexp.MustCompile(`\b(?:(?:the |that )?(?:image|picture|memory|memories|sight) of|flashbacks? (?:of|to)|nightmares? (?:of|about))\b`)
	// nowMarker turns a memory into the present: "i keep seeing him blue
	// and now hes not breathing again".
	nowMarker = regexp.MustCompile(`\b(?:right now|rn|again|tonight|today|now (?:hes|shes|im|i m|theyre|he is|she is|i am|its|it is))\b`)
	// worryForOthers is fear of what may one day happen to someone else
	// ("im scared she will die soon"): a worry the model must not read
	// as the writer's danger now. An overdose happening to them now is
	// seen by the cues first, and the rest of the message is read as it
	// is.
	worryForOthers   = regexp.MustCompile(`\b(?:scared|afraid|worried|terrified|fear|frightened|worry|worrying)(?: that)? (?:he|she|they|hes|shes|theyre|my \w+|him|her|them)(?: \w+){0,2} (?:will|might|is going to|are going to|gonna|could|would|may) (?:\w+ )?(?:die|od|overdose|end up dead|not make it|lose (?:his|her|their) life)\b`)
	seriousBut       = regexp.MustCompile(`\bbut (seriously|for real|fr|no joke|not joking|im serious|i mean it|honestly)\b`)
	arrivedNow       = regexp.MustCompile(`\b(?:(?:ya )?(?:llego|esta aqui|esta afuera|esta gritando)|(?:hes|shes|theyre|he is|she is) (?:here|outside|at the door|in the house|banging on the door)|just (?:got here|showed up|pulled up))\b`)
	threatTold       = regexp.MustCompile(`\b(?:matarme|me va a matar|kill me|hurt me|threatened|threatening|amenaz\w*|found out where i live|sabe donde vivo|restraining order|orden de restriccion)\b`)
	notAnswering     = regexp.MustCompile(`\b(?:(?:still )?(?:not|isnt|wont|hasnt been) (?:answering|responding|opening the door|coming out)|no answer|no contesta)\b`)
	behindDoor       = regexp.MustCompile(`\b(?:bathroom|locked (?:the )?door|locked in|just got out of (?:detox|rehab|jail|prison))\b`)
	useAgain         = regexp.MustCompile(`\b(?:gonna|going to|wants to|want to|about to|is going to|plans to|will) (?:use|shoot up|get high|do it|go cop|score) (?:again|tonight|right away|as soon as)\b|\b(?:using|shooting up) again (?:tonight|already|now)\b`)
	overdoseTold     = regexp.MustCompile(`\b(?:narcan|naloxone|overdos\w*|od d|oded|odd|revived|found (?:him|her|them) (?:on the floor|unresponsive|blue|not breathing)|ems (?:came|gave|brought)|ambulance)\b`)
	recollectionKeys = []string{"image", "picture", "memor", "sight", "flashback", "nightmare"}
	worryKeys        = []string{"scared", "afraid", "worr", "terrified", "fear", "frightened"}
	justHappened     = regexp.MustCompile(`\bjust (?:overdosed|oded|od d|odd|od|collapsed|passed out|fell out|dropped|stopped breathing|turned blue|went blue|went limp|had a seizure|started seizing)\b`)
	conditional      = regexp.MustCompile(`\b(?:if|whether|in case|what if|suppose|supposed|hypothetically|ever)\b`)
	urgencyKeys      = []string{"now", "rn", "hurry", "help", "omg", "god", "asap", "emergency"}
	urgency          = regexp.MustCompile(`\b(?:right now|rn|hurry|please help|help me|help us|help him|help her|omg|oh my god|asap|emergency)\b`)
	// act: the means or the act itself, said after talk of suicide or
	// self-harm.
	act      = regexp.MustCompile(`\b(?:did it again|doing it again|(?:urges?|urge to|the urge)(?: \w+){0,3} (?:back|again|strong|stronger|bad)|came back|(?:blade|razor|knife)|(?:already|just) (?:took|swallowed|did)|took them|i have (?:some|it|them|my \w+)(?: \w+){0,2} (?:at home|here|ready|counted|saved)|(?:counted|lined up|saved up)|how (?:much|many)(?: \w+){0,5} (?:would it take|does it take|to take|for someone)|(?:tonight|right now|when everyone)|goodbye|(?:on|in) my (?:arm|wrist|leg|thigh)|too deep|not too deep|bleeding|soaked|lightheaded|looked it up|im ready|its time|up here|its quiet|im here now|ahorita|ahora mismo|tengo (?:muchas )?ganas|gonna do it|going to do it|about to do it|still not stopping|wont stop bleeding|tengo todo listo|ya estoy list[oa])\b`)
	bloodNow = regexp.MustCompile(`\b(?:blood|bloody|bleeding|red stuff)\b`)
	gutTopic = regexp.MustCompile(`\b(?:puk\w*|vomit\w*|throw\w* up|diarrh\w*|the runs|shit\w*|poop\w*|stool|coughing)\b`)
	// A cut or a goodbye alone is everyday ("we cut the cable cord",
	// "saying goodbye to my colleagues"): the topic needs the self.
	selfHarmTopic = regexp.MustCompile(`\b(?:me lastimo|feel pain instead|something stupid with a (?:razor|blade|knife)|me corto|cortarme|lastimarme|me quemo|(?:cut|cutting|cuts|burn|burning|burned|hurt|hurting|harm|harming)(?: \w+)? (?:myself|my self|my (?:arms?|wrists?|legs?|thighs?|skin|stomach|body))|i (?:used to |was |have been |been |started |keep |still )?(?:cut|cutting)|(?:urge|urges) to cut|self ?harm\w*|razors?|blades?)\b`)
	suicideTopic  = regexp.MustCompile(`\b(?:suicid\w*|kill myself|killing myself|want(?:ed)? to die|wanna die|end it|ending it|better off without me|be gone|was gone|not wake up|dont want to be here|cant do this anymore|no point|people who want to die|one of them|goodbye (?:letters?|notes?|forever|for good|to everyone|to the world)|(?:that|the) method|me despedi|ser una carga|(?:at|on) the top of (?:the|a|my) (?:building|garage|parking garage|bridge|roof)|(?:wrote|writing|written) (?:\w+ )?(?:letters|notes) (?:to|for)|(?:say|saying|said) (?:my )?goodbyes? (?:to everyone|to the world|forever|for good))\b`)
	escalator     = regexp.MustCompile(`\b(?:tonight|today|right now|rn|this weekend|before (?:morning|tomorrow)|after (?:they|the kids|everyone|my \w+) (?:go|goes|are|is) (?:to sleep|asleep|to bed)|(?:have|got|bought|made) (?:a |the )?(?:plan|gun|rope|noose|pills|razor)|my plan|the plan|goodbye|letters|(?:everything|all of them|all my pills|the whole bottle|a whole bottle)|lethal|enough to)\b`)
	continuation  = regexp.MustCompile(`^(?:please|pls|plz|help|help me|help us|help pls|help please|what do i do|what should i do|what now|now what|hurry|idk|i dont know what to do|what do we do|\w+ (?:is )?still (?:not|isnt|wont)|hes still|shes still|still not|still nothing|nothing|he wont|she wont|they wont|its not working|not working|call 911|(?:like |about )?\d+ (?:min|mins|minutes|hours?) ago)\b.{0,40}$`)
)

// normalize lowercases and folds the message, drops apostrophes so that
// "won't" is "wont", turns other punctuation into spaces except sentence
// ends, and shortens letter runs ("pleeease" → "pleease").
func normalize(msg string) string {
	if len(msg) > MaxRunes*4 {
		msg = msg[:MaxRunes*4]
	}
	s := analysis.Normalize(msg)
	var b strings.Builder
	b.Grow(len(s))
	var prev rune
	run := 0
	space := true
	n := 0
	for _, r := range s {
		if n++; n > MaxRunes {
			break
		}
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if r == prev {
				run++
			} else {
				run = 1
			}
			if run > 2 && unicode.IsLetter(r) {
				continue
			}
			b.WriteRune(r)
			space = false
		case r == '.' || r == '!' || r == '?' || r == ';' || r == '\n':
			b.WriteByte('.')
			space = true
			run = 0
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
			run = 0
		}
		prev = r
	}
	// Long-standing pain is not pain now: "i suffer from chronic pain" is
	// no emergency in pregnancy.
	return strings.ReplaceAll(b.String(), "chronic pain", "chronicpain")
}

// splitClauses splits at sentence ends, and at "but", which turns a
// sentence around ("i used to cut myself but im doing it again").
func splitClauses(text string) []string {
	var out []string
	for _, s := range strings.Split(text, ".") {
		// "i wanna die lol but seriously": the "but" takes the joke back,
		// so the two halves are one clause.
		s = seriousBut.ReplaceAllString(s, " $1")
		for _, c := range strings.Split(s, " but ") {
			if c = strings.TrimSpace(c); c != "" {
				out = append(out, c)
			}
		}
	}
	return out
}

func containsAny(s string, keys []string) bool {
	for _, k := range keys {
		if strings.Contains(s, k) {
			return true
		}
	}
	return false
}
