package eval

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"helpline/internal/answer"
	"helpline/internal/assistant"
)

// Turn is one visitor message of a grounded evaluation, with the
// messages the visitor sent before it in the same conversation.
type Turn struct {
	Q       string
	Earlier []string
}

// GroundedReport tells how often the language model's grounded answer
// was used instead of the curated one, and why not. It measures the
// checks against an endpoint, not the answers' quality.
type GroundedReport struct {
	// Turns is the number of messages evaluated.
	Turns int
	// Kinds counts the engine's decisions by kind; only answers are
	// offered to the model.
	Kinds map[answer.Kind]int
	// Reasons counts the answers offered to the model by reason: used,
	// or why the curated answer was used.
	Reasons map[assistant.Reason]int
	// Crisis counts the messages of conversations with a crisis, and
	// CrisisSent those among them that reached the endpoint (always 0).
	Crisis, CrisisSent int
	// Tokens are the tokens spent.
	Tokens int
	// Elapsed are the durations of the requests that reached the
	// endpoint.
	Elapsed []time.Duration
}

// RunGrounded decides each turn with the engine and, for an answer or a
// crisis, asks the client for the grounded answer, waiting for the
// per-minute budget rather than falling back. A crisis is passed on only
// to count that the client refuses it.
func RunGrounded(ctx context.Context, e *answer.Engine, c *assistant.Client, turns []Turn) (GroundedReport, error) {
	r := GroundedReport{Kinds: map[answer.Kind]int{}, Reasons: map[assistant.Reason]int{}}
	for _, t := range turns {
		var actx answer.Memory
		for _, m := range t.Earlier {
			actx = actx.Next(m, e.Decide(m, actx))
		}
		d := e.Decide(t.Q, actx)
		r.Turns++
		r.Kinds[d.Kind]++
		risk := assistant.ConversationRisk(actx, d)
		if d.Kind != answer.KindAnswer && !risk.Crisis() {
			continue
		}
		if !risk.Crisis() {
			if err := c.WaitForRate(ctx); err != nil {
				return r, err
			}
		}
		res := c.Answer(ctx, assistant.Question{Text: t.Q, Earlier: t.Earlier, Risk: risk,
			Entries: assistant.Grounding(e.Base(), d), Curated: d.Text})
		r.Reasons[res.Reason]++
		r.Tokens += res.Tokens
		if res.Reason.Called() {
			r.Elapsed = append(r.Elapsed, res.Elapsed)
		}
		if risk.Crisis() {
			r.Crisis++
			if res.Reason.Called() {
				r.CrisisSent++
			}
		}
	}
	return r, ctx.Err()
}

// Offered is the number of answers offered to the model, crises aside.
func (r GroundedReport) Offered() int {
	n := 0
	for reason, k := range r.Reasons {
		if reason != assistant.Crisis {
			n += k
		}
	}
	return n
}

// WriteSummary writes the counts: decisions, answers used and rejected by
// reason, crises, tokens and the endpoint's time.
func (r GroundedReport) WriteSummary(w io.Writer) {
	fmt.Fprintf(w, "messages: %d;", r.Turns)
	for _, k := range []answer.Kind{answer.KindAnswer, answer.KindClarify, answer.KindFallback, answer.KindHandoff, answer.KindRefusal, answer.KindCrisis} {
		if n := r.Kinds[k]; n > 0 {
			fmt.Fprintf(w, " %s %d", k, n)
		}
	}
	fmt.Fprintln(w)
	offered := r.Offered()
	used := r.Reasons[assistant.Used]
	fmt.Fprintf(w, "answers offered to the model: %d; grounded answer used %d (%.1f%%), curated answer kept %d\n",
		offered, used, pct(used, offered), offered-used)
	for _, reason := range assistant.Reasons {
		if n := r.Reasons[reason]; n > 0 && reason != assistant.Used && reason != assistant.Crisis {
			fmt.Fprintf(w, "  %-20s %5d\n", reason, n)
		}
	}
	fmt.Fprintf(w, "messages in a crisis: %d, sent to the model: %d\n", r.Crisis, r.CrisisSent)
	if n := len(r.Elapsed); n > 0 {
		s := slices.Clone(r.Elapsed)
		slices.Sort(s)
		fmt.Fprintf(w, "requests: %d; tokens %d (%.0f per request); time per request: median %v, 95th percentile %v\n",
			n, r.Tokens, float64(r.Tokens)/float64(n), s[n/2].Round(10*time.Microsecond), s[(n*95)/100].Round(10*time.Microsecond))
	}
	fmt.Fprintln(w, "(how often the checks let the model's answer through on this endpoint; not a measure of its quality)")
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}
