package chat

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"helpline/internal/broker"
	"helpline/internal/conversation"
)

// conn is one visitor websocket. Its reader runs in the HTTP handler's
// goroutine and owns the conversation; its writer goroutine owns every
// write to the socket, and with it the order of what the client sees.
type conn struct {
	h      *Handler
	ws     *websocket.Conn
	addr   string
	ctx    context.Context
	cancel context.CancelCauseFunc

	// send carries frames from the reader to the writer (welcome, errors,
	// pongs). It is bounded; a client that lets it fill is dropped.
	send chan []byte
	// activate hands the writer the conversation's subscription, once,
	// after hello, with the id after which to replay stored messages.
	activate   chan activation
	writerDone chan struct{}

	// conv is the conversation id, set by hello; the reader owns it. An
	// idle connection keeps nothing else of the conversation.
	conv string
	sub  *broker.Subscription
	// typed and active are when the visitor's typing and activity were
	// last passed on; reader-owned.
	typed, active time.Time
	// limitedUntil is when the visitor may send again after being told
	// they are too fast; reader-owned.
	limitedUntil time.Time
	// id names this connection in the conversation's presence.
	id string
	// unseen counts the visitor's messages this connection stored whose
	// echo the writer has not written yet: the reader adds, the writer
	// takes away. A client sending faster than it reads would otherwise
	// fill its subscription with its own conversation's events.
	unseen atomic.Int32
}

// maxUnseen is the most of the visitor's messages stored ahead of their
// echo: a person typing has one at most; a flood is told to slow down.
const maxUnseen = 4

type activation struct {
	sub   *broker.Subscription
	conv  string
	after string
}

// errSlowClient closes a connection whose client cannot keep up; it
// resumes and gets what it missed from the store.
var errSlowClient = errors.New("client cannot keep up")

// errUnavailable closes a connection whose hello could not be served.
var errUnavailable = errors.New("store unavailable")

// errDeleted closes a connection whose conversation was deleted.
var errDeleted = errors.New("conversation deleted")

const (
	subscribeBuffer = 16
	replayPage      = 200
)

func (h *Handler) newConn(ws *websocket.Conn, addr string) *conn {
	ctx, cancel := context.WithCancelCause(context.Background())
	return &conn{
		h: h, ws: ws, addr: addr, ctx: ctx, cancel: cancel,
		send:       make(chan []byte, h.opts.SendQueue),
		activate:   make(chan activation, 1),
		writerDone: make(chan struct{}),
		id:         connID(),
	}
}

// connID returns a random id for a connection's presence.
func connID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// present records, from the writer, that the visitor is here (at the
// start and at every ping) or, with gone, that this connection closed: the
// console shows who is still there, and a waiting visitor gone too long
// leaves the queue (handoff.Janitor).
func (c *conn) present(conv string, gone bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var err error
	if gone {
		err = c.h.store.VisitorGone(ctx, conv, c.id)
	} else {
		err = c.h.store.VisitorBeat(ctx, conv, c.id)
	}
	if err != nil {
		c.h.log.Warn("visitor presence", "conv", conv, "err", err)
	}
}

// serve runs the connection until the client leaves, the conversation is
// deleted, the client falls behind, or the server shuts down.
func (c *conn) serve() {
	go c.writer()
	defer func() {
		c.cancel(nil)
		<-c.writerDone
		if c.sub != nil {
			c.sub.Close()
		}
		c.ws.Close()
	}()
	c.ws.SetReadLimit(c.h.opts.MaxFrame)
	c.ws.SetReadDeadline(time.Now().Add(c.h.opts.PongWait))
	c.ws.SetPongHandler(func(string) error {
		return c.ws.SetReadDeadline(time.Now().Add(c.h.opts.PongWait))
	})
	for {
		kind, data, err := c.ws.ReadMessage()
		if err != nil {
			return // closed, timed out, or over the read limit (gorilla answers 1009)
		}
		c.ws.SetReadDeadline(time.Now().Add(c.h.opts.PongWait))
		c.receivedAside(kind, data)
		if c.ctx.Err() != nil {
			return
		}
	}
}

// receivedAside runs received on a goroutine of its own and waits for it.
// Acting on a frame calls Redis through go-redis, which grows a stack to
// 8 KB; the reader waiting for its next frame needs about 1.5 KB, which is
// too much for the runtime ever to shrink an 8 KB stack back (it halves a
// stack only while less than a quarter of it is used, counting a reserve),
// so every connection that had said hello kept 8 KB for its reader. Done
// aside, the deep calls grow a stack that ends with them, and the reader
// waits in 4 KB: an idle connection costs 17.8 KB instead of 22.7
// (`helpline bench` idle phase, 10,000 connections over three
// instances; TestIdleConnectionStacks holds the stacks). Frames
// are still acted on one at a time, in order, for the price of starting
// a goroutine (well under a microsecond) per frame.
func (c *conn) receivedAside(kind int, data []byte) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.received(kind, data)
	}()
	<-done
}

// received acts on one frame from the client. Like deliver for the
// writer, it keeps the reader's own stack frame, where idle connections
// wait, small.
func (c *conn) received(kind int, data []byte) {
	if kind != websocket.TextMessage {
		c.push(errFrame(codeBadFrame, "Frames must be JSON text.", 0))
		return
	}
	f, err := decodeFrame(data, c.h.opts.MaxMessage)
	if err != nil {
		var fe *frameError
		if errors.As(err, &fe) {
			c.push(errFrame(fe.code, fe.msg, 0))
		}
		return
	}
	c.handle(f)
}

// push queues a frame for the writer without waiting; a client too slow
// to take its frames is disconnected.
func (c *conn) push(frame []byte) {
	select {
	case c.send <- frame:
	default:
		c.h.metrics.Dropped.Inc()
		c.cancel(errSlowClient)
	}
}

// writer writes every frame: those the reader queues, the replay of
// stored messages, and the conversation's live events; and the pings.
func (c *conn) writer() {
	defer close(c.writerDone)
	defer func() {
		// However the writer ends, the close frame says why, so the client
		// knows to reconnect; closing the socket then ends the reader's
		// blocked read at once.
		switch cause := context.Cause(c.ctx); {
		case errors.Is(cause, errShutdown):
			c.closeWith(websocket.CloseGoingAway, "server restarting; reconnect")
		case errors.Is(cause, errSlowClient):
			c.closeWith(websocket.CloseInternalServerErr, "cannot keep up; reconnect to resume")
		case errors.Is(cause, errUnavailable):
			// The error frame saying so first, then the close.
			for drained := false; !drained; {
				select {
				case f := <-c.send:
					c.ws.SetWriteDeadline(time.Now().Add(c.h.opts.WriteWait))
					c.ws.WriteMessage(websocket.TextMessage, f)
				default:
					drained = true
				}
			}
			c.closeWith(websocket.CloseTryAgainLater, "unavailable; reconnect")
		}
		c.ws.Close()
	}()
	ping := time.NewTicker(c.h.opts.PingInterval)
	defer ping.Stop()
	var (
		events <-chan *conversation.Event
		conv   string
		last   string // the newest message id written
		// retry is set while the stored messages could not be read (Redis
		// away): the writer tries again when it fires, and meanwhile holds
		// back live messages, which the next try reads in order.
		retry <-chan time.Time
		// resync is set after Redis came back until the conversation's
		// state (and a waiting visitor's place) has been told.
		resync bool
	)
	for {
		select {
		case f := <-c.send:
			if !c.write(websocket.TextMessage, f) {
				return
			}
		case a := <-c.activate:
			// Frames queued before the subscription (welcome) come first.
			for drained := false; !drained; {
				select {
				case f := <-c.send:
					if !c.write(websocket.TextMessage, f) {
						return
					}
				default:
					drained = true
				}
			}
			conv, events, last = a.conv, a.sub.C, a.after
			c.present(conv, false)
			defer c.present(conv, true)
			if !c.catchUp(conv, &last, &retry) {
				return
			}
		case <-retry:
			if !c.catchUp(conv, &last, &retry) {
				return
			}
			if retry == nil && resync && !c.tellState(conv, &last, &retry, &resync) {
				return
			}
		case ev, ok := <-events:
			if !ok {
				c.h.metrics.Dropped.Inc()
				c.cancel(errSlowClient)
				return
			}
			switch {
			case ev.Type == broker.Resync:
				// Events may have been lost while Redis was away: the
				// messages after the last one sent, and the state as it is
				// now (a representative may have joined or left meanwhile).
				resync = true
				if !c.catchUp(conv, &last, &retry) {
					return
				}
				if retry == nil && !c.tellState(conv, &last, &retry, &resync) {
					return
				}
			case ev.Type == "msg" && retry != nil:
				// Held back: the next try reads it from the store, after
				// the ones before it.
			default:
				if !c.deliver(ev, conv, &last) {
					return
				}
			}
		case <-ping.C:
			if !c.write(websocket.PingMessage, nil) {
				return
			}
			if conv != "" {
				c.present(conv, false)
			}
		case <-c.ctx.Done():
			return
		}
	}
}

// deliver writes one live event; it reports false when the connection
// ends. It is a function of its own so that the writer, where every idle
// connection waits, keeps a small stack frame: the runtime can then
// shrink an idle goroutine's stack to its minimum.
func (c *conn) deliver(ev *conversation.Event, conv string, last *string) bool {
	switch ev.Type {
	case "msg":
		if *last != "" && !conversation.After(ev.Message.ID, *last) {
			return true // already sent in the replay
		}
		if !c.write(websocket.TextMessage, c.messageFrame(ev.Message)) {
			return false
		}
		c.seen(ev.Message)
		*last = ev.Message.ID
	case "delta":
		// A piece of the reply to a message, once something after that
		// message has been written, is stale: the reply itself (a replay
		// can write it while its pieces still wait here, published before
		// it), or a newer message, which supersedes the reply. Written, it
		// would show a draft under the finished answer.
		if *last != "" && conversation.After(*last, ev.Message.ID) {
			return true
		}
		if !c.write(websocket.TextMessage, encode(deltaFrame{V: Version, Type: "delta", ReplyTo: ev.Message.ID, Text: ev.Message.Text})) {
			return false
		}
	case "state":
		if !c.write(websocket.TextMessage, encode(stateFrame{V: Version, Type: "state", State: string(ev.State)})) {
			return false
		}
	case "deleted":
		c.write(websocket.TextMessage, encode(simpleFrame{V: Version, Type: "deleted"}))
		c.closeWith(websocket.CloseNormalClosure, "conversation deleted")
		c.cancel(errDeleted)
		return false
	case "typing":
		if ev.From == "rep" && !c.write(websocket.TextMessage, encode(typingFrame{V: Version, Type: "typing", From: "rep", Name: ev.Name})) {
			return false
		}
	case "queue":
		if !c.write(websocket.TextMessage, encode(queueFrame{V: Version, Type: "queue", Position: ev.Position, WaitSeconds: ev.Wait, Reason: ev.Reason, ReasonText: ev.ReasonText})) {
			return false
		}
	}
	return true
}

// catchUp writes the stored messages after *last, advancing it. When they
// cannot be read (Redis is away, or back but its connection pool still
// refusing for a moment) the connection stays open and *retry is set to
// try again in a second: the visitor keeps the chat, and gets what they
// missed once Redis answers. It reports false when the connection ends.
func (c *conn) catchUp(conv string, last *string, retry *<-chan time.Time) bool {
	for {
		msgs, err := c.h.store.Messages(c.ctx, conv, *last, replayPage)
		if c.ctx.Err() != nil {
			return false
		}
		if err != nil {
			c.h.metrics.RedisErrors.Inc()
			if *retry == nil {
				c.h.log.Warn("replay; trying again", "conv", conv, "err", err)
			}
			*retry = time.After(replayRetry)
			return true
		}
		for _, m := range msgs {
			if !c.write(websocket.TextMessage, c.messageFrame(m)) {
				return false
			}
			c.seen(m)
			*last = m.ID
		}
		if len(msgs) < replayPage {
			*retry = nil
			return true
		}
	}
}

// tellState writes the conversation's state as it is now, and a waiting
// visitor's place, after Redis came back; when the store cannot be read
// yet, *retry is set to try again, *resync staying set. It reports false
// when the connection ends.
func (c *conn) tellState(conv string, last *string, retry *<-chan time.Time, resync *bool) bool {
	cv, err := c.h.store.Get(c.ctx, conv)
	if err != nil {
		*retry = time.After(replayRetry)
		return c.ctx.Err() == nil
	}
	*resync = false
	if !c.write(websocket.TextMessage, encode(stateFrame{V: Version, Type: "state", State: string(cv.State)})) {
		return false
	}
	// And a waiting visitor's place, which may have moved.
	if cv.State == conversation.StateWaiting {
		if q, ok := c.h.handoff.Place(c.ctx, conv); ok && !c.deliver(&q, conv, last) {
			return false
		}
	}
	return true
}

// seen counts m's echo written, when it is the visitor's.
func (c *conn) seen(m conversation.Message) {
	if m.From != conversation.FromVisitor {
		return
	}
	for {
		n := c.unseen.Load()
		if n <= 0 || c.unseen.CompareAndSwap(n, n-1) {
			return
		}
	}
}

// replayRetry is how soon a replay that could not read the store is tried
// again.
const replayRetry = time.Second

// write writes one frame with a deadline; false means the connection is
// done.
func (c *conn) write(kind int, data []byte) bool {
	c.ws.SetWriteDeadline(time.Now().Add(c.h.opts.WriteWait))
	if err := c.ws.WriteMessage(kind, data); err != nil {
		c.cancel(err)
		return false
	}
	return true
}

func (c *conn) closeWith(code int, reason string) {
	msg := websocket.FormatCloseMessage(code, reason)
	c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(c.h.opts.WriteWait))
}
