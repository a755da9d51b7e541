package console

import (
	"context"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"helpline/internal/assistant"
	"helpline/internal/conversation"
	"helpline/internal/handoff"
	"helpline/internal/reps"
	"helpline/internal/safety"
	"helpline/internal/store"
)

// frame is a frame from the console (docs/console.md).
type frame struct {
	V            int    `json:"v"`
	Type         string `json:"type"`
	Conversation string `json:"conversation"`
	ID           string `json:"id"`
	Text         string `json:"text"`
	Status       string `json:"status"`
	To           string `json:"to"`
	Outcome      string `json:"outcome"`
	Title        string `json:"title"` // of a canned reply
}

// Limits on what a representative sends.
const (
	maxText     = 4000 // a reply or a note, in characters
	maxClientID = 100
	maxViews    = 24 // conversations one console follows at once
	typingEvery = 3 * time.Second
	transcriptN = 2000
)

// outcomes are the ways a conversation can be closed.
var outcomes = map[string]bool{"information": true, "referred": true, "callback": true, "crisis_escalated": true, "other": true}

// onConversation are the frames that act on a named conversation.
var onConversation = map[string]bool{"open": true, "close_view": true, "reply": true, "typing": true, "note": true,
	"suggest": true, "handback": true, "transfer": true, "close": true, "summarize": true, "draft": true}

// act does what one frame asks, checking that the representative may.
func (c *conn) act(f frame) {
	ctx, cancel := context.WithTimeout(c.ctx, 10*time.Second)
	defer cancel()
	if onConversation[f.Type] && f.Conversation == "" {
		c.fail("bad_frame", "Which conversation?")
		return
	}
	switch f.Type {
	case "status":
		st := reps.Status(f.Status)
		if st != reps.Online && st != reps.Away {
			c.fail("bad_frame", "The status is online or away.")
			return
		}
		c.status.Store(string(st))
		if err := c.h.reps.Heartbeat(ctx, c.rep, st); err != nil {
			c.internal("heartbeat", err)
		}
	case "take":
		c.take(ctx, f.Conversation)
	case "open":
		c.open(ctx, f.Conversation)
	case "close_view":
		if v := c.views[f.Conversation]; v != nil {
			v.close()
			delete(c.views, f.Conversation)
		}
	case "reply":
		text, ok := c.text(f.Text)
		if !ok {
			return
		}
		if f.ID == "" || len(f.ID) > maxClientID {
			c.fail("bad_frame", "A reply needs an id of at most 100 characters.")
			return
		}
		meta, _ := json.Marshal(map[string]string{"rep": reps.DisplayName(c.rep)})
		if _, err := c.h.store.RepSays(ctx, f.Conversation, c.rep, f.ID, text, meta); err != nil {
			c.refused("reply", f.Conversation, err)
			return
		}
		c.h.metrics.Messages.WithLabelValues(string(conversation.FromRep)).Inc()
	case "typing":
		if now := time.Now(); now.Sub(c.typed[f.Conversation]) > typingEvery {
			c.typed[f.Conversation] = now
			conv, err := c.h.store.Get(ctx, f.Conversation)
			if err == nil && conv.State == conversation.StateRep && strings.EqualFold(conv.Holder, c.rep) {
				c.h.store.Publish(ctx, f.Conversation, false, conversation.Event{Type: "typing", From: "rep", Name: reps.DisplayName(c.rep)})
			}
		}
	case "note":
		text, ok := c.text(f.Text)
		if !ok {
			return
		}
		if _, err := c.h.store.AddNote(ctx, f.Conversation, c.rep, text); err != nil {
			c.refused("note", f.Conversation, err)
			return
		}
		c.audit(ctx, "note", f.Conversation, "")
	case "suggest":
		c.suggest(ctx, f.Conversation)
	case "summarize":
		c.assist(ctx, f.Conversation, assistant.KindSummary)
	case "draft":
		c.assist(ctx, f.Conversation, assistant.KindDraft)
	case "handback":
		err := c.h.store.Release(ctx, f.Conversation, c.rep, conversation.StateBot, false, c.h.handoff.Text(handoff.TextBack), "")
		if err != nil {
			c.refused("handback", f.Conversation, err)
			return
		}
		c.audit(ctx, "handback", f.Conversation, "")
		c.handedBack(ctx, f.Conversation)
	case "transfer":
		c.transfer(ctx, f.Conversation, strings.TrimSpace(f.To))
	case "close":
		if !outcomes[f.Outcome] {
			c.fail("bad_frame", "Choose an outcome: information, referred, callback, crisis_escalated or other.")
			return
		}
		err := c.h.store.Release(ctx, f.Conversation, c.rep, conversation.StateClosed, c.supervisor(), c.h.handoff.Text(handoff.TextClosed), f.Outcome)
		if err != nil {
			c.refused("close", f.Conversation, err)
			return
		}
		c.audit(ctx, "close", f.Conversation, f.Outcome)
		c.h.metrics.Outcomes.WithLabelValues(f.Outcome).Inc()
	case "canned_save":
		c.saveCanned(ctx, f)
	case "canned_delete":
		c.deleteCanned(ctx, f.ID)
	case "request_done":
		if err := c.h.store.RequestDone(ctx, f.ID, c.rep); err != nil {
			c.fail("bad_frame", "No such request.")
			return
		}
		c.audit(ctx, "request_done", "", f.ID)
	case "":
		c.fail("bad_frame", "The frame has no type.")
	default:
		c.fail("unknown", "Unknown frame type.")
	}
}

// handedBack has the assistant answer a question the visitor wrote after
// the representative's last message, and confirms the hand-back to the
// representative, saying whether it did.
func (c *conn) handedBack(ctx context.Context, conv string) {
	answered := false
	if c.h.bot != nil {
		var err error
		if answered, err = c.h.bot.AnswerPending(ctx, conv); err != nil {
			c.h.log.Warn("answer after hand-back", "conv", conv, "rep", reps.LogID(c.rep), "err", err)
		}
	}
	c.push(encode(map[string]any{"type": "handed_back", "conversation": conv, "answered": answered}))
}

func (c *conn) supervisor() bool { return c.role == reps.RoleSupervisor }

// text checks the text of a reply or a note.
func (c *conn) text(t string) (string, bool) {
	t = strings.TrimSpace(t)
	switch {
	case t == "" || !utf8.ValidString(t):
		c.fail("bad_frame", "The text is empty.")
		return "", false
	case utf8.RuneCountInString(t) > maxText:
		c.fail("bad_frame", "The text is too long; keep it under 4000 characters.")
		return "", false
	}
	return t, true
}

// take claims the most urgent waiting conversation, or the one named: a
// waiting one, or a live bot conversation to take over.
func (c *conn) take(ctx context.Context, conv string) {
	held, err := c.held(ctx)
	if err != nil {
		c.internal("take", err)
		return
	}
	if len(held) >= c.h.handoff.MaxChats() {
		c.fail("too_many", "You already have as many conversations as you can hold. Hand one back or close one first.")
		return
	}
	say := c.h.handoff.Joined(c.rep)
	action := "take"
	if conv == "" {
		conv, err = c.h.store.TakeNext(ctx, c.rep, say)
		if err != nil {
			c.internal("take", err)
			return
		}
		if conv == "" {
			c.fail("not_waiting", "Nobody is waiting.")
			return
		}
	} else {
		before, err := c.h.store.Get(ctx, conv)
		if err != nil {
			c.refused("take", conv, err)
			return
		}
		if before.State == conversation.StateBot {
			action = "take_over"
		}
		if err := c.h.store.Claim(ctx, conv, c.rep, say, true); err != nil {
			c.refused("take", conv, err)
			return
		}
	}
	c.audit(ctx, action, conv, "")
	c.h.log.Info("conversation taken", "conv", conv, "rep", reps.LogID(c.rep), "action", action)
	if info, err := c.h.store.Handoff(ctx, conv); err == nil && info.Reason != "taken_over" && info.Claimed.After(info.Queued) {
		c.h.metrics.WaitForPerson.WithLabelValues(string(info.Priority)).Observe(info.Claimed.Sub(info.Queued).Seconds())
	}
	if b := c.snapshot("mine"); b != nil {
		c.push(b)
	}
	c.open(ctx, conv)
}

// held returns the conversations this representative still holds,
// forgetting those that ended without them (the visitor closed the chat).
func (c *conn) held(ctx context.Context) ([]conversation.Overview, error) {
	ids, err := c.h.store.Held(ctx, c.rep)
	if err != nil {
		return nil, err
	}
	all, err := c.h.store.Overviews(ctx, ids)
	if err != nil {
		return nil, err
	}
	mine := all[:0]
	kept := map[string]bool{}
	for _, o := range all {
		if o.State == conversation.StateRep && strings.EqualFold(o.Holder, c.rep) {
			mine = append(mine, o)
			kept[o.Conv] = true
		}
	}
	for _, id := range ids {
		if !kept[id] {
			c.h.store.Unhold(ctx, c.rep, id)
		}
	}
	return mine, nil
}

// open follows a conversation and sends its transcript.
func (c *conn) open(ctx context.Context, conv string) {
	if _, ok := c.views[conv]; !ok {
		if len(c.views) >= maxViews {
			c.fail("too_many", "Close some conversations you are watching first.")
			return
		}
		// Subscribe before reading the transcript, so that nothing said in
		// between is lost; the console drops duplicates by id.
		ev, err := c.h.broker.Subscribe(c.ctx, store.EventsChannel(conv), 64)
		if err != nil {
			c.internal("subscribe", err)
			return
		}
		rep, err := c.h.broker.Subscribe(c.ctx, store.RepChannel(conv), 64)
		if err != nil {
			ev.Close()
			c.internal("subscribe", err)
			return
		}
		v := newView(ev, rep)
		c.views[conv] = v
		go c.forward(conv, ev, v)
		go c.forward(conv, rep, v)
	}
	t, err := c.transcript(ctx, conv)
	if err == nil {
		c.audit(ctx, "read", conv, "")
	}
	if err != nil {
		if v := c.views[conv]; v != nil {
			v.close()
			delete(c.views, conv)
		}
		c.refused("open", conv, err)
		return
	}
	c.push(encode(t))
}

// transfer gives a conversation to another representative: the holder
// may pass on their own, a supervisor any.
func (c *conn) transfer(ctx context.Context, conv, to string) {
	target, err := c.h.reps.Get(ctx, to)
	if err != nil || target.Disabled {
		c.fail("unknown", "There is no representative called "+quote(to)+".")
		return
	}
	if strings.EqualFold(target.Name, c.rep) {
		c.fail("bad_frame", "That is you.")
		return
	}
	present, err := c.h.handoff.Present(ctx)
	if err != nil {
		c.internal("transfer", err)
		return
	}
	if present[strings.ToLower(target.Name)] != reps.Online {
		c.fail("unavailable", target.Name+" is not online.")
		return
	}
	if n, _ := c.h.store.Held(ctx, target.Name); len(n) >= c.h.handoff.MaxChats() {
		c.fail("too_many", target.Name+" already has as many conversations as they can hold.")
		return
	}
	if err := c.h.store.Transfer(ctx, conv, c.rep, target.Name, c.supervisor(), c.h.handoff.Joined(target.Name)); err != nil {
		c.refused("transfer", conv, err)
		return
	}
	c.audit(ctx, "transfer", conv, target.Name)
}

func quote(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		s = string([]rune(s)[:40]) + "…"
	}
	return "“" + s + "”"
}

// suggest answers with the knowledge-base entries that best fit the
// conversation, for the representative to adapt: in a crisis the entries
// for its kind first, and otherwise the visitor's last question read in
// the light of their earlier ones (answer.Engine.Suggest).
func (c *conn) suggest(ctx context.Context, conv string) {
	cv, err := c.h.store.Get(ctx, conv)
	if err != nil {
		c.refused("suggest", conv, err)
		return
	}
	msgs, err := c.h.store.Messages(ctx, conv, "", transcriptN)
	if err != nil {
		c.refused("suggest", conv, err)
		return
	}
	var questions []string
	for _, m := range msgs {
		if m.From == conversation.FromVisitor {
			questions = append(questions, m.Text)
		}
	}
	risk := safety.Risk{Kind: safety.Kind(cv.RiskKind), Level: safety.Level(cv.RiskLevel)}
	if cv.RiskKind == "" {
		risk.Kind = safety.None
	}
	items := []suggestion{}
	for _, id := range c.h.engine.Suggest(questions, risk, 3) {
		d, ok := c.h.engine.Entry(id)
		if !ok {
			continue
		}
		items = append(items, suggestion{ID: id, Title: c.h.engine.Base().Entry(id).Title, Text: d.Text})
	}
	c.push(encode(map[string]any{"type": "suggestions", "conversation": conv, "items": items}))
}

type suggestion struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Text  string `json:"text"`
}

// refused tells the representative why an action on a conversation could
// not be done: the one place the domain's error codes for a conversation
// become the console's error frames (docs/console.md). Canned replies,
// refused in words of their own, map theirs in canned.go.
func (c *conn) refused(op, conv string, err error) {
	switch conversation.ErrorCode(err) {
	case conversation.Taken:
		c.fail("taken", "Someone else took this conversation first.")
	case conversation.HeldByOther:
		c.fail("not_holder", "Another representative is answering this conversation.")
	case conversation.NotHeld:
		c.fail("not_holder", "Nobody holds this conversation; take it first.")
	case conversation.NotWaiting:
		c.fail("not_waiting", "This conversation is not waiting for a person.")
	case conversation.Closed:
		c.fail("not_waiting", "This conversation has ended.")
	case conversation.NotFound:
		c.fail("unknown", "This conversation no longer exists.")
	default:
		c.internal(op, err)
		return
	}
	c.h.log.Info("action refused", "op", op, "conv", conv, "rep", reps.LogID(c.rep), "err", err)
}

func (c *conn) internal(op string, err error) {
	if c.ctx.Err() != nil {
		return
	}
	c.h.metrics.RedisErrors.Inc()
	c.h.log.Error("console "+op, "rep", reps.LogID(c.rep), "err", err)
	c.fail("internal", "Something went wrong on our side; please try again.")
}

func (c *conn) audit(ctx context.Context, action, conv, detail string) {
	if err := c.h.store.Audit(ctx, c.rep, action, conv, detail); err != nil {
		c.h.log.Error("audit", "rep", reps.LogID(c.rep), "action", action, "err", err)
	}
}
