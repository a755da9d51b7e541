package analysis

import "strings"

// stopwords are words that say nothing about which entry a question is
// about. The list is ours rather than a generic one: greetings ("hi",
// "thanks") and words like "help" or "long" carry meaning in a helpline chat
// and stay, while chat filler ("pls", "u", "lol", "tho") goes, and so do the
// commonest Spanish function words, for visitors who mix languages. Question phrases that
// matter ("how long") are turned into terms by the lexicon before stopwords
// are dropped. "After" stays a word: what comes after detox or rehab is a
// topic of its own.
var stopwords = toSet(`
a about above actually advice advise again all also am an and any anybody anyone anything anyway anyways are arent as at
basically be been before being below between bit both but by
can cant could couldnt
did didnt do does doesnt doing done dont down during
each either else even ever every
few for from further
get gets getting go goes going got gonna gotta
guess guidance
heck hell
had hadnt has hasnt have havent having he hed hes her here hers herself him himself his honestly how hw hwo
i id ideas if ill im in info information input insight into is isnt it its itself ive
just
kind kinda know
let lets like literally lot lots
made make makes
matter matters may maybe me mean might mine more most much must my myself
need needs no nor not now
of off oh ok okay on once one only opinion opinions or other our ours ourselves out over own
please pls plz pretty
question questions quite
r ralph really right
said say says seriously she shed shes should shouldnt so some somebody someone something sort stuff suggestion suggestions
tbh tell than that thats the their theirs them themselves then there theres these they theyd theyll theyre theyve thing things think thoughts this those though through tips to too
u um uh under until up ur us
very
wanna want wants was wasnt wat waht way we wed well were werent weve what whats whta where which while who whom whose why will with wo wonder wondered wondering wont would wouldnt wut wht
ya yeah yes yet you youd youll your youre yours yourself yourselves youve

altho bc btw cos coz cuz damn damned definitely exactly fr freaking frickin fricking fuckin fucking hmm hmmm idk imo lol ngl omg probably rn smh tho thru
totally ugh usually yea yep yup

ahora algo anoche antes ayer bueno con de del despues el en es esta estoy esto hace hay hoy la las lo los mas
mucho muy nada nunca o para pero poco porque pues por que se si siempre soy su tambien tengo tiene todavia un una y
`)

// fillerPhrases are chat phrases whose words, read one by one, would
// look like a topic: "long story short" is not about how long anything
// lasts, and "tell me straight" is about no entry that says "straight".
var fillerPhrases = []string{
	"long story short", "to make a long story short", "in the first place", "tell me straight",
	"just tell me straight", "be straight with me", "give it to me straight", "to be honest",
	"be honest", "i was wondering", "just wondering", "quick question", "real quick", "no judgement",
	"no judgment", "for real", "at this point", "at the end of the day", "in the middle of",
	"i dont know what else to do", "i dont know where else to turn", "sorry for the long message",
	"sorry if this is a dumb question", "dumb question", "stupid question", "sorry to bother you",
	"i am new here", "im new here", "new here", "first time posting", "long time lurker",
	"any help would be appreciated", "any help is appreciated", "thanks in advance",
	"thank you in advance", "sorry for the long post", "i would appreciate", "would appreciate",
}

// stopStems are the stems of the stopwords, for callers that only have a
// stem in hand.
var stopStems = func() map[string]struct{} {
	m := make(map[string]struct{}, len(stopwords))
	for w := range stopwords {
		m[stem(w)] = struct{}{}
	}
	return m
}()

func toSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}
