package safety

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// A model is a multinomial logistic regression over the words and word
// pairs of a message. The screen uses one to tell the kind of danger and
// one to tell its level, beside the cues: the cues are precise about what
// they know, the model generalizes to the many ways people say the same
// thing. It is trained by Train on labeled messages (testdata/train) and
// stored as text (model.txt) so a review can see what it learned.
type model struct {
	classes []string
	bias    []float64
	weights map[string][]float64
}

// example is one labeled message for training.
type example struct {
	text    string
	context []string
	class   int
}

// features returns the model's view of a normalized message: its words,
// its word pairs, and the words of the normalized message before it,
// marked as context.
func features(text, before string) []string {
	words := strings.Fields(strings.ReplaceAll(text, ".", " . "))
	out := make([]string, 0, 2*len(words)+8)
	prev := "<s>"
	for _, w := range words {
		if w == "." {
			prev = "<s>"
			continue
		}
		// A function word alone says nothing about danger, and a model
		// that learns "been" or "he says" flags ordinary questions; in a
		// pair ("to die", "not breathing") it says a lot.
		fw := functionWords[w]
		if !fw {
			out = append(out, w)
		}
		// Nor does a sentence that starts with one: "<s> he" is in every
		// letter about a son or a husband, danger or not.
		if !fw || prev != "<s>" {
			out = append(out, prev+" "+w)
		}
		prev = w
	}
	if prev != "<s>" {
		out = append(out, prev+" </s>")
	}
	// Of the message before, only the words that carry meaning: "is",
	// "a" and "to" before an ordinary question made it look like danger.
	for _, w := range strings.Fields(strings.ReplaceAll(before, ".", " ")) {
		if !functionWords[w] {
			out = append(out, "ctx:"+w)
		}
	}
	// Each feature counts once: "help help help" is one plea, and a word
	// pasted two thousand times must not add up to certainty.
	slices.Sort(out)
	return slices.Compact(out)
}

var functionWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an the and or but so if of to in on at for with by from about as into
		i im me my mine myself you your yours he hes him his she shes her hers they theyre them their we our us it its
		is am are was were be been being have has had having do does did doing will would can could should may might
		this that these those there here what which who whom when where why how just really very also too
		than then some any all not no dont cant wont didnt doesnt isnt been ive id ill says said say think know like get got`) {
		m[w] = true
	}
	return m
}()

// exampleFeatures is features for a training example, which is not yet
// normalized.
func exampleFeatures(ex example) []string {
	prev := ""
	if len(ex.context) > 0 {
		prev = normalize(ex.context[len(ex.context)-1])
	}
	return features(normalize(ex.text), prev)
}

// probs returns the probability of each class for the features.
func (m *model) probs(feats []string) []float64 {
	z := append([]float64(nil), m.bias...)
	for _, f := range feats {
		if w, ok := m.weights[f]; ok {
			for c := range z {
				z[c] += w[c]
			}
		}
	}
	return softmax(z)
}

// explain returns the features that pushed hardest toward class c, for a
// representative reading the evidence.
func (m *model) explain(feats []string, c, n int) []string {
	type fw struct {
		f string
		w float64
	}
	var fs []fw
	seen := map[string]bool{}
	for _, f := range feats {
		if w, ok := m.weights[f]; ok && !seen[f] {
			seen[f] = true
			if d := w[c] - w[0]; d > 0 {
				fs = append(fs, fw{f, d})
			}
		}
	}
	sort.Slice(fs, func(i, j int) bool { return fs[i].w > fs[j].w })
	var out []string
	for i := 0; i < len(fs) && i < n; i++ {
		out = append(out, strings.TrimPrefix(fs[i].f, "ctx:"))
	}
	return out
}

func softmax(z []float64) []float64 {
	mx := z[0]
	for _, v := range z {
		mx = max(mx, v)
	}
	var sum float64
	p := make([]float64, len(z))
	for i, v := range z {
		p[i] = math.Exp(v - mx)
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
	return p
}

// Training settings. They are fixed, with a fixed seed, so that training
// the same data always gives the same model byte for byte.
const (
	trainEpochs  = 30
	trainRate    = 0.2
	trainL2      = 1e-4
	trainSeed    = 20261123
	minFeatCount = 2    // a feature seen once is noise
	minWeight    = 1e-3 // smaller weights are dropped from the stored model
)

// train fits a model to the examples by stochastic gradient descent on
// the cross-entropy, with L2 regularization.
func train(classes []string, examples []example) *model {
	counts := map[string]int{}
	feats := make([][]string, len(examples))
	for i, ex := range examples {
		feats[i] = exampleFeatures(ex)
		seen := map[string]bool{}
		for _, f := range feats[i] {
			if !seen[f] {
				seen[f] = true
				counts[f]++
			}
		}
	}
	m := &model{classes: classes, bias: make([]float64, len(classes)), weights: map[string][]float64{}}
	for f, n := range counts {
		if n >= minFeatCount {
			m.weights[f] = make([]float64, len(classes))
		}
	}
	order := make([]int, len(examples))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(trainSeed, trainSeed))
	for epoch := 0; epoch < trainEpochs; epoch++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		rate := trainRate / (1 + float64(epoch)*0.1)
		for _, i := range order {
			p := m.probs(feats[i])
			for c := range p {
				g := p[c]
				if c == examples[i].class {
					g--
				}
				m.bias[c] -= rate * g
				for _, f := range feats[i] {
					if w, ok := m.weights[f]; ok {
						w[c] -= rate * (g + trainL2*w[c])
					}
				}
			}
		}
	}
	for f, w := range m.weights {
		keep := false
		for _, v := range w {
			if math.Abs(v) >= minWeight {
				keep = true
			}
		}
		if !keep {
			delete(m.weights, f)
		}
	}
	return m
}

// write stores the model as text: a header with the classes and biases,
// then one line per feature with its weights, sorted.
func (m *model) write(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "classes\t%s\n", strings.Join(m.classes, "\t"))
	fmt.Fprintf(bw, "bias\t%s\n", formatWeights(m.bias))
	names := make([]string, 0, len(m.weights))
	for f := range m.weights {
		names = append(names, f)
	}
	sort.Strings(names)
	for _, f := range names {
		fmt.Fprintf(bw, "%s\t%s\n", f, formatWeights(m.weights[f]))
	}
	return bw.Flush()
}

func formatWeights(ws []float64) string {
	parts := make([]string, len(ws))
	for i, v := range ws {
		parts[i] = strconv.FormatFloat(v, 'f', 4, 64)
	}
	return strings.Join(parts, "\t")
}

// readModel parses a model written by write.
func readModel(r io.Reader) (*model, error) {
	m := &model{weights: map[string][]float64{}}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		parts := strings.Split(sc.Text(), "\t")
		switch {
		case n == 1 && parts[0] == "classes":
			m.classes = parts[1:]
		case n == 2 && parts[0] == "bias":
			ws, err := parseWeights(parts[1:], len(m.classes))
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", n, err)
			}
			m.bias = ws
		case n > 2:
			ws, err := parseWeights(parts[1:], len(m.classes))
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", n, err)
			}
			m.weights[parts[0]] = ws
		default:
			return nil, fmt.Errorf("line %d: expected %s", n, [...]string{"", "classes", "bias"}[n])
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(m.classes) < 2 || len(m.bias) != len(m.classes) {
		return nil, fmt.Errorf("model has no classes or biases")
	}
	return m, nil
}

func parseWeights(parts []string, n int) ([]float64, error) {
	if len(parts) != n {
		return nil, fmt.Errorf("%d weights, want %d", len(parts), n)
	}
	ws := make([]float64, n)
	for i, p := range parts {
		v, err := strconv.ParseFloat(p, 64)
		if err != nil {
			return nil, err
		}
		ws[i] = v
	}
	return ws, nil
}
