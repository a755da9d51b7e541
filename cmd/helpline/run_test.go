package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"helpline/internal/store/storetest"
)

// runCLI runs the program as a user would, with the given standard input.
func runCLI(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(string) string { return "" }
	err = run(context.Background(), args, getenv, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestAskJSON(t *testing.T) {
	out, _, err := runCLI(t, "", "ask", "--json", "wen do withdrawls start")
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Kind    string   `json:"kind"`
		Text    string   `json:"text"`
		Entries []string `json:"entries"`
		Score   *float64 `json:"score"`
		Risk    struct {
			Kind string `json:"kind"`
		} `json:"risk"`
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("output is not one JSON object: %v\n%s", err, out)
	}
	if d.Kind != "answer" || d.Text == "" || len(d.Entries) != 1 || d.Score == nil || d.Risk.Kind != "none" {
		t.Errorf("decision %+v", d)
	}
}

func TestAskStdin(t *testing.T) {
	in := "what does dope sickness feel like\nwhen does it end\nmy friend isnt breathing after he used\n"
	out, _, err := runCLI(t, in, "ask", "--json")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d output lines for 3 questions:\n%s", len(lines), out)
	}
	var last struct {
		Kind string `json:"kind"`
		Risk struct{ Kind, Level string }
	}
	json.Unmarshal([]byte(lines[2]), &last)
	if last.Kind != "crisis" || last.Risk.Kind != "overdose" || last.Risk.Level != "emergency" {
		t.Errorf("crisis line: %s", lines[2])
	}

	// Without --session each line stands alone; with it, the follow-up is
	// read in the light of the first question.
	independent, _, _ := runCLI(t, in, "ask", "--json")
	session, _, _ := runCLI(t, in, "ask", "--json", "--session")
	second := func(s string) string { return strings.Split(s, "\n")[1] }
	if !strings.Contains(second(session), "withdrawal-timeline") {
		t.Errorf("with --session, the follow-up got %s", second(session))
	}
	if strings.Contains(second(independent), `"entries":["withdrawal-timeline"]`) {
		t.Errorf("without --session, the follow-up used context: %s", second(independent))
	}
}

func TestAskText(t *testing.T) {
	out, _, err := runCLI(t, "", "ask", "subs", "vs", "methadone")
	if err != nil || !strings.Contains(out, "methadone") || !strings.Contains(out, "(answer") {
		t.Errorf("ask printed %q, %v", out, err)
	}
}

func writeKB(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const miniEntry = `---
id: %s
title: About %s
questions:
  - what is %s
  - tell me about %s
  - %s info
  - %s?
related: [%s]
sources: [DOMAIN.md §1]
---
An answer about %s.
`

func mini(id, rel string) string {
	return strings.NewReplacer("%s", id).Replace(strings.Replace(miniEntry, "related: [%s]", "related: ["+rel+"]", 1))
}

func TestKBCheck(t *testing.T) {
	good := writeKB(t, map[string]string{"entries/alpha.md": mini("alpha", "beta"), "entries/beta.md": mini("beta", "alpha")})
	out, _, err := runCLI(t, "", "kb", "check", "--knowledge", good)
	if err != nil || !strings.HasPrefix(out, "ok: 2 entries") {
		t.Errorf("kb check on a good base: %q, %v", out, err)
	}
	bad := writeKB(t, map[string]string{"entries/alpha.md": mini("alpha", "gamma") + "Call {{fone}}.\n", "entries/beta.md": mini("beta", "alpha")})
	out, _, err = runCLI(t, "", "kb", "check", "--knowledge", bad)
	if err == nil {
		t.Fatal("kb check passed a broken base")
	}
	for _, want := range []string{`entries/alpha.md:9: related entry "gamma" does not exist`, "entries/alpha.md:12: unknown placeholder {{fone}}"} {
		if !strings.Contains(out, want) {
			t.Errorf("kb check output lacks %q:\n%s", want, out)
		}
	}
}

func TestKBEval(t *testing.T) {
	dir := writeKB(t, map[string]string{
		"entries/alpha.md": mini("alpha", "beta"), "entries/beta.md": mini("beta", "alpha"),
		"eval.jsonl": `{"q": "alpha please", "expect": ["alpha"]}
{"q": "beta stuff pls", "expect": ["beta"]}
{"q": "what's the weather in paris", "kind": "fallback"}
`,
	})
	out, _, err := runCLI(t, "", "kb", "eval", "--knowledge", dir, "--min-accuracy", "1", filepath.Join(dir, "eval.jsonl"))
	if err != nil {
		t.Fatalf("kb eval: %v\n%s", err, out)
	}
	if !strings.Contains(out, "top-1 accuracy:   100.0% (2/2") || !strings.Contains(out, "answered 0 (must be 0)") {
		t.Errorf("kb eval output:\n%s", out)
	}
	os.WriteFile(filepath.Join(dir, "copy.jsonl"), []byte(`{"q": "what is alpha", "expect": ["alpha"]}`+"\n"), 0o644)
	if _, _, err := runCLI(t, "", "kb", "eval", "--knowledge", dir, filepath.Join(dir, "copy.jsonl")); err == nil {
		t.Error("kb eval accepted a question that copies a sample question")
	}
	os.WriteFile(filepath.Join(dir, "broken.jsonl"), []byte("{not json\n"), 0o644)
	if _, _, err := runCLI(t, "", "kb", "eval", "--knowledge", dir, filepath.Join(dir, "broken.jsonl")); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("kb eval on broken JSON: %v", err)
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"nope"}, {"kb"}, {"kb", "eval"}, {"ask", "--bogus"}, {"serve", "--bogus"}} {
		if _, _, err := runCLI(t, "", args...); !errors.Is(err, errUsage) {
			t.Errorf("run(%q) = %v, want a usage error", args, err)
		}
	}
	if out, _, err := runCLI(t, "", "help"); err != nil || !strings.Contains(out, "kb check") {
		t.Errorf("help: %q, %v", out, err)
	}
}

// TestRep manages accounts as an operator would, on the real Redis.
func TestRep(t *testing.T) {
	b, ok := storetest.Real(t, storetest.DBCommand)
	if !ok {
		t.Skip("no Redis at 127.0.0.1:6379")
	}
	rep := func(stdin string, args ...string) (string, string, error) {
		var out, errOut bytes.Buffer
		getenv := func(k string) string {
			if k == "REDIS_URL" {
				return b.URL
			}
			return ""
		}
		err := run(context.Background(), append([]string{"rep"}, args...), getenv, strings.NewReader(stdin), &out, &errOut)
		return out.String(), errOut.String(), err
	}
	if _, _, err := rep("a long enough password\n", "add", "Ana Lopez", "--role", "supervisor"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := rep("short\n", "add", "ben"); err == nil || !strings.Contains(err.Error(), "12 characters") {
		t.Errorf("short password: %v", err)
	}
	if _, _, err := rep("a long enough password\n", "add", "ana lopez"); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("same name again: %v", err)
	}
	if _, _, err := rep("", "add", "cat"); err == nil || !strings.Contains(err.Error(), "no password") {
		t.Errorf("no password: %v", err)
	}
	if _, _, err := rep("", "disable", "Ana Lopez"); err != nil {
		t.Fatal(err)
	}
	out, _, err := rep("", "list")
	if err != nil || !regexp.MustCompile(`Ana Lopez\s+supervisor\s+disabled`).MatchString(out) || strings.Contains(out, "cat") {
		t.Errorf("list: %v\n%s", err, out)
	}
	if _, _, err := rep("", "disable", "nobody"); err == nil {
		t.Error("disabling an unknown account succeeded")
	}
	// Without REDIS_URL the accounts would go to a Redis the service does
	// not use: refused.
	if _, _, err := runCLI(t, "a long enough password\n", "rep", "add", "dan"); err == nil || !strings.Contains(err.Error(), "REDIS_URL") {
		t.Errorf("without REDIS_URL: %v", err)
	}
}
