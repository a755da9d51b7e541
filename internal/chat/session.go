package chat

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"helpline/internal/answer"
	"helpline/internal/conversation"
	"helpline/internal/handoff"
	"helpline/internal/safety"
	"helpline/internal/store"
)

// handle acts on one valid client frame.
func (c *conn) handle(f clientFrame) {
	switch f.Type {
	case typePing:
		c.push(encode(simpleFrame{V: Version, Type: "pong"}))
		return
	case typeHello:
		c.hello(f)
		return
	}
	if c.conv == "" {
		c.push(errFrame(codeNotReady, "Say hello first.", 0))
		return
	}
	switch f.Type {
	case typeMessage:
		c.visitorSays(f.ID, f.Text, true, func(ctx answer.Memory) answer.Decision {
			return c.h.engine.Decide(f.Text, ctx)
		})
	case typeChoose:
		d, ok := c.h.engine.Entry(f.Entry)
		if !ok {
			c.push(errFrame(codeUnknown, "That choice is not available.", 0))
			return
		}
		// The transcript shows what the visitor tapped, the entry's title.
		c.visitorSays(f.ID, c.h.engine.Base().Entry(f.Entry).Title, false, func(answer.Memory) answer.Decision { return d })
	case typePerson:
		c.visitorSays(f.ID, "I'd like to talk to a person.", false, func(answer.Memory) answer.Decision { return c.h.engine.Person() })
	case typeCallback:
		c.request(f, conversation.Request{Kind: "callback", Name: f.Name, Phone: f.Phone, BestTime: f.BestTime},
			"I'd like a call back"+bestTime(f.BestTime)+".", handoff.TextCallback,
			map[string]string{"callback": f.Phone, "callback_name": f.Name, "callback_time": f.BestTime})
	case typeInsurance:
		c.request(f, conversation.Request{Kind: "insurance", Insurer: f.Insurer, State: f.State},
			"Please check my insurance: "+f.Insurer+inState(f.State)+".", handoff.TextInsurance,
			map[string]string{"insurer": f.Insurer, "state": f.State})
	case typeTyping:
		// Only representatives see that the visitor is typing, and at
		// most every few seconds.
		if now := time.Now(); now.Sub(c.typed) > typingEvery {
			c.typed = now
			c.h.store.Publish(c.ctx, c.conv, true, conversation.Event{Type: "typing", From: "visitor"})
		}
	case typeEnd:
		if err := c.h.store.SetState(c.ctx, c.conv, conversation.StateClosed); err != nil {
			c.storeFailed("end", err)
			return
		}
		// After the state is stored, so that a worker reading it again
		// finds the conversation closed.
		c.h.cancelAnswer(c.conv)
	case typeDelete:
		if err := c.h.store.Delete(c.ctx, c.conv); err != nil {
			c.storeFailed("delete", err)
			return
		}
		c.h.cancelAnswer(c.conv)
		c.h.log.Info("conversation deleted by visitor", "conv", c.conv)
		// The writer closes the connection when the deletion event
		// arrives, after telling every tab.
	}
}

// typingEvery bounds how often typing is passed on.
const typingEvery = 3 * time.Second

func bestTime(t string) string {
	if t == "" {
		return ""
	}
	return " (best time: " + t + ")"
}

func inState(s string) string {
	if s == "" {
		return ""
	}
	return ", in " + s
}

// hello opens the conversation the token names, or a new one, and starts
// delivering its messages.
func (c *conn) hello(f clientFrame) {
	if c.conv != "" {
		c.push(errFrame(codeBadFrame, "Already connected.", 0))
		return
	}
	conv, err := c.h.store.Open(c.ctx, f.Token)
	token, resumed := f.Token, err == nil
	switch conversation.ErrorCode(err) {
	case conversation.NotFound:
		// Unknown, expired, deleted or forged: a new conversation, and
		// nothing about any other.
		conv, token, err = c.h.store.Create(c.ctx)
		if err != nil {
			c.helloFailed("create", err)
			return
		}
	case "":
	default:
		c.helloFailed("open", err)
		return
	}
	sub, err := c.h.broker.Subscribe(c.ctx, store.EventsChannel(conv.ID), subscribeBuffer)
	if err != nil {
		c.helloFailed("subscribe", err)
		return
	}
	c.conv, c.sub = conv.ID, sub
	after := ""
	if resumed && f.Last != "" {
		if _, _, ok := conversation.ParseID(f.Last); ok {
			after = f.Last
		}
	}
	if resumed && conv.State == conversation.StateWaiting {
		if err := c.h.handoff.Resume(c.ctx, conv.ID); err != nil {
			c.h.log.Warn("resume a waiting conversation", "conv", conv.ID, "err", err)
		}
	}
	c.push(encode(welcomeFrame{V: Version, Type: "welcome", Conversation: conv.ID, Token: token, State: string(conv.State), Resumed: resumed}))
	c.activate <- activation{sub: sub, conv: conv.ID, after: after}
	if resumed && conv.State == conversation.StateBot && !conv.Left.IsZero() {
		c.returned(conv)
	}
}

// returned puts a visitor who left the queue while they were away back in
// line (handoff.Service.Return), or, when nobody can chat now, tells them
// so with the phone number and the request forms, as asking for a person
// would.
func (c *conn) returned(conv conversation.Conversation) {
	offline, err := c.h.handoff.Return(c.ctx, conv.ID)
	if err != nil {
		c.storeFailed("rejoin the queue", err)
		return
	}
	if !offline {
		return
	}
	if err := c.h.reply(c.ctx, conv.ID, c.h.engine.Person(), c.h.memory(conv.ID, conv.Context), conversation.StateBot); err != nil {
		c.storeFailed("answer", err)
	}
}

// visitorSays stores the visitor's message, which the visitor then sees
// at once, and queues its answer for the conversation's worker
// (worker.go): the reader goes on reading, whatever answering takes.
// Every message is screened, whoever answers: while a representative
// holds the conversation the bot stays silent, but a danger found still
// raises the conversation's risk and alerts the consoles. ground says the
// visitor typed a question, which the language model may answer.
func (c *conn) visitorSays(clientID, text string, ground bool, reply func(answer.Memory) answer.Decision) {
	start := time.Now()
	if ok, wait := c.h.limiter.Allow(c.ctx, c.addr); !ok {
		c.rateLimited(start, wait)
		return
	}
	// A client sending faster than it reads what the conversation says
	// back (a flood: every message stored is echoed, then answered) would
	// fill its subscription and be dropped as too slow; it is told to slow
	// down instead, and its message is not stored.
	if c.unseen.Load() >= maxUnseen {
		c.rateLimited(start, time.Second)
		return
	}
	added, ok := c.store(clientID, text, store.Claim{Owner: c.h.id, TTL: c.h.opts.AnswerTimeout + claimMargin})
	if !ok {
		return
	}
	if !added.Dup {
		c.unseen.Add(1)
		c.h.metrics.Messages.WithLabelValues(string(conversation.FromVisitor)).Inc()
		c.markActive(start)
	}
	if added.State == conversation.StateRep {
		// No answer, so no worker: the screen is quick, and a danger is
		// raised at once.
		if !added.Dup || !c.answered(added.ID) {
			c.screenHeld(text, added.Context)
		}
		return
	}
	if !added.Claimed {
		return // an earlier copy of the message is being answered, here or elsewhere
	}
	j := job{c: c, conv: c.conv, msg: added.ID, clientID: clientID, text: text, decide: reply, ground: ground, dup: added.Dup, rawCtx: added.Context, state: added.State, start: start}
	if !c.h.enqueue(j) {
		// Only a visitor far faster than the per-conversation limit, or a
		// server shutting down, gets here; the message is kept, and a
		// representative sees it. Its claim goes, so that a retry is
		// answered.
		c.h.releaseAnswer(c.ctx, j)
		c.push(errFrame(codeRateLimited, "We're still answering your earlier messages. Please wait a moment.", 2))
	}
}

// store stores the visitor's message, with the claim on answering it,
// and answers the visitor on failure.
func (c *conn) store(clientID, text string, claim store.Claim) (store.Added, bool) {
	added, err := c.h.store.AddVisitor(c.ctx, c.conv, clientID, text, claim)
	switch conversation.ErrorCode(err) {
	case "":
		return added, true
	case conversation.RateLimited:
		c.rateLimited(time.Now(), conversation.RetryAfter(err))
	case conversation.Closed:
		c.push(errFrame(codeClosed, "This chat has ended. Start a new one any time.", 0))
	case conversation.NotFound:
		c.push(errFrame(codeClosed, "This conversation no longer exists. Start a new one any time.", 0))
	default:
		c.storeFailed("store message", err)
	}
	return store.Added{}, false
}

// reply stores the bot's reply and, when the visitor asked for a person,
// is in danger, or the bot failed twice, asks for one. When nobody can
// chat now the reply says so honestly and offers the request forms; a
// crisis reply keeps its fixed text, with its closing line for that case.
func (h *Handler) reply(ctx context.Context, conv string, d answer.Decision, next answer.Memory, state conversation.State) error {
	return h.replyWith(ctx, conv, d, next, state, generated{})
}

// replyWith is reply, with what the language model wrote: an answer it
// wrote that passed the checks is streamed to the visitor, then stored
// whole in place of the curated text, marked as generated, with the
// entries it cites.
func (h *Handler) replyWith(ctx context.Context, conv string, d answer.Decision, next answer.Memory, state conversation.State, g generated) error {
	reason := ""
	switch {
	case d.Kind == answer.KindCrisis:
		reason = handoff.ReasonCrisis
	case d.Kind == answer.KindHandoff:
		reason = handoff.ReasonAsked
	case d.Kind == answer.KindFallback && next.Misses >= 2:
		reason = handoff.ReasonBotFailed
	}
	var forms []string
	if reason != "" && state != conversation.StateWaiting {
		if available, _ := h.handoff.Available(ctx); !available {
			forms = []string{"callback", "insurance"}
			switch d.Kind {
			case answer.KindCrisis:
				d.Text = safety.ResponseOffline(d.Risk)
				if d.FollowUp && next.Crisis != nil {
					d.Text = safety.FollowUpOffline(safety.Risk{Kind: next.Crisis.Kind, Level: next.Crisis.Level})
				}
			case answer.KindHandoff:
				d.Text = h.handoff.Offline(d.Risk)
			default:
				d.Text += "\n\n" + h.handoff.Offline(d.Risk)
			}
			reason = ""
		}
	}
	if reason != "" {
		d.OfferPerson = false // a person is being found already
	}
	ctxJSON, _ := json.Marshal(next)
	meta := botMetaOf(d, forms)
	switch {
	case g.result.Used:
		// Streamed as it was written (generate); stored whole here.
		d.Text = g.result.Text
		meta = generatedMetaOf(d, h.cites(g.result.Cited), g.replyTo)
	case g.streamed:
		// The model's draft was stopped or failed its last check: the
		// curated answer takes its place.
		meta = replacingDraft(meta, g.replyTo)
	}
	r := conversation.Reply{From: conversation.FromBot, Text: d.Text, Meta: meta, Context: ctxJSON}
	if d.Risk.Crisis() {
		r.RiskKind, r.RiskLevel = string(d.Risk.Kind), string(d.Risk.Level)
		// The log says a crisis happened, never what was said.
		h.log.Warn("crisis", "conv", conv, "risk", d.Risk)
	}
	if _, err := h.store.AddReply(ctx, conv, r); err != nil {
		return fmt.Errorf("store reply: %w", err)
	}
	h.metrics.Messages.WithLabelValues(string(conversation.FromBot)).Inc()
	h.metrics.Decisions.WithLabelValues(string(d.Kind)).Inc()
	if reason != "" {
		if _, err := h.handoff.Request(ctx, conv, reason, d.Risk); err != nil {
			return fmt.Errorf("hand-off: %w", err)
		}
	}
	return nil
}

// AnswerPending answers, as the bot, the visitor's last message when
// nothing answered it: a representative handed the conversation back
// after the visitor wrote. It returns whether there was such a message.
// Only a conversation with the bot is answered.
func (h *Handler) AnswerPending(ctx context.Context, conv string) (bool, error) {
	cv, err := h.store.Get(ctx, conv)
	if err != nil {
		return false, fmt.Errorf("answer pending %s: %w", conv, err)
	}
	if cv.State != conversation.StateBot {
		return false, nil
	}
	recent, err := h.store.LastMessages(ctx, conv, 50)
	if err != nil {
		return false, fmt.Errorf("answer pending %s: %w", conv, err)
	}
	text := ""
	for _, m := range recent { // newest first
		if m.From == conversation.FromSystem {
			continue
		}
		if m.From == conversation.FromVisitor {
			text = m.Text
		}
		break
	}
	if text == "" {
		return false, nil
	}
	actx := h.memory(conv, cv.Context)
	// While the representative held the conversation the screen kept the
	// message in the context already; it is the question now, not its
	// own context.
	if n := len(actx.Recent); n > 0 && actx.Recent[n-1] == text {
		actx.Recent = actx.Recent[:n-1]
	}
	d := h.engine.Decide(text, actx)
	if err := h.reply(ctx, conv, d, actx.Next(text, d), conversation.StateBot); err != nil {
		return false, fmt.Errorf("answer pending %s: %w", conv, err)
	}
	return true, nil
}

// request stores a callback or insurance-check request from the forms.
func (c *conn) request(f clientFrame, r conversation.Request, visible, thanks string, details map[string]string) {
	// The bot does not answer a request's line (the thanks below does):
	// nothing to claim.
	added, ok := c.store(f.ID, visible, store.Claim{})
	if !ok || added.Dup {
		return
	}
	r.Conv = c.conv
	if _, err := c.h.store.AddRequest(c.ctx, r); err != nil {
		c.storeFailed("store request", err)
		return
	}
	c.h.store.AddDetails(c.ctx, c.conv, details)
	if _, err := c.h.store.AddReply(c.ctx, c.conv, conversation.Reply{From: conversation.FromBot, Text: c.h.handoff.Text(thanks), Meta: botMetaOf(answer.Decision{Kind: "request"}, nil)}); err != nil {
		c.storeFailed("store reply", err)
	}
}

// markActive lists the conversation among the console's live ones, at
// most once a minute: an extra round trip on every message would be a
// third of the work of answering it.
func (c *conn) markActive(now time.Time) {
	if now.Sub(c.active) < time.Minute {
		return
	}
	c.active = now
	if err := c.h.store.MarkActive(c.ctx, c.conv); err != nil {
		c.h.log.Warn("mark active", "conv", c.conv, "err", err)
	}
}

// answered reports whether anything follows message id: a retried message
// whose reply was lost (say, the server stopped in between) is answered
// again.
func (c *conn) answered(id string) bool {
	next, err := c.h.store.Messages(c.ctx, c.conv, id, 1)
	return err != nil || len(next) > 0
}

func (c *conn) storeFailed(op string, err error) {
	if c.ctx.Err() != nil {
		return // the connection is ending; nothing to report
	}
	c.h.metrics.RedisErrors.Inc()
	c.h.log.Error(op, "conv", c.conv, "err", err)
	// Nearly always the store is unreachable: the visitor is told plainly,
	// with the numbers for an emergency, and the widget keeps what they
	// wrote and sends it again (the client id makes that safe).
	c.push(errFrame(codeUnavailable, c.h.handoff.Text(textUnavailable), retryUnavailable))
}

// textUnavailable is what a visitor reads when a message could not be
// stored or answered.
const textUnavailable = "We can't send messages right now. We'll keep trying, and what you wrote is kept. If this is an emergency, call 911, or call or text 988. You can also call us at {{phone}}."

// retryUnavailable is the retry_after of an unavailable error, in seconds.
const retryUnavailable = 5

// rateLimited tells the visitor to slow down, once per wait: a flood of
// messages gets one error that says when to send again, not one error per
// message, which would fill the connection's buffer and close it (1011)
// without ever saying why.
func (c *conn) rateLimited(now time.Time, wait time.Duration) {
	if now.Before(c.limitedUntil) {
		return
	}
	c.limitedUntil = now.Add(wait)
	c.push(errFrame(codeRateLimited, "You're sending messages very fast. Please wait a moment.", seconds(wait)))
}

// helloFailed ends a connection whose hello could not be served (Redis
// unreachable, the subscription refused): a connection without its
// conversation's events would store replies it never delivers. The visitor
// is told, with the emergency numbers, and the close code (1013, try again
// later) makes the widget reconnect and say hello again.
func (c *conn) helloFailed(op string, err error) {
	if c.ctx.Err() != nil {
		return
	}
	c.h.metrics.RedisErrors.Inc()
	c.h.log.Error("hello: "+op, "err", err)
	c.push(errFrame(codeUnavailable, c.h.handoff.Text(textCannotConnect), retryHello))
	c.cancel(errUnavailable)
}

// textCannotConnect is what a visitor reads when the chat cannot start.
const textCannotConnect = "We can't connect the chat right now and will keep trying. If this is an emergency, call 911, or call or text 988. You can also call us at {{phone}}."

// retryHello is the retry_after of a failed hello, in seconds.
const retryHello = 3

func seconds(d time.Duration) int {
	return max(1, int((d+time.Second-1)/time.Second))
}

// botMeta is what a bot message carries besides its text.
type botMeta struct {
	Kind    string          `json:"kind"`
	Entries []string        `json:"entries,omitempty"`
	Options []answer.Option `json:"options,omitempty"`
	// Alternatives are the entries offered beside an answer as "Or were
	// you asking about ...?".
	Alternatives []answer.Option `json:"alternatives,omitempty"`
	OfferPerson  bool            `json:"offer_person,omitempty"`
	Risk         *riskFrame      `json:"risk,omitempty"`
	Forms        []string        `json:"forms,omitempty"`
	FollowUp     bool            `json:"follow_up,omitempty"`
	// Generated marks an answer the language model wrote from the
	// entries it Cites; ReplyTo is the visitor message it answers, whose
	// delta frames it replaces.
	Generated bool            `json:"generated,omitempty"`
	Cites     []answer.Option `json:"cites,omitempty"`
	ReplyTo   string          `json:"reply_to,omitempty"`
}

// generatedMetaOf is the meta of an answer the language model wrote: the
// decision's, and what it was written from.
func generatedMetaOf(d answer.Decision, cites []answer.Option, replyTo string) json.RawMessage {
	var m botMeta
	json.Unmarshal(botMetaOf(d, nil), &m)
	m.Generated, m.Cites, m.ReplyTo = true, cites, replyTo
	b, _ := json.Marshal(m)
	return b
}

// replacingDraft is meta with the visitor message whose delta frames
// (a draft the model was writing) the message replaces.
func replacingDraft(meta json.RawMessage, replyTo string) json.RawMessage {
	var m botMeta
	json.Unmarshal(meta, &m)
	m.ReplyTo = replyTo
	b, _ := json.Marshal(m)
	return b
}

func botMetaOf(d answer.Decision, forms []string) json.RawMessage {
	m := botMeta{Kind: string(d.Kind), Entries: d.Entries, Options: d.Options, Alternatives: d.Alternatives, OfferPerson: d.OfferPerson && forms == nil, Forms: forms, FollowUp: d.FollowUp}
	if d.Risk.Crisis() {
		// The visitor's client gets the kind and level, for the banner;
		// the evidence stays with representatives.
		m.Risk = &riskFrame{Kind: string(d.Risk.Kind), Level: string(d.Risk.Level)}
	}
	b, _ := json.Marshal(m)
	return b
}

// repMeta is what a representative's message carries.
type repMeta struct {
	Rep string `json:"rep"`
}

// messageFrame turns a stored message into the frame the client sees.
// Only bot messages, curated Markdown, carry HTML.
func (c *conn) messageFrame(m conversation.Message) []byte {
	f := messageFrame{
		V: Version, Type: "message", ID: m.ID, Time: m.Time.Format(time.RFC3339Nano),
		From: string(m.From), Text: m.Text, ClientID: m.ClientID,
	}
	switch m.From {
	case conversation.FromBot:
		var meta botMeta
		err := json.Unmarshal(m.Meta, &meta)
		// Curated answers are Markdown, reviewed; the model's text is not,
		// and is shown as plain text only.
		if !meta.Generated {
			f.HTML = c.h.render.HTML(m.Text)
		}
		if err == nil {
			f.Kind, f.Entries, f.OfferPerson, f.Risk, f.Forms, f.FollowUp = meta.Kind, meta.Entries, meta.OfferPerson, meta.Risk, meta.Forms, meta.FollowUp
			f.Generated, f.ReplyTo = meta.Generated, meta.ReplyTo
			if len(meta.Cites) > 0 {
				f.Cites, _ = json.Marshal(meta.Cites)
			}
			if len(meta.Options) > 0 {
				f.Options, _ = json.Marshal(meta.Options)
			}
			if len(meta.Alternatives) > 0 {
				f.Alternatives, _ = json.Marshal(meta.Alternatives)
			}
		}
	case conversation.FromRep:
		var meta repMeta
		if json.Unmarshal(m.Meta, &meta) == nil {
			f.Rep = meta.Rep
		}
		f.ClientID = "" // a representative's client id is theirs, not the visitor's
	}
	return encode(f)
}
