package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/redis/go-redis/v9"

	"helpline/internal/reps"
	"helpline/internal/store"
)

const repUsage = `usage:
  helpline rep add NAME [--role supervisor]   create an account; the password is read from standard input
  helpline rep password NAME                  set a new password (from standard input) and lift a lock
  helpline rep list                           list the accounts
  helpline rep disable NAME                   stop an account from signing in
  helpline rep enable NAME                    let it sign in again

The accounts live in the Redis the service uses: set REDIS_URL (and REDIS_MASTER for Sentinel)
as for "helpline serve".
`

// runRep manages representatives' accounts.
func runRep(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stderr, repUsage)
		return errUsage
	}
	cmd, rest := args[0], args[1:]
	flags := newFlags("rep "+cmd, stderr)
	role := flags.String("role", string(reps.RoleRep), "rep or supervisor (supervisors may transfer and close any conversation)")
	if err := parseFlags(flags, interspersed(rest)); err != nil {
		return err
	}
	wantArgs := 1
	if cmd == "list" {
		wantArgs = 0
	}
	if flags.NArg() != wantArgs {
		fmt.Fprint(stderr, repUsage)
		return errUsage
	}
	url := getenv("REDIS_URL")
	if url == "" {
		return errors.New("REDIS_URL is not set: accounts are kept in the Redis the service uses (the embedded one prints a demo account when it starts)")
	}
	rdb, closeRedis, err := store.Connect(ctx, url, getenv("REDIS_MASTER"))
	if err != nil {
		return err
	}
	defer closeRedis()
	accounts := reps.New(rdb)
	name := flags.Arg(0)
	switch cmd {
	case "add":
		pw, err := readPassword(stdin, stderr)
		if err != nil {
			return err
		}
		if err := accounts.Add(ctx, name, pw, reps.Role(*role)); err != nil {
			return fmt.Errorf("add %s: %w", name, err)
		}
		fmt.Fprintf(stdout, "added %s (%s); they sign in at /console\n", name, *role)
	case "password":
		pw, err := readPassword(stdin, stderr)
		if err != nil {
			return err
		}
		if err := accounts.SetPassword(ctx, name, pw); err != nil {
			return fmt.Errorf("password for %s: %w", name, err)
		}
		fmt.Fprintf(stdout, "new password set for %s\n", name)
	case "disable", "enable":
		change := accounts.Disable
		if cmd == "enable" {
			change = accounts.Enable
		}
		if err := change(ctx, name); err != nil {
			return fmt.Errorf("%s %s: %w", cmd, name, err)
		}
		fmt.Fprintf(stdout, "%sd %s\n", cmd, name)
	case "list":
		list, err := accounts.List(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tROLE\tSTATE\tCREATED")
		for _, r := range list {
			state := "active"
			if r.Disabled {
				state = "disabled"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Name, r.Role, state, r.Created.Format(time.DateOnly))
		}
		return tw.Flush()
	default:
		fmt.Fprintf(stderr, "unknown rep command %q\n\n%s", cmd, repUsage)
		return errUsage
	}
	return nil
}

// interspersed moves flags before the arguments, so that both
// "rep add alice --role supervisor" and "rep add --role supervisor alice"
// work.
func interspersed(args []string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		if a := args[i]; strings.HasPrefix(a, "-") {
			flags = append(flags, a)
			if !strings.Contains(a, "=") && i+1 < len(args) && a != "-h" && a != "--help" {
				flags = append(flags, args[i+1])
				i++
			}
			continue
		}
		rest = append(rest, args[i])
	}
	return append(flags, rest...)
}

// readPassword reads one line from stdin: pipe it in, or type it.
func readPassword(stdin io.Reader, stderr io.Writer) (string, error) {
	fmt.Fprint(stderr, "Password (at least 12 characters), then Enter: ")
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	fmt.Fprintln(stderr)
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", errors.New("no password given on standard input")
	}
	return pw, nil
}

// demoAccount creates a supervisor account with a random password in an
// embedded Redis that has none, so that `go run ./cmd/helpline` opens the
// console too. It returns the name and password.
func demoAccount(ctx context.Context, rdb redis.UniversalClient) (name, password string, err error) {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	name, password = "demo", base64.RawURLEncoding.EncodeToString(b)
	return name, password, reps.New(rdb).Add(ctx, name, password, reps.RoleSupervisor)
}
