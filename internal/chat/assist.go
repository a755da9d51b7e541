package chat

import (
	"context"
	"errors"
	"time"

	"helpline/internal/answer"
	"helpline/internal/assistant"
	"helpline/internal/kb"
	"helpline/internal/safety"
	"helpline/internal/semantic"
)

// generated is what the language model did for one answer.
type generated struct {
	// asked says the endpoint was called: time has passed since the
	// decision, and the conversation is read again before the reply.
	asked bool
	// result is the model's checked answer (Used), or why the curated one
	// stands.
	result assistant.Result
	// replyTo is the visitor message answered, for the delta frames.
	replyTo string
	// streamed says delta frames went out: the stored message, generated
	// or curated, replaces them.
	streamed bool
}

// generate asks the language model, when one is configured, to write the
// answer to a typed question the engine matched, from the retrieved
// entries. The crisis screen has run already, in the decision: a crisis
// is never an answer. The risk that goes with the question, and makes the
// assistant refuse to call the endpoint, is the conversation's: the
// decision's, the ongoing crisis its context remembers, and, beyond that,
// the worst risk the conversation ever recorded, so that a conversation
// that had a crisis never reaches the endpoint, however long ago.
func (h *Handler) generate(ctx context.Context, j job, d answer.Decision, actx answer.Memory, risk safety.Risk) generated {
	a := h.opts.Assistant
	if a == nil || !j.ground || d.Kind != answer.KindAnswer || ctx.Err() != nil {
		// A generation cancelled before it began (a newer message waits)
		// costs the endpoint nothing.
		return generated{}
	}
	q := assistant.Question{
		Text: j.text, Earlier: actx.Recent, Risk: risk,
		Entries: assistant.Grounding(h.engine.Base(), d), Curated: d.Text,
	}
	// The reply reaches the visitor as it is written, each piece checked
	// first (assistant.AnswerStream); the stored message follows it.
	streamed := false
	r := a.AnswerStream(ctx, q, func(piece string) {
		streamed = true
		if err := h.store.PublishDelta(ctx, j.conv, j.msg, piece); err != nil {
			h.log.Warn("publish a delta", "conv", j.conv, "err", err)
		}
	})
	if r.Reason.Called() && !r.Used {
		// The reason only: the detail may quote the model or the visitor.
		h.log.Info("model's answer not used", "conv", j.conv, "answer", r)
	}
	return generated{asked: r.Reason.Called(), result: r, replyTo: j.msg, streamed: streamed}
}

// conversationRisk is the risk that keeps a conversation from the
// endpoint: the decision's, the ongoing crisis its context remembers, and
// the worst risk the conversation ever recorded. When the stored risk
// cannot be read it is the zero Risk, which the assistant refuses, as it
// refuses any risk but safety.None. It is read once per message, for
// every stage that may ask an endpoint (answerJob).
func (h *Handler) conversationRisk(ctx context.Context, j job, d answer.Decision, actx answer.Memory) safety.Risk {
	risk := assistant.ConversationRisk(actx, d)
	if risk.Crisis() {
		return risk
	}
	cv, err := h.store.Get(ctx, j.conv)
	switch {
	case err != nil:
		return safety.Risk{}
	case cv.RiskKind != "":
		return safety.Risk{Kind: safety.Kind(cv.RiskKind), Level: safety.Level(cv.RiskLevel)}
	}
	return risk
}

// Meaning ranks the knowledge base's entries by how close in meaning they
// are to a question, closest first (package semantic, on the operator's
// embedding model).
type Meaning interface {
	Rank(ctx context.Context, question string) ([]answer.Similar, error)
}

// meaningTimeout bounds the wait for the embedding model: past it, the
// engine's own decision stands.
const meaningTimeout = 3 * time.Second

// reconsider lets the embedding model's ranking revisit the engine's
// decision on a typed question (answer.Engine.Reconsider), when one is
// configured and the conversation may reach the endpoint at all: never
// with a crisis in it, never for a refusal or a hand-off. Any failure
// leaves the decision as it was. asked says the endpoint was called: time
// has passed.
func (h *Handler) reconsider(ctx context.Context, j job, d answer.Decision, actx answer.Memory, risk safety.Risk) (_ answer.Decision, asked bool) {
	m := h.opts.Meaning
	if m == nil || !j.ground || ctx.Err() != nil || risk.Kind != safety.None || !h.engine.MayReconsider(j.text, actx, d) {
		return d, false
	}
	rctx, cancel := context.WithTimeout(ctx, meaningTimeout)
	defer cancel()
	similar, err := m.Rank(rctx, j.text)
	switch {
	case errors.Is(err, semantic.ErrNotReady):
		// Starting up: nothing was asked, and nothing failed.
		h.metrics.MeaningRanked.WithLabelValues("not_ready").Inc()
		return d, false
	case err != nil:
		h.log.Info("ranking by meaning failed; the engine's decision stands", "conv", j.conv, "err", err)
		h.metrics.MeaningRanked.WithLabelValues("failed").Inc()
		return d, true
	}
	r := h.engine.Reconsider(j.text, actx, d, similar)
	outcome := "unchanged"
	if r.Kind != d.Kind || first(r.Entries) != first(d.Entries) || len(r.Alternatives) != len(d.Alternatives) {
		outcome = "changed"
	}
	h.metrics.MeaningRanked.WithLabelValues(outcome).Inc()
	return r, true
}

// choose asks the language model, when one is configured, which entry of
// a menu the engine offered for a typed question answers it, and answers
// with that entry (its curated text) if the model names one of the
// menu's entries; the other choices stay one tap away. Never for an
// off-topic question, nor in a conversation that has had a crisis. asked
// says the endpoint was called: time has passed.
func (h *Handler) choose(ctx context.Context, j job, d answer.Decision, risk safety.Risk) (_ answer.Decision, asked bool) {
	a := h.opts.Assistant
	if a == nil || !j.ground || d.Kind != answer.KindClarify || d.Reason == "off topic" || len(d.Entries) < 2 || ctx.Err() != nil {
		return d, false
	}
	var entries []*kb.Entry
	for _, id := range d.Entries {
		if en := h.engine.Base().Entry(id); en != nil {
			entries = append(entries, en)
		}
	}
	c := a.Choose(ctx, assistant.Choice{Text: j.text, Risk: risk, Entries: entries})
	if c.ID == "" {
		return d, c.Reason.Called()
	}
	return h.engine.Pick(d, c.ID, "chosen by the model"), true
}

func first(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

// cites are the entries a generated answer cites, with their titles, for
// the widget's "Written by the assistant from: ..." line.
func (h *Handler) cites(ids []string) []answer.Option {
	var out []answer.Option
	for _, id := range ids {
		if e := h.engine.Base().Entry(id); e != nil {
			out = append(out, answer.Option{ID: id, Title: e.Title})
		}
	}
	return out
}
