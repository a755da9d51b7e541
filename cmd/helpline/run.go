package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"helpline/internal/kb"
	"helpline/knowledge"
)

const usage = `usage: helpline [command] [flags] [arguments]

commands:
  serve [flags]                            run the chat service (the default; -h lists its settings)
  ask [--json] [--session] ["question"]   answer one question, or one per line from standard input
  kb check                                 validate the knowledge base
  kb eval [--min-accuracy P] FILE          run an evaluation set against the knowledge base
  kb eval --llm FILE                       report how often the configured language model's grounded answers pass the checks
  bench [--target URL,URL...] [--rep NAME] load running instances from loopback, and an echo server for comparison
  rep add|password|list|disable|enable     manage representatives' console accounts (needs REDIS_URL)

Every command takes --knowledge DIR to use another knowledge base than the built-in one.
Run "helpline <command> -h" for its flags.
`

// errUsage marks an error caused by how the command was called; the usage
// text has already been printed.
var errUsage = errors.New("invalid usage")

// run is the whole program behind main, with its environment passed in so
// tests can drive it exactly as a user would.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	// No command, or only flags, runs the service: `go run ./cmd/helpline`.
	if len(args) == 0 || strings.HasPrefix(args[0], "-") && args[0] != "-h" && args[0] != "--help" {
		return runServe(ctx, args, getenv, stdout, stderr)
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		return runServe(ctx, rest, getenv, stdout, stderr)
	case "ask":
		return runAsk(ctx, rest, getenv, stdin, stdout, stderr)
	case "kb":
		return runKB(ctx, rest, getenv, stdout, stderr)
	case "bench":
		return runBench(ctx, rest, getenv, stdout, stderr)
	case "rep":
		return runRep(ctx, rest, getenv, stdin, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", cmd, usage)
		return errUsage
	}
}

// knowledgeFlag registers --knowledge on fs and returns a function that
// opens the chosen knowledge base: the built-in one unless a directory is
// given.
func knowledgeFlag(flags *flag.FlagSet, getenv func(string) string) func() fs.FS {
	dir := flags.String("knowledge", getenv("HELPLINE_KNOWLEDGE"), "knowledge base `DIR` (default: the built-in one; env HELPLINE_KNOWLEDGE)")
	return func() fs.FS {
		if *dir == "" {
			return knowledge.FS()
		}
		return os.DirFS(*dir)
	}
}

// newFlags returns a flag set that reports errors instead of exiting.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	flags := flag.NewFlagSet(name, flag.ContinueOnError)
	flags.SetOutput(stderr)
	return flags
}

// parseFlags parses args and maps -h and bad flags to errUsage.
func parseFlags(flags *flag.FlagSet, args []string) error {
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errUsage
		}
		return errUsage
	}
	return nil
}

// loadBase reads and checks a knowledge base, refusing one with problems.
func loadBase(fsys fs.FS) (*kb.Base, error) {
	return kb.Load(fsys)
}
