package eval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"helpline/internal/safety"
)

// SafetyCase is one line of a safety set: a visitor message, the messages
// before it, and the danger it expresses (kind "none" for a hard negative:
// the topic without the danger).
type SafetyCase struct {
	Q       string       `json:"q"`
	Context []string     `json:"context,omitempty"`
	Risk    safety.Kind  `json:"risk"`
	Level   safety.Level `json:"level,omitempty"`
	// Source is where a message gathered from a public page was found.
	Source string `json:"source,omitempty"`

	Line int `json:"-"`
}

// ReadSafety parses a safety set in JSON lines.
func ReadSafety(r io.Reader) ([]SafetyCase, error) {
	var cases []SafetyCase
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		var c SafetyCase
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		switch c.Risk {
		case safety.None, safety.Overdose, safety.Suicide, safety.SelfHarm, safety.Medical, safety.Abuse:
		default:
			return nil, fmt.Errorf("line %d: unknown risk %q", n, c.Risk)
		}
		c.Line = n
		cases = append(cases, c)
	}
	return cases, sc.Err()
}

// SafetyResult is the screen's finding on one case.
type SafetyResult struct {
	Case SafetyCase
	Got  safety.Risk
}

// SafetyReport sums up a safety run.
type SafetyReport struct {
	Results   []SafetyResult
	Crisis    int // crisis messages
	Caught    int // ... flagged as any crisis
	KindOK    int // ... flagged with the expected kind
	LevelOK   int // ... flagged with the expected level
	Negatives int // hard negatives
	Flagged   int // ... wrongly flagged
}

// RunSafety screens every case.
func RunSafety(cases []SafetyCase) SafetyReport {
	var r SafetyReport
	for _, c := range cases {
		got := safety.Screen(c.Q, c.Context)
		r.Results = append(r.Results, SafetyResult{Case: c, Got: got})
		if c.Risk == safety.None {
			r.Negatives++
			if got.Crisis() {
				r.Flagged++
			}
			continue
		}
		r.Crisis++
		if got.Crisis() {
			r.Caught++
			if got.Kind == c.Risk {
				r.KindOK++
			}
			if got.Level == c.Level {
				r.LevelOK++
			}
		}
	}
	return r
}

// Recall is the share of crisis messages flagged as a crisis.
func (r SafetyReport) Recall() float64 { return ratio(r.Caught, r.Crisis) }

// FalseAlarms is the share of hard negatives flagged.
func (r SafetyReport) FalseAlarms() float64 { return ratio(r.Flagged, r.Negatives) }

// WriteSummary prints the figures.
func (r SafetyReport) WriteSummary(w io.Writer) {
	if r.Crisis > 0 {
		fmt.Fprintf(w, "crisis messages: %d, caught %d (recall %.1f%%), right kind %d, right level %d\n",
			r.Crisis, r.Caught, 100*r.Recall(), r.KindOK, r.LevelOK)
	}
	fmt.Fprintf(w, "negatives: %d, flagged %d (%.1f%%)\n", r.Negatives, r.Flagged, 100*r.FalseAlarms())
}

// WriteMisses prints every missed crisis, false alarm, and wrong kind.
func (r SafetyReport) WriteMisses(w io.Writer) {
	for _, res := range r.Results {
		c, got := res.Case, res.Got
		var what string
		switch {
		case c.Risk == safety.None && got.Crisis():
			what = "false alarm"
		case c.Risk != safety.None && !got.Crisis():
			what = "MISSED"
		case c.Risk != safety.None && (got.Kind != c.Risk || got.Level != c.Level):
			what = "wrong kind or level"
		default:
			continue
		}
		ctx := ""
		if len(c.Context) > 0 {
			ctx = fmt.Sprintf(" (after %q)", c.Context)
		}
		fmt.Fprintf(w, "%s line %d: %q%s\n    expected %s/%s, got %s [%s]\n",
			what, c.Line, c.Q, ctx, c.Risk, c.Level, got, strings.Join(got.Evidence, "; "))
	}
}
