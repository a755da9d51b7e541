// Package eval measures the answering engine against an evaluation set:
// questions written like real visitors, each with the entries that answer
// it or the kind of reply it must get. It is how the engine's thresholds
// are calibrated and how CI holds the line on accuracy.
package eval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"helpline/internal/answer"
)

// Case is one line of an evaluation set.
type Case struct {
	// Q is the visitor's question.
	Q string `json:"q"`
	// After holds the visitor's earlier questions in the same
	// conversation, oldest first, for follow-ups.
	After []string `json:"after,omitempty"`
	// Expect lists the entries that answer Q, best first.
	Expect []string `json:"expect,omitempty"`
	// Kind is the kind of reply Q must get instead (fallback, refusal,
	// handoff).
	Kind answer.Kind `json:"kind,omitempty"`
	// Missing names what the knowledge base would need to answer Q, for a
	// real question it cannot answer yet: the right reply is an honest
	// "I'm not sure" or a choice, never a confident answer.
	Missing string `json:"missing,omitempty"`
	// Source is where a question gathered from a public page was found.
	Source string `json:"source,omitempty"`

	Line int `json:"-"`
}

// Read parses an evaluation set in JSON lines; blank lines and lines
// starting with # are skipped. Errors name the line.
func Read(r io.Reader) ([]Case, error) {
	var cases []Case
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		var c Case
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		switch {
		case strings.TrimSpace(c.Q) == "":
			return nil, fmt.Errorf("line %d: empty question", n)
		case count(len(c.Expect) > 0, c.Kind != "", c.Missing != "") != 1:
			return nil, fmt.Errorf("line %d: give one of expect (entry ids), kind or missing", n)
		}
		c.Line = n
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return cases, nil
}

func count(bs ...bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

// Result is the engine's decision on one case.
type Result struct {
	Case Case
	Got  answer.Decision
	OK   bool
}

// Report sums up a run.
type Report struct {
	Results []Result

	InScope      int // cases with expected entries
	Top1         int // ... whose first entry was expected (answer or clarify)
	Answered     int // ... answered outright
	AnsweredOK   int // ... answered outright with an expected entry
	Clarified    int // ... offered a choice
	ClarifiedOK  int // ... offered a choice led by an expected entry
	FellBack     int // ... got a fallback or another kind
	OutOfScope   int // cases expecting a fallback
	OOSAnswered  int // ... that were answered: never acceptable
	OOSClarified int // ... that got a clarify
	Reachable    int // ... with an expected entry one tap away: answered, offered as the alternative, or a choice
	AltRescued   int // ... answered with a wrong entry, but with the right one offered beside it
	OOSCrisis    int // out-of-scope cases screened as a crisis: never acceptable
	Missing      int // cases the knowledge base cannot answer yet
	MissAnswered int // ... answered confidently anyway (with an entry that does not answer them)
	MissClarify  int // ... offered a choice
	Rank1        int // in-scope cases (without context) whose best-ranked entry is expected, whatever the kind
	Rank3        int // ... with an expected entry among the three best
	Ranked       int // in-scope cases without context
	KindCases    map[answer.Kind]int
	KindOK       map[answer.Kind]int
}

// Run decides every case with a fresh conversation, replaying After first.
func Run(e *answer.Engine, cases []Case) Report { return RunWith(e, cases, nil) }

// Refine revisits the engine's decision d on q, as the service does with
// a model's ranking by meaning (answer.Engine.Reconsider).
type Refine func(q string, ctx answer.Memory, d answer.Decision) answer.Decision

// RunWith is Run with every decision passed through refine, when it is
// not nil.
func RunWith(e *answer.Engine, cases []Case, refine Refine) Report {
	decide := func(q string, ctx answer.Memory) answer.Decision {
		d := e.Decide(q, ctx)
		if refine != nil {
			d = refine(q, ctx, d)
		}
		return d
	}
	r := Report{KindCases: map[answer.Kind]int{}, KindOK: map[answer.Kind]int{}}
	for _, c := range cases {
		var ctx answer.Memory
		for _, prev := range c.After {
			ctx = ctx.Next(prev, decide(prev, ctx))
		}
		d := decide(c.Q, ctx)
		res := Result{Case: c, Got: d}
		switch {
		case c.Missing != "":
			r.Missing++
			switch d.Kind {
			case answer.KindAnswer:
				r.MissAnswered++
			case answer.KindClarify:
				r.MissClarify++
			}
			res.OK = d.Kind != answer.KindAnswer
		case len(c.Expect) > 0:
			r.InScope++
			first := ""
			if len(d.Entries) > 0 {
				first = d.Entries[0]
			}
			hit := slices.Contains(c.Expect, first)
			switch d.Kind {
			case answer.KindAnswer:
				r.Answered++
				if hit {
					r.AnsweredOK++
				}
			case answer.KindClarify:
				r.Clarified++
				if hit {
					r.ClarifiedOK++
				}
			default:
				r.FellBack++
			}
			res.OK = hit && (d.Kind == answer.KindAnswer || d.Kind == answer.KindClarify)
			if reachable(d, c.Expect) {
				r.Reachable++
				if d.Kind == answer.KindAnswer && !hit {
					r.AltRescued++
				}
			}
			if len(c.After) == 0 {
				r.Ranked++
				for i, h := range e.Explain(c.Q, 3).Hits {
					if slices.Contains(c.Expect, h.ID) {
						if i == 0 {
							r.Rank1++
						}
						r.Rank3++
						break
					}
				}
			}
			if res.OK {
				r.Top1++
			}
		default:
			r.KindCases[c.Kind]++
			res.OK = d.Kind == c.Kind
			if res.OK {
				r.KindOK[c.Kind]++
			}
			if c.Kind == answer.KindFallback {
				r.OutOfScope++
				switch d.Kind {
				case answer.KindAnswer:
					r.OOSAnswered++
				case answer.KindClarify:
					r.OOSClarified++
				case answer.KindCrisis:
					r.OOSCrisis++
				}
			}
		}
		r.Results = append(r.Results, res)
	}
	return r
}

// reachable reports whether one of the expected entries is one tap away
// in d: answered, offered as the alternative to the answer, or among the
// choices of a clarify. Follow-up buttons after an answer do not count:
// they are offered whatever the question.
func reachable(d answer.Decision, expect []string) bool {
	var ids []string
	switch d.Kind {
	case answer.KindAnswer:
		ids = d.Entries
		for _, o := range d.Alternatives {
			ids = append(ids, o.ID)
		}
	case answer.KindClarify:
		ids = d.Entries
	}
	for _, id := range ids {
		if slices.Contains(expect, id) {
			return true
		}
	}
	return false
}

// Accuracy is the top-1 accuracy on in-scope questions: the share whose
// answer, or first offered choice, is an expected entry.
func (r Report) Accuracy() float64 { return ratio(r.Top1, r.InScope) }

// RightFirst is the share of in-scope questions answered outright with an
// expected entry: right the first time, with no tap.
func (r Report) RightFirst() float64 { return ratio(r.AnsweredOK, r.InScope) }

// Reach is the share of in-scope questions whose expected entry is one tap
// away: answered, offered as the alternative, or among the choices.
func (r Report) Reach() float64 { return ratio(r.Reachable, r.InScope) }

// Precision is the share of outright answers that were right: how often a
// confident answer can be trusted.
func (r Report) Precision() float64 { return ratio(r.AnsweredOK, r.Answered) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// WriteSummary prints the figures.
func (r Report) WriteSummary(w io.Writer) {
	fmt.Fprintf(w, "in-scope questions: %d\n", r.InScope)
	fmt.Fprintf(w, "  top-1 accuracy:   %.1f%% (%d/%d; answer or first choice is an expected entry)\n", 100*r.Accuracy(), r.Top1, r.InScope)
	fmt.Fprintf(w, "  answered:         %d, of which right %d (precision %.1f%%)\n", r.Answered, r.AnsweredOK, 100*r.Precision())
	fmt.Fprintf(w, "  clarified:        %d, led by an expected entry %d\n", r.Clarified, r.ClarifiedOK)
	fmt.Fprintf(w, "  no entry offered: %d\n", r.FellBack)
	fmt.Fprintf(w, "  ranking alone:    best entry expected %.1f%%, an expected entry in the best three %.1f%% (%d questions without context)\n",
		100*ratio(r.Rank1, r.Ranked), 100*ratio(r.Rank3, r.Ranked), r.Ranked)
	fmt.Fprintf(w, "  right first time: %.1f%% (%d; answered with an expected entry)\n", 100*r.RightFirst(), r.AnsweredOK)
	fmt.Fprintf(w, "  one tap away:     %.1f%% (%d; answered, the offered alternative, or a choice)\n", 100*r.Reach(), r.Reachable)
	fmt.Fprintf(w, "  wrong answers:    %.1f%% (%d); \"I'm not sure\": %.1f%% (%d)\n", 100*ratio(r.Answered-r.AnsweredOK, r.InScope), r.Answered-r.AnsweredOK, 100*ratio(r.FellBack, r.InScope), r.FellBack)
	if r.Missing > 0 {
		fmt.Fprintf(w, "questions the knowledge base cannot answer yet: %d: answered anyway %d (%.1f%%), clarified %d, fell back %d\n",
			r.Missing, r.MissAnswered, 100*ratio(r.MissAnswered, r.Missing), r.MissClarify, r.Missing-r.MissAnswered-r.MissClarify)
	}
	fmt.Fprintf(w, "out-of-scope questions: %d: answered %d (must be 0), screened as a crisis %d (must be 0), clarified %d, fell back %d\n",
		r.OutOfScope, r.OOSAnswered, r.OOSCrisis, r.OOSClarified, r.KindOK[answer.KindFallback])
	for _, k := range []answer.Kind{answer.KindRefusal, answer.KindHandoff} {
		if n := r.KindCases[k]; n > 0 {
			fmt.Fprintf(w, "%s requests: %d, got %s: %d\n", k, n, k, r.KindOK[k])
		}
	}
}

// WriteMisses prints every case the engine got wrong.
func (r Report) WriteMisses(w io.Writer) {
	for _, res := range r.Results {
		if res.OK {
			continue
		}
		want := string(res.Case.Kind)
		switch {
		case len(res.Case.Expect) > 0:
			want = strings.Join(res.Case.Expect, "|")
		case res.Case.Missing != "":
			want = "no confident answer (missing: " + res.Case.Missing + ")"
		}
		ctx := ""
		if len(res.Case.After) > 0 {
			ctx = fmt.Sprintf(" (after %q)", res.Case.After)
		}
		fmt.Fprintf(w, "miss line %d: %q%s\n    expected %s, got %s %s (score %.2f%s)\n",
			res.Case.Line, res.Case.Q, ctx, want, res.Got.Kind, strings.Join(res.Got.Entries, ","), res.Got.Score, reason(res.Got))
	}
}

func reason(d answer.Decision) string {
	if d.Reason == "" {
		return ""
	}
	return ", " + d.Reason
}
