package eval

import (
	"fmt"
	"io"
	"sort"

	"helpline/internal/answer"
	"helpline/internal/kb"
	"helpline/internal/search"
)

// Setting is one combination of ranking parameters and thresholds.
type Setting struct {
	Params     search.Params
	Thresholds answer.Thresholds
}

// Outcome is how a setting did on an evaluation set.
type Outcome struct {
	Setting Setting
	Report  Report
	// Cost weighs the mistakes by how much they hurt a visitor: an
	// out-of-scope question answered is the worst, a wrong confident
	// answer next, a clarify or fallback on a question we could have
	// answered least.
	Cost float64
}

// Cost weights.
const (
	costOOSAnswered  = 10
	costOOSClarified = 2
	costWrongAnswer  = 3
	costWrongKind    = 2
	costMissedAnswer = 1
	// A choice led by the right entry is right, but it costs the visitor
	// a tap: many of them make the bot feel unsure of everything.
	costClarified = 0.3
)

func cost(r Report) float64 {
	wrongKind := 0
	for k, n := range r.KindCases {
		if k != answer.KindFallback {
			wrongKind += n - r.KindOK[k]
		}
	}
	missed := r.InScope - r.Top1 - (r.Answered - r.AnsweredOK)
	return costOOSAnswered*float64(r.OOSAnswered) + costOOSClarified*float64(r.OOSClarified) +
		costWrongAnswer*float64(r.Answered-r.AnsweredOK) +
		costWrongKind*float64(wrongKind) +
		costMissedAnswer*float64(missed) +
		costClarified*float64(r.Clarified)
}

// Grid is the set of values a sweep tries.
type Grid struct {
	QuestionShare []float64
	BodyWeight    []float64
	Unknown       []float64
	MinScore      []float64
	MinCoverage   []float64
	ClarifyRatio  []float64
}

// DefaultGrid spans the plausible range around the defaults.
func DefaultGrid() Grid {
	return Grid{
		QuestionShare: []float64{0.4, 0.5, 0.6, 0.7, 0.8},
		BodyWeight:    []float64{0.3, 0.6, 1.0},
		Unknown:       []float64{0.4, 0.6, 0.8, 1.0},
		MinScore:      []float64{0.20, 0.25, 0.30, 0.35, 0.40},
		MinCoverage:   []float64{0.30, 0.40, 0.50, 0.60},
		ClarifyRatio:  []float64{0.85, 0.90, 0.93, 0.96},
	}
}

// Sweep evaluates every setting of the grid and returns the outcomes,
// cheapest first.
func Sweep(base *kb.Base, facts kb.Facts, cases []Case, g Grid) []Outcome {
	var out []Outcome
	for _, qs := range g.QuestionShare {
		for _, bw := range g.BodyWeight {
			for _, uw := range g.Unknown {
				p := search.DefaultParams()
				p.QuestionShare = qs
				p.Weight[search.Body] = bw
				p.Unknown = uw
				for _, ms := range g.MinScore {
					for _, mc := range g.MinCoverage {
						for _, cr := range g.ClarifyRatio {
							th := answer.DefaultThresholds()
							th.MinScore, th.MinCoverage, th.ClarifyRatio = ms, mc, cr
							r := Run(answer.NewTuned(base, facts, p, th), cases)
							r.Results = nil
							out = append(out, Outcome{Setting: Setting{p, th}, Report: r, Cost: cost(r)})
						}
					}
				}
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Cost < out[j].Cost })
	return out
}

// WriteSweep prints the n cheapest outcomes as a table.
func WriteSweep(w io.Writer, outs []Outcome, n int) {
	fmt.Fprintln(w, "cost  top-1  precision  clarify  oos-answered | question-share body-weight unknown min-score min-coverage clarify-ratio")
	for i, o := range outs {
		if i == n {
			break
		}
		r, s := o.Report, o.Setting
		fmt.Fprintf(w, "%4.0f  %5.1f%%  %7.1f%%  %7d  %12d | %14.2f %11.2f %7.2f %9.2f %12.2f %13.2f\n",
			o.Cost, 100*r.Accuracy(), 100*r.Precision(), r.Clarified, r.OOSAnswered,
			s.Params.QuestionShare, s.Params.Weight[search.Body], s.Params.Unknown, s.Thresholds.MinScore, s.Thresholds.MinCoverage, s.Thresholds.ClarifyRatio)
	}
}
