package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"

	"helpline/internal/answer"
	"helpline/internal/assistant"
	"helpline/internal/config"
	"helpline/internal/eval"
	"helpline/internal/kb"
	"helpline/internal/semantic"
)

// newAssistant returns the client for the configured language model, or
// nil (a model that is off) when none is configured.
func newAssistant(l config.LLM, facts kb.Facts, rec assistant.Recorder) *assistant.Client {
	return assistantWith(l, facts, rec, false)
}

// assistantWith is newAssistant, with the circuit breaker off for batch
// work (an evaluation asks for every answer).
func assistantWith(l config.LLM, facts kb.Facts, rec assistant.Recorder, batch bool) *assistant.Client {
	if !l.On() || l.Model == "" {
		return nil
	}
	return assistant.New(assistant.Config{APIKey: l.APIKey, BaseURL: l.BaseURL, Model: l.Model, Timeout: l.Timeout,
		RequestsPerMinute: l.RequestsPerMinute, MonthlyTokens: l.MonthlyTokens, Transcripts: l.Transcripts,
		Facts: facts, Recorder: rec, NoBreaker: batch})
}

// runLLMEval runs an evaluation set (of questions or of safety messages)
// through the engine and the configured model, and reports how often the
// grounded answer passed the checks. Without a model it says so.
func runLLMEval(ctx context.Context, file string, open func() fs.FS, getenv func(string) string, stdout io.Writer) error {
	l, err := config.LoadLLM(getenv)
	if err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	if !l.On() {
		fmt.Fprintln(stdout, "language model: off (set HELPLINE_LLM_BASE_URL or HELPLINE_LLM_API_KEY, and HELPLINE_LLM_MODEL); nothing to evaluate")
		return nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var turns []eval.Turn
	var questions []eval.Case
	if isSafetySet(data) {
		cases, err := eval.ReadSafety(bytes.NewReader(data))
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		for _, c := range cases {
			turns = append(turns, eval.Turn{Q: c.Q, Earlier: c.Context})
		}
	} else {
		cases, err := eval.Read(bytes.NewReader(data))
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		for _, c := range cases {
			turns = append(turns, eval.Turn{Q: c.Q, Earlier: c.After})
		}
		questions = cases
	}
	base, err := loadBase(open())
	if err != nil {
		return err
	}
	facts := kb.DefaultFacts()
	engine := answer.New(base, facts)
	fmt.Fprintf(stdout, "language model: %s\n", l)
	if l.EmbeddingModel != "" && len(questions) > 0 {
		if err := semanticEval(ctx, l, base, engine, questions, stdout); err != nil {
			return err
		}
	}
	if l.Model == "" {
		return nil
	}
	client := assistantWith(l, facts, nil, true)
	if len(questions) > 0 {
		chooseEval(ctx, client, engine, questions, stdout)
	}
	r, err := eval.RunGrounded(ctx, engine, client, turns)
	r.WriteSummary(stdout)
	if err != nil {
		return err
	}
	if r.CrisisSent > 0 {
		return fmt.Errorf("%d message(s) of a crisis conversation reached the model", r.CrisisSent)
	}
	return nil
}

// semanticEval measures what the embedding model's ranking changes: the
// set decided by the engine alone, then with every decision reconsidered
// in the light of the entries the model finds closest (as the service
// does), side by side.
func semanticEval(ctx context.Context, l config.LLM, base *kb.Base, engine *answer.Engine, cases []eval.Case, stdout io.Writer) error {
	emb := semantic.NewOpenAI(semantic.OpenAIConfig{APIKey: l.APIKey, BaseURL: l.BaseURL, Model: l.EmbeddingModel, Timeout: l.Timeout})
	ix, st, err := semantic.Build(ctx, base, emb, &semantic.Memory{})
	if err != nil {
		return fmt.Errorf("embedding the knowledge base: %w", err)
	}
	fmt.Fprintf(stdout, "embeddings (%s): %d texts embedded\n", l.EmbeddingModel, st.Embedded)
	failed := 0
	refine := func(q string, c answer.Memory, d answer.Decision) answer.Decision {
		hits, err := ix.Rank(ctx, emb, q, semanticHits)
		if err != nil {
			failed++
			return d
		}
		return engine.Reconsider(q, c, d, hits)
	}
	fmt.Fprintln(stdout, "\nlexical ranking alone:")
	eval.Run(engine, cases).WriteSummary(stdout)
	fmt.Fprintln(stdout, "\nreconsidered with the embedding model's ranking:")
	eval.RunWith(engine, cases, refine).WriteSummary(stdout)
	if failed > 0 {
		fmt.Fprintf(stdout, "(%d questions could not be embedded and kept the lexical decision)\n", failed)
	}
	return nil
}

// chooseEval measures the model as a clarifier: the set decided by the
// engine alone, then with every menu offered to a question put to the
// model (as the service does), side by side.
func chooseEval(ctx context.Context, client *assistant.Client, engine *answer.Engine, cases []eval.Case, stdout io.Writer) {
	asked, picked := 0, 0
	refine := func(q string, _ answer.Memory, d answer.Decision) answer.Decision {
		if d.Kind != answer.KindClarify || d.Reason == "off topic" || len(d.Entries) < 2 {
			return d
		}
		var entries []*kb.Entry
		for _, id := range d.Entries {
			if en := engine.Base().Entry(id); en != nil {
				entries = append(entries, en)
			}
		}
		client.WaitForRate(ctx)
		asked++
		c := client.Choose(ctx, assistant.Choice{Text: q, Risk: d.Risk, Entries: entries})
		if c.ID == "" {
			return d
		}
		picked++
		return engine.Pick(d, c.ID, "chosen by the model")
	}
	fmt.Fprintln(stdout, "\nmenus as the engine offers them:")
	eval.Run(engine, cases).WriteSummary(stdout)
	fmt.Fprintln(stdout, "\nmenus put to the model, which may name one of their entries:")
	eval.RunWith(engine, cases, refine).WriteSummary(stdout)
	fmt.Fprintf(stdout, "(%d menus put to the model, %d answered with its choice)\n\n", asked, picked)
}

// semanticHits is how many of the model's closest entries a decision is
// reconsidered with.
const semanticHits = 8
