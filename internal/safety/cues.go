package safety

import "regexp"

// A cue is one signal of danger: a pattern over the normalized message,
// the kind and level of danger it signals, and which suppressors apply.
type cue struct {
	name  string
	kind  Kind
	level Level
	// keys are substrings one of which must occur in the message for the
	// pattern to be tried at all; they keep the screen cheap.
	keys []string
	re   *regexp.Regexp
	// negatable: "not", "never", "dont" just before the match cancel it
	// ("im not suicidal", "i would never hurt myself").
	negatable bool
	// past: a sentence about the past ("years ago", "used to") cancels it.
	past bool
	// generic: a general or hypothetical question about someone
	// ("what do i do if someone isnt breathing") cancels it.
	generic bool
	// needsUse: the cue only means danger after drug use ("snoring").
	needsUse bool
	// unless: words right after the match that make it a figure of speech
	// ("going to kill me if she finds out").
	unless *regexp.Regexp
	// escalate: words anywhere in the message that mean a plan, a time or
	// means raise the level to an emergency.
	escalate bool
	// whole: the pattern pairs words that may sit in different sentences
	// ("im pregnant. bleeding a lot"), so it reads the whole message.
	whole bool
	// needsThird: the cue describes someone else ("hes not breathing");
	// said of oneself it means something else.
	needsThird bool
	// personal: the clause must be about someone real ("my", "i", "he"):
	// "dbt for self harm" names a topic, not a danger.
	personal bool
	// unlessBefore: words just before the match that change its meaning
	// ("take and not wake up" is a wish, not an observation).
	unlessBefore *regexp.Regexp
	// unlessAbout: the message names what "it" is, and that is not life:
	// "we both began smoking it... i dont want to do it anymore".
	unlessAbout *regexp.Regexp
}

// Shared pieces of the patterns. Apostrophes are removed by normalization,
// so "won't" is "wont" and "he's" is "hes".
const (
	people = `(?:friend|bf|gf|boyfriend|girlfriend|husband|wife|partner|son|daughter|brother|sister|mom|mother|dad|father|roommate|buddy|homie|cousin|uncle|aunt|nephew|niece|kid|child|baby|teen|grandson|granddaughter|fiance|ex|dealer|neighbor|guy|girl|man|woman|dude|person|stepdad|stepmom|stepfather|stepmother|parents?)`
	third  = `(?:he|she|they|hes|shes|theyre|him|her|them|(?:my|our|his|her|this|a|the) (?:\w+ )?` + people + `s?|someone|somebody)`
	cantDo = `(?:wont|cant|cannot|can not|isnt|is not|aint|not|doesnt|does not|wouldnt|couldnt|will not|unable to|stopped|barely|hardly|no longer|hasnt|has not|still hasnt|havent)`
	pills  = `(?:pills|meds|medication|medications|medicine|dope|stuff|bottle|bags|subs|xanax|bars|methadone|tabs|tablets|oxys?|percs|fent|fentanyl|heroin|sleeping pills|tylenol|it|them|of it|of them|i have|i got|i can find|at once|at one time|in the house)`
	// killedBy is being killed by accident, hoped for: "hope i get hit by
	// a car". Hit by luck or a refund is not.
	killedBy = `(?:get |gets |got )?(?:hit and killed|killed|run over|hit by (?:a|the|an) (?:car|truck|bus|train|semi|drunk driver))\b`
	// givenUpHope and aGun: despair with the means at hand.
	givenUpHope = `(?:has|have|hes|shes|completely|totally|just|all|really) (?:given|gave) up (?:all )?hope`
	aGun        = `(?:his|her|their|my|a|the|dads|moms) (?:gun|shotgun|rifle|pistol|revolver)`
	killers     = `(?:die|be dead|kill myself|end it|end it all|end my life|not wake up|never wake up|stop my heart|stop breathing|od|overdose)`
)

var cues = []cue{
	// ---- Overdose happening now -------------------------------------------
	{
		name: "not breathing or cannot be woken", kind: Overdose, level: Emergency,
		keys:    []string{"wake", "waking", "wakin", "woke", "respon", "breath", "breat", "moving", "moved", "doesnt"},
		re:      regexp.MustCompile(`\b(?:doesnt|does not|dont|do not|didnt) (?:look|seem|sound) (?:like )?(?:(?:he|she|they|hes|shes|theyre|he is|she is|they are|hes still|shes still) )?(?:is |are )?(?:breathing|breathin|awake|alive|conscious)\b|\b` + cantDo + `(?: even| really| properly| at all)? (?:wake|waking|wakin|woken|woke|respond|responding|responded|responsive|breathing|breathin|breathe|breath|breating|breathng|breathed|moving|moved|reacting|react|open (?:his|her|their) eyes|opening (?:his|her|their) eyes|stay awake|staying awake)\b`),
		generic: true, past: true, needsThird: true,
		unless:       regexp.MustCompile(`^(?:up (?:in the|early|on time|for (?:work|school|class|the day|his shift|her shift|their shift|church|it|that|this)\b|before|at)|in the morning|me back|my (?:calls|texts))`),
		unlessBefore: regexp.MustCompile(`(?:\b(?:take|took|use|do|shoot|swallow|sleep|go to sleep)\b(?: \w+){0,4} (?:and|to|then)|\b(?:to|would|could|might|will|ll|never|hope|hoping|want|wanna|rather|may|just)) (?:just )?$`),
	},
	{
		name: "out cold, slumped or breathing wrong", kind: Overdose, level: Emergency,
		// "lips are blue from the cold", "fading fast, off to bed".
		unless:  regexp.MustCompile(`^(?:from|because of|bc) (?:the )?(?:cold|snow|sledding|swimming|pool|popsicles?|slushies?|blueberr\w*|freezing)|^(?:\w+ ){0,3}(?:bed|sleep|nap|goodnight|good night|night)\b`),
		keys:    []string{"out cold", "slump", "going under", "fading", "slowing down", "breathing", "breath", "fell out", "falls out", "still out", "going back out", "is blue", "s blue", "look weird", "looks weird", "lips", "grey", "gray", "purple", "pale", "back", "falling", "turning"},
		re:      regexp.MustCompile(`\b(?:(?:his|her|their|my) )?breathings?(?: has| is| s)? (?:gone|going|getting|got|turned) (?:really |very |so |all )?(?:bad|weird|slow|shallow|funny|strange|wrong|noisy|rattly)\b|\b(?:out cold|slumped(?: over)?|going under|fading (?:out|away|fast)|(?:im|i m|i am|feel like im|feel like i m|feel like i am|feels like im|hes|shes|he is|she is|theyre) (?:really |so |kinda |just )?fading|(?:everything|my breathing|his breathing|her breathing|heart) (?:is )?slowing down|(?:breathing|breaths?) (?:is |are |sounds? |seems? |looks? )?(?:all )?(?:wrong|weird|strange|funny|wet|slow|shallow|gurgly|rattly|off|really slow|so slow|barely there)|barely breathing|breathing but barely|(?:fell|falls|falling) out(?: \w+){0,2}$|(?:fell|falls|falling) out (?:in|on|at|after|and)|(?:is|s|hes|shes|theyre|he is|she is|went|going|passed) (?:still|back) out|going back out|(?:is|s|hes|shes|theyre|looks|look|turning|went) (?:blue|grey|gray|purple|so pale)|lips (?:look|looks|are|r) (?:weird|wrong|dark|funny|off))\b`),
		generic: true, past: true,
	},
	{
		// "it didnt work" alone is about anything (a rehab, a diet); it is
		// an overdose only where naloxone was given.
		name: "naloxone is not working", kind: Overdose, level: Emergency,
		keys:    []string{"narcan", "naloxone", "kloxxado", "zimhi"},
		re:      regexp.MustCompile(`\b(?:narcan|naloxone|kloxxado|zimhi|it|(?:the |narcan |naloxone )(?:spray|shot|dose|first one|second one)) (?:wore off|is wearing off|wearing off|didnt work|did not work|isnt working|is not working|not working|doesnt work|does not work|did nothing|does nothing|didnt do anything|isnt doing anything)\b`),
		generic: true, past: true,
	},
	{
		name: "cannot get them to wake", kind: Overdose, level: Emergency,
		keys: []string{"wake", "respon", "breath", "trying"},
		re:   regexp.MustCompile(`\b(?:cant|cannot|can not|couldnt|trying to|tried to|try to)(?: \w+)? (?:wake|get) ` + third + `(?: to)?(?: (?:up|wake|respond|breathe))?\b`),
		// "tried to wake her up for school" is a morning.
		unless:  regexp.MustCompile(`^(?:up )?(?:in the|early|on time|for (?:work|school|class|church|the day|his shift|her shift|their shift|it|that|this)\b|before|at)`),
		generic: true, past: true,
	},
	{
		// "i think my dad is dead": whoever finds someone who looks dead
		// calls 911 and starts rescue breathing; nobody can tell by looking.
		name: "seems dead", kind: Overdose, level: Emergency,
		keys:      []string{"dead"},
		re:        regexp.MustCompile(`\b(?:i think|i thought|pretty sure|im afraid|i fear|im scared|scared|worried)(?: that)? ` + third + `(?: is| s)? (?:dead|not alive)\b|\b` + third + `(?: is)? (?:looks|seems|is looking) (?:\w+ )?dead\b`),
		unless:    regexp.MustCompile(`^(?:to (?:me|us|him|her|them)|inside|tired|serious|set|wrong|right|broke|on (?:his|her|their) feet|asleep)\b`),
		negatable: true, generic: true,
	},
	{
		name: "unresponsive", kind: Overdose, level: Emergency,
		keys:    []string{"unrespons", "unconscious", "lifeless", "limp", "not responding", "being responsive"},
		re:      regexp.MustCompile(`\b(?:unresponsive|unconscious|lifeless|gone limp|went limp|is limp|body is limp|not responding|(?:not|isnt|is not) being responsive)\b`),
		generic: true, past: true,
		// "we had to take him to detox as he was unconscious" explains
		// what happened then.
		unlessBefore: regexp.MustCompile(`\b(?:as|because|since|when) (?:he|she|they|i) (?:was|were|had been) $`),
	},
	{
		name: "blue or grey lips or skin", kind: Overdose, level: Emergency,
		unless:  regexp.MustCompile(`^(?:from|because of|bc|in) (?:the )?(?:cold|snow|sledding|swimming|pool|popsicles?|slushies?|blueberr\w*|freezing|lake|ocean)`),
		keys:    []string{"blue", "purple", "gray", "grey", "ashy", "bluish"},
		re:      regexp.MustCompile(`\b(?:(?:lips?|face|fingers|fingertips|nails|skin|mouth)(?: are| is| r| look| looks| looking| went| turned| turning| getting| gone| have gone| has gone| kinda| all)*(?: \w+)? (?:blue|purple|gray|grey|ashy|bluish|blueish)|(?:turning|turned|going|gone|went|getting) (?:blue|purple|gray|grey)|(?:blue|purple|grey|gray) (?:lips|face|fingers|nails))\b`),
		generic: true, past: true,
	},
	{
		name: "gurgling or snoring after use", kind: Overdose, level: Emergency,
		keys:    []string{"gurgl", "snor", "rattl", "choking sound"},
		re:      regexp.MustCompile(`\b(?:gurgl\w*|snoring|snore|snores|snorin|rattling|rattle|choking sounds?|weird sounds? (?:when|while) (?:he|she|they) breathe?s?)\b`),
		generic: true, past: true, needsUse: true,
	},
	{
		// Nodding hard right after use is how many overdoses begin: stay,
		// watch the breathing, have naloxone ready.
		name: "heavy nodding after use", kind: Overdose, level: Urgent,
		keys:    []string{"nod"},
		re:      regexp.MustCompile(`\b(?:just (?:shot up|used|did|took|snorted|smoked|hit|banged)|shot up|after (?:using|he used|she used|they used|shooting))\b.*\b(?:nodding|nodding out|nodding off|nods|nodded out|nodded off)(?: \w+)? (?:hard|bad|badly|heavy|heavily|so hard|so bad|really hard|really bad|like crazy)\b`),
		generic: true, past: true, whole: true,
	},
	{
		name: "slow heart or breathing", kind: Overdose, level: Emergency,
		keys:    []string{"slow", "call 911", "call an ambulance", "pls call", "please call", "someone call"},
		re:      regexp.MustCompile(`\b(?:(?:heart|pulse|heartbeat|breathing|breath|breaths)(?: is| feels| seems| beating| going)? (?:real |really |so |very |super |too )?slow|(?:someone|somebody|pls|please|can you|can u|could you)(?: pls| please)? call (?:911|an ambulance|for help|the ambulance|someone))\b`),
		generic: true, past: true,
	},
	{
		name: "foaming at the mouth", kind: Medical, level: Emergency,
		keys:    []string{"foam"},
		re:      regexp.MustCompile(`\bfoam\w*\b`),
		generic: true, past: true,
	},
	{
		name: "overdosing now", kind: Overdose, level: Emergency,
		keys:    []string{"od", "overdos", "o d"},
		re:      regexp.MustCompile(`\b(?:(?:is|s|hes|shes|im|i m|theyre|are|am|think|thinks|maybe|might be|could be|keeps|currently|just|think im|think hes|think shes)(?: \w+)? (?:overdosing|oding|od ing|odin|overdoseing|o ding|odeing)|(?:just|think|thinks|might have|may have|i think i|i think he|i think she|pretty sure)(?: \w+){0,2} (?:overdosed|od d|oded|odd|o d d)|(?:looks|look|seems) like (?:he|she|they|hes|shes|theyre|he s|she s|they re|both of them)(?: have| has| are| is)? (?:overdosed|od d|oded|odd|o d d)|(?:overdosing|oding|od|overdose|overdosed)(?: \w+)? (?:right now|rn|now|again)|(?:is|hes|shes|im|they are|theyre) (?:having|in) an? (?:od|overdose)|(?:overdose|od) (?:happening|in progress|going on))\b`),
		generic: true, past: true,
		unless: regexp.MustCompile(`^(?:last|years|months|before|when|in the past)|^on (?:\w+ ){0,2}(?:cookies|candy|sugar|coffee|chocolate|caffeine|food|pizza|tv|netflix|love|christmas|halloween|junk|carbs|cake|shows?|movies|games?|work|studying|sun|vitamin c|memes|content|news|cheese|pie)\b`),
	},
	{
		name: "took too much", kind: Overdose, level: Emergency,
		keys:    []string{"too much", "too many"},
		re:      regexp.MustCompile(`\b(?:took|had|did|used|shot|snorted|smoked|taken|done|ate|swallowed|gave (?:him|her|them))(?: \w+){0,4} too (?:much|many)\b`),
		generic: true, past: true,
	},

	{
		name: "child swallowed medicine", kind: Overdose, level: Emergency,
		keys: []string{"swallow", "ate", "got into", "chewed", "took"},
		re:   regexp.MustCompile(`\b(?:\d+ ?(?:yr|year|yo|month)s? old|kid|kids|child|toddler|baby|son|daughter|dog|puppy)\b(?: \w+){0,4} (?:swallowed|ate|got into|chewed|took|found and ate|put in (?:his|her) mouth)(?: \w+){0,3} (?:pills?|meds|medicine|methadone|subs?|suboxone|strips?|films?|dope|fent|heroin|bag|bags|oxys?|percs|bottle|my stash)\b`),
		past: true, generic: true, whole: true,
	},

	// ---- Suicide -------------------------------------------------------------
	{
		name: "kill myself", kind: Suicide, level: Urgent, escalate: true,
		keys:      []string{"myself", "my self", "kms", "unalive", "sewerslide", "my life", "my own life"},
		re:        regexp.MustCompile(`\b(?:(?:kill|killing|killed|kil|off|offing|end|ending|ended|unalive|unaliving)(?:ing)? (?:myself|my self|meself)|kms|k m s|unalive|sewerslide|(?:end|take|ending|taking|took) my (?:own )?life)\b`),
		negatable: true, past: true,
	},
	{
		name: "suicidal", kind: Suicide, level: Urgent, escalate: true,
		keys:      []string{"suicid"},
		re:        regexp.MustCompile(`\b(?:(?:im|i m|i am|feeling|feel|felt|been|getting|get|so|very|really|kinda|kind of|pretty|is|hes|shes|theyre|keeps being|became|gone)(?: \w+)? suicidal|^suicidal\b|suicidal (?:rn|right now|tonight|today|again|af|asf|now)|suicidal (?:thoughts|thinking|feelings|ideation|urges)|(?:thinking|thought|thoughts|think|thinks|contemplating|contemplate|considering|consider|considered|fantasizing|fantasize|planning|plan|plans|obsessing|obsessed) (?:(?:about|of|over) )?(?:(?:my|his|her|their) )?(?:own )?suicide|(?:commit|committing|attempt|attempting|try|trying) (?:suicide|to commit suicide)|suicide (?:attempts?|plans?|notes?|letters?|pacts?))\b`),
		negatable: true, past: true, generic: true,
		personal: true,
	},
	{
		name: "wants to die", kind: Suicide, level: Urgent, escalate: true,
		keys:      []string{"die", "dead", "dying", "not be here", "not exist", "not be alive", "disappear", "end it", "end things", "ending", "end everything", "wake up", "sleep forever", "not live", "come back", "stop living", "stop existing", "death", "funeral", "suicide"},
		re:        regexp.MustCompile(`\b(?:(?:want|wants|wanting|wish|wishing|hope|hoping|pray|praying|ready) (?:for )?|(?:long|longing|yearn|yearning) for )(?:death|my death|my own death)\b|\b(?:plan|planning|plans|planned) (?:my|his|her|their) (?:own )?(?:death|suicide|funeral)\b|\b(?:want|wants|wanting|wanna|wanted|wish|wishes|wishing|hope|hoping|hopes|pray|praying|ready|(?:im|i m|i am|i|hes|shes|he s|she s|theyre) (?:going|gonna)|planning|plan|trying|tempted|thinking about|thought about|think about|thinks about|thinking of|deserve|rather|would rather|d rather|id rather|talks about|talking about|keeps saying (?:he|she) wants)(?: to)? (?:just )?(?:die|dying|be dead|not be here|not exist|not be alive|disappear forever|end it|ending it|end it all|ending it all|end things|ending things|end everything|ending everything|not wake up|never wake up|sleep forever|go to sleep forever|go to sleep and not wake up|not live|stop living|stop existing|not come back|never come back)\b`),
		negatable: true, past: true,
		// "i want to die lol" is a figure of speech; "i wanna die lol but
		// seriously" is not.
		unless: regexp.MustCompile(`^(?:(?:penalty|penalties|certificate|certificates|rates?|toll|row|metal|star|grip|benefits?)\b|of (?:embarrassment|shame|boredom|laughter|laughing|cringe|curiosity|exhaustion)|laughing|(?:lol|lmao|haha)$|(?:lol|lmao|haha) (?:jk|just kidding|kidding|not really|(?:this|that|the) \w+)|to know|to see|to find out|from (?:embarrassment|boredom))`),
	},
	{
		name: "thinks about dying", kind: Suicide, level: Urgent, escalate: true,
		keys:      []string{"dying", "death", "being dead", "not being here", "not being alive", "tired of", "sick of", "disappear", "vanish", "hope", "relieved", "happier if", "easier if", "better if", "finish", "be here", "be alive", "make it", "ending", "thinking", "disappear", "killing myself", "my funeral", "not existing", "exhausted of", "take me", "fine if i", "okay if i", "ok if i", "better off if"},
		re:        regexp.MustCompile(`\b(?:(?:think|thinking|thought|thoughts|dream|dreaming|fantasi\w*) (?:about|of) (?:dying|death|being dead|not being here|not being alive|not existing|killing myself|ending it|ending my life|my funeral)|(?:tired|sick|exhausted) of (?:being alive|living|life|existing|waking up|being here|everything)|(?:disappearing|disappear|vanishing|vanish) (?:forever|for good|and never come back)|hope (?:i|it|this|the next \w+|my next \w+|that) (?:\w+ )?(?:dont wake|never wake|doesnt wake|kills me|takes me|has fent|is fent|is laced|is the one|is my last|is the last)|(?:wish|wishing|hope|hoping|want|wanting|pray|praying)(?: \w+){0,4} (?:would |will |to |could )?(?:finish(?:es)? (?:the job|me off)|take me (?:away|already|in my sleep))|(?:question|wonder|wondering|not sure|unsure|doubt) (?:if|whether) (?:ill|i will|i ll|i would|id) (?:even |still )?(?:be here|be alive|be around|make it) (?:next|by|in a|this|much longer)|(?:just )?want(?:s)? to disappear$|(?:relieved|happier|better off|easier|fine|okay|ok) if i (?:died|was dead|were dead|was gone|were gone|wasnt here|wasnt around|disappeared|killed myself|od ?d|overdosed))\b`),
		negatable: true, past: true,
	},
	{
		name: "does not want to wake up or live", kind: Suicide, level: Urgent, escalate: true,
		keys:   []string{"dont want", "dont wanna", "do not want", "never want", "dont wish", "no desire", "not wanting", "longer wanting"},
		re:     regexp.MustCompile(`\b(?:not|no longer) wanting to (?:be alive|live|exist|wake up|be here|go on|keep living)\b|\b(?:dont|do not|never|no longer|dont even) (?:want|wanna|wish|care) (?:to )?(?:wake up|be alive|live|be here|exist|go on|keep going|keep living|see tomorrow|see another day|be around|live anymore|if i live|if i die|whether i live|whether i die|come back|come back this time|be saved|be found)\b`),
		unless: regexp.MustCompile(`^(?:dope ?sick|sick|in withdrawal|withdrawing|hurting|in pain|feeling like this|like this|early|at \d|to the alarm|with cravings|craving|hungover|in this (?:pain|withdrawal))`),
		past:   true,
	},
	{
		name: "better off without me", kind: Suicide, level: Urgent, escalate: true,
		keys:      []string{"better off", "be better", "miss me", "care if", "notice if", "burden", "without me"},
		re:        regexp.MustCompile(`\b(?:(?:better off|be better|be easier)(?: \w+){0,2} (?:dead|without me|if i (?:was|were) (?:gone|dead)|if i wasnt (?:here|around)|if i died|with me gone)|(?:no one|nobody|noone|no1)(?: would| will|d| is gonna| is going to)? (?:miss|care|notice)(?: me| if i)?|(?:im|i m|i am|feel like|feel|being) (?:just |such |only )?(?:a|such a) burden|burden (?:to|on|for) (?:everyone|my family|them|you all|everybody|my kids|my parents|my wife|my husband))\b`),
		negatable: true, past: true,
	},
	{
		name: "wishes to be dead", kind: Suicide, level: Urgent, escalate: true,
		keys:      []string{"wish i", "wish id", "wish i d"},
		re:        regexp.MustCompile(`\bwish (?:i|id|i d) (?:was|were|had|could|would)? ?(?:dead|never been born|never born|had never been born|not alive|gone|die|disappear|not wake up|never wake up|never woke up|just die)\b`),
		negatable: true, past: true,
	},
	{
		name: "no reason to live", kind: Suicide, level: Urgent, escalate: true,
		keys: []string{"point", "reason", "purpose", "go on", "keep going", "keep living", "live like this", "anymore", "any more", "hopeless", "give up on life", "giving up on life", "to stop", "to end", "be over", "how long", "how much longer"},
		re:   regexp.MustCompile(`\b(?:(?:no|nothing|not any|dont see any|cant see any|dont see the|lost all) (?:point|reason|purpose) (?:in |to |of |for )?(?:living|life|going on|anymore|any more|being alive|trying anymore|to live|to go on|to keep going|to be here|to stay|in anything|to wake up)|(?:dont|cant|do not|cannot|dont even|dont really|really dont)(?: really| even)? see (?:the|any) point (?:of|in|to) (?:living|life|going on|anything|being alive|trying|waking up|it all|any of it)|(?:whats|what is|what s)(?: even| really| honestly| the)? (?:the )?point(?: \w+)? (?:now|anymore|any more|of (?:it all|anything|trying|living|life|going on|being alive|waking up))|(?:question|just)(?: \w+){0,2} whats the point$|(?:not sure|dont know|no idea) how (?:much )?(?:longer|long) i can (?:keep going|go on|do this|take this|take it|hold on|keep living|last)|(?:want|wish|need) (?:it all|everything|all of it|all this|this all|life) to (?:stop|end|be over)|(?:cant|can not|cannot|dont want to|not gonna) (?:go on|keep going|keep living|live like this|live this way|do life)(?: anymore| any more)?|(?:giving|give|gave) up on (?:life|living|everything)|(?:feel|feeling|im|i am|everything is|it all feels) (?:so |completely |totally )?hopeless)\b`),
		past: true,
		// Hopeless about a task or a person is worry, not despair of life:
		// "parents feel hopeless when helping with homework", "hopeless
		// about finding a rehab".
		unless: regexp.MustCompile(`^(?:with (?:the )?(?:withdrawal|symptoms|detox)|in (?:this|the) (?:program|rehab)|of (?:rehab|treatment|detox|the program|going)|(?:when|whenever|while) |(?:about|at|with) (?:finding|getting|helping|this (?:rehab|program|process|place|clinic)|the (?:homework|insurance|wait|waitlist|rehab|program|process|system|clinic|situation|state)|my (?:son|daughter|kid|kids|child|husband|wife|boyfriend|girlfriend|partner|brother|sister|mom|dad|mother|father|job|insurance|homework|math|grades|case)s?|(?:his|her|their|our) (?:\w+ )?(?:use|using|drinking|addiction|habit|recovery|case|behavior)|math|homework|school|work)\b)`),
	},
	{
		name: "cannot take it anymore", kind: Suicide, level: Urgent, escalate: true,
		keys: []string{"anymore", "any more"},
		re:   regexp.MustCompile(`\b(?:cant|can not|cannot|dont want to) (?:do this|do it|take it|take this|handle (?:it|this|life)|deal (?:with it|with this|with life)|be here|live) (?:anymore|any more)\b`),
		past: true,
		// "it", after the drug was named, is the drug.
		unlessAbout: regexp.MustCompile(`\b(?:(?:smoking|snorting|shooting|using|doing|taking) (?:it|heroin|dope|fent|pills|them)|(?:do|take) (?:it|drugs|dope|heroin|pills)|drugs|heroin|dope|fentanyl|pills)\b.*\b(?:do|take) it (?:anymore|any more)\b`),
	},
	{
		name: "done with life", kind: Suicide, level: Urgent, escalate: true,
		keys: []string{"done", "finished", "giving away", "gave away", "gave my", "giving my", "deleted", "its tonight", "it ends", "tonight is the night", "tonights the night", "to do it", "go through with"},
		re:   regexp.MustCompile(`\b(?:(?:im|i m|i am) (?:so |just |completely |totally )?(?:done|finished) (?:with (?:life|living|everything|it all|this life|this world|being alive|trying)|done)|done done|if i (?:relapse|use|slip|fail)(?: \w+){0,3} (?:im|i m|i am) (?:done|finished|gone)|(?:giving|gave|give) (?:away )?(?:all )?my (?:stuff|things|belongings|possessions|dog|cat|pets?|kids|guitar|car)(?: away)? to|(?:deleted|deleting|closed|closing) (?:all )?my (?:accounts|social media|facebook|instagram)|its (?:tonight|today|happening tonight)|it ends (?:tonight|today|now)|tonight is the night|tonights the night|(?:planning|plan|going|gonna|ready|decided|about) to (?:go through with it|do it tonight|do it today|do it after))\b`),
		past: true, negatable: true,
	},
	{
		name: "goodbye", kind: Suicide, level: Emergency,
		keys: []string{"goodbye", "good bye", "last message", "farewell", "letters", "bye forever", "bye to", "final message", "last", "this is the end", "this is my", "note", "texts", "words"},
		re:   regexp.MustCompile(`\b(?:(?:goodbye|good bye|farewell|suicide|last) (?:letters?|notes?|messages?|texts?|words)|this is (?:my )?(?:goodbye|good bye|the end|my last)|(?:goodbye|good bye|bye) (?:forever|for good|for the last time|everyone|world|cruel world)|(?:say|saying|said|to say) (?:my )?(?:goodbyes|goodbye|good bye|bye) (?:to (?:everyone|my (?:kids|children|family|mom|dad|son|daughter|wife|husband))|forever|for good|for the last time)|(?:wrote|writing|written|write|left|leaving) (?:some )?(?:letters|notes) (?:to|for) (?:my (?:kids|children|family|parents|wife|husband|mom|dad)|everyone|everybody)|my last (?:message|words|night|day)|final message|(?:texted|messaged|called|told|sent) (?:me|us|everyone|his \w+|her \w+)(?: \w+)? (?:goodbye|good bye|bye forever|a goodbye))\b`),
		past: true,
		// "my last day at work" is a job ending.
		unless: regexp.MustCompile(`^(?:at|of (?:school|work|the|my|class)|on the job|with (?:the|my) (?:team|company)|in the office|as)\b`),
	},
	{
		name: "plans to take everything", kind: Suicide, level: Emergency,
		keys:   []string{"everything", "every pill", "every one", "every last", "all of", "all my", "all the", "all these", "all those", "all them", "all his", "all her", "whole", "the rest", "handful", "bunch", "enough to", "entire"},
		unless: regexp.MustCompile(`^(?:one|a) day at a time|^(?:slow|in stride|seriously|personally|step by step|as it comes|easy|to heart|with a grain)|^(?:(?:i ?ve|i have|i) got )?(?:in me )?to (?:stay|get|be|keep|remain) (?:clean|sober|better|well|off)|^(?:(?:i ?ve|i have|i) got )?(?:to|into) (?:recovery|treatment|rehab|my recovery)`),
		re:     regexp.MustCompile(`\b(?:(?:gonna|going to|about to|want to|wanna|will|ill|i ll|planning to|plan to|thinking about|thinking of|ready to|might|could just|should just|tempted to)(?: just)? (?:take|swallow|down|use|shoot|do|eat|inject)|(?:taking|shooting|swallowing|using|downing)(?: up)?)(?: up)? (?:everything|every (?:pill|one|last \w+)|all (?:of )?(?:my|the|his|her|these|those|them|it)(?: \w+)? ?` + pills + `?|the (?:whole|entire|rest of the) (?:bottle|bag|supply|pack|script|prescription|stash|bundle)|a (?:whole|full) (?:bottle|bag|bundle)|the rest of (?:my|the|it|them)|a handful|a bunch of (?:pills|them|it)|enough to ` + killers + `)`),
		past:   true,
	},
	{
		name: "took everything", kind: Overdose, level: Emergency,
		keys: []string{"everything", "all of", "all my", "all the", "all his", "all her", "all their", "all these", "all those", "whole", "entire", "handful", "bunch", "too many", "lot of pills", "took them", "them all", " of my", " of his", " of her", " of the", " of those", " of these"},
		re:   regexp.MustCompile(`\b(?:took|swallowed|taken|downed|did|used|shot|ate)\b(?: \w+){0,2} (?:everything|all (?:of )?(?:my|her|his|their|the|them|it|these|those)(?: \w+)? ` + pills + `?|(?:the|my|his|her) (?:whole|entire) (?:daily |weekly )?(?:bottle|bag|supply|pack|script|stash|dose|prescription)|a (?:whole|full) (?:bottle|bag)|a handful of|a bunch of (?:\w+ ){0,2}(?:pills|them|meds|tabs)|too many pills|a lot of pills|all (?:his|her|my) pills)\b|\b(?:already|just) (?:took|swallowed|taken|downed|did) (?:them all|all of them|them|all of it|the pills|the bottle)\b|\btook \d+ of (?:my|his|her|the|those|these)\b`),
		past: true, generic: true,
		unless: regexp.MustCompile(`^(?:steps|advice|the (?:classes|groups|steps|advice)|of the (?:steps|classes|groups))`),
	},
	{
		name: "how many to die", kind: Suicide, level: Emergency,
		keys: []string{"how many", "how much", "enough", "lethal", "fatal", "deadly", "most i", "max i", "most you", "do it", "do the job", "kill me", "finish me", "put me"},
		re:   regexp.MustCompile(`\b(?:how (?:many|much)\b(?: \w+){0,8} (?:to|would|will|does it take to|it takes to|before (?:i|you|someone)|take to)(?: \w+){0,2} (?:die|kill (?:me|myself|you|someone|a person)|not wake up|never wake up|end it|end my life|stop (?:my|your|the) heart|od|overdose|be fatal|be lethal|be enough)|(?:would|will|could|is|does) (?:that|this|it|these|those) (?:do it|be enough|kill me|do the job|be lethal|be fatal|finish me|put me under|put me to sleep)|(?:lethal|fatal|deadly|killing) (?:dose|amount)|enough to (?:die|kill (?:me|myself)|not wake up|never wake up|end it|od|overdose|stop my heart|do it|put me to sleep forever)|(?:is|would|will) (?:\d+|that|this|it) be enough\b.*\b(?:die|end|wake|kill)|(?:most|max|maximum) (?:i|you|someone|a person) (?:could|can|should) (?:take|handle|do|use) (?:before|without dying|and still)?|if i (?:take|took|swallow|use|do|shoot)(?: like| about| maybe)? (?:\d+|twenty|thirty|forty|fifty|sixty|a hundred|hundred|all)\b.*\b(?:enough|die|dead|kill|end|wake|work|fatal|lethal|do it))`),
		past: true,
	},
	{
		name: "saving up pills", kind: Suicide, level: Emergency,
		keys: []string{"saving", "saved", "stockpil", "hoard", "collecting", "stashing", "counting", "counted", "stash", "lined up", "lining up"},
		re:   regexp.MustCompile(`\b(?:saving|saved|stockpiling|stockpiled|hoarding|hoarded|collecting|collected|stashing|stashed|counting|counted|lined up|lining up)(?: up)? (?:my |all my |the |her |his |all the |all of my |enough )?(?:pills|meds|medication|medicine|methadone|subs|xanax|bars|doses|tabs|tablets|sleeping pills|oxys?|percs|dope|fent)\b|\b(?:pills|meds|medication|medicine|methadone|subs|bars|doses|tabs|tablets)(?: are| all)? (?:counted|lined up|saved up|all saved|stockpiled|ready)\b`),
		past: true,
	},
	{
		name: "method", kind: Suicide, level: Emergency,
		keys: []string{"hang", "wrist", "jump", "shoot myself", "gun", "bridge", "train", "rope", "noose", "hot shot", "hotshot", "on purpose", "off a", "blade", "garage", "engine", "ledge", "edge", "roof", "tracks", "overpass", "pistol", "drive", "in front of"},
		re:   regexp.MustCompile(`\b(?:hang(?:ing)? myself|noose|(?:slit|slitting|cut|cutting|slash|slashing) my wrists?|jump(?:ing)? (?:off|from) (?:a |the |my )?(?:bridge|building|roof|balcony|overpass|cliff)|shoot(?:ing)? myself|(?:gun|pistol) (?:to|in) my (?:head|mouth)|(?:walk\w*|step\w*|jump\w*|throw\w* myself|lie|lay|lying|laying)(?: out| down)? in front of (?:a|the) (?:train|truck|car|bus)\b|drive (?:my car )?(?:off|into)|(?:hot ?shot)|(?:od|overdose|overdosing|oding) on purpose|on purpose (?:od|overdose)|(?:bought|got|have|holding|loaded|found) (?:a |my |the )?(?:gun|rope|noose|razor blades?)(?: \w+){0,3} (?:for myself|to use|tonight|ready)|(?:garage|closed garage) with the (?:engine|car) (?:running|on)|(?:engine|car) running in (?:the|a|my) (?:garage|closed garage)|(?:standing|sitting|sat|stood|up) on (?:the |a |this )?(?:edge|ledge|bridge|roof|rooftop|overpass|railing|train tracks|tracks)|(?:on|at) the (?:train tracks|edge of the (?:bridge|roof|building))|(?:gun|pistol|revolver|rifle)\b(?: \w+){0,6} (?:loaded|in my (?:lap|hand|hands|mouth)|to my head|cocked)|(?:loaded|holding) (?:a |my |the |\w+s )?(?:gun|pistol))\b`),
		past: true, negatable: true, generic: true, whole: true,
		// "as if someone put a gun to my head": a figure of speech.
		unlessBefore: regexp.MustCompile(`\b(?:as if|as though|like)(?: \w+){0,4} $`),
	},
	{
		name: "someone else means to kill themselves", kind: Suicide, level: Emergency,
		keys: []string{"himself", "herself", "themselves", "themself", "his life", "her life", "their life", "own life"},
		re:   regexp.MustCompile(`\b(?:going to|gonna|about to|wants to|want to|trying to|tried to|will|threaten\w* to|talking about|talks about|hell|shell|hed|shed|he will|she will|said (?:he|she|they)(?:s| is| was| would| will| wants to| wanted to|d)?(?: going to| gonna)?)(?: rather| sooner)? (?:kill|hang|shoot|hurt|cut|end|off) (?:himself|herself|themselves|themself|his life|her life|their life)\b|\b(?:take|taking) (?:his|her|their) own life\b`),
		past: true, negatable: true, generic: true,
	},
	{
		name: "joining someone who died", kind: Suicide, level: Urgent, escalate: true,
		keys:  []string{"join", "be with"},
		re:    regexp.MustCompile(`\b(?:(?:going|gonna|want|wanna|ready|about|time|hope|planning) (?:to )?(?:join|be with) (?:my \w+|him|her|them|my \w+ and \w+)(?: again| soon| tonight| in heaven| on the other side| up there)?)\b.*\b(?:went|passed|died|gone|lost (?:him|her|them)|rip|funeral|heaven|other side|overdose|od)\b|\b(?:went|passed|died|lost)\b.*\b(?:going|gonna|want|wanna|ready|about|time) (?:to )?(?:join|be with) (?:him|her|them|my \w+)\b`),
		whole: true, past: true, negatable: true,
	},
	{
		name: "wants to overdose", kind: Suicide, level: Emergency,
		keys:      []string{"od", "overdose", "over dose"},
		re:        regexp.MustCompile(`\b(?:i|im|i m|i am|ill|i ll|i will)(?: (?:just|really|kinda|honestly|seriously|literally|actually|think|wanna|want to|am|m))* (?:want|wanna|going|gonna|planning|plan|trying|try|about|ready|hope|hoping)(?: to)? (?:just )?(?:od|overdose|over dose|o d)\b`),
		negatable: true, past: true,
		unless: regexp.MustCompile(`^(?:on (?:accident|purpose by accident))`),
	},

	// ---- Self-harm -------------------------------------------------------------
	{
		name: "hurting myself", kind: SelfHarm, level: Urgent,
		keys:      []string{"myself", "my self", "my arm", "my wrist", "my leg", "my thigh", "my skin", "my body", "my stomach", "my head"},
		re:        regexp.MustCompile(`\b(?:cut|cutting|cuts|burn|burning|burned|burnt|hurt|hurting|harm|harming|hit|hitting|punch|punching|carve|carving|stab|stabbing|bang|banging|starve|starving|punish|punishing|slice|slicing|sliced|dig|digging|dug)(?:ing)? (?:into )?(?:myself|my self|my (?:arms?|wrists?|legs?|thighs?|skin|body|stomach|head))\b|\b(?:the |a |my )?(?:knife|blade|razor|glass)s? (?:ripping|cutting|slicing|tearing|digging) (?:into )?my (?:skin|arms?|wrists?|legs?|thighs?)\b`),
		negatable: true, past: true,
		// "hurt myself at work", "on the job"; "hurt myself on my arms" is not an accident.
		unless: regexp.MustCompile(`^(?:on (?:the|a|an|my way|purpose by accident|ice)\b|at |by accident|accidentally|while|when i fell|falling|at work|lifting|playing|cooking|shaving|chopping|gardening)`),
		// "am i harming my body with this stuff" asks about using.
		unlessBefore: regexp.MustCompile(`\b(?:am i|are you|is (?:it|this|that)|could i be|will i be|arent i|is he|is she)(?: \w+){0,2} $`),
	},
	{
		name: "self-harm", kind: SelfHarm, level: Urgent,
		keys:      []string{"self harm", "selfharm", "self injur", "cutting", "blade", "razor", "urge to cut", "urges to cut", "sh again", "on purpose", "fresh", "new cuts", "deep cuts", "new burns", "covered in", "full of", "covered with", "till it", "till they", "till i", "until it", "until they", "until i", "til it", "til they", "til i", "myself", "want", "need to cut", "needing to"},
		re:        regexp.MustCompile(`\b(?:self ?harm(?:ing|ed)?|(?:covered|full) (?:in|of|with) (?:cuts|cut marks|burns|scars|scratches)|self ?injur\w*|(?:till|until|til) (?:it|they|i) (?:bleeds?|bleed|bled)|(?:punched|hit|cut|burned|burnt|hurt|scratched|dug|bit|banged|slammed)\b(?: \w+){0,4} on purpose|(?:fresh|new|deep) (?:cuts|cut marks|burns|scars) (?:on|all over) (?:my|his|her|their) (?:\w+s? )?(?:arms?|wrists?|legs?|thighs?|stomach|body)|(?:urge|urges|want|wanna|need|needing|itching) to (?:cut|hurt myself|harm myself|burn myself|bleed)|(?:started|start|back to|relapsed on|relapsed with|been) cutting|cutting again|sh again|(?:the |my |new )(?:blades?|razors?)(?: \w+){0,2} (?:are|is|look|looks|feel|feels) (?:\w+ )?(?:sharp|pretty|beautiful|good|calling)|(?:relapsed|did it)\b.*\b(?:blades?|razors?)\b)\b`),
		negatable: true, past: true, generic: true,
		personal: true,
		// "i want to cut back on weed", "i need to cut my hair".
		unless: regexp.MustCompile(`^(?:back|down|out|off|ties|costs?|corners|class|school|the (?:cord|cable|grass|lawn)|(?:my|his|her) (?:hair|nails|bangs|losses|hours))\b`),
	},
	{
		name: "bleeding from self-harm", kind: SelfHarm, level: Emergency,
		keys: []string{"bleed", "blood", "deep", "stitch", "gushing", "pouring"},
		re:   regexp.MustCompile(`\b(?:cut|cuts|cutting|wound|wounds|on purpose)\b(?: \w+){0,6} (?:too deep|really deep|so deep|wont stop bleeding|cant stop (?:the )?bleeding|bleeding (?:a lot|so much|everywhere|badly|wont stop)|so much blood|lots of blood|needs? stitches|gushing|pouring blood)\b`),
		past: true, generic: true,
	},

	// ---- Medical emergency -----------------------------------------------------
	{
		name: "chest pain", kind: Medical, level: Emergency,
		keys:      []string{"chest", "heart attack"},
		re:        regexp.MustCompile(`\b(?:chest (?:pain|pains|hurts|hurting|is hurting|feels tight|feels heavy|tightness|tight|pressure|is tight|heavy|is killing me|feels like its being crushed|crushing)|(?:pain|pains|pressure|tightness|squeezing) in (?:my|his|her|their) chest|(?:having|had|has|think im having|think hes having|think shes having|is having) (?:a )?heart attack)\b`),
		past:      true,
		generic:   true,
		negatable: true,
		// "i almost had a heart attack lol".
		unlessBefore: regexp.MustCompile(`\b(?:almost|nearly|about to|gonna|going to|practically) $`),
		unless:       regexp.MustCompile(`^(?:lol|lmao|haha|when|from|over|because)\b`),
	},
	{
		name: "seizure", kind: Medical, level: Emergency,
		keys:      []string{"seiz", "convuls", "fit", "shaking and", "shaking"},
		re:        regexp.MustCompile(`\b(?:(?:having|had|has|just had|keeps having|is having|started having|think (?:im|hes|shes) having|in) (?:a |another )?(?:seizures?|fits?|convulsions?)|seizing|convulsing|seizure right now|(?:shaking|jerking) (?:uncontrollably|all over) and (?:wont|cant|not) (?:stop|respond|wake))\b`),
		past:      true,
		generic:   true,
		negatable: true,
		// "your car is having a seizure", "the engine is seizing".
		unlessBefore: regexp.MustCompile(`\b(?:car|engine|truck|computer|laptop|phone|printer|tv|washer|motor|machine)s? (?:\w+ ){0,2}$`),
	},
	{
		name: "collapse or fainting", kind: Medical, level: Emergency,
		keys: []string{"passed out", "passing out", "faint", "blacked out", "blacking out", "collaps"},
		re:   regexp.MustCompile(`\b(?:passed out|passing out|fainted|fainting|keeps fainting|blacked out|blacking out|collapsed|collapsing)\b`),
		// "passed out on the couch after thanksgiving dinner", "blacked
		// out the windows".
		unless:    regexp.MustCompile(`^(?:the (?:windows?|room|screen|names?|text|dates?|lights?)|(?:\w+ ){0,6}(?:food coma|after (?:thanksgiving|dinner|lunch|the game|the party|work|studying|a long day)|from (?:exhaustion|laughing|the heat)))`),
		past:      true,
		generic:   true,
		negatable: true,
	},
	{
		name: "cannot breathe", kind: Medical, level: Emergency,
		// "cant breathe, this video is too funny".
		unless:    regexp.MustCompile(`^(?:\w+ ){0,6}(?:funny|laughing|laughed|lol|lmao|haha|hilarious|crying laughing)`),
		keys:      []string{"breath", "breat"},
		re:        regexp.MustCompile(`(?:(?:^|\b(?:i|and|im|i m|me) )(?:cant|can not|cannot|couldnt|can barely|can hardly|am struggling to|m struggling to)(?: \w+)? (?:breathe|breath|breathing|catch my breath|get air)|\b(?:trouble|hard|difficult|struggling|difficulty|problems|having a hard time) (?:breathing|to breathe|to breath|catching (?:my|his|her) breath)|short(?:ness)? of breath)\b`),
		past:      true,
		generic:   true,
		negatable: true,
	},
	{
		name: "bleeding or vomiting blood", kind: Medical, level: Emergency,
		keys:      []string{"blood", "bleed", "clots"},
		re:        regexp.MustCompile(`\b(?:(?:throwing up|threw up|vomiting|vomited|puking|puked|coughing(?: up)?|coughed up|spitting(?: up)?|pooping|peeing|pissing) (?:blood|clots|blood clots)|(?:blood|clots|blood clots) in (?:my |his |her )?(?:vomit|puke|stool|poop|pee|urine)|(?:seeing|passing|found|finding) (?:lots of |a lot of |big |large )?(?:blood )?clots (?:when|every time|whenever) (?:i|he|she) (?:pee|urinate|go to the (?:bathroom|restroom)|poop)|bleeding (?:a lot|heavily|wont stop|so much|everywhere|badly)|(?:wont|cant) stop (?:the )?bleeding)\b`),
		past:      true,
		generic:   true,
		negatable: true,
	},
	{
		name: "pregnant and bleeding heavily or in labor", kind: Medical, level: Emergency,
		keys:  []string{"pregnan", "weeks along", "months along", "water broke"},
		re:    regexp.MustCompile(`\b(?:pregnant|pregnancy|weeks along|months along)\b.*\b(?:bleeding (?:a lot|heavily|badly|so much)|lots of blood|contractions|water broke|(?:baby|it) (?:isnt|is not|stopped|hasnt been|not) moving|passed out|fainted)\b|\b(?:bleeding (?:a lot|heavily|badly)|contractions)\b.*\b(?:pregnant|pregnancy|weeks along|months along)\b|\bwater broke\b`),
		whole: true, past: true, generic: true,
	},
	{
		name: "pregnant and bleeding or in pain", kind: Medical, level: Urgent,
		keys: []string{"pregnan", "weeks along", "months along"},
		// "Hurting" alone is too often a worry ("scared it's hurting the
		// baby"); the body must be the one that hurts.
		re:    regexp.MustCompile(`\b(?:pregnant|pregnancy|weeks along|months along)\b.*\b(?:bleed\w*|blood|cramp\w*|pain|pains|spotting|spotted|(?:belly|stomach|tummy|back|abdomen|pelvis|side|everything|it|im) (?:really |so |still )?(?:hurts|hurting))\b|\b(?:bleed\w*|blood|cramp\w*|pain|pains|spotting|spotted)\b.*\b(?:pregnant|pregnancy|weeks along|months along)\b`),
		whole: true, past: true, generic: true,
	},
	{
		name: "hallucinating, confused or paralysed", kind: Medical, level: Emergency,
		keys: []string{"seeing", "hallucinat", "confused", "disoriented", "delirious", "numb", "cant move", "cant feel", "cant stand", "heart keeps", "heart is", "heart feels", "skipping beats", "shaking", "stopped", "stopping"},
		re:   regexp.MustCompile(`\b(?:seeing (?:things|bugs|people|stuff|shadows)(?: \w+){0,2} (?:that )?(?:arent|are not|isnt|is not|not) (?:there|real)|hallucinat\w*|(?:confused|disoriented|delirious|not making sense)(?: \w+){0,2} (?:and|now|cant|pale|sweaty|hot|cold)|(?:pale|sweaty|cold|hot)(?: and)? (?:confused|disoriented|delirious)|(?:went|gone|going|is|are) numb|(?:cant|can not|cannot|couldnt) (?:move|feel) (?:my|his|her|them|their)(?: \w+)?(?: legs?| arms?| side| face)?|(?:heart|pulse) (?:keeps |is |feels )?(?:skipping|stopping|stopped|irregular|really weird|so weird|weird and)|(?:shaking|tremors?)\b(?: \w+){0,3} (?:cant stand|cant walk|cant stop))\b`),
		past: true, generic: true,
		negatable: true,
	},
	{
		name: "stroke", kind: Medical, level: Emergency,
		keys:      []string{"stroke", "face droop", "one side"},
		re:        regexp.MustCompile(`\b(?:(?:having|had|has|is having|think (?:im|hes|shes) having) a stroke|(?:face|mouth) (?:is )?droop\w*|numb(?:ness)? on one side|cant move (?:my|his|her) (?:arm|leg|side))\b`),
		past:      true,
		generic:   true,
		negatable: true,
	},
	{
		name: "very high fever or confusion", kind: Medical, level: Emergency,
		keys: []string{"fever"},
		re:   regexp.MustCompile(`\b(?:fever (?:of |is |at )?(?:10[3-9]|11\d)|(?:10[3-9]|11\d) (?:degree |degrees )?fever|(?:very|really|super|crazy) high fever)\b`),
		past: true, generic: true,
	},
	{
		name: "loperamide with heart symptoms", kind: Medical, level: Emergency,
		keys:  []string{"loperamide", "imodium", "immodium", "lope"},
		re:    regexp.MustCompile(`\b(?:loperamide|loperamida|imodium|immodium|lope|lopes)\b.*\b(?:heart|corazon|chest|faint|passed out|dizzy|irregular|racing|pounding|skipping|flutter\w*|palpitat\w*|ekg)\b|\b(?:heart|chest|faint|passed out|dizzy|irregular|racing|pounding|skipping|flutter\w*)\b.*\b(?:loperamide|imodium|immodium|lope|lopes)\b`),
		whole: true, past: true, generic: true,
	},
	{
		name: "cannot keep fluids down", kind: Medical, level: Urgent,
		keys:    []string{"keep anything", "keep any", "keep water", "keep fluids", "keep food", "keep liquids", "keep it", "keep nothing", "keep down", "hold down", "hold anything", "hold water", "hold it", "keep even", "hold even"},
		re:      regexp.MustCompile(`\b(?:cant|can not|cannot|unable to|not able to|havent been able to|couldnt|can barely|cant even) (?:keep|hold) (?:(?:anything|any thing|water|fluids|food|liquids|it|even water|anything at all|nothing) (?:down|in)|down (?:anything|any|water|fluids|food|liquids|a sip|a drop|even water|nothing))\b`),
		past:    true,
		generic: true,
	},
	{
		name: "vomiting or diarrhea for days", kind: Medical, level: Urgent,
		keys:  []string{"vomit", "puk", "throwing up", "diarrh", "the runs", "shitting"},
		re:    regexp.MustCompile(`\b(?:throwing up|vomiting|puking|diarrhea|diarrhoea|the runs|shitting)\b(?: \w+){0,6} (?:for |in |over )?(?:\d+|two|three|four|five|six|several|a couple|couple|a few|few) (?:straight )?days|\b(?:\d+|two|three|four|five|several|couple|few) days(?: \w+){0,3} (?:of )?(?:throwing up|vomiting|puking|diarrhea|diarrhoea)\b|\b(?:throwing up|vomiting|puking|diarrhea)\b(?: \w+){0,3} (?:nonstop|non stop|wont stop|constantly|every (?:hour|few minutes))`),
		whole: true, past: true, generic: true,
	},
	{
		name: "dehydration", kind: Medical, level: Urgent,
		keys:    []string{"dehydrat", "peed", "urinat", "pissed"},
		re:      regexp.MustCompile(`\b(?:(?:really|very|severely|so|badly|super) dehydrated|severe dehydration|(?:havent|haven t|have not|not|hasnt|has not) (?:peed|urinated|pissed)(?: in| for| all)?)\b`),
		past:    true,
		generic: true,
	},
	{
		name: "spreading infection", kind: Medical, level: Urgent,
		keys:  []string{"infect", "abscess", "streak", "pus", "swollen", "swelling", "red line", "hot and red", "red and hot", "turning black", "gone black", "smells", "hot to the touch", "injectio"},
		re:    regexp.MustCompile(`\b(?:abscess\w*|infection|infected|wound|wounds|injection site|site|arm|leg|hand|where i (?:shot|inject\w*|hit|shoot))\b.*\b(?:fever|red (?:streaks?|lines?)|streak\w*|spreading|pus|hot to the touch|(?:swollen|swelling)(?: up)? (?:and )?(?:hot|red)|(?:hot|red) and (?:swollen|red|hot)|swelling up hot|smells|turning black|gone black)\b`),
		whole: true, past: true, generic: true,
	},

	// ---- Violence and abuse ------------------------------------------------------
	{
		name: "being attacked now", kind: Abuse, level: Emergency,
		keys:      []string{"hitting", "beating", "choking", "strangl", "attacking", "stabbing", "punching", "kicking", "hurting me", "threatening", "chasing", "coming after"},
		re:        regexp.MustCompile(`\b` + third + `(?: (?:is|s|keeps|kept|just|has|have|been|started|starting|wont stop|still|now|again|always)){0,3} (?:hitting|beating|choking|strangling|attacking|stabbing|punching|kicking|hurting|threatening|chasing|coming after|trying to (?:kill|hurt|choke|stab)) (?:me|us|my (?:kids|children|baby|son|daughter|mom|dad)|the kids|the baby)\b`),
		past:      true,
		negatable: true,
	},
	{
		name: "threat to kill", kind: Abuse, level: Emergency,
		keys:      []string{"kill", "shoot", "stab", "strangle", "choke"},
		re:        regexp.MustCompile(`\b(?:threaten\w*|said (?:he|she|they) (?:would|will|is going to|was going to|gonna)|says (?:he|she|they) (?:will|would|is going to|gonna|s going to|s gonna)|saying (?:he|she|they) (?:will|would|is going to|gonna|s going to|s gonna)|(?:he|she|they|hes|shes|theyre) (?:is|s|are)? ?(?:going to|gonna)|(?:he|she|they)ll) (?:to )?(?:kill|shoot|stab|strangle|choke) (?:me|us|my (?:kids|children|baby|son|daughter)|the kids|the baby|everyone)\b`),
		unless:    regexp.MustCompile(`^(?:if (?:she|he|they) (?:finds?|found|sees?|saw|hears?|knew|know|catches|finds? out)|when (?:she|he|they) (?:finds?|sees?|hears?|gets home and sees|finds out)|lol|haha|for (?:eating|using|borrowing|taking))`),
		past:      true,
		negatable: true,
	},
	{
		name: "threat to hurt", kind: Abuse, level: Urgent,
		keys:      []string{"kill", "hurt", "shoot", "stab", "beat"},
		re:        regexp.MustCompile(`\b(?:threaten\w*|said (?:he|she|they) (?:would|will|is going to|was going to|gonna)|says (?:he|she|they) (?:will|would|is going to|gonna)|(?:he|she|they|hes|shes) (?:is|s)? ?(?:going to|gonna)|(?:he|she|they)ll) (?:to )?(?:kill|hurt|shoot|stab|beat|strangle|choke) (?:me|us|my (?:kids|children|baby|son|daughter)|the kids|the baby|everyone)\b`),
		unless:    regexp.MustCompile(`^(?:if (?:she|he|they) (?:finds?|found|sees?|saw|hears?|knew|know|catches|finds? out)|when (?:she|he|they) (?:finds?|sees?|hears?|gets home and sees)|lol|haha|for (?:eating|using|borrowing|taking))`),
		past:      true,
		negatable: true,
	},
	{
		name: "weapon", kind: Abuse, level: Emergency,
		keys: []string{"gun", "knife", "weapon", "bat", "pistol", "axe", "hammer", "machete", "stabbed"},
		re:   regexp.MustCompile(`\b` + third + `(?: \w+){0,4} (?:has|got|with|holding|pulled|grabbed|waving|pointing|pointed|had|keeps|brought|loaded|went to get|is getting|getting|went for|reaching for|reached for) (?:a |an |his |her |their |the )?(?:gun|knife|weapon|pistol|rifle|bat|machete|axe|hammer)\b|\b` + third + `(?: \w+){0,2} (?:stabbed|has stabbed|just stabbed) (?:me|us|him|her)\b`),
		// "stabbed me in the back" is a betrayal.
		unless:    regexp.MustCompile(`^(?:collection|license|licence|permit|safe|cabinet|shop|store|range|show|class|course)\b|^in the back(?:$| (?:by|and|when|again|like|told|telling|with|she|he|they|i|my|then|so|but|because|cause|bc|lol|smh)\b)`),
		past:      true,
		negatable: true,
	},
	{
		name: "hiding or trapped", kind: Abuse, level: Emergency,
		keys: []string{"hiding", "locked", "trapped", "barricaded", "scared for my life", "afraid for my life", "fear for my life", "door", "breaking in", "break in", "broke"},
		re:   regexp.MustCompile(`\b(?:hiding (?:from (?:him|her|them|my)|in (?:the|my|a|our) (?:bathroom|closet|room|bedroom|car|basement|attic))|(?:im|i m|i am|were|we are|we re|i|we) (?:locked|trapped|barricaded) (?:myself |ourselves )?in (?:the|my|a|our) (?:bathroom|closet|room|bedroom|car|basement|attic)|(?:locked|trapped) (?:me|us|my kids) in|(?:scared|afraid|fear|fearing) for my life|(?:outside|banging on|kicking) (?:my|the) door|(?:breaking|trying to break|broke) in)\b`),
		past: true,
	},
	{
		name: "attacked just now", kind: Abuse, level: Emergency,
		keys: []string{"just "},
		re:   regexp.MustCompile(`\b` + third + `(?: \w+){0,5} just (?:shoved|pushed|threw|hit|punched|kicked|choked|stabbed|slapped|beat|attacked|hurt|strangled|dragged|smashed)\b(?: \w+){0,3} (?:me|my \w+|us|her|him|them|the kids|the baby)\b`),
		past: true, negatable: true,
	},
	{
		name: "forced to use", kind: Abuse, level: Urgent,
		keys: []string{"makes me", "made me", "forces me", "forced me", "keeps me", "shooting me up", "shoots me up", "shot me up", "not allowed", "wont let me get", "keeps shooting", "leave", "wont let"},
		re:   regexp.MustCompile(`\b(?:(?:makes|made|forces|forced|keeps|kept|pressures|pressured) me (?:to )?(?:use|shoot|do|take|get high|stay high|sell|buy|run)|(?:keeps|kept)? ?(?:shooting|shoots|shot) me up|keeps me (?:high|using|dope ?sick)|(?:not allowed|wont let me|doesnt let me|wouldnt let me) (?:to )?(?:get clean|stop|quit|go to (?:rehab|treatment|detox)|leave|see my))\b`),
		past: true,
	},
	{
		name: "held or controlled", kind: Abuse, level: Urgent,
		keys:      []string{"let me leave", "let me go", "let me out", "took my phone", "takes my phone", "keeps my", "breaking everything", "smashing", "throwing things", "took", "wont", "throwing", "takes my", "take my"},
		re:        regexp.MustCompile(`\b(?:(?:wont|doesnt|will not|does not|didnt) let (?:me|us) (?:leave|go|out|call|see)|(?:took|takes|taken|keeps|hides|hid) my (?:phone|keys|id|money|meds|car keys)|(?:breaking|smashing|throwing|destroying) (?:everything|things|stuff|furniture|plates|the tv|my stuff))\b`),
		past:      true,
		negatable: true,
	},
	{
		name: "hurt or abused", kind: Abuse, level: Urgent,
		keys:   []string{"hit", "beat", "chok", "slap", "kick", "push", "punch", "shov", "strangl", "rape", "molest", "abus", "threat", "hurts me", "hurt me", "touch", "attack", "assault", "domestic", "violence", "hurt us", "stab", "fist"},
		unless: regexp.MustCompile(`^(?:out|off|up|around with|on|in the back)\b`),
		re:     regexp.MustCompile(`\b` + third + `(?: \w+){0,3} (?:hits|hit|hitting|beats|beat|beating|chokes|choked|choking|slapped|slaps|slapping|kicked|kicks|kicking|pushed|pushes|punched|punches|punching|shoved|shoves|strangled|strangles|raped|rapes|molested|molests|abuses|abused|threatens|threatened|hurts|hurt|touches|touched|stabbed|stabs|bit|bites|burned|burns) (?:me|my (?:kids|children|son|daughter|baby)|us|the kids)\b|\b(?:his|her|their) fists? (?:come|comes|came|start|starts) (?:out|flying)\b|\b(?:domestic (?:violence|abuse)|abusive (?:relationship|husband|boyfriend|partner|wife|girlfriend|home|parent|dad|mom|father|mother)|(?:being|getting|been) (?:physically |sexually |violently )?(?:abused|beaten|hit|raped|molested|attacked|assaulted|choked|strangled)|sexually (?:abused|assaulted)|(?:raped|molested|assaulted) me)\b`),
		past:   true, generic: true,
		negatable: true,
	},
	{
		name: "unsafe at home", kind: Abuse, level: Urgent,
		keys: []string{"not safe", "feel safe", "dont safe", "afraid", "scared", "terrified", "in danger", "unsafe"},
		re:   regexp.MustCompile(`\b(?:(?:not|dont feel|never feel|dont) safe (?:at home|here|in my (?:own )?(?:house|home)|with (?:him|her|them|my \w+))|(?:afraid|scared|terrified) (?:to go home|of (?:him|her|my (?:husband|wife|boyfriend|girlfriend|partner|dad|father|mom|mother|son|brother)))|(?:in danger) (?:at home|here|from)|unsafe (?:at home|here))\b`),
		// "Scared of him using again" fears for them, not of them.
		unless: regexp.MustCompile(`^(?:(?:using|relapsing|drinking|overdosing|oding|dying|going back|getting high|starting again|slipping)\b|(?:will|would|might|is going to|gonna) (?:use|relapse|overdose|od|die))`),
		past:   true, negatable: true,
	},
	{
		name: "child alone in danger", kind: Abuse, level: Emergency,
		keys: []string{"alone", "by herself", "by himself", "unattended"},
		re:   regexp.MustCompile(`\b(?:baby|toddler|infant|newborn|kids?|children|child|\d+ ?(?:yr|year|yo) old)(?: is| are| was)? (?:alone|by (?:him|her|them)sel(?:f|ves)|unattended|left alone) (?:in|near|by|with) (?:the )?(?:bath|tub|bathtub|pool|water|car|stove|fire|street|road)\b`),
		past: true, whole: true,
	},
	{
		name: "child unsafe", kind: Abuse, level: Urgent,
		keys: []string{"kids", "children", "baby", "toddler", "child", "infant", "newborn", "alone"},
		re:   regexp.MustCompile(`\b(?:(?:left|leaves|leaving|leave) (?:the |my |our |her |his |their )?(?:kids|children|baby|toddler|infant|newborn|kid|child)\b(?: \w+){0,4} (?:alone|unattended|by (?:themselves|himself|herself)|home alone|in the car)|(?:kids|children|baby|toddler|child|infant)(?: \w+){0,3} (?:not safe|arent safe|isnt safe|unsafe|in danger|neglected|going hungry|found (?:his|her) (?:needles|dope|pills|stash)|alone (?:most|all|every) (?:days?|nights?|the time)|home alone|left alone|by themselves (?:all|most))|(?:uses|using|shoots up|shooting up|gets high|getting high|nodding off|nodding out|passes out|passed out|high) (?:around|in front of|while (?:watching|caring for|holding|babysitting)|with) (?:the |my |our |her |his )?(?:kids|children|baby|toddler|son|daughter|infant))\b`),
		past: true, generic: true,
	},
	// ---- Said plainly, in ways the cues above missed ------------------------------
	{
		name: "recent attempt", kind: Suicide, level: Urgent, escalate: true,
		keys: []string{"tried to", "attempted", "try to"},
		re:   regexp.MustCompile(`\b(?:tried|attempted|try) to (?:end it|kill myself|end my life|take my (?:own )?life|overdose on purpose|hang myself|not wake up)\b|\battempted suicide\b`),
		past: true, negatable: true,
	},
	{
		name: "does not deserve to live", kind: Suicide, level: Urgent, escalate: true,
		keys: []string{"deserve"},
		re:   regexp.MustCompile(`\b(?:dont|do not|never|no longer) deserve to (?:live|be alive|be here|exist|wake up)\b|\bdeserve to die\b`),
		past: true,
	},
	{
		name: "walking into traffic or jumping", kind: Suicide, level: Emergency,
		keys: []string{"traffic", "jump", "oncoming", "into the road", "into the river", "into the lake", "in front of"},
		re:   regexp.MustCompile(`\b(?:walk|walking|step|stepping|run|running|drive|driving|jump|jumping)(?: out)? (?:into|in front of) (?:the |a |an )?(?:traffic|oncoming|road|highway|river|lake|train|car|truck|bus|semi)\b|\b(?:going to|gonna|about to|threatening to|threatens to|wants to|saying (?:hes|shes|they are|he is|she is|hell|shell|he will|she will)(?: going to| gonna)?) jump\b`),
		past: true, negatable: true, generic: true,
		unless: regexp.MustCompile(`^(?:to conclusions|at the chance|for joy|ship|start|through hoops|the gun|back in|right in|on (?:the|a|board|it)|in (?:the|a) (?:pool|lake|shower|car)|into (?:the )?(?:pool|conversation|lake|fray))`),
	},
	{
		name: "goodbye behind a locked door", kind: Suicide, level: Emergency,
		keys:  []string{"locked"},
		re:    regexp.MustCompile(`\blocked (?:himself|herself|themselves|themself|myself) in\b.*\b(?:goodbye|good bye|bye|wont answer|not answering|isnt answering|pills|knife|rope|gun|sorry)\b`),
		whole: true, past: true,
	},
	{
		name: "last words to loved ones", kind: Suicide, level: Emergency,
		keys: []string{"i love", "look like an accident", "set up in the garage", "ready in the garage"},
		re:   regexp.MustCompile(`\btell (?:my (?:kids|children|son|daughter|mom|mother|dad|father|family|wife|husband|parents|boyfriend|girlfriend)|everyone|them) (?:that )?i love (?:them|her|him|you)\b|\blook like an accident\b|\b(?:set up|ready|all set) in the garage\b`),
		past: true, generic: true,
	},
	{
		// "to sleep and never wake up again", "didnt care if i lived or
		// died", "i intentionally overdosed": wishes and attempts told in
		// a visitor's own words rather than the cues' set phrases.
		name: "wishes not to wake or survive", kind: Suicide, level: Urgent, escalate: true,
		keys: []string{"wake up", "lived or died", "live or die", "intentionally", "deliberately", "purposely", "better if"},
		re:   regexp.MustCompile(`\b(?:sleep|go to sleep|fall asleep|drift off) and (?:never|not) wake up\b|\b(?:didnt|did not|dont|do not|doesnt|no longer|never) (?:really )?cared?\b(?: \w+){0,5} (?:if|whether) (?:i|he|she) (?:lived or died|live or die|lives or dies)\b|\b(?:intentionally|deliberately|purposely)(?: \w+)? (?:od|oded|overdosed|overdose|took too many)\b|\b(?:better|easier) if (?:he|she|i) (?:wasnt|werent|was not|were not) (?:around|here|alive)(?: anymore| any more)?\b`),
		// Not negatable: the negation ("never wake up", "didnt care") is
		// the wish itself.
		past: true,
	},
	{
		// "broke my wrist by throwing me down the stairs", "pushed me out
		// of a moving car": violence told by what it did.
		name: "thrown or beaten", kind: Abuse, level: Urgent,
		keys: []string{"throwing me", "threw me", "thrown me", "pushing me", "pushed me", "shoved me", "shoving me", "kicking me", "beaten me", "beaten us", "striking", "abusive", "threatens to", "threatened to", "threatening to"},
		re:   regexp.MustCompile(`\b(?:threw|thrown|throwing|pushed|pushing|shoved|shoving|kicked|kicking|dragged|dragging) me (?:down (?:the )?(?:stairs|steps|hall)|down (?:hard|on the)|out of (?:a |the |his |her |my |our )?(?:moving )?(?:car|truck|van|window|house|apartment)|against (?:the |a )?(?:wall|door|floor|car|counter|fridge)|across the room|(?:in)?to the (?:floor|ground|wall))\b|\b(?:has|have|had) beaten (?:me|us|her|him)\b|\bstriking (?:me|us|my (?:\w+ ){0,3}(?:son|daughter|kids?|children|baby|wife|husband))\b|\b(?:become|becoming|is|been|gets|getting|got|more) (?:\w+ ){0,8}(?:physically|violently) abusive\b|\bthreaten(?:s|ed|ing)? to (?:kill|shoot|stab|strangle|choke) (?:her|him|them|my \w+)\b`),
		// "threatens to kill him with kindness".
		unless: regexp.MustCompile(`^(?:with (?:kindness|love|hugs|tickles|boredom)|lol|haha|lmao|if (?:he|she|they) (?:eats?|touch(?:es)?|takes?|finds?|breaks?))`),
		past:   true, negatable: true, generic: true,
	},
	{
		// "she got stabbed in the head", "we need an ambulance": a wound
		// or a call for an ambulance, now.
		name: "stabbed, shot or needs an ambulance", kind: Medical, level: Emergency,
		keys:   []string{"stabbed", "shot", "ambulance", "blood everywhere"},
		re:     regexp.MustCompile(`\bjust (?:got|been|was) (?:stabbed|shot)\b|\b(?:got|been|was) (?:stabbed|shot)(?: in the \w+)?,? (?:and )?(?:(?:he|she|they|i) (?:is|s|are|am|m) |(?:hes|shes|theyre|im) )?(?:bleeding|not breathing|unconscious)\b|\b(?:we|i|she|he|they) (?:need|needs) an ambulance (?:now|right now|immediately|asap|please|fast|quick|here)\b|\b(?:call|send|get) (?:an|the) ambulance (?:now|right now|immediately|asap|please|here|fast)\b|\bblood everywhere\b.*\bambulance\b|\bambulance\b.*\bblood everywhere\b`),
		unless: regexp.MustCompile(`^(?:down|at|up|through|in (?:a|the) (?:movie|game|film|show|video)|for (?:a|the) (?:role|part|movie)|by (?:a|the) (?:photographer|camera))\b`),
		past:   true, generic: true, whole: true,
	},
	{
		name: "blade at hand", kind: SelfHarm, level: Urgent,
		keys: []string{"blade", "razor", "knife", "deserve the pain", "deserve this pain", "deserve pain", "ready"},
		re:   regexp.MustCompile(`\b(?:have|got|holding|took out|took|the|my) (?:the |my |a )?(?:blade|razor|knife)(?: \w+)? (?:out|ready|in my hand|right here|next to me|with me)\b|\bdeserve (?:the |this )?pain\b`),
		past: true, negatable: true, generic: true,
	},
	{
		name: "someone else hurting themselves", kind: SelfHarm, level: Urgent,
		keys: []string{"himself", "herself", "him self", "her self", "themselves", "themself"},
		re:   regexp.MustCompile(`\b(?:he|she|they|hes|shes|theyre|my \w+|was|were)(?: \w+)? (?:has been|is|keeps|been|started|is still)? ?(?:hurting|cutting|burning|harming) (?:himself|herself|him self|her self|themselves|themself)\b|\b(?:wants?|wanted|wanting|desire|urges?|considered|considering|thinking (?:about|of)|thought (?:about|of)|talks? (?:of|about)|talked (?:of|about)|talking (?:of|about)|threatens?|threatened|threatening|might|may|will|going to|gonna|tried to|trying to|afraid (?:he|she|they)(?: will| might| ll)?|worried (?:he|she|they)(?: will| might| ll)?) (?:to )?(?:hurt|harm|hurting|harming|cut|cutting|burn|burning) (?:himself|herself|themselves|themself)\b`),
		past: true, negatable: true, generic: true,
	},
	{
		// "my daughter cuts. badly": said of a child, cutting with no object
		// is self-harm; with one ("cuts grass", "cutting back") it is not.
		name: "a child cutting", kind: SelfHarm, level: Urgent,
		keys:   []string{"cutting", "cuts"},
		re:     regexp.MustCompile(`\b(?:my|our) (?:\w+ )?(?:daughter|son|kid|child|teen|teenager|girl|boy|stepdaughter|stepson)s? (?:is |has been |started |keeps |is still |been |was )?(?:cutting|cuts)(?: (?:again|badly|herself|himself|(?:her|his) (?:arms?|wrists?|legs?|thighs?|stomach)))?\b`),
		unless: regexp.MustCompile(`^ ?(?:back|down|out|off|in|into|up|through|class|classes|school|corners|ties|hair|grass|lawns?|wood|the|a|an|some|his|her|their|my|our|your|paper|costs?|weight|carbs|sugar|gluten|it|them|teeth|ahead|across|me|people|friends|and|or|with|for|from|to)\b`),
		past:   true, negatable: true, generic: true,
	},
	{
		name: "hitting a wall or oneself", kind: SelfHarm, level: Urgent,
		keys: []string{"fist", "my head", "my hand", "knuckles"},
		re:   regexp.MustCompile(`\b(?:slamming|slammed|punching|punched|hitting|hit|banging|banged|smashing|smashed) my (?:fist|fists|head|hand|hands) (?:into|against|on|through) (?:the |a |my )?(?:wall|door|floor|mirror|window|car)\b|\bknuckles (?:are )?(?:split|bleeding|broken)\b`),
		past: true, negatable: true,
	},
	{
		name: "came to after using alone", kind: Overdose, level: Urgent,
		keys:  []string{"came to", "come to", "woke up on", "was out"},
		re:    regexp.MustCompile(`\b(?:just )?(?:came to|woke up) on the (?:floor|ground|bathroom floor)\b|\bdont know how long i was out\b`),
		whole: true, generic: true,
	},
	{
		name: "racing heart", kind: Medical, level: Emergency,
		keys: []string{"heart rate", "pulse", "bpm", "heart is"},
		re:   regexp.MustCompile(`\b(?:heart rate|pulse|heartrate|hr)(?: is| at| of| has been)? (?:over |above |like |around )?(?:1[4-9]\d|[2-9]\d\d)\b|\b(?:1[4-9]\d|[2-9]\d\d) ?bpm\b`),
		past: true, generic: true,
	},
	{
		name: "worst headache", kind: Medical, level: Emergency,
		keys: []string{"worst headache", "worst head ache"},
		re:   regexp.MustCompile(`\bworst (?:headache|head ache) (?:of my life|ever|ive ever had|i have ever had)\b`),
		past: true, generic: true, negatable: true,
	},
	{
		name: "newborn in withdrawal", kind: Medical, level: Urgent,
		keys:  []string{"newborn", "born"},
		re:    regexp.MustCompile(`\b(?:newborn|born (?:yesterday|today|last night|this morning|\d+ days? ago|two days ago|three days ago))\b.*\b(?:wont eat|not eating|cant eat|wont feed|not feeding|wont stop crying|crying nonstop|cant stop crying|shaking|seizing|jittery|tremors|high pitched cry)\b`),
		whole: true, generic: true,
	},
	{
		name: "blocked bowels", kind: Medical, level: Urgent,
		keys: []string{"rock hard", "hard as a rock", "havent gone", "havent pooped", "havent had a bowel"},
		re:   regexp.MustCompile(`\b(?:stomach|belly|abdomen|gut) (?:is |feels )?(?:rock hard|hard as a rock)\b|\bhavent (?:gone|pooped|had a bowel movement|been able to go)\b(?: \w+){0,3} (?:in )?(?:\d+|two|three|four|five|ten) (?:days|weeks)\b`),
		past: true, generic: true,
	},
	{
		name: "oozing abscess with fever", kind: Medical, level: Urgent,
		keys:  []string{"abscess", "oozing"},
		re:    regexp.MustCompile(`\b(?:abscess\w*|oozing)\b.*\b(?:hot|fever|feverish|chills|feel sick|spreading|huge|getting bigger)\b`),
		whole: true, past: true, generic: true,
	},
	{
		name: "attacked or broken in on now", kind: Abuse, level: Emergency,
		keys: []string{"broke in", "breaking in", "attacking", "pushed", "shoved", "threw me", "kicked me", "kicked", "threw"},
		re:   regexp.MustCompile(`\b(?:broke|breaking|busted) in(?:to)?\b|\b(?:is|s|hes|shes|theyre|are|keeps) attacking\b|\b(?:pushed|shoved|threw|kicked) (?:me|her|him|my \w+) (?:down (?:the )?(?:stairs|steps)|into (?:the |a )?(?:wall|door|table|counter|car|floor)|against (?:the |a )?(?:wall|door|car)|off (?:the |a )?(?:porch|bed|balcony|stairs)|out of (?:the |a )?(?:car|house|window))\b`),
		past: true, negatable: true,
		// "i broke into my own car".
		unlessBefore: regexp.MustCompile(`\b(?:i|we) $`),
	},
	{
		name: "coerced or threatened over drugs", kind: Abuse, level: Urgent,
		keys:  []string{"pimp", "owe", "comes into my room", "comes in my room", "sells me"},
		re:    regexp.MustCompile(`\b(?:pimps?|pimping) (?:me|her)\b|\bsells me\b|\b(?:comes|came|keeps coming) in(?:to)? my room (?:at night|when)\b|\b(?:people|guys|guy|dealer|plug|they) i owe\b.*\b(?:tonight|coming|know where i live|found me|kill me|hurt me|said)\b`),
		whole: true, past: true,
	},

	// ---- Spanish ---------------------------------------------------------------------
	{
		name: "suicidio (es)", kind: Suicide, level: Urgent, escalate: true,
		keys: []string{"matar", "morir", "suicid", "vivir", "quitarme la vida", "despertar", "aguanto", "muert", "estarian", "quiero", "viviendo"},
		re:   regexp.MustCompile(`\b(?:me quiero (?:matar|morir)|quiero (?:morir|morirme|matarme|suicidarme|desaparecer para siempre)|(?:pienso|pensando|pense|pensado) en (?:matarme|suicidarme|quitarme la vida|morir|morirme)|no quiero (?:vivir|seguir viviendo|seguir aqui|despertar|estar aqui)|quitarme la vida|suicidarme|me voy a (?:matar|suicidar)|(?:estaria|estarian|estarian) mejor (?:muerto|muerta|sin mi)|ya no aguanto (?:mas|la vida|vivir))\b`),
		past: true, negatable: false,
	},
	{
		name: "sobredosis (es)", kind: Overdose, level: Emergency,
		keys:    []string{"respira", "despierta", "reacciona", "responde", "azul", "morad", "gris", "mueve", "sobredos", "ronca", "ojos"},
		re:      regexp.MustCompile(`\bno (?:respira|esta respirando|despierta|reacciona|responde|se mueve)\b|\b(?:se esta poniendo|esta|se puso|se ve|tiene (?:los )?labios) (?:azul|azules|morado|morada|morados|gris)\b|\blabios (?:azules|morados)\b|\b(?:tiene|le dio|esta teniendo|creo que (?:tiene|le dio)) (?:una )?sobredosis\b|\bsobredosis (?:ahora|ahorita|ya|aqui)\b|\bno abre los ojos\b|\bronca (?:fuerte|raro|muy)\b`),
		generic: true, past: true,
	},
	{
		name: "autolesion (es)", kind: SelfHarm, level: Urgent,
		keys:  []string{"cortar", "corte", "quem", "lastim", "dano", "cortando"},
		re:    regexp.MustCompile(`\b(?:quiero |voy a |me voy a )?(?:cortarme|quemarme|lastimarme|hacerme dano)\b|\bme (?:corte|queme|lastime|estoy cortando)\b|\b(?:navaja|cuchillo|cuchilla)\b.*\b(?:cortarme|aqui|conmigo)\b`),
		whole: true, past: true, negatable: true,
	},
	{
		name: "emergencia medica (es)", kind: Medical, level: Emergency,
		keys: []string{"pecho", "respirar", "convuls", "sangre", "herida", "infeccion", "hinchad", "desperte"},
		re:   regexp.MustCompile(`\bdolor (?:de|en el) pecho\b|\bme duele el pecho\b|\bno puedo respirar\b|\bconvulsi\w*\b|\b(?:vomitando|vomito|vomita) sangre\b|\b(?:herida|brazo|pierna|infeccion)\b.*\b(?:supura|huele mal|se esta extendiendo|hinchada y caliente|caliente)\b|\bdesperte en el piso\b`),
		past: true, generic: true,
	},
	{
		name: "violencia (es)", kind: Abuse, level: Emergency,
		keys: []string{"golpe", "pega", "patea", "ahorc", "amenaz", "matar"},
		re:   regexp.MustCompile(`\bme (?:esta|estan) (?:golpeando|pegando|pateando|ahorcando|amenazando)\b|\bme (?:amenaza|amenazo|amenazan) con (?:matarme|pegarme|golpearme|quitarme)\b|\bme quiere matar\b`),
		past: true,
	},

	// ---- Found missing by a second set written for training -------------------------
	{
		name: "overdose said in a word", kind: Overdose, level: Emergency,
		keys:    []string{"od", "o d", "overdos"},
		re:      regexp.MustCompile(`^(?:od|o d|overdose|overdosing|oding)(?: (?:help|now|rn|pls|please|hurry|help me|help pls))*$|\b(?:he|she|they|my \w+|someone|somebody) (?:just )?(?:od d|odd|oded|overdosed) (?:in|on|at) (?:my|the|our|his|her)\b`),
		generic: true,
		unless:  regexp.MustCompile(`^(?:\w+ ){0,3}(?:last|years?|months?|weeks?|ago|before|in 20)`),
	},
	{
		name: "no pulse or breath seen", kind: Overdose, level: Emergency,
		keys:    []string{"pulse", "breathing", "chest", "up and down"},
		re:      regexp.MustCompile(`\b(?:cant|cannot|can not|couldnt) (?:tell|see|feel|find) (?:if|whether)? ?(?:(?:he|she|they) (?:is|s|are)? ?breathing|(?:a|his|her|their) (?:pulse|heartbeat))\b|\bno pulse\b|\bchest (?:isnt|is not|not|wont|stopped|isnt even) (?:going up|moving|rising)\b`),
		generic: true, past: true,
	},
	{
		name: "naloxone given, still not back", kind: Overdose, level: Emergency,
		keys:  []string{"narcan", "naloxone", "spray", "still nothing", "sigue sin"},
		re:    regexp.MustCompile(`\b(?:narcan|naloxone|spray|second dose|two doses|dos narcan)\b.*\b(?:still (?:nothing|not|grey|gray|blue|out|unresponsive|isnt|wont|hasnt)|sigue sin|no reacciona|no despierta)\b|\bgave (?:him|her|them) (?:the )?(?:narcan|naloxone|spray)\b.*\bstill\b|\bstill nothing\b.*\b(?:grey|gray|blue|breathing|hes|shes)\b`),
		whole: true, generic: true,
	},
	{
		name: "death rattle, eyes rolled back", kind: Overdose, level: Emergency,
		keys:    []string{"death rattle", "eyes rolled", "eyes rolling", "slid off", "fell off the", "rolling"},
		re:      regexp.MustCompile(`\bdeath rattle\b|\beyes (?:rolled|rolling|are rolling) (?:back|up)\b|\b(?:just )?(?:slid|fell|slumped) (?:off|out of) (?:the |her |his )?(?:chair|couch|bed|toilet|seat)\b`),
		generic: true, past: true,
	},
	{
		name: "slipping away after using", kind: Overdose, level: Emergency,
		keys:    []string{"slipping", "going out", "drifting", "far away", "more than i should", "me voy", "demasiado", "fading"},
		re:      regexp.MustCompile(`\b(?:feel|feeling|feels) (?:like )?(?:im |i am |myself )?(?:slipping away|going out|drifting off|drifting away|fading)\b|\beverything is (?:getting )?(?:far away|dark|so far)\b|\b(?:used|took|did|shot|had|snorted|smoked) (?:\w+ ){0,3}more than (?:i|he|she) should (?:have)?\b|\b(?:creo que )?(?:tome|tomo|use|se tomo) demasiad\w*\b|\bsiento que me voy\b`),
		generic: true, past: true,
	},
	{
		name: "everyone who used is falling out", kind: Overdose, level: Emergency,
		keys:  []string{"falling out", "dropping", "falling like", "going down", "passing out"},
		re:    regexp.MustCompile(`\b(?:everyone|everybody|people|they|all of them)\b(?: \w+){0,5} (?:is |are )?(?:falling out|dropping|going down|passing out)\b`),
		whole: true, generic: true,
	},
	{
		name: "wants to die, plainly", kind: Suicide, level: Urgent, escalate: true,
		keys: []string{"no future", "end it", "ending it", "might as well", "pointless", "funeral", "until my heart", "until i die", "only thing", "would anyone", "would anybody", "tried twice", "tried before", "ive tried", "id end", "i would end", "one last", "meaningless", "worthless", "not worth"},
		re:   regexp.MustCompile(`\b(?:there is|theres|i have|i see) no future for me\b|\b(?:im|i am|i will|ill|gonna|going to|planning on) (?:be )?end(?:ing)? it(?: all)?\b|\bmight as well (?:be dead|die|not exist|not be here)\b|\blife is (?:pointless|meaningless|not worth (?:it|living)|worthless)\b|\b(?:imagining|picturing|planning|thinking about) my (?:own )?funeral\b|\b(?:use|using|keep using|shoot|drink|drinking) until (?:my heart stops|i die|i stop breathing|i dont wake up)\b|\bthe only (?:thing|reason|one) (?:stopping|keeping) me\b|\b(?:would|will) (?:anyone|anybody) (?:even )?(?:care|notice|miss me) if i (?:died|was gone|were gone|disappeared|killed myself)\b|\bi(?:ve| have) tried (?:twice|before|three times|a few times|\d+ times)\b.*\b(?:again|that way)\b|\b(?:id|i would|i d) end it\b|\bone last (?:conversation|message|talk|chat)\b`),
		past: true,
	},
	{
		name: "goodbye and a plan", kind: Suicide, level: Emergency,
		keys:  []string{"goodbye", "bye", "note", "plan", "rope", "noose", "tracks", "edge", "ledge", "bridge", "roof", "walk in", "all my pills", "in order", "set the date", "reading this", "need it", "its time", "im ready", "hear from me", "needing", "standing", "knife", "blade", "razor", "gun", "need them"},
		re:    regexp.MustCompile(`\b(?:said|says|saying) (?:goodbye|good bye|bye) and (?:hung up|left|stopped answering|wont answer|is not answering)\b|\b(?:writing|wrote|written|finished|leaving|left) my (?:suicide )?note\b|\bi have a plan\b.*\b(?:what i need|the pills|a gun|the gun|rope|tonight|ready)\b|\bi have what i need\b|\b(?:have|got|bought) (?:a|the) (?:rope|noose)\b|\b(?:im|i am|hes|shes|she is|he is|theyre) (?:standing )?(?:on|at) the (?:tracks|train tracks|edge|ledge|bridge|roof|rooftop|railing|balcony railing)\b|\bstanding (?:at|on) the (?:edge|ledge|railing|balcony railing)\b|\b(?:going to|gonna|about to) walk in(?:to)?(?: the (?:water|lake|river|ocean))?$|\b(?:with|holding|have|got|sat with) all (?:of )?my (?:pills|meds|medication)\b|\b(?:im|i am) done\b.*\b(?:goodbye|good bye|bye)\b|\b(?:goodbye|good bye|bye) (?:mom|dad|mama|everyone|everybody|all|guys|world)\b|\bif (?:you are|youre|ur) reading this\b|\blast time (?:anyone|you|everyone|anybody)(?: will| is going to)? (?:hear|hears|see|sees) from me\b|\b(?:affairs|everything) (?:is |are )?in order\b.*\b(?:date|friday|saturday|sunday|monday|tuesday|wednesday|thursday|tonight|tomorrow|ready|time)\b|\bset the date\b.*\b(?:everything|ready|in order|its)\b|\bwont need (?:it|them|this|that) (?:where (?:im|i am|hes|shes|he is|she is) going|anymore)\b|\bwont be needing (?:it|them)\b|\b(?:gave|giving) (?:away )?my (?:\w+ )?(?:cat|dog|stuff|things|guitar|tools|watch)\b.*\bits time\b|\b(?:i have|i got|im holding|holding) (?:the|a|my) (?:knife|blade|razor|gun|rope)\b.*\b(?:someone to know|goodbye|tonight|dont tell|want someone)\b`),
		whole: true,
	},
	{
		name: "hurting oneself, plainly", kind: SelfHarm, level: Urgent,
		keys:  []string{"cutting", "cut", "scar myself", "sh ", "sh urge", "deserve to hurt", "punch", "pulling my hair", "scratches", "blood on", "blades", "banging", "myself", "pull", "bang"},
		re:    regexp.MustCompile(`\b(?:im|i am|i m) (?:cutting|burning|hurting) (?:myself|again|right now|rn)\b|\b(?:im|i am|i m) cutting$|\b(?:going to|gonna) cut (?:tonight|again|myself|my)\b|\bsh (?:urges?|again|rn|tonight)\b|\bdeserve to hurt\b|\b(?:scar|scarring|punish|punishing|punch|punching|punched|hit|hitting) (?:myself|my own \w+)\b|\b(?:punching|punched|hitting|smashing) (?:the )?(?:walls?|mirror|windows?)\b.*\b(?:bleed\w*|blood|cut|split|broken)\b|\bpulling (?:my|his|her) hair out\b|\bbanging (?:my|his|her|their) head (?:on|against|into)\b|\bcovered in (?:fresh |new |deep )(?:cuts|scratches|burns)\b|\bblood on (?:his|her|their|my) sheets\b|\bblades? hidden\b|\b(?:pulls|pulled|pull) (?:my|his|her|their) hair out\b|\b(?:bangs|bang|banged) (?:my|his|her|their) head (?:on|against|into)\b`),
		whole: true, past: true, negatable: true,
	},
	{
		name: "medical danger, plainly", kind: Medical, level: Emergency,
		keys: []string{"bone", "throat", "endocarditis", "heart infection", "murmur", "one side", "one eye", "speech", "coffee ground", "catch my breath", "baby is coming", "yellow", "turning black", "shaking all over", "jerking", "shaking", "went cold", "is cold", "turned cold", "went pale", "is pale", "turned pale", "white", "zero reaction", "no reaction"},
		re:   regexp.MustCompile(`\b(?:down to|see|showing) (?:the )?bone\b|\bthroat (?:is )?(?:closing|swelling|tight)\b|\b(?:endocarditis|heart infection|infection in my heart|heart murmur)\b|\b(?:cant|cannot) feel one side\b|\bone side of (?:my|his|her) (?:face|body)\b|\b(?:speech|words) (?:is |are )?(?:weird|slurred|wrong|garbled)\b|\b(?:cant|cannot) see (?:right )?(?:out of )?one eye\b|\bcoffee ground\w*\b|\bcant catch (?:my|his|her) breath\b|\bbaby is coming\b|\b(?:eyes|skin) (?:look |are |is |turning |turned )?yellow\b|\b(?:toes|fingers|foot|hand|skin) (?:are |is )?turning black\b|\bshaking all over\b.*\beyes\b|\b(?:whole body|body|arms and legs) (?:keeps |is |are |wont stop |started )?(?:jerking|twitching|convulsing)\b|\bseeing things\b.*\b(?:jerking|shaking|twitching|seizing)\b|\b(?:leg|arm|foot|hand) (?:went|is|turned|has gone) (?:cold|pale|white|blue)\b|\bzero reaction\b|\bno reaction\b.*\b(?:rubbed|chest|knuckles|shook)\b`),
		past: true, generic: true,
	},
	{
		name: "heart racing with a number", kind: Medical, level: Emergency,
		keys:  []string{"heart", "pulse", "racing"},
		re:    regexp.MustCompile(`\b(?:heart|pulse)\b(?: \w+){0,8} (?:like |around |over |at )?(?:1[5-9]\d|2\d\d)\b|\bheart (?:keeps |is |has been |wont stop )?(?:racing|pounding)\b.*\b(?:withdrawal|more than usual|wont stop|for hours|all day)\b`),
		whole: true, past: true, generic: true,
	},
	{
		name: "pregnant with pain or contractions", kind: Medical, level: Emergency,
		keys:  []string{"weeks", "semanas", "embarazada", "labor", "water broke", "water just broke"},
		re:    regexp.MustCompile(`\b(?:im|i am|shes|she is)? ?(?:[2-4]\d) (?:weeks|semanas)\b.*\b(?:cramps|cramping|contractions|contracciones|bleeding|sangr\w*|water broke|pain)\b|\bembarazada\b.*\b(?:colicos|contracciones|sangr\w*|dolor)\b|\b(?:contractions|contracciones|cramps|bleeding)\b.*\b(?:[2-3]\d) (?:weeks|semanas)\b|\b(?:in labor|going into labor|my water broke|water just broke)\b`),
		whole: true, generic: true,
	},
	{
		name: "infection getting worse", kind: Medical, level: Urgent,
		keys:  []string{"oozing", "throbbing", "puffy", "elbow", "spine", "red all", "infectio", "injectio", "started", "wound"},
		re:    regexp.MustCompile(`\b(?:red|redness)(?: all the way)? up to (?:my|his|her) (?:elbow|shoulder|knee|hip|wrist)\b|\b(?:infected|infection|missed shot)\b.*\b(?:throbbing|puffy|oozing|swollen)\b|\bfever\b.*\b(?:spine|back)\b.*\b(?:inject|iv|shoot|shot)\b|\bwound\b.*\b(?:getting bigger|bigger every day|smells|turning black)\b`),
		whole: true, past: true, generic: true,
	},
	{
		name: "newborn not feeding", kind: Medical, level: Urgent,
		keys:  []string{"baby", "bebe", "newborn"},
		re:    regexp.MustCompile(`\bbaby\b.*\b(?:in withdrawal|withdrawing|was exposed|nas)\b.*\b(?:cries|crying|throws up|wont eat|not eating|isnt gaining|not gaining|high pitched)\b|\bbaby\b.*\b(?:isnt|not) gaining weight\b|\b(?:newborn|baby)\b.*\bnot waking (?:up )?(?:for|to) (?:feeds|feed|eat)\b|\bbebe\b.*\b(?:temblores|no come|no quiere comer|casi no come|abstinencia)\b`),
		whole: true, generic: true,
	},
	{
		name: "bowels blocked for weeks", kind: Medical, level: Urgent,
		keys: []string{"in weeks", "for weeks", "brick", "panza dura"},
		re:   regexp.MustCompile(`\bhavent (?:gone|pooped|been)\b(?: \w+){0,3} (?:in|for) (?:weeks|days)\b|\blike a brick in my (?:gut|stomach|belly)\b|\b(?:no he ido al bano|panza dura)\b`),
		past: true, generic: true,
	},
	{
		name: "threats, control and children at risk", kind: Abuse, level: Urgent,
		keys:  []string{"break my", "threaten", "touching me", "doses me", "drugs me", "drugged me", "keeps my", "takes my", "took my", "holds my", "hides my", "let me", "let her", "let him", "not allowed", "makes me", "no food", "unless i pay", "afraid", "scared", "cuts off", "said", "says", "theyll", "tonight", "wont", "hits", "dead", "let them"},
		re:    regexp.MustCompile(`\b(?:said|says|threatened|threatens) (?:that )?(?:hed|shed|theyd|he would|she would|they would|he will|she will|hell|shell|theyll) (?:break|hurt|kill|beat|cut|burn|stab|shoot)\b|\bthreaten\w* (?:to tell|to call|to post|me)\b.*\b(?:unless|if i|pay)\b|\b(?:keeps|kept|is) touching me\b|\b(?:doses|drugs|drugged) me\b|\b(?:keeps|takes|took|holds|hides|held) my (?:suboxone|subs|methadone|meds|medication|id|papers|passport|phone|documents|money)\b.*\b(?:makes me|beg|work|wont|cant|so i|unless)\b|\bcuts off my (?:access|money|meds|methadone|suboxone|phone)\b|\b(?:wont|will not|doesnt) let (?:me|her|him|them) (?:leave|go|call|see|out)\b|\bnot allowed to (?:call|leave|see|go)\b|\bmakes me (?:beg|work|sleep with|have sex|use)\b|\b(?:kids|children|grandkids|grandchildren)\b.*\b(?:no food|there is no food|theres no food|havent eaten)\b|\b(?:afraid|scared) (?:that )?(?:he|she|my \w+) (?:will|is going to|gonna) (?:hurt|kill|beat) (?:me|us|my \w+)\b|\b(?:dad|father|stepdad|mom|mother|stepmom|boyfriend|husband|uncle|brother) (?:\w+ )?(?:hits|beats|chokes|touches) (?:her|him|them)\b|\b(?:is|are|be) dead\b.*\bif i dont\b|\bif i dont\b.*\b(?:is|are|be) dead\b`),
		whole: true, past: true,
	},
	{
		name: "suicidio, en tercera persona (es)", kind: Suicide, level: Urgent, escalate: true,
		keys: []string{"morir", "matar", "vivir", "carga", "despedida", "saltar", "quiero", "desperta", "estarian"},
		re:   regexp.MustCompile(`\bse (?:va|quiere) (?:a )?(?:matar|morir|suicidar)\b|\bquiere morirse\b|\b(?:ya )?no quiere (?:vivir|seguir)\b|\bno tengo (?:razon|razones) para vivir\b|\bquisiera no despertar\b|\b(?:mensaje de )?despedida\b|\bvoy a saltar\b|\b(?:estarian|estaria) mejor sin mi\b|\bsoy una carga\b|\bdiles? a (?:mis hijos|mi familia|mi mama)\b.*\bquiero\b`),
		past: true,
	},
	{
		name: "sobredosis y emergencias (es)", kind: Overdose, level: Emergency,
		keys:    []string{"despertar", "respira", "tomo", "tome", "inconsciente", "contesta", "jeringa", "pastilla", "sin mover", "sin respirar", "sin reaccionar"},
		re:      regexp.MustCompile(`\bno (?:lo|la|los|las) (?:puedo|podemos) despertar\b|\brespira (?:muy )?(?:lento|despacio|raro|poco)\b|\b(?:tomo|tome|se tomo) (?:muchas|demasiad\w*|todas (?:las|sus))\b.*\b(?:dormid\w*|no contesta|no responde|no despierta)\b|\binconsciente\b|\b(?:tomar|me voy a tomar) todas las pastillas\b|\bno respira\w*\b|\bsin (?:moverse|respirar|reaccionar)\b`),
		generic: true, past: true,
	},
	{
		name: "autolesion y violencia (es)", kind: SelfHarm, level: Urgent,
		keys: []string{"quemo", "corto", "rasgu", "golpe", "sangrar", "cortando", "quema", "navaja", "cuchilla", "hoja"},
		re:   regexp.MustCompile(`\bme (?:quemo|corto|rasguno|rasguño|golpeo)\b|\bse (?:esta )?(?:cortando|corta|quema|rasguna|rasguña)\b|\b(?:golpeando|pegando) (?:la|mi) cabeza\b|\bhasta sangrar\b|\b(?:tengo|tiene) la (?:navaja|cuchilla|hoja) en la mano\b`),
		past: true,
	},
	{
		name: "violencia y control (es)", kind: Abuse, level: Emergency,
		keys:  []string{"pega", "golpea", "matar", "mata", "cuchillo", "pistola", "encerrad", "quito", "amenaza", "entrar", "drogad", "comida", "deja", "obliga", "quita", "debo", "pego"},
		re:    regexp.MustCompile(`\bme (?:pega|pegaba|pego|golpea|golpeo)\b|\b(?:le esta pegando|le pega|le esta golpeando)\b|\bme (?:van a|va a) matar\b.*\b(?:noche|hoy|deuda|pago|ahora)\b|\bsi no le pago\b.*\bme mata\b|\btiene un (?:cuchillo|arma|pistola)\b|\bcon un cuchillo\b|\bme tiene encerrad[ao]\b|\bme quito (?:el telefono|mis papeles|mis documentos)\b|\bme amenaza\b|\b(?:tratando de|quiere) entrar a (?:mi|la) casa\b|\bno (?:me|la|lo|nos) deja (?:ir|salir|llamar|ver)\b|\bme obliga\b|\bme quita el dinero\b|\ble debo\b.*\b(?:me dijo|viernes|hoy|manana|matar)\b|\b(?:hijos|nietos|ninos)\b.*\b(?:drogad[oa] y violent[oa]|no hay comida|solos)\b`),
		whole: true, past: true,
	}, {
		name: "rescuing someone now", kind: Overdose, level: Emergency,
		keys: []string{"cpr", "rescue breath", "compressions"},
		re:   regexp.MustCompile(`\b(?:doing|giving|started|starting|keep doing|still doing|im doing|im giving) (?:cpr|rescue breaths?|chest compressions|compressions)\b`),
		past: true,
	},
	{
		name: "after a revival, using again", kind: Overdose, level: Urgent,
		keys:  []string{"revived", "brought him back", "brought her back", "narcan", "ems"},
		re:    regexp.MustCompile(`\b(?:revived|brought (?:him|her|them) back|narcanned|gave (?:him|her) narcan|narcan (?:brought|worked))\b.*\b(?:using again|use again|refuses to go|left the (?:er|hospital)|wont go to the hospital|wants to use)\b`),
		whole: true,
	},
	{
		name: "using alone, tolerance gone, a pressed pill", kind: Overdose, level: Urgent,
		keys:  []string{"use alone", "using alone", "tolerance", "pressed", "heavier", "cant tell if"},
		re:    regexp.MustCompile(`\b(?:about to|going to|gonna|getting ready to) use (?:alone|by myself)\b|\btolerance is (?:gone|down|low|zero)\b.*\b(?:use|using|shoot|tonight)\b|\b(?:might be|probably|think it was|could be) pressed\b.*\b(?:heav\w*|sleepy|weird|slow|dizzy)\b|\bfeel (?:so |really )?heavier than (?:normal|usual)\b|\bnodding\b.*\bcant tell if\b`),
		whole: true,
	},
	{
		name: "means, places and searches", kind: Suicide, level: Emergency,
		keys: []string{"top of", "googled", "searched", "looked up", "looking up", "research", "drive", "crash", "my will", "wont be around", "wont be here", "wont be alive", "driving", "off the road", "off a bridge", "off the bridge", "off a cliff"},
		re:   regexp.MustCompile(`\b(?:im|i am|hes|shes|he is|she is|theyre) (?:at|on) the top of (?:the|a|my|his|her) (?:building|parking garage|garage|bridge|tower|roof|cliff|parking deck)\b|\b(?:googled|searched|looked up|looking up|researched|researching) (?:ways|how) to (?:die|kill (?:myself|yourself)|end it|overdose|not wake up)\b|\b(?:drive|driving|crash|crashing) (?:my|her|his|the) car into (?:a|the) (?:tree|wall|pole|river|lake|truck|bridge|traffic)\b|\b(?:updated|wrote|made|finished) my will\b|\b(?:wont|will not) be (?:around|here|alive) (?:after|by|past|much longer|anymore|next|tomorrow)\b|\b(?:driving|drive|drove) off (?:the road|a bridge|a cliff|the bridge)\b`),
		past: true,
	},
	{
		name: "nothing to live for, not safe with myself", kind: Suicide, level: Urgent, escalate: true,
		keys: []string{"live for", "not safe", "no way out", "still here", "still alive", "last night", "holding", "counting", "looking at"},
		re:   regexp.MustCompile(`\bnothing (?:left )?to live for\b|\b(?:keep|keeps|been|im) (?:holding|counting|looking at) (?:the |my |all the |all my )?(?:pills|meds)\b|\bnot safe (?:with|by|around) myself\b|\bno way out\b|\b(?:dont know|no idea|not sure) why (?:im|i am) still (?:here|alive|around)\b|\bthis is my last night\b`),
		past: true,
	},
	{
		name: "wanting to hurt oneself now", kind: SelfHarm, level: Urgent,
		keys:  []string{"feel pain", "hurt it", "hurt my body", "looking at the", "break my own", "scratching my", "about to", "bleed", "myself"},
		re:    regexp.MustCompile(`\bwant to (?:feel pain|hurt (?:it|my body|myself)|bleed)\b|\blooking at the (?:knife|blade|razor|lighter)\b|\bbreak my own \w+\b|\bkeep scratching my (?:face|arms?|skin|legs?)\b|\b(?:cutting|cut|burning|burn)\b.*\b(?:im|i am) about to\b`),
		whole: true, past: true,
	},
	{
		name: "bleeding after self-harm", kind: SelfHarm, level: Emergency,
		keys:  []string{"soaked", "soaking", "lightheaded"},
		re:    regexp.MustCompile(`\b(?:sleeve|shirt|towel|bandage|sheets?) (?:is |are )?(?:soaked|soaking)\b|\b(?:cut|cutting)\b.*\b(?:lightheaded|soaked)\b`),
		whole: true,
	},
	{
		name: "breathless, numb, unable to keep fluids", kind: Medical, level: Emergency,
		keys:  []string{"lie flat", "lie down", "gasping", "numb", "cant keep", "agua", "caminar"},
		re:    regexp.MustCompile(`\b(?:cant|cannot) lie (?:down|flat)\b.*\b(?:breath\w*|gasp\w*)\b|\bgasping for (?:air|breath)\b|\b(?:numb in my legs|legs (?:are |went |feel )?numb)\b.*\b(?:after using|cant walk|after i used)\b|\bcant keep (?:nada|nothing|anything|water|food) down\b|\bno (?:he podido|puedo|pude) tomar (?:ni )?agua\b|\bno puedo caminar\b`),
		whole: true, past: true, generic: true,
	},
	{
		name: "threats at the door", kind: Abuse, level: Emergency,
		keys:  []string{"door", "parked outside", "waiting outside", "standing outside", "come back for", "coming by", "coming over", "coming back", "threatening", "pushing", "trafficked", "trafficking", "pension", "to make her", "to make him", "scared to call", "pushed", "gas", "burn", "bruises", "on his way", "on her way", "on their way", "coming here", "coming for me", "coming after"},
		re:    regexp.MustCompile(`\bkicked (?:my|the|our) door in\b|\btrying the (?:door|door handle|doorknob)\b|\b(?:parked|waiting|standing) outside (?:our|my) (?:house|apartment|door|place)\b|\b(?:theyll|they will|theyre gonna|they said theyd|they said they will) come back for\b|\bcoming (?:by|over|back) (?:tomorrow|tonight|later) to collect\b|\b(?:keeps|is|been|keep) (?:\w+ ){0,6}threatening (?:me|us|my \w+)\b|\bpushing (?:my|her|him) \w+ around\b|\b(?:trafficked|being trafficked|trafficking (?:her|him|me))\b|\b(?:takes|took|steals|stole) my (?:pension|money|check|social security)\b.*\b(?:pushed|hit|shoved|hurt|grabbed) me\b|\bgives (?:her|him|my \w+) (?:dope|drugs|pills) to make (?:her|him) (?:do|have)\b|\btoo scared to call (?:the )?(?:cops|police)\b|\b(?:poured|pouring) (?:gas|gasoline)\b|\bburn (?:it|the house|the place|us) down\b|\bbruises (?:all over|everywhere)\b|\bfound out\b.*\b(?:on (?:his|her|their) way|coming (?:here|over|for me|after me))\b|\b(?:pimp|dealer|ex|abuser)\b.*\bon (?:his|her|their) way\b`),
		whole: true, past: true,
	},
	// ---- Told in people's own words, as the gathered dev set found -------------
	{
		// "it has been a while since i have had reason to live", "lost the
		// will to live", "all i want to do is stop breathing".
		name: "no will to live", kind: Suicide, level: Urgent, escalate: true,
		keys:      []string{"to live", "want to do is", "want is to", "wanna do is"},
		re:        regexp.MustCompile(`\b(?:lost|losing|no|have no|dont have|dont have any|without) (?:the |my |all |any )?(?:will|desire|wish|reason) to (?:live|go on|keep going|keep living)\b|\bsince i (?:have |ve )?(?:had|felt|found) (?:a |any )?reason to live\b|\ball (?:i|you) (?:want|wanna)(?: to do)? is (?:to )?(?:stop breathing|die|be dead|not exist|disappear|sleep forever|not wake up)\b`),
		unless:    regexp.MustCompile(`^(?:lol|haha|lmao|after (?:this|that|the) (?:meeting|class|week|game|call|lecture|traffic)|(?:in|at|during) (?:this|that|the|my) (?:meeting|class|lecture|queue|line|traffic|job))`),
		negatable: true, past: true,
	},
	{
		// "when you think about hanging yourself", "flying off the
		// balcony": a method thought of, in the second person too.
		name: "thinking of a method", kind: Suicide, level: Urgent, escalate: true,
		keys:      []string{"hanging", "shooting", "off the", "off a", "off my"},
		re:        regexp.MustCompile(`\b(?:think|thinking|thought|thoughts|fantasi\w*|dream\w*) (?:about|of) (?:hanging|shooting|drowning|poisoning) (?:myself|yourself)\b|\b(?:throw|throwing|fling|hurl) myself (?:off|from) (?:a |the |my )?(?:bridge|building|roof|balcony|overpass|cliff)\b|\b(?:i|im|id|i d|me)\b(?: \w+){0,8} (?:flying|leaping) (?:off|from) (?:a |the |my )?(?:bridge|building|roof|balcony|overpass|cliff)\b`),
		negatable: true, past: true,
	},
	{
		// "he routinely hopes hell get hit and killed by a semi", "i pray
		// i get hit by a car on the way to work".
		name: "hopes to be killed", kind: Suicide, level: Urgent, escalate: true,
		keys:      []string{"hope", "wish", "pray"},
		re:        regexp.MustCompile(`\b(?:i|im|i am|i keep|i just)(?: \w+)? (?:hope|hoping|wish|wishing|pray|praying)(?: that)? (?:i|ill|i ll|id|i d|i will|i would) (?:just )?` + killedBy + `|\b(?:he|she|hes|shes)(?: \w+){0,2} (?:hopes|hoping|wishes|wishing|prays|praying)(?: that)? (?:he|she|hell|shell|he ll|she ll|he will|she will|hed|shed|he would|she would) (?:just )?` + killedBy),
		negatable: true, past: true,
	},
	{
		// "my suicidality increased", "i scare myself... im afraid of what
		// i might do".
		name: "afraid of what one might do", kind: Suicide, level: Urgent, escalate: true,
		keys:   []string{"suicidality", "what i might", "what i will", "what i ll", "what i could", "what i may", "what i would", "what id"},
		re:     regexp.MustCompile(`\bsuicidality (?:has )?(?:increased|got worse|gotten worse|is back|came back|returned|worsened|is getting worse)\b|\b(?:afraid|scared|terrified|frightened|worried|hate to think|scares me to think) (?:of |about )?what (?:i|id) (?:might|will|ll|could|may|would) do(?: to myself)?\b`),
		unless: regexp.MustCompile(`^(?:with|for|next|about|at|on|in|after|if i (?:see|run into|meet)|to (?:him|her|them))\b`),
		past:   true,
	},
	{
		// "he's completely given up hope... he said he was cleaning his
		// gun", "my dad has a shotgun, and i know where it is".
		name: "hopeless with a gun at hand", kind: Suicide, level: Urgent, escalate: true,
		keys:   []string{"gun", "rifle", "pistol", "revolver"},
		re:     regexp.MustCompile(`\b` + givenUpHope + `\b.*\b` + aGun + `\b|\b` + aGun + `\b.*\b` + givenUpHope + `\b|\b` + aGun + `,? and i know where (?:it|they) (?:is|are)\b`),
		unless: regexp.MustCompile(`^(?:kept|stored|locked|hidden)\b`),
		whole:  true, past: true,
	},
	{
		// "i didnt self injure for 3 years. about a month ago now, i started
		// again", "i have caved into the urges once more after years of not
		// hurting myself": the past is what makes the relapse.
		name: "self-harm again", kind: SelfHarm, level: Urgent,
		keys:  []string{"again", "caved", "relapsed", "once more"},
		re:    regexp.MustCompile(`\b(?:self ?harm\w*|self ?injur\w*|hurting myself|harming myself|cutting myself)\b.*\b(?:(?:started|start|doing|did|began|am|im)(?: \w+){0,2} again|caved (?:in|into)|relapsed|once more)\b|\b(?:(?:started|start|doing|did|began) (?:it )?again|caved (?:in|into)(?: \w+){0,3} (?:urges?|it)|relapsed)\b.*\b(?:self ?harm\w*|self ?injur\w*|hurting myself|harming myself|cutting myself)\b`),
		whole: true,
	},
	{
		// "her thighs were bleeding", found by a parent.
		name: "bleeding thighs or wrists", kind: SelfHarm, level: Urgent,
		keys:   []string{"bleeding"},
		re:     regexp.MustCompile(`\b(?:(?:his|her|their|my) )?(?:thighs?|wrists?|forearms?) (?:were|was|are|is|s|keep|kept|started|been)? ?bleeding\b`),
		unless: regexp.MustCompile(`^(?:from|after|because|when|since)\b(?: \w+){0,3} (?:fall|fell|falling|crash|accident|bike|glass|dog|cat|scratch\w*|surgery|iv|blood draw|shaving|cooking|knife|work)`),
		past:   true,
	},
	{
		// "send the cops", "i need someone here now", "the person is dead
		// here": what a caller tells a dispatcher.
		name: "send help now", kind: Abuse, level: Emergency,
		keys:    []string{"send", "here now", "right now", "right away", "immediately", "asap", "dead here", "dead in", "dead on"},
		re:      regexp.MustCompile(`\b(?:just|please|you need to|need (?:for )?you to|i need you to|hurry and|hurry,?) send (?:the |some )?(?:cops|police)\b|\bsend (?:the |some )?(?:cops|police) (?:now|right now|here|please|quick|fast|asap|immediately)\b|\bsend (?:somebody|someone|help|an ambulance|paramedics|an officer)(?: over)? (?:here |now|right now|right away|immediately|asap|please|quick|fast)\b|\b(?:need|needs) (?:someone|somebody|the police|the cops|an officer|paramedics) (?:here )?(?:now|right now|right away|immediately|asap)\b`),
		unless:  regexp.MustCompile(`^(?:to|for|who|that|at|in|after (?:him|her|them) for|a (?:letter|message|text|card|email|link))\b`),
		generic: true,
	},
	{
		name: "someone dead here", kind: Overdose, level: Emergency,
		keys:    []string{"dead here", "dead in", "dead on"},
		re:      regexp.MustCompile(`\b(?:the person|this person|this guy|this girl|he|she|hes|shes|(?:my|the|this) ` + people + `s?) (?:is |s )?dead (?:here|right here|on the (?:floor|couch|bed)|in (?:the|my|his|her|our) (?:bathroom|room|car|bed|bedroom|kitchen|house))\b`),
		unless:  regexp.MustCompile(`^(?:for|since|ago|years|months)\b`),
		generic: true, negatable: true,
	},
	{
		// "im really going to kill her... im gonna stab her in the neck",
		// "i hear the mom repeatedly hitting the crying child".
		name: "violence toward someone", kind: Abuse, level: Emergency,
		keys:      []string{"stab", "shoot", "kill", "hitting"},
		re:        regexp.MustCompile(`\b(?:im|i m|i am)(?: really| seriously| literally| actually| honestly)* (?:going to|gonna|about to) (?:stab|shoot) (?:her|him|them|my \w+)\b|\b(?:im|i m|i am) (?:really|seriously) (?:going to|gonna) kill (?:her|him|them|my \w+)\b|\b(?:is|s|keeps|kept|repeatedly|been|started|was|were|(?:hear|heard|see|saw) (?:him|her|them|the \w+))(?: \w+)? hitting (?:his|her|their|the|a|my)(?: \w+){0,2} (?:wife|husband|girlfriend|boyfriend|partner|child|kid|kids|children|baby|son|daughter|mom|mother|dad|father)\b`),
		unless:    regexp.MustCompile(`^(?:if|when|for|with|lol|haha|lmao|a|an|up|down|some|the breeze|straight|in (?:the|a|this) (?:game|movie|show|match))\b`),
		negatable: true, past: true, generic: true,
	},
	{
		// "has thrown heavy objects at me", "he screamed that i would get a
		// fist in the face": violence at home told by what is thrown or
		// promised, not by the word abuse.
		name: "things thrown, a beating promised", kind: Abuse, level: Urgent,
		keys:      []string{"threw", "throw", "thrown", "hurl", "fist", "punch", "slapped", "beating", "beaten", "beat up", "smacked", "knocked out"},
		re:        regexp.MustCompile(`\b(?:threw|throws|throwing|thrown|hurled|hurls|hurling)(?: \w+){0,2} (?:things|stuff|objects|projectiles|furniture|(?:a |the )?(?:chair|bottle|glass|plate|knife|lamp|pan|hammer|brick|rock|phone|remote|mug)s?)(?: \w+){0,2} at (?:me|us|my (?:head|face|kids?|children|son|daughter|wife|husband|mom|mother))\b|\b(?:going to|gonna|about to|will|would|ll) (?:get|give (?:me|you|her|him|them)) (?:a (?:fist|punch|smack|slap|kick) (?:in|to) the (?:face|mouth|head|nose|jaw|gut|stomach|teeth|ribs)|punched|slapped|a beating|beaten|beat up|smacked|knocked out)\b`),
		unless:    regexp.MustCompile(`^(?:lol|haha|lmao|jk|in (?:the|a|this) (?:game|movie|show|match|ring|class|gym))\b`),
		negatable: true, past: true,
	},
}
