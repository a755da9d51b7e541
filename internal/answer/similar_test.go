package answer

import (
	"slices"
	"testing"
)

// TestReconsider: what an embedding model's ranking may change in a
// decision, and what it may not.
func TestReconsider(t *testing.T) {
	e := engine(t)
	sim := func(pairs ...any) []Similar {
		var out []Similar
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, Similar{ID: pairs[i].(string), Score: pairs[i+1].(float64)})
		}
		return out
	}
	after := Memory{}.Next("how long does withdrawal last", e.Decide("how long does withdrawal last", Memory{}))
	for _, tt := range []struct {
		name    string
		q       string
		ctx     Memory
		similar []Similar
		kind    Kind
		entries []string
		alt     string // the first alternative offered beside an answer
	}{
		{"a menu becomes the answer the model is sure of", "What is harm reduction?", Memory{},
			sim("safer-use", 0.90, "syringe-services", 0.80), KindAnswer, []string{"safer-use"}, "syringe-services"},
		{"a menu the model is unsure of stays a menu, reordered", "What is harm reduction?", Memory{},
			sim("safer-use", 0.81, "naloxone", 0.80, "syringe-services", 0.50), KindClarify, []string{"safer-use", "syringe-services"}, ""},
		{"an entry the words do not support changes nothing", "What is harm reduction?", Memory{},
			sim("driving-on-mat", 0.95, "syringe-services", 0.70), KindClarify, []string{"syringe-services", "safer-use"}, ""},
		{`"I'm not sure" becomes a menu of plausible entries`, "Can I make/receive phone calls?", Memory{},
			sim("rehab-rules", 0.90, "driving-on-mat", 0.85, "contact-us", 0.70), KindClarify, []string{"rehab-rules", "contact-us"}, ""},
		{"an answer the model disagrees with offers its entry beside it", "what is methadone", Memory{},
			sim("methadone-clinic", 0.90, "methadone", 0.70), KindAnswer, []string{"methadone"}, "methadone-clinic"},
		{"a crisis is never reconsidered", "i want to kill myself", Memory{},
			sim("naloxone", 0.99, "cost", 0.10), KindCrisis, []string{}, ""},
		{"nor a refusal", "how do i pass a drug test", Memory{},
			sim("drug-test-windows", 0.99, "cost", 0.10), KindRefusal, []string{}, ""},
		{"nor an off-topic question", "What are carries?", Memory{},
			sim("methadone-clinic", 0.99, "take-home-doses", 0.10), KindClarify, []string{"take-home-doses"}, ""},
		{"nor a follow-up read with its context", "and how do i get it", after,
			sim("cost", 0.99, "naloxone", 0.10), "", nil, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := e.Decide(tt.q, tt.ctx)
			got := e.Reconsider(tt.q, tt.ctx, d, tt.similar)
			if tt.kind == "" { // unchanged
				if got.Kind != d.Kind || !slices.Equal(got.Entries, d.Entries) {
					t.Fatalf("reconsidered %s %v into %s %v", d.Kind, d.Entries, got.Kind, got.Entries)
				}
				return
			}
			if got.Kind != tt.kind || !slices.Equal(got.Entries, tt.entries) {
				t.Fatalf("%s %v reconsidered = %s %v, want %s %v", d.Kind, d.Entries, got.Kind, got.Entries, tt.kind, tt.entries)
			}
			if tt.alt != "" && (len(got.Alternatives) == 0 || got.Alternatives[0].ID != tt.alt) {
				t.Errorf("alternatives %v, want %s first", got.Alternatives, tt.alt)
			}
			if got.Kind == KindClarify && len(got.Options) != len(got.Entries) {
				t.Errorf("options %v for entries %v", got.Options, got.Entries)
			}
			if got.Text == "" {
				t.Error("no text")
			}
			if got.Risk.Kind != d.Risk.Kind || got.Risk.Level != d.Risk.Level {
				t.Errorf("risk %+v, want the screen's %+v kept", got.Risk, d.Risk)
			}
		})
	}
}
