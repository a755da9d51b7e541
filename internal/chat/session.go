package chat

import (
	"encoding/json"
	"errors"
	"time"

	"helpline/internal/answer"
	"helpline/internal/store"
)

// handle acts on one valid client frame.
func (c *conn) handle(f clientFrame) {
	if f.Type == typePing {
		c.push(encode(simpleFrame{V: Version, Type: "pong"}))
		return
	}
	if f.Type == typeHello {
		c.hello(f)
		return
	}
	if c.conv == "" {
		c.push(errFrame(codeNotReady, "Say hello first.", 0))
		return
	}
	switch f.Type {
	case typeMessage:
		c.visitorSays(f.ID, f.Text, func(ctx answer.Context) (answer.Decision, bool) {
			return c.h.engine.Decide(f.Text, ctx), true
		})
	case typeChoose:
		d, ok := c.h.engine.Entry(f.Entry)
		if !ok {
			c.push(errFrame(codeUnknown, "That choice is not available.", 0))
			return
		}
		// The transcript shows what the visitor tapped, the entry's title.
		c.visitorSays(f.ID, c.h.engine.Base().Entry(f.Entry).Title, func(answer.Context) (answer.Decision, bool) {
			return d, true
		})
	case typePerson:
		c.visitorSays(f.ID, "I'd like to talk to a person.", func(answer.Context) (answer.Decision, bool) {
			return c.h.engine.Person(), true
		})
	case typeEnd:
		if err := c.h.store.SetState(c.ctx, c.conv, store.StateClosed); err != nil {
			c.storeFailed("end", err)
		}
	case typeDelete:
		if err := c.h.store.Delete(c.ctx, c.conv); err != nil {
			c.storeFailed("delete", err)
			return
		}
		c.h.log.Info("conversation deleted by visitor", "conv", c.conv)
		// The writer closes the connection when the deletion event
		// arrives, after telling every tab.
	}
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
	switch {
	case errors.Is(err, store.ErrNotFound):
		// Unknown, expired, deleted or forged: a new conversation, and
		// nothing about any other.
		conv, token, err = c.h.store.Create(c.ctx)
		if err != nil {
			c.storeFailed("create", err)
			return
		}
	case err != nil:
		c.storeFailed("open", err)
		return
	}
	c.conv = conv.ID
	sub, err := c.h.broker.Subscribe(c.ctx, conv.ID, subscribeBuffer)
	if err != nil {
		c.storeFailed("subscribe", err)
		return
	}
	c.sub = sub
	after := ""
	if resumed && f.Last != "" {
		if _, _, ok := store.ParseID(f.Last); ok {
			after = f.Last
		}
	}
	c.push(encode(welcomeFrame{V: Version, Type: "welcome", Conversation: conv.ID, Token: token, State: string(conv.State), Resumed: resumed}))
	c.activate <- activation{sub: sub, conv: conv.ID, after: after}
}

// visitorSays stores the visitor's message and, while the bot is the one
// answering, the bot's reply. reply computes the reply from the
// conversation's answer context.
func (c *conn) visitorSays(clientID, text string, reply func(answer.Context) (answer.Decision, bool)) {
	start := time.Now()
	if ok, wait := c.h.limiter.allow(c.addr, start); !ok {
		c.push(errFrame(codeRateLimited, "You're sending messages very fast. Please wait a moment.", seconds(wait)))
		return
	}
	id, dup, rawCtx, state, err := c.h.store.AddVisitor(c.ctx, c.conv, clientID, text)
	var limited *store.RateLimitedError
	switch {
	case errors.As(err, &limited):
		c.push(errFrame(codeRateLimited, "You're sending messages very fast. Please wait a moment.", seconds(limited.RetryAfter)))
		return
	case errors.Is(err, store.ErrClosed):
		c.push(errFrame(codeClosed, "This chat has ended. Reload the page to start a new one.", 0))
		return
	case errors.Is(err, store.ErrNotFound):
		c.push(errFrame(codeClosed, "This conversation no longer exists. Reload the page to start a new one.", 0))
		return
	case err != nil:
		c.storeFailed("store message", err)
		return
	}
	if dup && c.answered(id) {
		return // a retry of a message already stored and answered
	}
	if !dup {
		c.h.metrics.Messages.WithLabelValues(string(store.FromVisitor)).Inc()
	}
	if state != store.StateBot {
		return // a person answers; the bot stays silent
	}
	var actx answer.Context
	if len(rawCtx) > 0 {
		if err := json.Unmarshal(rawCtx, &actx); err != nil {
			c.h.log.Warn("bad answer context; starting afresh", "conv", c.conv, "err", err)
			actx = answer.Context{}
		}
	}
	d, ok := reply(actx)
	if !ok {
		return
	}
	next, _ := json.Marshal(actx.Next(text, d))
	r := store.Reply{From: store.FromBot, Text: d.Text, Meta: botMetaOf(d), Context: next}
	if d.Risk.Crisis() {
		r.RiskKind, r.RiskLevel = string(d.Risk.Kind), string(d.Risk.Level)
		// The log says a crisis happened, never what was said.
		c.h.log.Warn("crisis", "conv", c.conv, "risk", d.Risk)
	}
	if _, err := c.h.store.AddReply(c.ctx, c.conv, r); err != nil {
		c.storeFailed("store reply", err)
		return
	}
	c.h.metrics.Messages.WithLabelValues(string(store.FromBot)).Inc()
	c.h.metrics.Decisions.WithLabelValues(string(d.Kind)).Inc()
	c.h.metrics.AnswerSeconds.Observe(time.Since(start).Seconds())
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
	c.push(errFrame(codeInternal, "Something went wrong on our side. Please try again in a moment.", 0))
}

func seconds(d time.Duration) int {
	return max(1, int((d+time.Second-1)/time.Second))
}

// botMeta is what a bot message carries besides its text.
type botMeta struct {
	Kind        string          `json:"kind"`
	Entries     []string        `json:"entries,omitempty"`
	Options     []answer.Option `json:"options,omitempty"`
	OfferPerson bool            `json:"offer_person,omitempty"`
	Risk        *riskFrame      `json:"risk,omitempty"`
}

func botMetaOf(d answer.Decision) json.RawMessage {
	m := botMeta{Kind: string(d.Kind), Entries: d.Entries, Options: d.Options, OfferPerson: d.OfferPerson}
	if d.Risk.Crisis() {
		// The visitor's client gets the kind and level, for the banner;
		// the evidence stays with representatives.
		m.Risk = &riskFrame{Kind: string(d.Risk.Kind), Level: string(d.Risk.Level)}
	}
	b, _ := json.Marshal(m)
	return b
}

// messageFrame turns a stored message into the frame the client sees.
// Only bot messages, curated Markdown, carry HTML.
func (c *conn) messageFrame(m store.Message) []byte {
	f := messageFrame{
		V: Version, Type: "message", ID: m.ID, Time: m.Time.Format(time.RFC3339Nano),
		From: string(m.From), Text: m.Text, ClientID: m.ClientID,
	}
	if m.From == store.FromBot {
		f.HTML = c.h.render.HTML(m.Text)
		var meta botMeta
		if json.Unmarshal(m.Meta, &meta) == nil {
			f.Kind, f.Entries, f.OfferPerson, f.Risk = meta.Kind, meta.Entries, meta.OfferPerson, meta.Risk
			if len(meta.Options) > 0 {
				f.Options, _ = json.Marshal(meta.Options)
			}
		}
	}
	return encode(f)
}
