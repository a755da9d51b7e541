package safety

import (
	"fmt"
	"testing"
)

func TestTmpFAQ(t *testing.T) {
	var qs []string
	for _, f := range []string{"../../knowledge/eval/questions.jsonl", "/work/plan/questions_holdout.jsonl"} {
		for _, c := range loadS(f) {
			qs = append(qs, c.Q)
		}
	}
	for _, th := range []float64{0.5, 0.6, 0.7, 0.8, 0.9} {
		n := 0
		var ex []string
		for _, q := range qs {
			text := normalize(q)
			r := screenText(text, usedRecently(text))
			if !r.Crisis() {
				r = models.screenAt(text, "", th)
			}
			if r.Crisis() {
				n++
				if th == 0.5 {
					ex = append(ex, fmt.Sprintf("%q %s %v", q, r, r.Evidence))
				}
			}
		}
		fmt.Printf("th %.1f: %d of %d FAQ questions flagged\n", th, n, len(qs))
		for _, e := range ex {
			fmt.Println("   ", e)
		}
	}
}
