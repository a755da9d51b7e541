package safety

import (
	_ "embed"
	"fmt"
	"regexp"
	"strings"
)

// The trained models, regenerated from testdata/train by
// `go test ./internal/safety -run TestModelsMatchTrainingData -update`.
var (
	//go:embed kind.model
	kindModelText string
	//go:embed level.model
	levelModelText string
)

// ModelThreshold is the probability of danger above which the model flags
// a message the cues did not. It was calibrated on the safety sets (see
// README): high enough that talk about the topic is not flagged, low
// enough that danger said in words no cue knows still is.
const ModelThreshold = 0.55

// PlainThreshold is the probability the model needs to flag a message
// that names nothing dangerous (see namesDanger): only many signals
// together, never a couple of everyday words, make such a message a
// crisis.
const PlainThreshold = 0.85

// classifiers pairs the model of the kind of danger with the model of its
// level.
type classifiers struct {
	kind, level *model
}

var models = mustLoadModels()

func mustLoadModels() classifiers {
	kind, err := readModel(strings.NewReader(kindModelText))
	if err != nil {
		panic(fmt.Sprintf("safety: kind model: %v", err))
	}
	level, err := readModel(strings.NewReader(levelModelText))
	if err != nil {
		panic(fmt.Sprintf("safety: level model: %v", err))
	}
	return classifiers{kind: kind, level: level}
}

// kindClasses and levelClasses are the models' classes, in order.
var (
	kindClasses  = []string{string(None), string(Overdose), string(Suicide), string(SelfHarm), string(Medical), string(Abuse)}
	levelClasses = []string{string(Urgent), string(Emergency)}
)

// danger returns the kind model's probability that a normalized message
// is a danger of any kind.
func (cl classifiers) danger(text, prev string) float64 {
	return 1 - cl.kind.probs(features(text, prev))[0]
}

// screen asks the models about a message the cues found nothing in; text
// and prev are the normalized message and the message before it.
func (cl classifiers) screen(text, prev string, explained kindBits) Risk {
	kinds := named(text)
	if kinds == 0 {
		return cl.screenAt(text, prev, PlainThreshold, kinds, explained)
	}
	return cl.screenAt(text, prev, ModelThreshold, kinds, explained)
}

// screenAt flags text when the model's probability of the kinds of danger
// it may find there reaches threshold. A kind the message does not name
// (kinds) counts for nothing: the model's certainty must come from words
// about that danger.
func (cl classifiers) screenAt(text, prev string, threshold float64, kinds, explained kindBits) Risk {
	feats := features(text, prev)
	p := cl.kind.probs(feats)
	// A story's despair is nobody's: "is the heroine in the movie going to
	// die".
	fictional := containsAny(text, fictionKeys) && fiction.MatchString(text) && !firstPerson.MatchString(text)
	danger, best := 0.0, 0
	for c := 1; c < len(p); c++ {
		k := Kind(cl.kind.classes[c])
		if (gated[k] && !kinds.names(k)) || explained.names(k) || (k == Suicide && fictional) {
			continue
		}
		danger += p[c]
		if best == 0 || p[c] > p[best] {
			best = c
		}
	}
	if best == 0 || danger < threshold {
		return Risk{Kind: None}
	}
	level := Urgent
	if pl := cl.level.probs(feats); pl[1] >= 0.5 {
		level = Emergency
	}
	return Risk{
		Kind:     Kind(cl.kind.classes[best]),
		Level:    level,
		Evidence: []string{fmt.Sprintf("model %.2f: %s", danger, strings.Join(cl.kind.explain(feats, best, 4), ", "))},
	}
}

var (
	fictionKeys = []string{"movie", "film", "show", "book", "novel", "character", "series", "episode", "game", "song", "lyric", "heroine", "hero", "season"}
	fiction     = regexp.MustCompile(`\b(?:in the (?:movie|film|show|book|novel|series|episode|game|song)|movies?|films?|tv show|characters?|novels?|heroine|hero|episodes?|season \d+|song lyrics|lyrics)\b`)
	firstPerson = regexp.MustCompile(`\b(?:i|im|ive|id|ill|me|my|myself|mine)\b`)
)
