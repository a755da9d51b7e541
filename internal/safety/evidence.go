package safety

import "strings"

// The model generalizes to wordings no cue knows, but a model trained on a
// few thousand messages also learns words that only happened to stand near
// danger in its examples: a tax question ("it's been longer than 21 days
// and i haven't gotten my refund") scored 0.53 as suicidal on "longer" and
// "havent", and a partner's letter about "2 bags a day" 0.92 as abuse on
// sentences that start with "he". So a kind of danger counts only when the
// message itself names something of that kind, in any words: dying or
// giving up for suicide, breathing or waking for an overdose, a blade or a
// burn for self-harm, a symptom for a medical emergency, being hit, held or
// threatened for abuse. The lists only let the model speak; they flag
// nothing by themselves, so they are wide.

// kindWords lists, per kind, the words that name it: prefixes of words
// ("suicid" covers suicidal), and whole words, for short ones that begin
// too many others ("od", "cut", "end").
var kindWords = map[Kind]struct {
	prefixes []string
	words    []string
}{
	Suicide: {
		prefixes: []string{"dying", "death", "deadly", "kill", "suicid", "unaliv", "funeral", "disappear",
			"vanish", "goodbye", "burden", "hopeless", "worthless", "pointless", "noose", "overpass",
			"bullet", "pistol", "shoot", "heaven", "exist", "overdos", "forever", "surviv", "peaceful",
			"deadline", "letters", "miserable", "despair", "alive", "morir", "muer", "matar", "suicid",
			"desaparec", "ending"},
		words: []string{"die", "died", "dies", "dead", "kms", "rope", "hang", "hanging", "jump", "bridge",
			"gun", "end", "live", "living", "life", "gone", "bye", "od", "pills", "bottle", "point",
			"reason", "purpose", "anymore", "sleep", "wake", "tonight", "note", "letter", "over",
			"exit", "matter", "done", "tired", "plan", "decided", "ready", "last", "vida", "stash",
			"everything"},
	},
	Overdose: {
		prefixes: []string{"overdos", "breath", "breat", "unrespons", "respond", "responsive", "unconscious",
			"conscious", "gurgl", "snor", "rattl", "chok", "pupil", "pinpoint", "fading", "slump",
			"collaps", "narcan", "naloxone", "fentanyl", "heroin", "swallow", "ambulance", "hospital",
			"emergenc", "purple", "sinking", "wake", "waking", "nodding", "sleepy", "asleep", "tolerance",
			"despiert", "respir", "sobredosis", "pastill", "ambulanc", "palid", "ronc", "inyect", "jering", "dormid", "contest", "despert", "inconscient", "narcan", "quiet", "slump", "asleep", "unconscious", "groggy"},
		words: []string{"od", "oding", "oded", "odd", "blue", "grey", "gray", "pale", "ashy", "lips", "limp",
			"floppy", "pinned", "nod", "nodded", "fade", "fent", "dope", "pill", "pills", "xanax", "bars",
			"benzos", "methadone", "subs", "bag", "bags", "911", "passed", "out", "woke", "awake", "too",
			"much", "many", "took", "taken", "used", "using", "use", "shot", "high", "heavy", "slow",
			"moving", "move", "cold", "help", "hurry", "alone", "floor", "eyes", "mixed", "stronger",
			"batch", "hit", "azul", "ate", "films", "strips", "rcp", "cpr", "door", "locked", "nothing", "azul", "gris", "pálido", "blanco", "boca"},
	},
	SelfHarm: {
		prefixes: []string{"blade", "razor", "knife", "knives", "lighter", "carv", "scratch", "bleed", "blood",
			"wrist", "thigh", "stitch", "punish", "wound", "cigarette", "self harm", "selfharm", "injur",
			"blister", "sangr", "corta", "corte", "quem", "cort", "quem", "lastim", "rasgu", "golpe", "herid", "muerd", "bruis", "bite", "biting"},
		words: []string{"cut", "cuts", "cutting", "burn", "burned", "burning", "burns", "burnt", "scar",
			"scars", "hurt", "hurts", "hurting", "harm", "pain", "arm", "arms", "leg", "legs", "skin",
			"hand", "deep", "glass", "purpose", "urge", "urges", "again", "thing", "raw", "stabbing",
			"slammed", "pick", "picking", "myself", "bleach", "hitting", "hit", "head", "wall", "belt", "sh", "bit", "bites", "moreton", "moretones"},
	},
	Medical: {
		prefixes: []string{"chest", "heart", "pulse", "seiz", "convuls", "shaking", "fever", "temperature",
			"vomit", "puking", "diarrh", "dehydrat", "faint", "dizz", "confus", "hallucin", "pregnan",
			"contraction", "cramp", "swell", "swollen", "infect", "abscess", "streak", "paraly", "stroke",
			"sweat", "racing", "pounding", "flutter", "slurr", "headache", "palpitat", "bleed", "blood",
			"breath", "hospital", "ambulance", "emergenc", "lightheaded", "loperamide", "imodium",
			"throwing", "collaps", "pecho", "dolor", "embaraz", "espum", "fiebr", "hinchad", "temblor", "mare", "desmay", "corazon", "convuls", "embaraz", "vomit", "sangr", "pecho", "infecci", "inyect", "bebe", "rcp"},
		words: []string{"pain", "hurts", "hurt", "sick", "ill", "weak", "red", "hot", "numb", "tight",
			"pressure", "vision", "speech", "yellow", "pee", "peed", "pus", "smell", "water", "fluids",
			"down", "threw", "puke", "fit", "jerking", "foaming", "foam", "passed", "out", "911", "er",
			"move", "words", "lump", "stuck", "needle", "sugars", "diabetic", "panza", "duele", "twitching",
			"rolling", "nonsense", "eyes", "stiff", "rojo", "roja", "dolor", "ojos", "boca", "brazo", "pierna", "duele", "baby", "move", "moving", "kicking", "cpr", "rcp"},
	},
	Abuse: {
		prefixes: []string{"punch", "slap", "shov", "strangl", "throat", "threat", "attack", "abus", "bruis",
			"weapon", "trapped", "hiding", "unsafe", "police", "rape", "forced", "forcing", "forces",
			"hostage", "kidnap", "stalk", "violen", "scream", "terrif", "locked", "controll", "pimp",
			"traffick", "golpe", "miedo", "encerrad", "padrote", "restrain", "swerv", "dragg"},
		words: []string{"hit", "hits", "hitting", "beat", "beats", "beating", "kick", "kicked", "kicks",
			"push", "pushed", "grab", "grabbed", "choked", "chokes", "hurt", "hurts", "kill", "die",
			"gun", "knife", "bat", "lock", "locks", "trap", "hide", "safe", "cops", "scared", "afraid",
			"fear", "yell", "yells", "fight", "hold", "holding", "held", "needle", "needles", "nudes",
			"sold", "owe", "basement", "closet", "broke", "breaks", "threw", "hair", "tracks", "mata",
			"pega", "pegaba", "quita", "ice", "po", "committed", "controls", "listens", "rough", "wall",
			"walls", "throwing", "holds", "obliga", "agarra", "cuello", "hole", "crying", "stranger",
			"drunk", "wont let", "let me"},
	},
}

// gated are the kinds the model may only find where the message names
// them. Suicide and abuse are not: despair and control are said in too
// many plain words ("i want out. permanently", "he won't let me eat
// unless i use with him") for any list; their cues and the model's
// threshold keep their false alarms down.
var gated = map[Kind]bool{Overdose: true, SelfHarm: true, Medical: true}

// kindBits is one bit per kind of danger, for the set of kinds a message
// names.
type kindBits uint8

var kindBit = map[Kind]kindBits{Overdose: 1, Suicide: 2, SelfHarm: 4, Medical: 8, Abuse: 16}

// maxPrefix bounds the length of a danger prefix.
const maxPrefix = 12

// namedWords and namedPrefixes index kindWords by word and by prefix, so
// a message's words are looked up, not compared with every list.
var namedWords, namedPrefixes = func() (map[string]kindBits, map[string]kindBits) {
	words, prefixes := map[string]kindBits{}, map[string]kindBits{}
	for k, ev := range kindWords {
		for _, w := range ev.words {
			words[w] |= kindBit[k]
		}
		for _, p := range ev.prefixes {
			if len(p) > maxPrefix {
				panic("safety: danger prefix longer than maxPrefix: " + p)
			}
			prefixes[p] |= kindBit[k]
		}
	}
	return words, prefixes
}()

// named returns the kinds of danger a normalized message names.
func named(text string) kindBits {
	var bits kindBits
	for _, w := range messageWords(text) {
		bits |= namedWords[w]
		for n := 2; n <= len(w) && n <= maxPrefix; n++ {
			bits |= namedPrefixes[w[:n]]
		}
	}
	return bits
}

// names reports whether bits include kind k.
func (b kindBits) names(k Kind) bool { return b&kindBit[k] != 0 }

// namesDanger reports whether a normalized message names danger of any
// kind.
func namesDanger(text string) bool { return named(text) != 0 }

func messageWords(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool { return r == ' ' || r == '.' })
}

// speaksOfDanger reports whether a normalized earlier message may be
// context for the screen: it says drugs were just taken, talks of suicide
// or self-harm, or is near enough to danger by itself (ContextThreshold)
// that the next message may continue it.
func speaksOfDanger(text string) bool {
	// A letter about a death, or a memory, is over: grief, not a danger
	// for the next message to continue.
	if (mourning(text) || remembers(text)) && !nowMarker.MatchString(text) {
		return false
	}
	if usedRecently(text) || topic(text) != None || screenText(text, false).Crisis() {
		return true
	}
	return namesDanger(text) && models.danger(text, "") >= ContextThreshold
}

// ContextThreshold is the model's probability of danger from which an
// earlier message is context: well below the bar for flagging it, since
// "14 months clean" before "suicidal. again" is no crisis alone.
const ContextThreshold = 0.25
