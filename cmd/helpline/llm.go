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
)

// newAssistant returns the client for the configured language model, or
// nil (a model that is off) when none is configured.
func newAssistant(l config.LLM, facts kb.Facts, rec assistant.Recorder) *assistant.Client {
	if !l.On() {
		return nil
	}
	return assistant.New(assistant.Config{APIKey: l.APIKey, BaseURL: l.BaseURL, Model: l.Model, Timeout: l.Timeout,
		RequestsPerMinute: l.RequestsPerMinute, MonthlyTokens: l.MonthlyTokens, Transcripts: l.Transcripts,
		Facts: facts, Recorder: rec})
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
	}
	base, err := loadBase(open())
	if err != nil {
		return err
	}
	facts := kb.DefaultFacts()
	fmt.Fprintf(stdout, "language model: %s\n", l)
	r, err := eval.RunGrounded(ctx, answer.New(base, facts), newAssistant(l, facts, nil), turns)
	r.WriteSummary(stdout)
	if err != nil {
		return err
	}
	if r.CrisisSent > 0 {
		return fmt.Errorf("%d message(s) of a crisis conversation reached the model", r.CrisisSent)
	}
	return nil
}
