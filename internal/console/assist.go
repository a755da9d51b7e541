package console

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"helpline/internal/answer"
	"helpline/internal/assistant"
	"helpline/internal/conversation"
	"helpline/internal/kb"
	"helpline/internal/reps"
	"helpline/internal/safety"
)

// What the language model writes for representatives (docs/console.md,
// "Written by the model"): a summary of a conversation, for anyone
// viewing it, and a draft reply for the one who holds it (or a
// supervisor). Neither is ever sent to the visitor: the draft goes into
// the representative's reply box, to read, edit and send themselves.
//
// The model takes seconds, so the reader never waits for it: each request
// runs in a goroutine the connection owns (conn.jobs, waited for when the
// connection ends), under the connection's context and a deadline, one
// at a time per conversation and a few at a time per connection, and its
// answer goes to the writer like any other frame.

// Limits on the summaries and drafts a representative asks for.
const (
	// maxAssisting is how many may be under way on one connection.
	maxAssisting = 4
	// assistPerMinute is how many one representative may ask for in a
	// minute, across every instance (the model's own budgets are per
	// instance).
	assistPerMinute = 12
	// assistSlack is the time a summary or a draft has beyond the model's
	// timeout, for reading the conversation and answering.
	assistSlack = 10 * time.Second
	// draftEntries is how many suggested entries ground a draft.
	draftEntries = 3
)

// Reasons for no summary or draft that the console gives itself, besides
// the assistant's.
const (
	reasonBusy        = "busy"         // one is under way for this conversation, or too many on this console
	reasonRateLimited = "rate_limited" // this representative asked too often
	reasonFailed      = "error"        // the conversation could not be read
	reasonNotFound    = "not_found"    // the conversation no longer exists
)

// assist starts a summary (kind assistant.KindSummary) or a draft of
// conv, once the representative may have one, and returns at once; the
// answer comes as a summary or draft frame.
func (c *conn) assist(ctx context.Context, conv, kind string) {
	if r := c.h.model.RepsUnavailable(); r != "" {
		c.unavailable(kind, conv, string(r))
		return
	}
	switch kind {
	case assistant.KindSummary:
		// Anyone viewing the conversation may read its summary.
		if c.views[conv] == nil {
			c.fail("bad_frame", "Open the conversation first.")
			return
		}
	case assistant.KindDraft:
		cv, err := c.h.store.Get(ctx, conv)
		if err != nil {
			c.refused(kind, conv, err)
			return
		}
		if !c.supervisor() && (cv.State != conversation.StateRep || !strings.EqualFold(cv.Holder, c.rep)) {
			c.fail("not_holder", "Only the representative answering this conversation can have a reply drafted.")
			return
		}
	}
	if ok, _ := c.h.assistLimit.Allow(ctx, strings.ToLower(c.rep)); !ok {
		c.unavailable(kind, conv, reasonRateLimited)
		return
	}
	c.assistMu.Lock()
	busy := c.assisting[conv] || len(c.assisting) >= maxAssisting
	if !busy {
		c.assisting[conv] = true
	}
	c.assistMu.Unlock()
	if busy {
		c.unavailable(kind, conv, reasonBusy)
		return
	}
	c.jobs.Add(1)
	go func() {
		defer c.jobs.Done()
		defer func() {
			c.assistMu.Lock()
			delete(c.assisting, conv)
			c.assistMu.Unlock()
		}()
		jctx, cancel := context.WithTimeout(c.ctx, c.h.model.Timeout()+assistSlack)
		defer cancel()
		if kind == assistant.KindSummary {
			c.summarize(jctx, conv)
		} else {
			c.draft(jctx, conv)
		}
	}()
}

// unavailable answers that there is no summary or draft, and why, for a
// reason the console found before asking the assistant (which counts its
// own): it is counted here.
func (c *conn) unavailable(kind, conv, reason string) {
	c.h.metrics.AssistantForReps(kind, reason, 0)
	c.push(encode(map[string]any{"type": kind, "conversation": conv, "unavailable": reason}))
}

// written is what a summary or a draft is written from: the
// conversation's turns (never its private notes, nor the system messages,
// which name representatives), what the visitor asked, and its risk.
type written struct {
	turns     []assistant.Turn
	questions []string
	risk      safety.Risk
	info      conversation.HandoffInfo
}

// read reads conv for a summary or a draft; withReps keeps the
// representatives' replies among the turns.
func (c *conn) read(ctx context.Context, conv string, withReps bool) (written, error) {
	cv, err := c.h.store.Get(ctx, conv)
	if err != nil {
		return written{}, err
	}
	msgs, err := c.h.store.Messages(ctx, conv, "", transcriptN)
	if err != nil {
		return written{}, err
	}
	info, err := c.h.store.Handoff(ctx, conv)
	if err != nil {
		return written{}, err
	}
	w := written{risk: conversationRisk(cv), info: info}
	for _, m := range msgs {
		switch m.From {
		case conversation.FromVisitor:
			w.turns = append(w.turns, assistant.Turn{From: assistant.FromVisitor, Text: m.Text})
			w.questions = append(w.questions, m.Text)
		case conversation.FromBot:
			w.turns = append(w.turns, assistant.Turn{From: assistant.FromAssistant, Text: m.Text})
		case conversation.FromRep:
			if withReps {
				w.turns = append(w.turns, assistant.Turn{From: assistant.FromRep, Text: m.Text})
			}
		}
	}
	return w, nil
}

// conversationRisk is the risk that keeps a conversation from the
// endpoint, as the chat reckons it for answers: the ongoing crisis the
// answering engine remembers, and the worst risk the conversation ever
// recorded. A memory that cannot be read is the zero Risk, which the
// assistant refuses.
func conversationRisk(cv conversation.Conversation) safety.Risk {
	var mem answer.Memory
	if len(cv.Context) > 0 && json.Unmarshal(cv.Context, &mem) != nil {
		return safety.Risk{}
	}
	if mem.Crisis != nil {
		return safety.Risk{Kind: mem.Crisis.Kind, Level: mem.Crisis.Level}
	}
	if cv.RiskKind != "" {
		return safety.Risk{Kind: safety.Kind(cv.RiskKind), Level: safety.Level(cv.RiskLevel)}
	}
	return safety.Risk{Kind: safety.None}
}

// summarize writes conv's summary and sends it, or why there is none.
func (c *conn) summarize(ctx context.Context, conv string) {
	w, err := c.read(ctx, conv, false)
	if err != nil {
		c.assistFailed(assistant.KindSummary, conv, err)
		return
	}
	var forms []string
	if _, ok := w.info.Details["callback"]; ok {
		forms = append(forms, "callback")
	}
	if w.info.Details["insurer"] != "" || w.info.Details["state"] != "" {
		forms = append(forms, "insurance check")
	}
	r := c.h.model.Summarize(ctx, assistant.SummaryRequest{Turns: w.turns, Reason: w.info.Reason, Forms: forms, Risk: w.risk})
	c.audit(context.WithoutCancel(ctx), "summarize", conv, string(r.Reason)) // the record stays, whether the console does or not
	if c.ctx.Err() != nil {
		return // the console is gone
	}
	if !r.Used {
		c.h.log.Info("no model summary", "conv", conv, "rep", reps.LogID(c.rep), "summary", r)
		c.push(encode(map[string]any{"type": assistant.KindSummary, "conversation": conv, "unavailable": r.Reason}))
		return
	}
	c.push(encode(map[string]any{"type": assistant.KindSummary, "conversation": conv, "text": r.Text}))
}

// draft writes a reply to conv's latest visitor messages from the
// entries the console would suggest, and sends it to this console only.
func (c *conn) draft(ctx context.Context, conv string) {
	w, err := c.read(ctx, conv, true)
	if err != nil {
		c.assistFailed(assistant.KindDraft, conv, err)
		return
	}
	var entries []*kb.Entry
	for _, id := range c.h.engine.Suggest(w.questions, w.risk, draftEntries) {
		if e := c.h.engine.Base().Entry(id); e != nil {
			entries = append(entries, e)
		}
	}
	r := c.h.model.Draft(ctx, assistant.DraftRequest{Turns: w.turns, Entries: entries, Risk: w.risk})
	if r.Used {
		// A crisis found while the model wrote makes an everyday draft the
		// wrong reply: it is dropped.
		if cv, err := c.h.store.Get(ctx, conv); err != nil || conversationRisk(cv).Kind != safety.None {
			r = assistant.Result{Reason: assistant.Crisis}
		}
	}
	c.audit(context.WithoutCancel(ctx), "draft", conv, string(r.Reason)) // the record stays, whether the console does or not
	if c.ctx.Err() != nil {
		return // the console is gone
	}
	if !r.Used {
		c.h.log.Info("no model draft", "conv", conv, "rep", reps.LogID(c.rep), "draft", r)
		c.push(encode(map[string]any{"type": assistant.KindDraft, "conversation": conv, "unavailable": r.Reason}))
		return
	}
	cites := []cite{}
	for _, id := range r.Cited {
		if e := c.h.engine.Base().Entry(id); e != nil {
			cites = append(cites, cite{ID: id, Title: e.Title})
		}
	}
	c.push(encode(map[string]any{"type": assistant.KindDraft, "conversation": conv, "text": r.Text, "cites": cites}))
}

// cite is an entry a draft was written from.
type cite struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// assistFailed answers a summary or a draft whose conversation could not
// be read.
func (c *conn) assistFailed(kind, conv string, err error) {
	if c.ctx.Err() != nil {
		return
	}
	reason := reasonFailed
	if conversation.ErrorCode(err) == conversation.NotFound {
		reason = reasonNotFound
	} else {
		c.h.log.Warn("read for a model "+kind, "conv", conv, "rep", reps.LogID(c.rep), "err", err)
	}
	c.unavailable(kind, conv, reason)
}
