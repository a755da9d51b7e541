package answer

import (
	"regexp"
	"slices"
	"strings"

	"helpline/internal/analysis"
)

// refusePattern is one shape of request. Its keys are substrings one of
// which it needs; they keep the pattern off the many messages that cannot
// match.
type refusePattern struct {
	reason string
	keys   []string
	re     *regexp.Regexp
}

// Refusal reasons: the kinds of request the bot must never serve.
const (
	RefuseDose   = "dose"   // how much of a drug or medication to take
	RefuseTaper  = "taper"  // how to come off a medication on one's own
	RefuseSource = "source" // where to get drugs or medication without a prescription
	RefuseUse    = "use"    // how to use drugs
	RefuseCheat  = "cheat"  // how to get around a drug test
)

// Word lists shared by the patterns. Naloxone is deliberately absent: how
// to give it is emergency information every bystander should have.
const (
	drugs = `(?:heroin|dope|smack|h|fent|fentanyl|fetty|suboxone|subs?|bupe|buprenorphine|subutex|zubsolv|sublocade|methadone|done|naltrexone|vivitrol|oxy|oxys|oxycodone|oxycontin|percs?|percocets?|roxys?|xanax|xans|bars|benzos?|klonopin|valium|morphine|kratom|lofexidine|lucemyra|clonidine|gabapentin|gabby|loperamide|imodium|tramadol|hydrocodone|norco|vicodin|dilaudid|codeine|opiates?|opioids?|pills?|meds?|medications?|medicine|tabs?|strips?|films?|it|them|this|that)`
	// sourceDrugs are the drugs named in a request to get them; unlike
	// drugs it has no pronouns, because "where can i buy it" after a
	// question about naloxone is a good question.
	sourceDrugs = `(?:heroin|dope|smack|h|fent|fentanyl|fetty|suboxone|subs?|bupe|buprenorphine|subutex|zubsolv|sublocade|methadone|done|oxy|oxys|oxycodone|oxycontin|percs?|percocets?|roxys?|xanax|xans|bars|benzos?|klonopin|valium|morphine|kratom|gabapentin|tramadol|hydrocodone|norco|vicodin|dilaudid|codeine|opiates?|opioids?|pills?|meds?|medications?|tabs?|strips?|films?)`
	// treatmentMeds are what a prescriber tapers; quitting heroin alone is
	// a self-detox question the knowledge base answers.
	treatmentMeds = `(?:suboxone|subs?|bupe|buprenorphine|subutex|zubsolv|sublocade|methadone|done|meds|medications?|my dose|clonidine|gabapentin|benzos?|xanax|klonopin|valium)`
	streetDrugs   = `(?:heroin|dope|smack|h|fent|fentanyl|fetty|percs?|percocets?|oxys?|roxys?|xans|bars|blues|pills|drugs|tar|china white|m30s?)`
	units         = `(?:mg|mgs|milligrams?|mcg|micrograms?|ml|mls|milliliters?|cc|grams?|g|pills?|tabs?|tablets?|strips?|films?|bags?|points?|bundles?|buns|doses?|patches?|shots?)`
	subject       = `(?:i|we|he|she|they|you|u|someone|somebody|a person|my \w+)`
	request       = `(?:where|how (?:do|can|could|would|to|should)|who (?:can|could|will)|can (?:i|you|u|we|someone)|could (?:i|you|u)|is it possible to|help me|tell me|know (?:where|how)|best (?:place|site|way) to|any(?:one|body)? know)`
)

var (
	refusePatterns = []refusePattern{
		// Doses.
		{RefuseDose, []string{"how much", "how many"}, regexp.MustCompile(`\bhow (?:much|many)\b(?: \w+){0,5} (?:should|do|can|could|would|shall|must|to|is it ok to|is it safe to|is safe to)(?: ` + subject + `)?(?: safely| still| really)? ?(?:take|use|do|give|shoot|snort|smoke|dose|start|have|be on|get)\b`)},
		// "how much loperamide for withdrawal", "how little oxycodone can get you high".
		{RefuseDose, []string{"how much", "how many", "how little"}, regexp.MustCompile(`\bhow (?:much|many) (?:\w+ )?(?:` + sourceDrugs + `|loperamide|imodium|clonidine)(?: \w+)? (?:for|to (?:stop|help|treat|get through|manage|ease)) (?:the |my |his |her )?(?:opiate |opioid |heroin |dope )?(?:withdrawal|withdrawals|wd|wds|pain|sleep|anxiety|cravings|detox|kicking)\b|\bhow (?:little|much|many)\b(?: \w+){0,5} (?:get|gets|getting) (?:you |me |someone |u |a person )?high\b`)},
		{RefuseDose, []string{"how often"}, regexp.MustCompile(`\bhow often (?:can|could|should|may) (?:i|you|u|someone|a person|he|she) (?:safely )?(?:take|use|redose|dose)(?: (?:my|the|a|an|his|her|some|more))? (?:\w+ )?` + sourceDrugs + `\b`)},
		{RefuseDose, []string{"how much", "how many"}, regexp.MustCompile(`\bhow (?:much|many) ` + units + `\b`)},
		{RefuseDose, []string{"dose", "dosage", "dosing", "amount"}, regexp.MustCompile(`\b(?:what|whats|wat|which)(?: is| s)?(?: the| a| my| his| her)? (?:right |correct |safe |normal |starting |start |max |maximum |best |good |typical |usual |lethal |deadly |strongest |highest |lowest )?(?:dose|dosage|dosing|amount)\b`)},
		{RefuseDose, []string{"dose", "dosage", "dosing", "amount"}, regexp.MustCompile(`\b(?:safe|right|correct|max|maximum|starting|lethal|deadly|normal|typical|usual) (?:dose|dosage|amount)\b|\b(?:safe|safest|healthy|recreational) (?:` + sourceDrugs + ` )?(?:dose|dosage)\b|\b(?:healthy|recreational|safest) amount of (?:\w+ )?` + sourceDrugs + `\b`)},
		{RefuseDose, []string{"dose", "dosage", "dosing", "amount"}, regexp.MustCompile(`\b(?:dose|dosage|dosing) (?:chart|schedule|guide|calculator|for)\b`)},
		{RefuseDose, []string{"how much", "how many"}, regexp.MustCompile(`\bhow (?:much|many)\b(?: \w+){0,4} (?:is|are|would be|is it) (?:safe|too much|too many|enough|ok|okay|normal|alright|lethal|deadly|dangerous)\b`)},
		{RefuseDose, []string{"most", "max"}, regexp.MustCompile(`\b(?:most|max|maximum)\b(?: \w+){0,3} (?:i|you|u|someone|a person|he|she) (?:can|could|should|may) (?:safely )?(?:take|use|do|have)\b`)},
		{RefuseDose, []string{"up ", "raise", "increase", "lower", "double", "split", "cut "}, regexp.MustCompile(`\b(?:up|raise|increase|lower|double|split|cut) (?:my|his|her|the) (?:dose|dosage)\b`)},

		// Tapering on one's own.
		{RefuseTaper, []string{"taper", "wean", "step down", "come down", "cut down", "cut back", "cutting", "drop", "lower", "reduc", "decreas", "come off", "coming off", "get off", "getting off", "detox schedule", "detox plan"}, regexp.MustCompile(`\bhow (?:do|can|should|would|to|could|fast|quickly|slow|slowly|much)(?: (?:can|could|should|do|would))?(?: ` + subject + `)?(?: best| safely)? (?:(?:taper|wean|step down|come down|cut down|cut back)\b|(?:drop|lower|reduce|decrease)\b.*\b(?:dose|dosage|` + treatmentMeds + `)\b)`)},
		{RefuseTaper, []string{"taper", "wean", "step down", "come down", "cut down", "cut back", "cutting", "drop", "lower", "reduc", "decreas", "come off", "coming off", "get off", "getting off", "detox schedule", "detox plan"}, regexp.MustCompile(`\b(?:taper|tapering|wean|weaning)(?: off)? (?:myself|me|him|her|them|at home|on my own|by myself|alone|without (?:a |my |his |her )?(?:doctor|dr|clinic|prescriber))\b`)},
		{RefuseTaper, []string{"taper", "wean", "step down", "come down", "cut down", "cut back", "cutting", "drop", "lower", "reduc", "decreas", "come off", "coming off", "get off", "getting off", "detox schedule", "detox plan"}, regexp.MustCompile(`\b(?:taper|tapering|weaning|wean|detox) (?:schedule|plan|chart|calendar|calculator|protocol)\b`)},
		{RefuseTaper, []string{"taper", "wean", "step down", "come down", "cut down", "cut back", "cutting", "drop", "lower", "reduc", "decreas", "come off", "coming off", "get off", "getting off", "detox schedule", "detox plan"}, regexp.MustCompile(`\b(?:cut|cutting|lower|lowering|reduce|reducing|drop|dropping)(?: down| back)? (?:my|his|her|the) (?:dose|dosage|` + drugs + `)\b(?:.*\b(?:how|fast|quick|myself|own|schedule|every|each|per)\b)`)},
		{RefuseTaper, []string{"taper", "wean", "step down", "come down", "cut down", "cut back", "cutting", "drop", "lower", "reduc", "decreas", "come off", "coming off", "get off", "getting off", "detox schedule", "detox plan"}, regexp.MustCompile(`\b(?:come|coming|get|getting) off (?:of )?(?:` + treatmentMeds + `)\b.*\b(?:myself|on my own|by myself|at home|without (?:a |my )?(?:doctor|dr|clinic|prescriber))\b`)},

		// Getting drugs or medication without a prescription. Each pattern
		// needs the shape of a request ("where can i", "how do i"), so a
		// visitor telling their story ("now im buying dope off the street")
		// is answered, not refused.
		{RefuseSource, []string{"prescri", "perscri", "presci", "script", "rx", "doctor", "dr", "street", "online", "dark", "dealer"}, regexp.MustCompile(`\b` + request + `(?: \w+){0,4} (?:buy|purchase|order|score|cop|get|find|source|pick up)\b.*\b(?:without (?:a |an )?(?:prescription|script|rx|doctor|dr|presciption|perscription)|no (?:prescription|script|rx|presciption|perscription)|off the street|on the street|from the street|online|dark ?web|from a dealer)\b`)},
		{RefuseSource, []string{"buy", "score", "cop", "purchase"}, regexp.MustCompile(`\b` + request + `(?: \w+){0,4} (?:buy|score|cop|purchase)(?: some| me some| a| more)? ` + sourceDrugs + `\b`)},
		{RefuseSource, []string{"sell", "has ", "got "}, regexp.MustCompile(`\b(?:who|anyone|anybody|someone|somebody) (?:sells?|selling|has|got|can sell)(?: some| me some| any)? ` + sourceDrugs + `\b`)},
		{RefuseSource, []string{"from", "off"}, regexp.MustCompile(`\b(?:buy|get|take|use|borrow|try)(?: some| a few| a couple| his| her| their)?(?: of)?(?: \w+)? (?:from|off|off of) (?:a |my |his |her |the |this )?(?:friend|buddy|homie|dealer|guy|girl|someone|somebody|neighbor|cousin|brother|sister|roommate|coworker|street|plug)\b`)},
		{RefuseSource, []string{"extra", "spare", "leftover", "left over", "elses", "friends", "buddys", "moms", "dads", "sisters", "brothers", "grandmas", "roommates", "neighbors"}, regexp.MustCompile(`\b(?:buy|get|take|use|borrow|try)\b.*\b(?:extra|spare|leftover|left over|someone elses|somebody elses|(?:my |his |her )?(?:friends|buddys|moms|dads|sisters|brothers|grandmas|roommates|neighbors)) ` + sourceDrugs + `\b|\b(?:extra|spare|leftover|someone elses|(?:my )?(?:friends|buddys|moms|dads|roommates)) ` + sourceDrugs + `\b.*\b(?:buy|take|use|borrow|get|try)\b`)},
		{RefuseSource, []string{"get", "find", "pick up", "grab"}, regexp.MustCompile(`\b(?:where|how) (?:can|do|could|would|to|should|might)(?: ` + subject + `)? (?:get|find|pick up|grab)(?: some| me some| a| more| real)? ` + streetDrugs + `\b`)},
		{RefuseSource, []string{"plug", "dealer", "connect"}, regexp.MustCompile(`\b(?:find|need|know|looking for)(?: a| me a| of a| for a)? (?:plug|dealer|connect)\b|(?:^|^\w+ |(?:do|does|can|could) (?:you|u|anyone|anybody|someone) |anyone |anybody )(?:know|recommend|suggest)(?: of)? (?:any|a|an|some|good|reliable|trustworthy)(?: \w+){0,2} (?:plugs?|dealers?|connects?)\b`)},
		// Asking the helpline for the drug itself: "im out of methadone, can you give me some".
		{RefuseSource, []string{"give me", "sell me", "send me", "lend me", "spot me", "front me"}, regexp.MustCompile(`\b(?:can|could|would|will) (?:you|u|someone|anyone|anybody) (?:give|sell|send|lend|spot|front) me (?:(?:some|a few|any|a couple) )?(?:(?:of )?(?:your|yours|his|her) )?(?:` + sourceDrugs + `(?: please| pls| now| today| tonight)?|some|a few|any)$`)},

		// How to use drugs.
		{RefuseUse, []string{"inject", "shoot", "snort", "smoke", "cook", "boof", "plug", "sniff", "chase", "iv", "bang", "freebase", "best way", "safest way", "easiest way", "high", "make", "cut", "press"}, regexp.MustCompile(`\bhow (?:do|can|should|to|would)(?: ` + subject + `)? (?:inject|shoot|snort|smoke|cook|boof|plug|sniff|chase|iv|bang|freebase)\b`)},
		{RefuseUse, []string{"inject", "shoot", "snort", "smoke", "cook", "boof", "plug", "sniff", "chase", "iv", "bang", "freebase", "best way", "safest way", "easiest way", "high", "make", "cut", "press"}, regexp.MustCompile(`\b(?:best|safest|easiest) way to (?:use|inject|shoot|snort|smoke|get high|do)\b`)},
		// The same asked as whether a route works ("can you snort oxycodone", "how is heroin smoked",
		// "hydrocodone snorting is it possible"), or how to get high on a drug.
		{RefuseUse, []string{"inject", "shoot", "snort", "smok", "boof", "plug", "sniff", "chew", "iv", "bang", "high"}, regexp.MustCompile(`\b(?:can|could|should|do) (?:you|u|i|we|one|people|someone|a person) (?:inject|shoot|shoot up|snort|smoke|sniff|iv|boof|plug|chew|bang)(?: up)? ` + sourceDrugs + `\b|\bhow (?:is|are|do you|do people) ` + sourceDrugs + `(?: \w+)? (?:injected|shot|snorted|smoked|sniffed|plugged|boofed|cooked|prepared|used)\b|\b` + sourceDrugs + ` (?:snorting|injecting|smoking|shooting|plugging|boofing)\b(?: \w+){0,2} (?:possible|work|safe|how)\b|\b(?:(?:can|could|will|would|do|does) (?:you|u|i|someone|one|it)(?: still)?|how (?:to|do i|do you|can i|can you)) (?:get|gets) (?:you |someone |me )?high (?:off|on|from)(?: of)?(?: \w+)? ` + sourceDrugs + `\b|\b(?:ways|methods|tips) (?:to|for) (?:get|getting) high\b`)},
		// "can snorting oxycodone get you high", "is it ok to chew the patch",
		// "you can smoke oxycodone, right", "prepare suboxone for injection".
		{RefuseUse, []string{"smok", "snort", "chew", "crush", "inject", "shoot", "plug", "boof", "sniff", "parachut", "patch", "dissolv", "prepare", "prep "}, regexp.MustCompile(`\b(?:can|could|does|do|will|would)(?: (?:you|u|i|someone|one|people|a person))? (?:smoking|snorting|chewing|crushing|injecting|shooting|plugging|boofing|sniffing|parachuting)(?: the| a| an| my)? (?:\w+ )?` + sourceDrugs + `\b.*\b(?:high|higher|work|works|effective|stronger|hit|kick in|faster|better)\b|\bis it (?:ok|okay|safe|possible|fine|alright) to (?:smoke|snort|chew|crush|inject|shoot|plug|boof|sniff|parachute)(?: the| a| an| my| this| that| his| her| your)?(?: fentanyl| fent)? (?:` + sourceDrugs + `|patch|patches|op|ops|opana)\b|^(?:so |and )?(?:you|u) can (?:smoke|snort|chew|crush|inject|shoot|plug|boof|sniff)(?: \w+)? ` + sourceDrugs + `\b|\b(?:how|can|could|does|is it|what happens)\b.*\b(?:chew|chewing|chews|suck|sucking|eat|eating|cut|cutting|cook|cooking|smoke|smoking|scrape|scraping)(?: on)?(?: a| the| his| her| my| their)? (?:fentanyl|fent|duragesic)(?: pain)? patch(?:es)?\b|\b(?:chew|chewing|chews|suck|sucking|scrape|scraping|smoke|smoking)(?: on)?(?: a| the| his| her| my| their)? (?:fentanyl|fent|duragesic)(?: pain)? patch(?:es)?\b.*\b(?:how|is it|does|can|will)\b|\b(?:prepare|prepared|preparing|prep|dissolve|dissolving|break down|breaking down|cook|cooking)(?: (?:the|a|my|your|some|his|her))? (?:` + sourceDrugs + `|it|them)(?: \w+)? (?:for|to) (?:injection|injecting|inject|shoot|shooting|iv|snorting|snort|smoking|smoke)\b`)},
		// Recipes and extraction: "poppy tea recipe", "how to make lean",
		// "cold water extraction of codeine", "potentiating opioids".
		{RefuseUse, []string{"poppy", "lean", "drank", "drink", "sizzurp", "extract", "purif", "isolat", "cwe", "potentiat"}, regexp.MustCompile(`\bpoppy (?:seed |pod )?tea\b.*\b(?:recipe|how|make|making|brew|brewing|strong)\b|\b(?:recipe|how (?:to|do you|do i|can i) (?:make|brew)|making|brew|brewing)\b.*\b(?:poppy (?:seed |pod )?tea|purple drank|purple drink|sizzurp|dirty sprite|lean (?:drink|with (?:codeine|promethazine)))\b|\bhow (?:to|do you|do i|can i) make lean(?: drink| at home)?$|\b(?:poppy (?:seed |pod )?tea|purple drank|purple drink|sizzurp) recipe\b|\b(?:extract|extracting|extraction|purify|purifying|isolate|isolating|separate|separating)\b.*\b(?:codeine|morphine|oxycodone|opiates?|opioids?|fentanyl|heroin|hydrocodone|tylenol 3|apap)\b|\bcwe\b|\bpotentiat\w*\b`)},
		{RefuseUse, []string{"inject", "shoot", "snort", "smoke", "cook", "boof", "plug", "sniff", "chase", "iv", "bang", "freebase", "best way", "safest way", "easiest way", "high", "make", "cut", "press"}, regexp.MustCompile(`\bhow (?:to|do i|can i) (?:get|stay) (?:high|higher|more high|a better high)\b`)},
		// "is that enough to get high", "strong enough to feel high".
		{RefuseUse, []string{"high"}, regexp.MustCompile(`\b(?:enough|strong enough|too weak|too little) (?:to|for) (?:get|getting|feel|feeling|make (?:me|you|him|her|someone)|a) (?:high|buzz(?:ed)?)\b`)},

		// Getting around a drug test: "how to pass a drug test", "synthetic
		// urine", "tips to beat a hair follicle test". Whether prescribed
		// methadone shows up on a test is a fair question (see cheatExempt).
		{RefuseCheat, []string{"test", "urine", "pee", "piss", "whizz", "screen", " ua"}, regexp.MustCompile(`\b(?:how (?:to|do i|can i|do you|can you|could i|would i|should i|do people|does one)|tips (?:on|for|to)|ways to|best way to|help me|trying to|want to)(?: \w+){0,3} (?:pass|beat|cheat|trick|fool|get around|get past|get through|flush|mask)\b.*\b(?:drug|drugs|urine|ua|uas|piss|pee|hair|follicle|swab|saliva|probation|dot)\b|\b(?:drug|urine|follicle|swab|ua)\b.*\b(?:tests?|testing|screens?)\b.*\bhow (?:can|do|could|would) (?:i|you|u|someone|one) (?:pass|beat|cheat) (?:one|it|them)\b|\b(?:synthetic|fake|someone elses|somebody elses|powdered|substitute|clean) (?:urine|pee|piss)\b|\bwhizz?inator\b|\bdetox (?:drinks?|shampoos?|kits?|pills)\b.*\b(?:pass|beat|work)\b`)},
		{RefuseUse, []string{"inject", "shoot", "snort", "smoke", "cook", "boof", "plug", "sniff", "chase", "iv", "bang", "freebase", "best way", "safest way", "easiest way", "high", "make", "cut", "press"}, regexp.MustCompile(`\bhow (?:to|do you|do i|can i) (?:make|cook|cut|press) (?:heroin|dope|fent|fentanyl|pills|bars)\b`)},
	}

	// numberPatterns find an amount joined to a judgement of it ("16mg
	// too much", "should i take 2 pills"). In a story they also find the
	// amount a writer only tells of ("currently 8mg x 2 a day, but i
	// cannot decrease"), so in a message of several sentences they are
	// tried only on a sentence that asks (see asks).
	numberPatterns = []refusePattern{
		{RefuseDose, []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}, regexp.MustCompile(`\b\d+(?:[.,]\d+)? ?` + units + `\b.*\b(?:too (?:much|little|high|low|strong|weak)|enough|safe|ok|okay|alright|should|increase|decrease|raise|lower|double|split|cut|more|less|dangerous|normal)\b`)},
		{RefuseDose, []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}, regexp.MustCompile(`\b(?:too (?:much|little|high|low)|enough|safe|ok|okay|should i|increase|decrease|raise|lower|double|split)\b.*\b\d+(?:[.,]\d+)? ?` + units + `\b`)},
	}

	everyPattern = slices.Concat(refusePatterns, numberPatterns)

	// asking is a sentence that asks although it has no question mark.
	asking = regexp.MustCompile(`\b(?:should (?:i|we|he|she|they)|can (?:i|we|you|u)|could (?:i|we|you)|may i|is it|is that|tell me|wondering|want to know|need to know|do i|how (?:much|many))\b`)

	// reported is how a writer tells of someone else's request: "his
	// texts asking people where to buy heroin".
	reported = regexp.MustCompile(`\b(?:ask|asks|asked|asking|text|texts|texted|texting|messages|messaged|messaging|search|searches|searched|searching|google|googles|googled|googling|looked up|looking up)\b(?: \w+){0,2} $`)

	doseProcessKeys = []string{"decide", "choose", "pick", "figure", "work out", "works out", "set", "determine", "adjust", "why "}
	doseProcess     = regexp.MustCompile(`\bhow (?:does|do|will|would|is|are|can) (?:the |my |a |your |his |her )?(?:doctor|dr|prescriber|clinic|provider|nurse|they|you|clinics|doctors)(?: \w+)? (?:decide|choose|pick|figure out|work out|set|determine|find|adjust)\b|\bwho (?:decides|chooses|sets|picks|determines)\b|^why (?:did|do|does|would|will|has|have|is|are) (?:the |my |a |his |her )?(?:doctor|dr|prescriber|clinic|provider|nurse|they)\b`)

	// Questions about naloxone and other harm-reduction supplies are never
	// refused: giving naloxone, or testing for fentanyl, is what keeps
	// people alive.
	harmReduction = regexp.MustCompile(`\b(?:naloxone|narcan|narcon|narcain|kloxxado|zimhi|test(?:ing)? strips?|test kits?|fentanyl strips?|fent strips?|clean needles|syringe|syringes|needle exchange)\b`)

	// helpSeeking is someone asking how to get help, not drugs: "how do i
	// get heroin help", "where do i get treatment for fentanyl", "how do i
	// get off dope". It is never a sourcing request.
	helpSeeking = regexp.MustCompile(`\b` + sourceDrugs + `(?: \w+)? (?:help|treatment|treatments|rehab|rehabs|detox|addiction|addicted|abuse|counseling|counselling|recovery|support|program|programs|clinic|clinics|meetings?|problem|habit|use disorder|dependence|withdrawal|prescriber|doctor)\b|\b(?:help|treatment|rehab|detox|therapy|counseling|support|care) (?:for|with|from|on) (?:\w+ ){0,3}` + sourceDrugs + `\b|\b(?:off|quit|quitting|stop|stopping|kick|kicking|clean from|free of|away from|addicted to|hooked on) (?:of )?` + sourceDrugs + `\b|\b(?:prescribed|prescriber|clinic|telehealth|insurance|medicaid|covered)\b`)
	// cheatExempt: a test taken on a prescribed treatment medication
	// ("how do i pass a drug test on methadone for work") asks what the
	// test will show, which the knowledge base answers; faked urine is
	// cheating whatever else the message says.
	cheatExempt = regexp.MustCompile(`\b(?:methadone|suboxone|subs|bupe|buprenorphine|subutex|sublocade|vivitrol|naltrexone|prescribed|prescription|my script|my rx|poppy seeds?|stay(?:ing)? (?:clean|sober)|get(?:ting)? (?:clean|sober)|by not using|stop(?:ping)? using)\b`)
	faked       = regexp.MustCompile(`\b(?:synthetic|fake|someone elses|somebody elses|powdered|substitute|clean) (?:urine|pee|piss)\b|\bwhizz?inator\b|\b(?:flush|mask|trick|fool|cheat)\b`)
	// illicit marks a request as sourcing whatever help it mentions.
	illicit = regexp.MustCompile(`\b(?:without (?:a |an |my |his |her )?(?:prescription|script|rx|doctor|dr|presciption|perscription|prescriber)|no (?:prescription|script|rx)|off the street|on the street|from the street|dark ?web|dealer|plug|connect)\b`)

	handoffPatterns = []*regexp.Regexp{
		regexp.MustCompile(`\b(?:talk|speak|chat|connect|text|message)(?:ing)? (?:to|with|me with|me to) (?:a |an |the |some |one of your |your )?(?:real |live |actual |human |trained |real live )?(?:person|human|someone|somebody|some one|representative|rep|agent|counselou?r|staff|advisor|adviser|operator|people|team|volunteer|specialist|peer|nurse|doctor)\b`),
		regexp.MustCompile(`^(?:a |an )?(?:real |live |actual )?(?:human|agent|person|representative|rep|operator|counselou?r|somebody|someone)(?: (?:please|pls|plz|now|asap))*$`),
		regexp.MustCompile(`\b(?:transfer me|connect me|put me (?:through|in touch|on with|on the phone))\b`),
		regexp.MustCompile(`\b(?:real|live|actual) (?:person|human|people|agent)\b`),
		regexp.MustCompile(`\b(?:is there|are there|is anyone|is anybody|anyone|anybody|someone|somebody)(?: (?:a|an|any|some|real|live|actual))?(?: (?:person|human|counselou?r|rep|representative|nurse|doctor|one|people|staff|agent))? (?:there |here |real )?(?:i can|to|who can|that can|i could|for me to|we can) (?:talk|speak|chat)\b`),
		regexp.MustCompile(`\b(?:get|give|find|send) me (?:a |an |the |some )?(?:real |live |actual )?(?:person|human|agent|rep|representative|counselou?r|someone|somebody|operator|supervisor)\b`),
		regexp.MustCompile(`\b(?:i |id |i would |i d )?(?:want|need|like|wanna|prefer) (?:to )?(?:talk|speak|chat) (?:to|with) (?:someone|somebody|a person|a human|people)\b`),
		regexp.MustCompile(`\b(?:not|dont want|don t want|no more|stop talking to) (?:a |the |this )?(?:bot|robot|machine|computer|ai)\b`),
		regexp.MustCompile(`\b(?:call me|callback|call back|have someone call)\b`),
		regexp.MustCompile(`\b(?:hablar|habla|platicar|chatear) con (?:una |un |la |el )?(?:persona|humano|alguien|consejer[oa]|representante|agente)\b|\bpersona real\b`),
	}
	// Asking whether this is a person ("am i talking to a real person") is
	// a question about the chat, answered from the knowledge base.
	// A word or two of preamble ("wait", "sorry but") comes first often.
	askingWhatThisIs = regexp.MustCompile(`^(?:(?:wait|so|ok|okay|hey|hi|hello|um|uh|hmm|lol|sorry|but|quick question|just wondering|honestly|real quick)\s+)*(?:am i (?:talking|chatting|speaking|texting) (?:to|with)|is this (?:a |an )?(?:real|bot|robot|person|human|ai|automated)|(?:are|r) (?:you|u) (?:a |an )?(?:real|actual|bot|robot|person|human|ai|computer|machine)|is (?:this|it) (?:a )?(?:bot|robot|person|human))\b`)
	// A how-to question about talking to someone ("how do I talk to my son")
	// is about family, not a wish to reach a representative.
	howTo = regexp.MustCompile(`^\s*(?:how|what|when|should|is it)\b`)
)

// handoffKeys are the substrings one of which every hand-off pattern needs.
var handoffKeys = []string{"person", "human", "someone", "somebody", "some one", "rep", "agent", "counsel", "staff",
	"operator", "people", "team", "volunteer", "specialist", "peer", "nurse", "doctor", "real", "live", "actual",
	"transfer", "connect", "put me", "bot", "machine", "computer", "ai", "call", "hablar", "habla", "platicar",
	"chatear", "persona", "alguien", "consejer", "agente", "supervisor", "one of your", "anyone", "anybody", "give me", "get me", "find me", "send me"}

// Refusal reports whether text asks for, or gives, what the bot must
// never serve (a dose, a taper on one's own, a source of drugs, how to use
// them), and which of the Refuse reasons it is. It reads text as Decide
// does; a generated reply can be checked with it before it is used.
func Refusal(text string) (reason string, ok bool) {
	return refusal(normalizeForIntent(truncateRunes(text, maxIntentRunes)))
}

// asks reports whether a visitor's message asks for what the bot must
// never serve, and why; norm is the message normalized for the intent
// patterns.
//
// A message of several sentences asks in one of them. Read whole, a story
// is taken for a request it only tells of: "I take 16mg a day and just
// found out I am pregnant. Is it okay to keep taking it?" joins the dose
// to "okay" across two sentences, and "his texts asking people where to
// buy heroin" is his request, not the writer's. So each sentence is read
// alone, and with the next one when that is a few words pointing back to
// it ("I take 30mg. Is that too much?") or names an amount of its own ("I
// use 3 bags. Should I take 4?"); read with the next, the request must
// end in it. Measured on the real-question set: 7 letters refused (a
// pregnant woman on buprenorphine, a partner asking where to draw the
// line) become 0, with the real refusal set's requests declined
// unchanged.
func asks(text, norm string) (string, bool) {
	ss := sentences(truncateRunes(text, maxIntentRunes))
	if len(ss) < 2 {
		return refusal(norm)
	}
	norms := make([]string, len(ss))
	for i, s := range ss {
		norms[i] = normalizeForIntent(s)
	}
	asked := func(i int) bool { return isQuestion(ss[i]) || asking.MatchString(norms[i]) }
	for i, sn := range norms {
		if reason, ok := refusalOf(sn, asked(i), 0); ok {
			return reason, true
		}
		if i+1 == len(ss) {
			break
		}
		// "I can't decrease 8mg yet. How do I tell my dentist about the 3
		// days of pain?" asks nothing of 8mg: the asking words are in the
		// first sentence only.
		if nn := norms[i+1]; len(strings.Fields(ss[i+1])) <= pointsBackWords || namesAmount(nn) {
			if reason, ok := refusalOf(sn+" "+nn, asked(i+1), len(sn)+1); ok {
				return reason, true
			}
		}
	}
	return "", false
}

// number is a number and the word after it, if any.
var number = regexp.MustCompile(`\b\d+(?:[.,]\d+)?(?: ?([a-z]+))?`)

// notAmounts are what a number in a story counts besides a drug: "I'm 59
// years old", "for 3 weeks", "2 kids".
var notAmounts = map[string]bool{
	"year": true, "years": true, "yr": true, "yrs": true, "month": true, "months": true, "week": true, "weeks": true,
	"day": true, "days": true, "hour": true, "hours": true, "hrs": true, "minute": true, "minutes": true, "mins": true,
	"time": true, "times": true, "am": true, "pm": true, "kid": true, "kids": true, "child": true, "children": true,
	"st": true, "nd": true, "rd": true, "th": true, "percent": true, "dollars": true, "people": true,
}

// amountWords are amounts said in words: "would half be enough", "should
// i take two more", "can i double it".
var amountWords = regexp.MustCompile(`\b(?:half|halves|a quarter|double|doubling)\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten)(?: (?:more|extra|pills?|tabs?|tablets?|strips?|films?|bags?|points?|doses?|patches?|shots?)\b|$)`)

// namesAmount reports whether the normalized text has a number that may be
// an amount of a drug: "should i take 4", "would half be enough", not "i
// am 59 years old".
func namesAmount(norm string) bool {
	for _, m := range number.FindAllStringSubmatch(norm, -1) {
		if !notAmounts[m[1]] {
			return true
		}
	}
	return amountWords.MatchString(norm)
}

// pointsBackWords is the most words a sentence may have to be read with
// the one before it: "is that too much", "is it safe for me".
const pointsBackWords = 5

// refusal reports whether the normalized message asks for something the
// bot must refuse, and why.
func refusal(norm string) (string, bool) { return refusalOf(norm, true, 0) }

// refusalOf is refusal; asked says whether the text asks at all, so that
// numberPatterns apply, and a request counts only if it ends after byte
// from.
func refusalOf(norm string, asked bool, from int) (string, bool) {
	if harmReduction.MatchString(norm) {
		return "", false
	}
	// How a prescriber sets or changes a dose ("how does the doctor decide
	// my dose", "why did the clinic raise my dose") is a fair question
	// about treatment, answered without a number; "what dose should i
	// take" is not.
	if containsAny(norm, doseProcessKeys) && doseProcess.MatchString(norm) {
		return "", false
	}
	patterns := refusePatterns
	if asked {
		patterns = everyPattern
	}
	for _, p := range patterns {
		if !containsAny(norm, p.keys) {
			continue
		}
		at := p.re.FindStringIndex(norm)
		if at == nil || at[1] <= from {
			continue
		}
		if p.reason == RefuseSource && reported.MatchString(norm[:at[0]]) {
			continue
		}
		if p.reason == RefuseCheat && cheatExempt.MatchString(norm) && !faked.MatchString(norm) {
			continue
		}
		if p.reason == RefuseSource && helpSeeking.MatchString(norm) && !illicit.MatchString(norm) {
			continue
		}
		return p.reason, true
	}
	return "", false
}

// wantsPerson reports whether the normalized message asks for a person.
func wantsPerson(norm string) bool {
	// Every pattern names a person, a bot or a call: most messages have
	// none of those words and need no pattern tried.
	if !containsAny(norm, handoffKeys) || askingWhatThisIs.MatchString(norm) {
		return false
	}
	for i, re := range handoffPatterns {
		if !re.MatchString(norm) {
			continue
		}
		// Only the first pattern can be a how-to question about talking to
		// a loved one; the others are unambiguous requests.
		if i == 0 && howTo.MatchString(norm) && !strings.Contains(norm, "how can i talk to a") {
			continue
		}
		return true
	}
	return false
}

// normalizeForIntent prepares a message for the intent patterns: the
// analyzer's normalization, then punctuation to single spaces.
func normalizeForIntent(text string) string {
	s := analysis.Normalize(text)
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\n' || strings.ContainsRune(".,;:!?\"()[]{}*/\\-_~", r) {
			if !space {
				b.WriteByte(' ')
				space = true
			}
			continue
		}
		b.WriteRune(r)
		space = false
	}
	return strings.TrimSpace(b.String())
}

func containsAny(s string, keys []string) bool {
	for _, k := range keys {
		if strings.Contains(s, k) {
			return true
		}
	}
	return false
}
