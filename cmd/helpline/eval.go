package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"

	"helpline/internal/answer"
	"helpline/internal/eval"
	"helpline/internal/kb"
)

func runKBEval(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	flags := newFlags("kb eval", stderr)
	open := knowledgeFlag(flags, getenv)
	minAccuracy := flags.Float64("min-accuracy", 0, "fail unless top-1 accuracy is at least `P` (0 to 1)")
	minRight := flags.Float64("min-right", 0, "fail unless the share of in-scope questions answered right first time is at least `P`")
	minReach := flags.Float64("min-reach", 0, "fail unless the share of in-scope questions whose entry is one tap away is at least `P`")
	maxFalseAlarms := flags.Float64("max-false-alarms", 0.02, "for a safety set: fail if more than this share `P` of its negatives is flagged")
	quiet := flags.Bool("quiet", false, "print only the summary, not each miss")
	allowCopies := flags.Bool("allow-copies", false, "warn about, rather than refuse, questions that copy sample questions (for sets written blind, where short questions coincide)")
	sweep := flags.Bool("sweep", false, "calibrate: try a grid of ranking parameters and thresholds and print the best")
	llm := flags.Bool("llm", false, "ask the configured language model (HELPLINE_LLM_*) for a grounded answer to each answered question and report how often it was used, and why not")
	if err := parseFlags(flags, args); err != nil {
		return err
	}
	if *llm {
		if flags.NArg() != 1 {
			fmt.Fprintln(stderr, "usage: helpline kb eval --llm FILE")
			return errUsage
		}
		return runLLMEval(ctx, flags.Arg(0), open, getenv, stdout)
	}
	if flags.NArg() != 1 && !(*sweep && flags.NArg() > 1) {
		fmt.Fprintln(stderr, "usage: helpline kb eval [--min-accuracy P] FILE, or kb eval --sweep FILE...")
		return errUsage
	}
	if *sweep {
		return runSweep(flags.Args(), open, *allowCopies, stdout, stderr)
	}
	data, err := os.ReadFile(flags.Arg(0))
	if err != nil {
		return err
	}
	if isSafetySet(data) {
		return runSafetyEval(flags.Arg(0), data, *quiet, *maxFalseAlarms, stdout)
	}
	cases, err := eval.Read(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("%s: %w", flags.Arg(0), err)
	}
	base, err := loadBase(open())
	if err != nil {
		return err
	}
	// An evaluation question that copies a sample question, or nearly so,
	// measures nothing: the engine would be reading its own answer key.
	if copies := eval.Copies(base, cases); len(copies) > 0 {
		for _, c := range copies {
			fmt.Fprintf(stderr, "%s:%d: %q nearly copies the sample question %q of entry %s\n", flags.Arg(0), c.Case.Line, c.Case.Q, c.Sample, c.Entry)
		}
		if !*allowCopies {
			return fmt.Errorf("%d evaluation question(s) copy sample questions: reword the sample questions", len(copies))
		}
		fmt.Fprintf(stderr, "warning: %d evaluation question(s) copy sample questions\n", len(copies))
	}
	for _, c := range cases {
		for _, id := range c.Expect {
			if base.Entry(id) == nil {
				return fmt.Errorf("%s:%d: expected entry %q does not exist", flags.Arg(0), c.Line, id)
			}
		}
	}
	report := eval.Run(answer.New(base, kb.DefaultFacts()), cases)
	if !*quiet {
		report.WriteMisses(stdout)
	}
	report.WriteSummary(stdout)
	if report.OOSAnswered > 0 {
		return fmt.Errorf("%d out-of-scope question(s) got an answer", report.OOSAnswered)
	}
	if report.OOSCrisis > 0 {
		return fmt.Errorf("%d out-of-scope question(s) were screened as a crisis", report.OOSCrisis)
	}
	if r := report.RightFirst(); r < *minRight {
		return fmt.Errorf("right first time %.1f%% is below the floor of %.1f%%", 100*r, 100**minRight)
	}
	if r := report.Reach(); r < *minReach {
		return fmt.Errorf("one tap away %.1f%% is below the floor of %.1f%%", 100*r, 100**minReach)
	}
	if acc := report.Accuracy(); acc < *minAccuracy {
		return fmt.Errorf("top-1 accuracy %.1f%% is below the floor of %.1f%%", 100*acc, 100**minAccuracy)
	}
	return nil
}

// runSweep calibrates the thresholds on the sets in files together.
func runSweep(files []string, open func() fs.FS, allowCopies bool, stdout, stderr io.Writer) error {
	base, err := loadBase(open())
	if err != nil {
		return err
	}
	var sets [][]eval.Case
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		cases, err := eval.Read(bytes.NewReader(data))
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		if copies := eval.Copies(base, cases); len(copies) > 0 && !allowCopies {
			return fmt.Errorf("%s: %d evaluation question(s) copy sample questions: reword the sample questions", f, len(copies))
		}
		sets = append(sets, cases)
	}
	eval.WriteSweep(stdout, eval.Sweep(base, kb.DefaultFacts(), sets, eval.DefaultGrid()), 25)
	return nil
}

// isSafetySet reports whether an evaluation file is a safety set: its lines
// give a "risk" rather than expected entries.
func isSafetySet(data []byte) bool {
	for line := range bytes.Lines(data) {
		if line = bytes.TrimSpace(line); len(line) > 0 && line[0] != '#' {
			return bytes.Contains(line, []byte(`"risk"`))
		}
	}
	return false
}

func runSafetyEval(name string, data []byte, quiet bool, maxFalseAlarms float64, stdout io.Writer) error {
	cases, err := eval.ReadSafety(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	r := eval.RunSafety(cases)
	if !quiet {
		r.WriteMisses(stdout)
	}
	r.WriteSummary(stdout)
	if r.Caught < r.Crisis {
		return fmt.Errorf("%d crisis message(s) missed", r.Crisis-r.Caught)
	}
	if r.FalseAlarms() > maxFalseAlarms {
		return fmt.Errorf("%.1f%% of negatives flagged, above %.1f%%", 100*r.FalseAlarms(), 100*maxFalseAlarms)
	}
	return nil
}
