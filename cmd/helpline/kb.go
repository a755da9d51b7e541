package main

import (
	"context"
	"fmt"
	"io"

	"helpline/internal/kb"
)

func runKB(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, "usage: helpline kb check | helpline kb eval FILE\n")
		return errUsage
	}
	switch args[0] {
	case "check":
		return runKBCheck(args[1:], getenv, stdout, stderr)
	case "eval":
		return runKBEval(ctx, args[1:], getenv, stdout, stderr)
	default:
		fmt.Fprintf(stderr, "unknown kb command %q: use check or eval\n", args[0])
		return errUsage
	}
}

func runKBCheck(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	flags := newFlags("kb check", stderr)
	open := knowledgeFlag(flags, getenv)
	if err := parseFlags(flags, args); err != nil {
		return err
	}
	b, ps := kb.Read(open())
	for _, p := range ps {
		fmt.Fprintln(stdout, p)
	}
	if len(ps) > 0 {
		return fmt.Errorf("knowledge base check failed: %d problem(s)", len(ps))
	}
	fmt.Fprintf(stdout, "ok: %d entries, %d lexicon terms, %d topic words\n", len(b.Entries), len(b.Lexicon), len(b.Topic))
	return nil
}
