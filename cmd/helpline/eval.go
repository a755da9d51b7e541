package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"helpline/internal/answer"
	"helpline/internal/eval"
	"helpline/internal/kb"
)

func runKBEval(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	flags := newFlags("kb eval", stderr)
	open := knowledgeFlag(flags, getenv)
	minAccuracy := flags.Float64("min-accuracy", 0, "fail unless top-1 accuracy is at least `P` (0 to 1)")
	quiet := flags.Bool("quiet", false, "print only the summary, not each miss")
	if err := parseFlags(flags, args); err != nil {
		return err
	}
	if flags.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: helpline kb eval [--min-accuracy P] FILE")
		return errUsage
	}
	f, err := os.Open(flags.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	cases, err := eval.Read(f)
	if err != nil {
		return fmt.Errorf("%s: %w", flags.Arg(0), err)
	}
	base, err := loadBase(open())
	if err != nil {
		return err
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
	if acc := report.Accuracy(); acc < *minAccuracy {
		return fmt.Errorf("top-1 accuracy %.1f%% is below the floor of %.1f%%", 100*acc, 100**minAccuracy)
	}
	return nil
}
