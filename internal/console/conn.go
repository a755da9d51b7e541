package console

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"helpline/internal/broker"
	"helpline/internal/conversation"
	"helpline/internal/reps"
	"helpline/internal/store"
)

// conn is one console websocket. Its reader (the goroutine of serve) acts
// on the representative's frames; its writer owns every write and the
// periodic refresh of the lists. Each followed conversation has a small
// forwarding goroutine that ends with its subscription.
type conn struct {
	h      *Handler
	ws     *websocket.Conn
	rep    string
	role   reps.Role
	token  string // the session's, checked at every heartbeat
	ctx    context.Context
	cancel context.CancelCauseFunc

	send   chan []byte       // frames from the reader
	events chan consoleEvent // events from subscriptions
	done   chan struct{}     // the writer has ended

	views  map[string]*view // the conversations followed (reader-owned)
	typed  map[string]time.Time
	status atomic.Value // reps.Status, as the representative set it

	// The summaries and drafts under way (assist.go): jobs counts their
	// goroutines, which serve waits for; assisting names their
	// conversations, one at a time each.
	jobs      sync.WaitGroup
	assistMu  sync.Mutex
	assisting map[string]bool
}

type consoleEvent struct {
	conv string // "" for the console channel
	ev   *conversation.Event
}

// closeSignedOut is the close code when the session ended: the console
// shows the sign-in form instead of reconnecting.
const closeSignedOut = 4001

const (
	pingInterval = 25 * time.Second
	pongWait     = 60 * time.Second
	writeWait    = 10 * time.Second
	maxFrame     = 64 << 10
	refreshEvery = 250 * time.Millisecond // at most this stale after an event
	liveEvery    = 5 * time.Second        // the live lists without events
)

func (h *Handler) newConn(ws *websocket.Conn, s reps.Session, token string) *conn {
	ctx, cancel := context.WithCancelCause(context.Background())
	return &conn{
		h: h, ws: ws, rep: s.Rep, role: s.Role, token: token, ctx: ctx, cancel: cancel,
		send: make(chan []byte, 64), events: make(chan consoleEvent, 256), done: make(chan struct{}),
		views: map[string]*view{}, typed: map[string]time.Time{}, assisting: map[string]bool{},
	}
}

func (c *conn) serve() {
	global, err := c.h.broker.Subscribe(c.ctx, store.ConsoleChannel, 64)
	if err != nil {
		c.h.log.Error("console subscribe", "err", err)
		c.ws.Close()
		return
	}
	go c.forward("", global, nil)
	go c.writer()
	defer func() {
		c.cancel(nil)
		<-c.done
		// The summaries and drafts under way end with the connection's
		// context.
		c.jobs.Wait()
		global.Close()
		for _, v := range c.views {
			v.close()
		}
		c.ws.Close()
		// The grace for this representative's conversations starts now.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := c.h.reps.Left(ctx, c.rep); err != nil {
			c.h.log.Warn("console left", "rep", reps.LogID(c.rep), "err", err)
		}
	}()
	c.status.Store(string(reps.Online))
	c.beat()
	// model_assist says whether the language model writes summaries and
	// drafts here: the console shows their controls only then.
	c.push(encode(map[string]any{"type": "welcome", "rep": c.rep, "role": c.role, "max_chats": c.h.handoff.MaxChats(),
		"model_assist": c.h.model.RepsUnavailable() == ""}))

	c.ws.SetReadLimit(maxFrame)
	c.ws.SetReadDeadline(time.Now().Add(pongWait))
	c.ws.SetPongHandler(func(string) error { return c.ws.SetReadDeadline(time.Now().Add(pongWait)) })
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			return
		}
		c.ws.SetReadDeadline(time.Now().Add(pongWait))
		var f frame
		if err := json.Unmarshal(data, &f); err != nil {
			c.fail("bad_frame", "That frame is not a JSON object.")
			continue
		}
		c.act(f)
		if c.ctx.Err() != nil {
			return
		}
	}
}

// beat tells everyone this representative's console is alive, once its
// session is checked: a console signed out elsewhere, or of an account
// disabled meanwhile, is closed.
func (c *conn) beat() {
	ctx, cancel := context.WithTimeout(c.ctx, 5*time.Second)
	defer cancel()
	if _, err := c.h.reps.Session(ctx, c.token); errors.Is(err, reps.ErrNoSession) {
		c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(closeSignedOut, "signed out"), time.Now().Add(writeWait))
		c.cancel(err)
		return
	}
	st, _ := c.status.Load().(string)
	if err := c.h.reps.Heartbeat(ctx, c.rep, reps.Status(st)); err != nil && c.ctx.Err() == nil {
		c.h.log.Warn("heartbeat", "rep", reps.LogID(c.rep), "err", err)
	}
}

// view is a followed conversation: its visitor channel and its
// representatives' channel.
type view struct {
	events, rep *broker.Subscription
	done        chan struct{} // closed when the console stops following
}

func newView(events, rep *broker.Subscription) *view {
	return &view{events: events, rep: rep, done: make(chan struct{})}
}

func (v *view) close() {
	close(v.done)
	v.events.Close()
	v.rep.Close()
}

// forward passes a subscription's events to the writer until the
// connection ends or the console stops following (v.done; nil for the
// console channel). A subscription that ends by itself fell behind (the
// broker drops it): the console then reconnects and reads everything
// afresh, rather than silently missing a conversation's messages.
func (c *conn) forward(conv string, s *broker.Subscription, v *view) {
	var stop chan struct{}
	if v != nil {
		stop = v.done
	}
	for {
		select {
		case ev, ok := <-s.C:
			if !ok {
				c.cancel(errors.New("console fell behind"))
				return
			}
			select {
			case c.events <- consoleEvent{conv: conv, ev: ev}:
			case <-c.ctx.Done():
				return
			case <-stop:
				return
			}
		case <-c.ctx.Done():
			return
		case <-stop:
			return
		}
	}
}

func (c *conn) push(b []byte) {
	select {
	case c.send <- b:
	default:
		c.cancel(errors.New("console cannot keep up"))
	}
}

func (c *conn) fail(code, msg string) {
	c.push(encode(map[string]any{"type": "error", "code": code, "message": msg}))
}

// writer writes frames and keeps the lists fresh. An event marks the
// lists it changes stale; a stale list is sent again at once, or, when
// events come thick, at the next tick, so that a burst costs one refresh.
// The live list and the representative's own are also refreshed every
// few seconds, for activity that sends no event.
func (c *conn) writer() {
	defer close(c.done)
	defer c.ws.Close()
	ping := time.NewTicker(pingInterval)
	defer ping.Stop()
	tick := time.NewTicker(refreshEvery)
	defer tick.Stop()
	beat := time.NewTicker(c.h.handoff.BeatEvery())
	defer beat.Stop()
	stale := map[string]bool{"queue": true, "live": true, "mine": true, "requests": true, "canned": true}
	var last time.Time // of the last refresh
	n := 0
	refresh := func() bool {
		for what := range stale {
			if b := c.snapshot(what); b != nil && !c.write(b) {
				return false
			}
			delete(stale, what)
		}
		last = time.Now()
		return true
	}
	for {
		select {
		case b := <-c.send:
			if !c.write(b) {
				return
			}
		case e := <-c.events:
			if !c.event(e, stale) {
				return
			}
			if len(stale) > 0 && time.Since(last) >= refreshEvery && !refresh() {
				return
			}
		case <-tick.C:
			if n++; n%int(liveEvery/refreshEvery) == 0 {
				stale["live"], stale["mine"] = true, true
			}
			if len(stale) > 0 && !refresh() {
				return
			}
		case <-beat.C:
			c.beat()
		case <-ping.C:
			c.ws.SetWriteDeadline(time.Now().Add(writeWait))
			if err := c.ws.WriteMessage(websocket.PingMessage, nil); err != nil {
				return
			}
		case <-c.ctx.Done():
			if errors.Is(context.Cause(c.ctx), errShutdown) {
				c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseGoingAway, "server restarting; reconnect"), time.Now().Add(writeWait))
			}
			return
		}
	}
}

// event turns one event into frames, or marks lists stale.
func (c *conn) event(e consoleEvent, stale map[string]bool) bool {
	ev := e.ev
	if e.conv == "" { // the console channel
		switch ev.Type {
		case "queue":
			stale["queue"], stale["mine"] = true, true
		case "requests":
			stale["requests"] = true
		case "canned":
			stale["canned"] = true
		case "live":
			stale["live"] = true
		case "presence": // a visitor came or went
			stale["queue"], stale["live"], stale["mine"] = true, true, true
		case broker.Resync:
			stale["queue"], stale["live"], stale["mine"], stale["requests"], stale["canned"] = true, true, true, true, true
		case "alert":
			stale["queue"], stale["live"], stale["mine"] = true, true, true
			return c.alert(ev)
		}
		return true
	}
	switch ev.Type {
	case "msg":
		return c.write(encode(map[string]any{"type": "message", "conversation": e.conv, "message": c.message(ev.Message)}))
	case "state":
		stale["mine"], stale["live"] = true, true
		return c.write(encode(map[string]any{"type": "state", "conversation": e.conv, "state": ev.State, "holder": ev.Holder}))
	case "note":
		return c.write(encode(map[string]any{"type": "note", "conversation": e.conv, "note": ev.Note}))
	case "typing":
		if ev.From == "visitor" {
			return c.write(encode(map[string]any{"type": "typing", "conversation": e.conv}))
		}
	case "deleted":
		return c.write(encode(map[string]any{"type": "state", "conversation": e.conv, "state": "deleted"}))
	case broker.Resync:
		// Events may have been lost while Redis was away: send the whole
		// conversation again, and every list.
		for what := range map[string]bool{"queue": true, "live": true, "mine": true, "requests": true, "canned": true} {
			stale[what] = true
		}
		ctx, cancel := context.WithTimeout(c.ctx, 5*time.Second)
		defer cancel()
		if t, err := c.transcript(ctx, e.conv); err == nil {
			return c.write(encode(t))
		}
	}
	return true
}

// alert tells the representative of a crisis, with where its conversation
// is now, so the console can word it for them: waiting in the queue, live
// with the assistant, or held by someone else. A crisis in a conversation
// this representative holds is no alert for them (they are reading it);
// the lists, refreshed after it, show its new risk.
func (c *conn) alert(ev *conversation.Event) bool {
	ctx, cancel := context.WithTimeout(c.ctx, 5*time.Second)
	defer cancel()
	f := map[string]any{"type": "alert", "conversation": ev.Conv, "priority": ev.Priority, "risk_kind": ev.Kind, "risk_level": ev.Priority}
	conv, err := c.h.store.Get(ctx, ev.Conv)
	switch {
	case conversation.ErrorCode(err) == conversation.NotFound:
		return true // deleted or expired since: nothing to act on
	case err != nil:
		// Better an alert without its place than none.
		c.h.log.Warn("console alert: conversation", "conversation", ev.Conv, "err", err)
	case conv.State == conversation.StateClosed:
		return true
	case conv.State == conversation.StateRep && conv.Holder == c.rep:
		return true
	default:
		f["state"], f["holder"] = conv.State, conv.Holder
	}
	return c.write(encode(f))
}

func (c *conn) write(b []byte) bool {
	c.ws.SetWriteDeadline(time.Now().Add(writeWait))
	if err := c.ws.WriteMessage(websocket.TextMessage, b); err != nil {
		c.cancel(err)
		return false
	}
	return true
}

func encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("console: encode: " + err.Error())
	}
	return b
}
