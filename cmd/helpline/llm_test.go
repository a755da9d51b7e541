package main

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	openai "github.com/sashabaranov/go-openai"

	"helpline/internal/assistant/assistanttest"
	"helpline/internal/semantic/semantictest"
)

func runWithEnv(t *testing.T, env map[string]string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errOut)
	return out.String() + errOut.String(), err
}

func TestKBEvalLLMOff(t *testing.T) {
	out, err := runWithEnv(t, nil, "kb", "eval", "--llm", "../../knowledge/eval/questions.jsonl")
	if err != nil || !strings.Contains(out, "language model: off") {
		t.Errorf("without a model: %v\n%s", err, out)
	}
}

// TestKBEvalLLM runs the repository's sets through the real client and a
// stand-in endpoint: a well-behaved stand-in's answers are used, a failing
// one's never are, and no crisis message reaches either.
func TestKBEvalLLM(t *testing.T) {
	tests := []struct {
		name  string
		reply func(openai.ChatCompletionRequest) assistanttest.Reply
		set   string
		want  *regexp.Regexp
	}{
		{"grounded", assistanttest.Grounded, "questions.jsonl", regexp.MustCompile(`grounded answer used (\d+) `)},
		{"failing", func(openai.ChatCompletionRequest) assistanttest.Reply {
			return assistanttest.Reply{Status: http.StatusInternalServerError}
		}, "questions.jsonl", regexp.MustCompile(`\berror\s+(\d+)`)},
		{"crisis set", assistanttest.Grounded, "safety.jsonl", regexp.MustCompile(`messages in a crisis: (\d+), sent to the model: 0\n`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := assistanttest.NewServer(tt.reply)
			defer srv.Close()
			env := map[string]string{"HELPLINE_LLM_BASE_URL": srv.URL(), "HELPLINE_LLM_MODEL": "stand-in", "HELPLINE_LLM_REQUESTS_PER_MINUTE": "100000"}
			out, err := runWithEnv(t, env, "kb", "eval", "--llm", "../../knowledge/eval/"+tt.set)
			if err != nil {
				t.Fatalf("kb eval --llm: %v\n%s", err, out)
			}
			m := tt.want.FindStringSubmatch(out)
			if m == nil {
				t.Fatalf("output lacks %s:\n%s", tt.want, out)
			}
			if n, _ := strconv.Atoi(m[1]); n == 0 {
				t.Errorf("%s counted 0:\n%s", tt.want, out)
			}
			if tt.set == "questions.jsonl" && !regexp.MustCompile(`\((\d+) menus put to the model, (\d+) answered with its choice\)`).MatchString(out) {
				t.Errorf("no report of the model choosing among menus:\n%s", out)
			}
			if tt.name == "failing" {
				// A failing endpoint leaves every figure exactly as without
				// the model: the menus put to it stay menus.
				right := regexp.MustCompile(`right first time: [^\n]*`).FindAllString(out, -1)
				if len(right) != 2 || right[0] != right[1] {
					t.Errorf("with a failing endpoint the figures changed: %q", right)
				}
			}
			if tt.name == "failing" && !strings.Contains(out, "grounded answer used 0 (0.0%)") {
				t.Errorf("a failing endpoint's answers were used:\n%s", out)
			}
			if strings.Contains(out, "stand-in") && strings.Contains(out, "key set") {
				t.Errorf("output mentions a key that was not set:\n%s", out)
			}
			t.Logf("%s", out)
		})
	}
}

// TestKBEvalEmbeddings: with an embedding model configured (a stand-in
// here), kb eval --llm embeds the knowledge base and reports the set
// decided by the engine alone and reconsidered with the model's ranking,
// side by side. The stand-in's figures say nothing of a real model's.
func TestKBEvalEmbeddings(t *testing.T) {
	srv := semantictest.NewServer()
	defer srv.Close()
	env := map[string]string{"HELPLINE_LLM_BASE_URL": srv.URL(), "HELPLINE_LLM_EMBEDDING_MODEL": "stand-in"}
	out, err := runWithEnv(t, env, "kb", "eval", "--llm", "../../knowledge/eval/questions.jsonl")
	if err != nil {
		t.Fatalf("kb eval --llm: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`embeddings \(stand-in\): (\d+) texts embedded`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no embedding count:\n%s", out)
	}
	if n, _ := strconv.Atoi(m[1]); n < 5000 {
		t.Errorf("%d texts embedded, want every title and sample question", n)
	}
	alone, with := strings.Index(out, "lexical ranking alone:"), strings.Index(out, "reconsidered with the embedding model's ranking:")
	if alone < 0 || with < alone || strings.Count(out, "right first time:") != 2 {
		t.Fatalf("want both reports:\n%s", out)
	}
	if strings.Contains(out, "grounded answer used") {
		t.Errorf("grounded answers evaluated without a chat model:\n%s", out)
	}
	t.Logf("%s", out)
}
