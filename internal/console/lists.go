package console

import (
	"context"
	"encoding/json"
	"time"

	"helpline/internal/conversation"
)

// The console's lists, read fresh from Redis: the queue, the live
// conversations, the representative's own, the open requests, and the
// canned replies.

type queueItem struct {
	Conversation string    `json:"conversation"`
	Priority     string    `json:"priority"`
	RiskKind     string    `json:"risk_kind,omitempty"`
	RiskLevel    string    `json:"risk_level,omitempty"`
	Reason       string    `json:"reason"`
	WaitingSince time.Time `json:"waiting_since"`
	Preview      string    `json:"preview"`
	visitor
}

// visitor is whether the visitor is still there: a connection open now,
// or when they were last seen; and, for a conversation that left the
// queue because they were gone, when.
type visitor struct {
	Online bool       `json:"visitor_online"`
	Seen   *time.Time `json:"visitor_seen,omitempty"`
	Left   *time.Time `json:"left_at,omitempty"`
}

func visitorOf(o conversation.Overview) visitor {
	v := visitor{Online: o.VisitorOnline}
	if !o.VisitorSeen.IsZero() {
		v.Seen = &o.VisitorSeen
	}
	if !o.Left.IsZero() && o.State == conversation.StateBot {
		v.Left = &o.Left
	}
	return v
}

type liveItem struct {
	Conversation string    `json:"conversation"`
	State        string    `json:"state"`
	Holder       string    `json:"holder,omitempty"`
	LastActivity time.Time `json:"last_activity"`
	RiskKind     string    `json:"risk_kind,omitempty"`
	RiskLevel    string    `json:"risk_level,omitempty"`
	Preview      string    `json:"preview"`
	visitor
}

// listSize bounds each list: a console shows what one can act on.
const listSize = 100

// snapshot returns the frame for one list, or nil when it cannot be read
// (the next refresh tries again).
func (c *conn) snapshot(what string) []byte {
	ctx, cancel := context.WithTimeout(c.ctx, 5*time.Second)
	defer cancel()
	var items any
	switch what {
	case "queue":
		ids, err := c.h.store.WaitingN(ctx, listSize)
		if err != nil {
			return nil
		}
		if len(ids) > listSize {
			ids = ids[:listSize]
		}
		all, err := c.h.store.Overviews(ctx, ids)
		if err != nil {
			return nil
		}
		list := []queueItem{}
		present := map[string]bool{}
		for _, o := range all {
			present[o.Conv] = true
			if o.State != conversation.StateWaiting {
				c.h.store.Dequeue(ctx, o.Conv) // it was taken or ended meanwhile
				continue
			}
			list = append(list, queueItem{Conversation: o.Conv, Priority: string(o.Priority), RiskKind: o.RiskKind, RiskLevel: o.RiskLevel,
				Reason: o.Reason, WaitingSince: o.Queued, Preview: o.Preview, visitor: visitorOf(o)})
		}
		for _, id := range ids {
			if !present[id] {
				c.h.store.Dequeue(ctx, id) // expired or deleted
			}
		}
		items = list
	case "live":
		ids, err := c.h.store.Active(ctx, listSize)
		if err != nil {
			return nil
		}
		all, err := c.h.store.Overviews(ctx, ids)
		if err != nil {
			return nil
		}
		list := []liveItem{}
		for _, o := range all {
			if o.State == conversation.StateClosed {
				continue
			}
			list = append(list, live(o))
		}
		items = list
	case "mine":
		held, err := c.held(ctx)
		if err != nil {
			return nil
		}
		list := []liveItem{}
		for _, o := range held {
			list = append(list, live(o))
		}
		items = list
	case "requests":
		rs, err := c.h.store.OpenRequests(ctx, listSize)
		if err != nil {
			return nil
		}
		if rs == nil {
			rs = []conversation.Request{}
		}
		items = rs
	case "canned":
		rs, err := c.h.store.CannedReplies(ctx)
		if err != nil {
			return nil
		}
		items = rs
	default:
		return nil
	}
	return encode(map[string]any{"type": what, "items": items})
}

func live(o conversation.Overview) liveItem {
	return liveItem{Conversation: o.Conv, State: string(o.State), Holder: o.Holder, LastActivity: o.Last,
		RiskKind: o.RiskKind, RiskLevel: o.RiskLevel, Preview: o.Preview, visitor: visitorOf(o)}
}

// consoleMessage is a message as the console shows it: the visitor
// protocol's message, with the representative's name on theirs and the
// bot's curated Markdown rendered.
type consoleMessage struct {
	ID      string   `json:"id"`
	Time    string   `json:"time"`
	From    string   `json:"from"`
	Text    string   `json:"text"`
	HTML    string   `json:"html,omitempty"`
	Kind    string   `json:"kind,omitempty"`
	Entries []string `json:"entries,omitempty"`
	Rep     string   `json:"rep,omitempty"`
	Risk    *risk    `json:"risk,omitempty"`
	// ClientID is the id a representative's console gave its reply, so
	// that it can match its pending reply.
	ClientID string `json:"client_id,omitempty"`
}

type risk struct {
	Kind  string `json:"kind"`
	Level string `json:"level"`
}

// meta is what bot and representative messages carry (see the chat
// package, which writes it).
type meta struct {
	Kind    string   `json:"kind"`
	Entries []string `json:"entries"`
	Rep     string   `json:"rep"`
	Risk    *risk    `json:"risk"`
}

func (c *conn) message(m conversation.Message) consoleMessage {
	out := consoleMessage{ID: m.ID, Time: m.Time.Format(time.RFC3339Nano), From: string(m.From), Text: m.Text}
	var mt meta
	if len(m.Meta) > 0 && json.Unmarshal(m.Meta, &mt) == nil {
		out.Kind, out.Entries, out.Rep, out.Risk = mt.Kind, mt.Entries, mt.Rep, mt.Risk
	}
	switch m.From {
	case conversation.FromBot:
		out.HTML = c.h.render.HTML(m.Text)
	case conversation.FromRep:
		out.ClientID = m.ClientID
	}
	return out
}

// summary is what a representative reads before answering.
type summary struct {
	Reason    string            `json:"reason,omitempty"`
	RiskKind  string            `json:"risk_kind,omitempty"`
	RiskLevel string            `json:"risk_level,omitempty"`
	Evidence  []string          `json:"evidence,omitempty"`
	Questions []string          `json:"questions"`
	Answers   []answered        `json:"answers"`
	Details   map[string]string `json:"details,omitempty"`
	Waited    int               `json:"waited,omitempty"` // seconds in the queue before someone took it
	Outcome   string            `json:"outcome,omitempty"`
}

type answered struct {
	Entry string `json:"entry"`
	Title string `json:"title"`
}

type transcript struct {
	Type         string              `json:"type"`
	Conversation string              `json:"conversation"`
	State        string              `json:"state"`
	Holder       string              `json:"holder,omitempty"`
	Summary      summary             `json:"summary"`
	Messages     []consoleMessage    `json:"messages"`
	Notes        []conversation.Note `json:"notes"`
}

// transcript reads a conversation for the console, with the summary built
// from it without a language model: why it came to a person, the risk and
// the words that raised it, what the visitor asked, and what the bot
// answered.
func (c *conn) transcript(ctx context.Context, conv string) (transcript, error) {
	cv, err := c.h.store.Get(ctx, conv)
	if err != nil {
		return transcript{}, err
	}
	msgs, err := c.h.store.Messages(ctx, conv, "", transcriptN)
	if err != nil {
		return transcript{}, err
	}
	notes, err := c.h.store.Notes(ctx, conv)
	if err != nil {
		return transcript{}, err
	}
	info, err := c.h.store.Handoff(ctx, conv)
	if err != nil {
		return transcript{}, err
	}
	t := transcript{Type: "transcript", Conversation: conv, State: string(cv.State), Messages: make([]consoleMessage, 0, len(msgs)), Notes: notes}
	if cv.State == conversation.StateRep {
		t.Holder = cv.Holder
	}
	if t.Notes == nil {
		t.Notes = []conversation.Note{}
	}
	s := summary{Reason: info.Reason, RiskKind: cv.RiskKind, RiskLevel: cv.RiskLevel, Evidence: info.Evidence, Details: info.Details,
		Outcome: info.Outcome, Questions: []string{}, Answers: []answered{}}
	if !info.Queued.IsZero() && !info.Claimed.IsZero() && info.Claimed.After(info.Queued) {
		s.Waited = int(info.Claimed.Sub(info.Queued).Seconds())
	}
	seen := map[string]bool{}
	for _, m := range msgs {
		cm := c.message(m)
		t.Messages = append(t.Messages, cm)
		switch m.From {
		case conversation.FromVisitor:
			s.Questions = append(s.Questions, m.Text)
		case conversation.FromBot:
			if cm.Kind != "answer" {
				continue
			}
			for _, id := range cm.Entries {
				if e := c.h.engine.Base().Entry(id); e != nil && !seen[id] {
					seen[id] = true
					s.Answers = append(s.Answers, answered{Entry: id, Title: e.Title})
				}
			}
		}
	}
	t.Summary = s
	return t, nil
}
