package metrics

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// assistantCounts keeps this instance's answers by reason since it
// started, for the readiness page, which says how the model is doing in
// words; the counters say it to Prometheus.
type assistantCounts struct {
	mu      sync.Mutex
	reasons map[string]int64
}

func (c *assistantCounts) add(reason string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.reasons == nil {
		c.reasons = map[string]int64{}
	}
	c.reasons[reason]++
}

// WatchAssistant says, in the metrics, that the language model is on:
// helpline_assistant_on is 1, helpline_assistant_info names the model and
// the endpoint's host (never the key), and
// helpline_assistant_tokens_month reads tokensThisMonth, the tokens spent
// in the current month, at every scrape.
func (m *Metrics) WatchAssistant(model, endpoint string, tokensThisMonth func() int64) {
	m.AssistantOn.Set(1)
	info := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "helpline_assistant_info", Help: "The language model in use: its name and the endpoint's scheme and host.",
	}, []string{"model", "endpoint"})
	info.WithLabelValues(model, endpoint).Set(1)
	tokens := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "helpline_assistant_tokens_month", Help: "Tokens the language model spent this calendar month (UTC), counted by this instance since it started; the monthly budget applies to it.",
	}, func() float64 { return float64(tokensThisMonth()) })
	m.Registry.MustRegister(info, tokens)
}

// AssistantSummary says in a line how the language model's answers went
// on this instance: how many were used, and why the others were not.
func (m *Metrics) AssistantSummary() string {
	c := &m.assistant
	c.mu.Lock()
	defer c.mu.Unlock()
	used := c.reasons["used"]
	var fallbacks, menus int64
	var why []string
	for r, n := range c.reasons {
		switch {
		case strings.HasPrefix(r, choicePrefix):
			// A menu the model was asked to choose from, not an answer.
			menus += n
		case r != "used":
			fallbacks += n
			why = append(why, fmt.Sprintf("%s %d", r, n))
		}
	}
	sort.Strings(why)
	s := fmt.Sprintf("%d answers used, %d curated instead", used, fallbacks)
	if len(why) > 0 {
		s += " (" + strings.Join(why, ", ") + ")"
	}
	if menus > 0 {
		s += fmt.Sprintf("; %d menus answered by its choice, of %d", c.reasons[choicePrefix+"used"], menus)
	}
	s += "; " + m.forReps["summary"].line("summaries") + "; " + m.forReps["draft"].line("drafts")
	return s
}

// line says in words how many of what were written, and why the others
// were not: "summaries: 3 written, 1 not (crisis 1)".
func (c *assistantCounts) line(what string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var not int64
	var why []string
	for r, n := range c.reasons {
		if r != "used" {
			not += n
			why = append(why, fmt.Sprintf("%s %d", r, n))
		}
	}
	sort.Strings(why)
	s := fmt.Sprintf("%s: %d written, %d not", what, c.reasons["used"], not)
	if len(why) > 0 {
		s += " (" + strings.Join(why, ", ") + ")"
	}
	return s
}

// choicePrefix marks the reasons of the model's choices among a menu's
// entries (assistant.Client.Choose), counted apart from its answers.
const choicePrefix = "choice_"
