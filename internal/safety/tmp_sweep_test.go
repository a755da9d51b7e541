package safety

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"testing"
)

type scase struct {
	Q       string   `json:"q"`
	Context []string `json:"context"`
	Risk    string   `json:"risk"`
}

func loadS(f string) []scase {
	fh, _ := os.Open(f)
	var out []scase
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		var c scase
		json.Unmarshal(sc.Bytes(), &c)
		out = append(out, c)
	}
	return out
}

func screenWith(q string, context []string, th float64) Risk {
	text := normalize(q)
	used := usedRecently(text)
	prev := ""
	for _, x := range context {
		prev = normalize(x)
		if usedRecently(prev) {
			used = true
		}
	}
	r := screenText(text, used)
	if !r.Crisis() {
		r = models.screenAt(text, prev, th)
	}
	return r
}

func TestTmpSweep(t *testing.T) {
	for _, f := range []string{"../../knowledge/eval/safety.jsonl", "/work/plan/safety_holdout.jsonl"} {
		cases := loadS(f)
		for _, th := range []float64{0.5, 0.6, 0.7, 0.8, 0.9} {
			var crisis, caught, neg, fp int
			for _, c := range cases {
				r := screenWith(c.Q, c.Context, th)
				if c.Risk == "none" {
					neg++
					if r.Crisis() {
						fp++
					}
				} else {
					crisis++
					if r.Crisis() {
						caught++
					}
				}
			}
			fmt.Printf("%s th %.2f: recall %.1f%% fp %.1f%% (%d)\n", f[len(f)-20:], th, 100*float64(caught)/float64(crisis), 100*float64(fp)/float64(neg), fp)
		}
	}
}
