package safety

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"helpline/internal/kb"
	"helpline/knowledge"
)

var update = flag.Bool("update", false, "snapshot the knowledge base's sample questions, retrain the models from testdata/train and rewrite kind.model and level.model")

// kbSnapshot holds the built-in knowledge base's sample questions: every
// one is ordinary helpline talk, so they teach the model what is not a
// crisis. They are a snapshot, refreshed with -update, so that editing the
// knowledge base never changes the screen without a retraining.
const kbSnapshot = "testdata/train/kb-questions.jsonl"

func writeKBSnapshot(t *testing.T) {
	t.Helper()
	b, err := kb.Load(knowledge.FS())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, e := range b.Entries {
		for _, q := range e.Questions {
			if err := enc.Encode(map[string]string{"q": q, "risk": string(None)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := os.WriteFile(kbSnapshot, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// trainingExamples reads testdata/train/*.jsonl: one labeled message per
// line; lines starting with # say where a file's lines come from.
func trainingExamples(t *testing.T) (kinds, levels []example) {
	t.Helper()
	files, err := filepath.Glob("testdata/train/*.jsonl")
	if err != nil || len(files) == 0 {
		t.Fatalf("no training data in testdata/train: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		for n := 1; sc.Scan(); n++ {
			if b := bytes.TrimSpace(sc.Bytes()); len(b) == 0 || b[0] == '#' {
				continue // a blank line, or a note on where the lines come from
			}
			var line struct {
				Q       string   `json:"q"`
				Context []string `json:"context"`
				Risk    string   `json:"risk"`
				Level   string   `json:"level"`
			}
			if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
				t.Fatalf("%s:%d: %v", f, n, err)
			}
			k := slices.Index(kindClasses, line.Risk)
			if k < 0 {
				t.Fatalf("%s:%d: unknown risk %q", f, n, line.Risk)
			}
			kinds = append(kinds, example{text: line.Q, context: line.Context, class: k})
			if k > 0 {
				l := slices.Index(levelClasses, line.Level)
				if l < 0 {
					t.Fatalf("%s:%d: crisis line without a valid level", f, n)
				}
				levels = append(levels, example{text: line.Q, context: line.Context, class: l})
			}
		}
	}
	return kinds, levels
}

// TestModelsMatchTrainingData retrains both models and checks that the
// committed model files are exactly what the training data gives, so the
// models can never drift from the data they claim to come from.
func TestModelsMatchTrainingData(t *testing.T) {
	if *update {
		writeKBSnapshot(t)
	}
	kinds, levels := trainingExamples(t)
	for _, m := range []struct {
		file     string
		classes  []string
		examples []example
		stored   string
	}{
		{"kind.model", kindClasses, kinds, kindModelText},
		{"level.model", levelClasses, levels, levelModelText},
	} {
		var buf bytes.Buffer
		if err := train(m.classes, m.examples).write(&buf); err != nil {
			t.Fatal(err)
		}
		if *update {
			if err := os.WriteFile(m.file, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if buf.String() != m.stored {
			t.Errorf("%s is not what testdata/train gives; run: go test ./internal/safety -run TestModelsMatchTrainingData -update", m.file)
		}
	}
}

func TestModelRoundTrip(t *testing.T) {
	m := train([]string{"no", "yes"}, []example{
		{text: "i feel fine today", class: 0}, {text: "i feel fine", class: 0},
		{text: "i want to die", class: 1}, {text: "want to die tonight", class: 1},
	})
	var buf bytes.Buffer
	if err := m.write(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := readModel(&buf)
	if err != nil {
		t.Fatal(err)
	}
	feats := features(normalize("i want to die"), "")
	got, want := back.probs(feats), m.probs(feats)
	for c := range want {
		if d := got[c] - want[c]; d > 1e-3 || d < -1e-3 {
			t.Fatalf("class %d: probability %.4f after round trip, want %.4f", c, got[c], want[c])
		}
	}
	if got[1] < 0.5 {
		t.Errorf("trained toy model gives %.2f for a crisis line, want > 0.5", got[1])
	}
}
