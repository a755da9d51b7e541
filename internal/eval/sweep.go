package eval

import (
	"fmt"
	"io"
	"runtime"
	"sort"
	"sync"

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
	// Cost weighs the mistakes by how much they hurt a visitor (see
	// Cost).
	Cost float64
}

// Cost weights. A visitor on a phone pays for every reply that is not
// the answer: a tap when the right entry is one tap away (a menu, or the
// "Or were you asking about" alternative), a wasted reply and a lost
// minute when the bot says "I'm not sure" though it knows, and worst, a
// confident wrong answer, which they may believe. An out-of-scope
// question answered as if it were about opioids is the worst of all.
const (
	costExtraTap    = 1
	costNotSure     = 2
	costWrongAnswer = 4
	// A wrong answer with the right entry offered beside it ("Or were you
	// asking about...?") costs less: the visitor sees the way out.
	costRescued      = 2
	costMissAnswered = 2 // a question the base cannot answer, answered anyway
	costWrongKind    = 2 // a refusal or hand-off missed
	costOOSAnswered  = 10
	costOOSClarified = 1
)

// Cost is what a report's mistakes cost visitors, in taps.
func Cost(r Report) float64 {
	wrongKind := 0
	for k, n := range r.KindCases {
		if k != answer.KindFallback {
			wrongKind += n - r.KindOK[k]
		}
	}
	extraTaps := r.Reachable - r.AnsweredOK
	return costExtraTap*float64(extraTaps) +
		costNotSure*float64(r.FellBack) +
		costWrongAnswer*float64(r.Answered-r.AnsweredOK-r.AltRescued) +
		costRescued*float64(r.AltRescued) +
		costMissAnswered*float64(r.MissAnswered) +
		costWrongKind*float64(wrongKind) +
		costOOSAnswered*float64(r.OOSAnswered) +
		costOOSClarified*float64(r.OOSClarified)
}

// Grid is the set of values a sweep tries.
type Grid struct {
	Learned      []float64
	MinScore     []float64
	AnswerScore  []float64
	AltScore     []float64
	MinCoverage  []float64
	OffTopic     []float64
	LongMinScore []float64
	// ClarifyCoverage: below it, a question is mostly about something
	// the base does not cover and gets "I'm not sure".
	ClarifyCoverage []float64
}

// DefaultGrid spans the plausible range around the defaults.
func DefaultGrid() Grid {
	return Grid{
		Learned:         []float64{0.5},
		MinScore:        []float64{0.35, 0.40, 0.44},
		AnswerScore:     []float64{0.50, 0.55},
		AltScore:        []float64{0.65, 0.85},
		MinCoverage:     []float64{0.45, 0.55},
		OffTopic:        []float64{0.80, 0.85, 0.90},
		LongMinScore:    []float64{0.05},
		ClarifyCoverage: []float64{0.30, 0.40},
	}
}

// Sweep evaluates every setting of the grid on every set and returns the
// outcomes, cheapest first; an outcome's report sums the sets. The
// settings are evaluated on every core: an engine is safe for concurrent
// use.
func Sweep(base *kb.Base, facts kb.Facts, sets [][]Case, g Grid) []Outcome {
	type job struct {
		e *answer.Engine
		s Setting
	}
	var jobs []job
	for _, l := range g.Learned {
		p := search.DefaultParams()
		p.Learned = l
		e := answer.NewTuned(base, facts, p, answer.DefaultThresholds())
		for _, th := range g.thresholds() {
			jobs = append(jobs, job{e.WithThresholds(th), Setting{p, th}})
		}
	}
	out := make([]Outcome, len(jobs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				var sum Report
				for _, cases := range sets {
					sum = sum.plus(Run(jobs[i].e, cases))
				}
				out[i] = Outcome{Setting: jobs[i].s, Report: sum, Cost: Cost(sum)}
			}
		})
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	sort.SliceStable(out, func(i, j int) bool { return out[i].Cost < out[j].Cost })
	return out
}

// thresholds returns every combination of the grid's thresholds, each
// otherwise the defaults, leaving out those that would answer outright
// below the score they need to be answered at all.
func (g Grid) thresholds() []answer.Thresholds {
	axes := []struct {
		values []float64
		set    func(*answer.Thresholds, float64)
	}{
		{g.MinScore, func(t *answer.Thresholds, v float64) { t.MinScore = v }},
		{g.AnswerScore, func(t *answer.Thresholds, v float64) { t.AnswerScore = v }},
		{g.AltScore, func(t *answer.Thresholds, v float64) { t.AltScore = v }},
		{g.MinCoverage, func(t *answer.Thresholds, v float64) { t.MinCoverage = v }},
		{g.OffTopic, func(t *answer.Thresholds, v float64) { t.OffTopicScore = v }},
		{g.LongMinScore, func(t *answer.Thresholds, v float64) { t.LongMinScore = v }},
		{g.ClarifyCoverage, func(t *answer.Thresholds, v float64) { t.ClarifyCoverage = v }},
	}
	out := []answer.Thresholds{answer.DefaultThresholds()}
	for _, axis := range axes {
		if len(axis.values) == 0 {
			continue // the default stands
		}
		var next []answer.Thresholds
		for _, th := range out {
			for _, v := range axis.values {
				axis.set(&th, v)
				next = append(next, th)
			}
		}
		out = next
	}
	kept := out[:0]
	for _, th := range out {
		if th.AnswerScore >= th.MinScore {
			kept = append(kept, th)
		}
	}
	return kept
}

// plus adds the counts of o to r, for a sweep over several sets.
func (r Report) plus(o Report) Report {
	s := Report{KindCases: map[answer.Kind]int{}, KindOK: map[answer.Kind]int{}}
	for _, x := range []Report{r, o} {
		s.InScope += x.InScope
		s.Top1 += x.Top1
		s.Answered += x.Answered
		s.AnsweredOK += x.AnsweredOK
		s.Clarified += x.Clarified
		s.ClarifiedOK += x.ClarifiedOK
		s.FellBack += x.FellBack
		s.Reachable += x.Reachable
		s.AltRescued += x.AltRescued
		s.OutOfScope += x.OutOfScope
		s.OOSAnswered += x.OOSAnswered
		s.OOSClarified += x.OOSClarified
		s.OOSCrisis += x.OOSCrisis
		s.Missing += x.Missing
		s.MissAnswered += x.MissAnswered
		s.MissClarify += x.MissClarify
		for k, n := range x.KindCases {
			s.KindCases[k] += n
		}
		for k, n := range x.KindOK {
			s.KindOK[k] += n
		}
	}
	return s
}

// WriteSweep prints the n cheapest outcomes as a table, with the three
// costs a visitor pays: extra taps, "I'm not sure" and wrong answers.
func WriteSweep(w io.Writer, outs []Outcome, n int) {
	fmt.Fprintln(w, "cost  right  taps  not-sure  wrong  oos-answered | learned min-score answer-score alt-score min-coverage off-topic long-min clarify-cov")
	for i, o := range outs {
		if i == n {
			break
		}
		r, t := o.Report, o.Setting.Thresholds
		fmt.Fprintf(w, "%4.0f  %5.1f%%  %4d  %8d  %5d  %12d | %7.2f %9.2f %12.2f %9.2f %12.2f %9.2f %8.2f %11.2f\n",
			o.Cost, 100*r.RightFirst(), r.Reachable-r.AnsweredOK, r.FellBack, r.Answered-r.AnsweredOK, r.OOSAnswered,
			o.Setting.Params.Learned, t.MinScore, t.AnswerScore, t.AltScore, t.MinCoverage, t.OffTopicScore, t.LongMinScore, t.ClarifyCoverage)
	}
}
