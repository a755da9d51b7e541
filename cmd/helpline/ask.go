package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"helpline/internal/answer"
	"helpline/internal/kb"
)

func runAsk(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	flags := newFlags("ask", stderr)
	open := knowledgeFlag(flags, getenv)
	asJSON := flags.Bool("json", false, "print the decision as one JSON object per question")
	session := flags.Bool("session", false, "with questions on standard input, keep the conversation's context from line to line")
	explain := flags.Bool("explain", false, "also print how the question was read and the best-ranked entries")
	if err := parseFlags(flags, args); err != nil {
		return err
	}
	base, err := loadBase(open())
	if err != nil {
		return err
	}
	engine := answer.New(base, kb.DefaultFacts())
	print := func(q string, d answer.Decision) error {
		if *explain {
			printExplanation(stdout, engine.Explain(q, 6))
		}
		if *asJSON {
			return json.NewEncoder(stdout).Encode(d)
		}
		_, err := fmt.Fprintln(stdout, formatDecision(d))
		return err
	}

	if flags.NArg() > 0 {
		q := strings.Join(flags.Args(), " ")
		return print(q, engine.Decide(q, answer.Memory{}))
	}
	// One question per line; each independent unless --session.
	sc := bufio.NewScanner(stdin)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	var conv answer.Memory
	for sc.Scan() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if !*session {
			conv = answer.Memory{}
		}
		d := engine.Decide(sc.Text(), conv)
		conv = conv.Next(sc.Text(), d)
		if err := print(sc.Text(), d); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read questions: %w", err)
	}
	return nil
}

// formatDecision renders a decision for a person reading a terminal.
func formatDecision(d answer.Decision) string {
	var b strings.Builder
	b.WriteString(d.Text)
	for _, o := range d.Options {
		fmt.Fprintf(&b, "\n  [%s]", o.Title)
	}
	if d.OfferPerson {
		b.WriteString("\n  [Talk to a person]")
	}
	fmt.Fprintf(&b, "\n(%s", d.Kind)
	if len(d.Entries) > 0 {
		fmt.Fprintf(&b, ": %s", strings.Join(d.Entries, ", "))
	}
	fmt.Fprintf(&b, ", score %.2f)", d.Score)
	return b.String()
}

func printExplanation(w io.Writer, x answer.Explanation) {
	fmt.Fprintf(w, "terms: %s (unknown words: %d)\n", strings.Join(x.Terms, " "), x.Unknown)
	for _, c := range x.Corrections {
		fmt.Fprintf(w, "corrected: %s -> %s\n", c.From, c.To)
	}
	for _, h := range x.Hits {
		fmt.Fprintf(w, "  %-32s score %.2f  learned %.2f  question %.2f  bm25 %.2f  coverage %.2f\n", h.ID, h.Score, h.Learned, h.Question, h.BM25, h.Coverage)
	}
}
