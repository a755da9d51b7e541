// Package metrics defines the service's Prometheus metrics in one place.
// Labels carry kinds and senders, never conversation ids, text or
// addresses.
package metrics

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics are the service's collectors, registered in their own registry.
type Metrics struct {
	Registry      *prometheus.Registry
	Connections   prometheus.Gauge
	Messages      *prometheus.CounterVec
	Decisions     *prometheus.CounterVec
	AnswerSeconds prometheus.Histogram
	RedisErrors   prometheus.Counter
	RedisCommands prometheus.Counter
	Dropped       prometheus.Counter
	// WaitForPerson is how long visitors waited in the queue until a
	// representative took them, by priority: emergency and urgent are
	// crises. Observed on the instance of the representative who took it.
	WaitForPerson *prometheus.HistogramVec
	// Outcomes counts closed conversations by outcome (information,
	// referred, callback, crisis_escalated, other).
	Outcomes *prometheus.CounterVec
	// AssistantAnswers counts the answers the language model was asked
	// for, by reason: used, or why the curated answer was used instead
	// (the budgets, a timeout, a failed check...).
	AssistantAnswers *prometheus.CounterVec
	// AssistantTokens counts the tokens the language model spent.
	AssistantTokens prometheus.Counter
	// AssistantOn is 1 when a language model is configured, else 0.
	AssistantOn prometheus.Gauge
	// AssistantWritten counts the summaries and drafts representatives
	// asked the language model for, by kind (summary, draft) and reason:
	// used, or why there was none (transcripts_off, crisis, busy,
	// rate_limited, a budget, a failed check...).
	AssistantWritten *prometheus.CounterVec
	// MeaningRanked counts the decisions the embedding model's ranking
	// revisited, by outcome: changed, unchanged, or failed (the engine's
	// decision stood).
	MeaningRanked *prometheus.CounterVec

	assistant assistantCounts
	// forReps counts summaries and drafts by kind and reason, for the
	// readiness page.
	forReps map[string]*assistantCounts
}

// New creates and registers the metrics.
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		Connections: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "helpline_connections", Help: "Open websocket connections.",
		}),
		Messages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "helpline_messages_total", Help: "Messages stored, by sender.",
		}, []string{"sender"}),
		Decisions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "helpline_decisions_total", Help: "Bot decisions, by kind (answer, clarify, fallback, handoff, refusal, crisis).",
		}, []string{"kind"}),
		AnswerSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "helpline_answer_seconds",
			Help: "Time from receiving a visitor message to storing the bot's reply.",
			// Up to 30s: an answer the language model writes takes seconds.
			Buckets: []float64{.0005, .001, .002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}),
		RedisErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "helpline_redis_errors_total", Help: "Redis operations that failed.",
		}),
		RedisCommands: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "helpline_redis_commands_total", Help: "Round trips to Redis (a pipeline counts once).",
		}),
		Dropped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "helpline_slow_clients_total", Help: "Connections closed because the client could not keep up.",
		}),
		WaitForPerson: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "helpline_wait_for_person_seconds",
			Help:    "Time from asking for a person (or a crisis) to a representative taking the conversation, by priority (emergency and urgent are crises).",
			Buckets: []float64{5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600},
		}, []string{"priority"}),
		Outcomes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "helpline_outcomes_total", Help: "Conversations closed by a representative, by outcome (referred: referred to treatment).",
		}, []string{"outcome"}),
		AssistantAnswers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "helpline_assistant_answers_total", Help: "Grounded answers asked of the language model, by reason (used, or why the curated answer was used: off, crisis, rate_budget, token_budget, timeout, error, unknown_citation, unsupported_number...).",
		}, []string{"reason"}),
		AssistantTokens: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "helpline_assistant_tokens_total", Help: "Tokens (prompt and reply) the language model spent.",
		}),
		AssistantOn: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "helpline_assistant_on", Help: "1 when the optional language model is configured, 0 when every answer is the curated one.",
		}),
		AssistantWritten: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "helpline_assistant_for_reps_total", Help: "Summaries and drafts representatives asked the language model for, by kind (summary, draft) and reason (used, or why there was none: off, transcripts_off, crisis, busy, rate_limited, rate_budget, timeout, a failed check...).",
		}, []string{"kind", "reason"}),
		MeaningRanked: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "helpline_meaning_ranked_total", Help: "Decisions revisited with the embedding model's ranking, by outcome (changed, unchanged, failed: the engine's decision stood, not_ready: the index is still being built).",
		}, []string{"outcome"}),
	}
	m.Registry.MustRegister(m.Connections, m.Messages, m.Decisions, m.AnswerSeconds, m.RedisErrors, m.RedisCommands, m.Dropped,
		m.WaitForPerson, m.Outcomes, m.AssistantAnswers, m.AssistantTokens, m.AssistantOn, m.AssistantWritten, m.MeaningRanked,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.forReps = map[string]*assistantCounts{"summary": {}, "draft": {}}
	return m
}

// AssistantAnswer counts one grounded answer by its reason, and the
// tokens it spent.
func (m *Metrics) AssistantAnswer(reason string, tokens int) {
	m.AssistantAnswers.WithLabelValues(reason).Inc()
	m.assistant.add(reason)
	if tokens > 0 {
		m.AssistantTokens.Add(float64(tokens))
	}
}

// AssistantForReps counts one summary or draft written (or not) for a
// representative, by its kind ("summary" or "draft") and reason, and the
// tokens it spent.
func (m *Metrics) AssistantForReps(kind, reason string, tokens int) {
	m.AssistantWritten.WithLabelValues(kind, reason).Inc()
	if c := m.forReps[kind]; c != nil {
		c.add(reason)
	}
	if tokens > 0 {
		m.AssistantTokens.Add(float64(tokens))
	}
}
