package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"helpline/internal/loadtest"
)

const benchUsage = `usage: helpline bench [flags]

Puts running helpline instances under load from loopback, and the same
workloads against a bare gorilla/websocket echo server it starts itself on
loopback, and reports both (see README, "Load test"). Every phase has a
duration and a count and stops by itself; a zero count skips it. The
phases, in order:

  cross       visitors on the first target; the representative --rep, signed
              in on the second, takes their conversations over and exchanges
              a message each way with each every --cross-interval: delivery
              time both ways, timed by a send time inside the message text
  chat        --visitors ask a question every --interval for --duration,
              spread over the targets; then the same against the echo server
  saturate    --saturate-clients ask again as soon as answered, for
              --saturate-for; then the same against the echo server: round
              trips per second and their ratio
  flood       --flood-visitors on the first target ask a question a second
              for --flood-for; then new ones do the same while one visitor
              there sends --flood messages as fast as it can: what the
              flooder got (rate_limited frames, a close) and the others' p99,
              with and without the flood
  idle        --idle connections, spread over the targets, held for
              --idle-hold: the services' resident memory per connection

The services limit visitor messages per client address and per
conversation. Every load client comes from 127.0.0.1, so start the services
with a per-address limit no load reaches (--rate-address 100000000) and a
per-conversation limit above what one load conversation sends in a minute
but far below a flood (--rate-conversation 120): the flooder is then stopped
by the per-conversation limit, as a real one would be, and nobody else is
limited. The saturating clients move to a new conversation of a pool opened
beforehand after --per-conversation questions, which must stay below
--rate-conversation; --saturate-pool times --per-conversation bounds the
round trips. The representative needs a chat limit of at least --cross
(serve --max-chats).

Example, three instances on one Redis:

  helpline bench --target http://127.0.0.1:8081,http://127.0.0.1:8082,http://127.0.0.1:8083 \
    --debug http://127.0.0.1:6061,http://127.0.0.1:6062,http://127.0.0.1:6063 --rep bench

flags:
`

// runBench puts running services under load from loopback and reports
// what it measured.
func runBench(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	flags := newFlags("bench", stderr)
	flags.Usage = func() {
		fmt.Fprint(stderr, benchUsage)
		flags.PrintDefaults()
	}
	targets := flags.String("target", "http://127.0.0.1:8080", "comma-separated base URLs of the running instances")
	debug := flags.String("debug", "", "comma-separated profilers of the instances (serve --debug-addr), in the order of --target, e.g. http://127.0.0.1:6060: collect garbage before measuring memory")
	rep := flags.String("rep", getenv("HELPLINE_BENCH_REP"), "the representative who takes the cross-instance conversations (env HELPLINE_BENCH_REP); the password is read from HELPLINE_BENCH_PASSWORD")
	cross := flags.Int("cross", 50, "cross-instance conversations")
	crossInterval := flags.Duration("cross-interval", 500*time.Millisecond, "time between one cross-instance conversation's exchanges")
	crossFor := flags.Duration("cross-for", 20*time.Second, "how long the cross-instance conversations go on")
	visitors := flags.Int("visitors", 1000, "chatting visitors")
	interval := flags.Duration("interval", time.Second, "time between one chatting visitor's questions")
	duration := flags.Duration("duration", 30*time.Second, "how long the visitors chat, against the services and then against the echo server")
	satClients := flags.Int("saturate-clients", 32, "clients of the closed loop")
	satFor := flags.Duration("saturate-for", 10*time.Second, "how long the closed loop runs, against the services and then against the echo server")
	satPool := flags.Int("saturate-pool", 2000, "conversations opened for the closed loop")
	perConv := flags.Int("per-conversation", 100, "most questions one closed-loop conversation asks (below the services' --rate-conversation)")
	floodN := flags.Int("flood", 10000, "messages the flooding visitor sends")
	floodVisitors := flags.Int("flood-visitors", 50, "visitors chatting on the flooder's instance")
	floodFor := flags.Duration("flood-for", 20*time.Second, "how long the flood run and the run without it each last")
	idle := flags.Int("idle", 10000, "idle connections")
	idleHold := flags.Duration("idle-hold", 20*time.Second, "how long the idle connections are held before their memory is read")
	if err := parseFlags(flags, args); err != nil {
		return err
	}
	durations := []time.Duration{*crossInterval, *crossFor, *interval, *duration, *satFor, *floodFor, *idleHold}
	for _, d := range durations {
		if d <= 0 || d > 10*time.Minute {
			fmt.Fprintln(stderr, "bench: every duration and interval must be between 0 and 10m")
			return errUsage
		}
	}
	for _, n := range []int{*cross, *visitors, *satClients, *satPool, *perConv, *floodN, *floodVisitors, *idle} {
		if n < 0 || n > 100000 {
			fmt.Fprintln(stderr, "bench: every count must be between 0 and 100000")
			return errUsage
		}
	}
	if *cross > 0 && *rep == "" {
		fmt.Fprintln(stderr, "bench: the cross-instance phase needs a representative: --rep NAME (or HELPLINE_BENCH_REP) and HELPLINE_BENCH_PASSWORD; --cross 0 skips it")
		return errUsage
	}
	o := loadtest.Options{
		Targets: split(*targets), Debug: split(*debug),
		Visitors: *visitors, Interval: *interval, Duration: *duration,
		Cross: *cross, CrossInterval: *crossInterval, CrossDuration: *crossFor, Rep: *rep, Password: getenv("HELPLINE_BENCH_PASSWORD"),
		SaturateFor: *satFor, SaturateWorkers: *satClients, SaturatePool: *satPool, PerConversation: *perConv,
		Flood: *floodN, FloodVisitors: *floodVisitors, FloodFor: *floodFor,
		Idle: *idle, IdleHold: *idleHold, Questions: loadtest.Questions,
	}
	report, err := loadtest.Run(ctx, o, stderr)
	report.Write(stdout)
	return err
}

// split splits a comma-separated list, dropping empty items.
func split(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
