// Package chat serves the visitor websocket (docs/protocol.md): it opens or
// resumes a conversation, stores what the visitor writes, asks the
// answering engine for the bot's reply (and, when one is configured, the
// language model for a grounded answer, in a worker per conversation:
// worker.go, assist.go), and delivers every message of the conversation,
// from any server instance, through Redis.
package chat

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"helpline/internal/answer"
	"helpline/internal/assistant"
	"helpline/internal/broker"
	"helpline/internal/handoff"
	"helpline/internal/metrics"
	"helpline/internal/ratelimit"
	"helpline/internal/render"
	"helpline/internal/sockets"
	"helpline/internal/store"
)

// Options tune the visitor websocket. Zero fields get the defaults noted.
type Options struct {
	// Origins are the page origins allowed to connect besides the
	// service's own; "*" allows any.
	Origins []string
	// MaxMessage is the longest message text in characters (2000).
	MaxMessage int
	// MaxFrame is the largest frame in bytes (16 KiB); a larger one
	// closes the connection with 1009.
	MaxFrame int64
	// RatePerAddress bounds messages per minute from one client address
	// (60), counted in Redis across every instance.
	RatePerAddress int
	// RateKeyPrefix separates the per-address counts of services (or test
	// runs) that share one Redis; empty in production.
	RateKeyPrefix string
	// TrustedProxies is how many proxies in front append to
	// X-Forwarded-For (see sockets.ClientAddr).
	TrustedProxies int
	// SendQueue is the per-connection buffer of the reader's outgoing
	// frames (8): welcome, errors, pongs; stored messages go straight from
	// the store or the subscription to the writer. A client that lets it
	// fill is disconnected and resumes later.
	SendQueue int
	// PingInterval, PongWait and WriteWait are the keep-alive and write
	// deadlines (25s, 60s, 10s).
	PingInterval, PongWait, WriteWait time.Duration

	// Assistant, when set, writes grounded answers with the language
	// model (internal/assistant); nil, every answer is the curated one,
	// as without a model.
	Assistant *assistant.Client
	// Meaning, when set, ranks the entries by meaning with the operator's
	// embedding model, and the engine reconsiders its decision on a typed
	// question in that light (answer.Engine.Reconsider); nil, the
	// engine's decision stands, as without a model.
	Meaning Meaning
	// AnswerTimeout bounds answering one message, from taking it off the
	// conversation's queue to storing the reply, model included (30s). It
	// should exceed the model's own timeout, after which the curated
	// answer is used.
	AnswerTimeout time.Duration
	// AnswerQueue is how many of a conversation's messages may wait for
	// their answer (8); a visitor who writes faster is asked to wait.
	AnswerQueue int
	// WorkerIdle is how long a conversation's answer worker waits for
	// another message before it ends (30s).
	WorkerIdle time.Duration
}

func (o *Options) defaults() {
	if o.MaxMessage == 0 {
		o.MaxMessage = 2000
	}
	if o.MaxFrame == 0 {
		o.MaxFrame = 16 << 10
	}
	if o.RatePerAddress == 0 {
		o.RatePerAddress = 60
	}
	if o.SendQueue == 0 {
		o.SendQueue = 8
	}
	if o.PingInterval == 0 {
		o.PingInterval = 25 * time.Second
	}
	if o.PongWait == 0 {
		o.PongWait = 60 * time.Second
	}
	if o.WriteWait == 0 {
		o.WriteWait = 10 * time.Second
	}
	if o.AnswerTimeout == 0 {
		o.AnswerTimeout = 30 * time.Second
	}
	if o.AnswerQueue == 0 {
		o.AnswerQueue = 8
	}
	if o.WorkerIdle == 0 {
		o.WorkerIdle = 30 * time.Second
	}
}

// Handler serves visitor websockets. Create it with NewHandler and stop it
// with Shutdown.
type Handler struct {
	store    *store.Store
	broker   *broker.Broker
	engine   *answer.Engine
	handoff  *handoff.Service
	render   *render.Renderer
	metrics  *metrics.Metrics
	log      *slog.Logger
	opts     Options
	upgrader websocket.Upgrader
	limiter  *ratelimit.Limiter

	conns sockets.Set
	// work are the per-conversation answer workers (worker.go).
	work workers
	// id names this handler in the claims on answering a message.
	id string
}

// NewHandler returns a handler.
func NewHandler(st *store.Store, b *broker.Broker, e *answer.Engine, ho *handoff.Service, r *render.Renderer, m *metrics.Metrics, log *slog.Logger, opts Options) *Handler {
	opts.defaults()
	h := &Handler{
		store: st, broker: b, engine: e, handoff: ho, render: r, metrics: m, log: log, opts: opts,
		// A burst of a third of the minute's allowance lets a visitor send
		// a few quick messages; a flood soon waits.
		limiter: ratelimit.PerMinute(st.Client(), opts.RatePerAddress, opts.RatePerAddress/3, "hl:addr:"+opts.RateKeyPrefix),
		work:    newWorkers(), id: connID(),
	}
	h.upgrader = websocket.Upgrader{
		// Most connections wait most of the time: a small read buffer, and
		// write buffers borrowed from a pool only while writing.
		ReadBufferSize:  256,
		WriteBufferSize: 1024,
		WriteBufferPool: &sync.Pool{},
		CheckOrigin:     h.originAllowed,
	}
	return h
}

// originAllowed accepts the service's own origin and the configured ones:
// the widget runs on the helpline's pages, and nowhere else may open a
// visitor's conversation.
func (h *Handler) originAllowed(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true // not a browser: no page can be impersonated
	}
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	for _, o := range h.opts.Origins {
		if o == "*" || strings.EqualFold(o, u.Scheme+"://"+u.Host) {
			return true
		}
	}
	return false
}

// ServeHTTP upgrades the request and hands the connection to its own
// goroutines. It returns at once: the HTTP server's per-request buffers and
// the request itself are then free, which is most of what an idle
// connection would otherwise keep.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !h.originAllowed(r) {
		h.log.Warn("refused origin", "origin", r.Header.Get("Origin"))
		http.Error(w, "origin not allowed", http.StatusForbidden)
		return
	}
	if h.conns.Closing() {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	ws, err := h.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader has answered the client
	}
	c := h.newConn(ws, sockets.ClientAddr(r, h.opts.TrustedProxies))
	started := h.conns.Go(func() { c.cancel(errShutdown) }, func() {
		h.metrics.Connections.Inc()
		defer h.metrics.Connections.Dec()
		c.serve()
	})
	if !started {
		c.cancel(errShutdown)
		c.closeWith(websocket.CloseGoingAway, "server restarting; reconnect")
		ws.Close()
	}
}

// errShutdown is the cause that closes connections with 1001, going away,
// so that clients reconnect, to another instance if need be.
var errShutdown = errors.New("server shutting down")

// Shutdown closes every connection with 1001 and waits for them, then
// for the answer workers to answer the messages they have, until ctx
// ends; then the answers still under way are cancelled. New connections
// are refused from the start.
func (h *Handler) Shutdown(ctx context.Context) error {
	err := h.conns.Shutdown(ctx)
	if werr := h.work.shutdown(ctx); err == nil {
		err = werr
	}
	return err
}
