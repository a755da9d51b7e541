package assistant_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	openai "github.com/sashabaranov/go-openai"

	"helpline/internal/assistant"
	"helpline/internal/assistant/assistanttest"
)

// injection is one attempt to instruct the model, with the reply a model
// that obeys it would write.
type injection struct {
	Name     string           `json:"name"`
	Question string           `json:"question"`
	Reply    string           `json:"reply"`
	Reason   assistant.Reason `json:"reason"`
}

func readInjections(t *testing.T) []injection {
	t.Helper()
	return readJSONL[injection](t, "testdata/injections.jsonl", 20)
}

// readJSONL reads one T per line of file (blank lines and # comments
// skipped), and fails unless there are at least least of them.
func readJSONL[T any](t *testing.T, file string, least int) []T {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		var in T
		if err := json.Unmarshal([]byte(line), &in); err != nil {
			t.Fatalf("%s:%d: %v", file, n, err)
		}
		out = append(out, in)
	}
	if len(out) < least {
		t.Fatalf("%s: %d lines, want the whole set", file, len(out))
	}
	return out
}

// TestInjectionsChangeNothing runs every attempt against a stand-in that
// obeys it: the checks reject each obedient reply and the curated answer
// stands. The prompt's rules are the same whatever the visitor writes, and
// the visitor's text cannot close its block or open another.
func TestInjectionsChangeNothing(t *testing.T) {
	var current injection
	c, srv := newClient(t, func(openai.ChatCompletionRequest) assistanttest.Reply {
		return assistanttest.Reply{Text: current.Reply}
	})
	c.Answer(context.Background(), ask("how does narcan work"))
	rules := srv.Requests()[0].Messages[0].Content
	grounding := srv.Requests()[0].Messages[1].Content
	for i, in := range readInjections(t) {
		current = in
		r := c.Answer(context.Background(), ask(in.Question))
		if r.Used || r.Text != curated {
			t.Errorf("%s: the obedient reply was used: %+v", in.Name, r)
			continue
		}
		if r.Reason != in.Reason {
			t.Errorf("%s: rejected as %q (%s), want %q", in.Name, r.Reason, r.Detail, in.Reason)
		}
		req := srv.Requests()[i+1]
		if req.Messages[0].Content != rules || req.Messages[1].Content != grounding || len(req.Messages) != 3 {
			t.Errorf("%s: the rules or the entries changed with the visitor's text", in.Name)
		}
		last := req.Messages[2].Content
		for _, marker := range []string{"<<visitor>>", "<<end visitor>>"} {
			if n := strings.Count(last, marker); n != 1 {
				t.Errorf("%s: %q appears %d times in the visitor's block, want once", in.Name, marker, n)
			}
		}
		if strings.Count(last, "<<") != 2 {
			t.Errorf("%s: the visitor's text carries markers of its own:\n%s", in.Name, last)
		}
	}
}

// TestInjectionRepliesFailOnTheirOwn: each obedient reply is rejected by
// the checks alone, whatever the question was.
func TestInjectionRepliesFailOnTheirOwn(t *testing.T) {
	for _, in := range readInjections(t) {
		got := assistant.Check(in.Reply, entries, testFacts, 600)
		if got.Reason == assistant.Used {
			t.Errorf("%s: reply %q passed the checks", in.Name, in.Reply)
		}
	}
}
