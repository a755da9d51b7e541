// Package console serves the representatives' console (docs/console.md):
// signing in and out, the console page, and the console websocket through
// which representatives see the queue, take conversations, reply, write
// private notes, hand back, transfer and close, and have the optional
// language model summarize a conversation or draft a reply for them to
// edit and send (assist.go). Every action is checked on the server and
// written to the audit stream.
package console

import (
	"context"
	"errors"
	"html"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/websocket"

	"helpline/internal/answer"
	"helpline/internal/assistant"
	"helpline/internal/broker"
	"helpline/internal/handoff"
	"helpline/internal/metrics"
	"helpline/internal/ratelimit"
	"helpline/internal/render"
	"helpline/internal/reps"
	"helpline/internal/sockets"
	"helpline/internal/store"
)

// CookieName is the console's session cookie.
const CookieName = "helpline_console"

// Handler serves the console. Create it with New and stop it with
// Shutdown.
type Handler struct {
	store   *store.Store
	reps    *reps.Store
	handoff *handoff.Service
	broker  *broker.Broker
	engine  *answer.Engine
	render  *render.Renderer
	metrics *metrics.Metrics
	bot     Bot
	model   *assistant.Client
	log     *slog.Logger
	web     fs.FS
	proxies int // proxies in front, trusted for X-Forwarded-For and -Proto

	upgrader websocket.Upgrader
	conns    sockets.Set
	// assistLimit bounds the summaries and drafts each representative
	// asks for.
	assistLimit *ratelimit.Limiter
}

// Deps are what the console needs.
type Deps struct {
	Store   *store.Store
	Reps    *reps.Store
	Handoff *handoff.Service
	Broker  *broker.Broker
	Engine  *answer.Engine
	Render  *render.Renderer
	Metrics *metrics.Metrics
	// Bot answers a question the visitor left unanswered when a
	// conversation is handed back; nil leaves it unanswered.
	Bot Bot
	// Model writes summaries and drafts for representatives (assist.go);
	// nil, or a model without transcripts, leaves them off.
	Model *assistant.Client
	Log   *slog.Logger
	Web   fs.FS
	// TrustedProxies is how many proxies in front append to
	// X-Forwarded-For and set X-Forwarded-Proto (see sockets.ClientAddr).
	TrustedProxies int
}

// Bot is the assistant as the console needs it: on hand-back it answers
// the visitor's last message if nothing answered it, and says whether it
// did (chat.Handler.AnswerPending).
type Bot interface {
	AnswerPending(ctx context.Context, conv string) (bool, error)
}

// New returns the console handler.
func New(d Deps) *Handler {
	h := &Handler{
		store: d.Store, reps: d.Reps, handoff: d.Handoff, broker: d.Broker, engine: d.Engine, render: d.Render,
		metrics: d.Metrics, bot: d.Bot, model: d.Model, log: d.Log, web: d.Web, proxies: d.TrustedProxies,
		assistLimit: ratelimit.PerMinute(d.Store.Client(), assistPerMinute, assistPerMinute, "hl:assist:"),
	}
	h.upgrader = websocket.Upgrader{ReadBufferSize: 1024, WriteBufferSize: 4096, CheckOrigin: sameOrigin}
	return h
}

// sameOrigin accepts requests from the console's own pages: the console
// is never embedded elsewhere, and no other site may post to it. Browsers
// say where a request comes from in Sec-Fetch-Site; older ones only in
// Origin, which under the pages' no-referrer policy is "null" on a form
// post, hence Sec-Fetch-Site first. A request with neither is not from a
// browser, and cannot carry a browser's session cookie by accident.
func sameOrigin(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin", "none": // "none": typed or bookmarked by the user
		return true
	case "":
	default: // same-site, cross-site
		return false
	}
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	u, err := url.Parse(o)
	return err == nil && u.Host != "" && strings.EqualFold(u.Host, r.Host)
}

// Page serves GET /console: the sign-in form or the console.
func (h *Handler) Page() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _, err := h.session(r)
		h.page(w, err == nil, "", http.StatusOK)
	})
}

func (h *Handler) page(w http.ResponseWriter, signedIn bool, msg string, status int) {
	data, err := fs.ReadFile(h.web, "console.html")
	if err != nil {
		http.Error(w, "console not available", http.StatusInternalServerError)
		return
	}
	page := strings.NewReplacer("{{SIGNED_IN}}", map[bool]string{true: "true", false: "false"}[signedIn], "{{ERROR}}", html.EscapeString(msg)).Replace(string(data))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write([]byte(page))
}

// Login serves POST /console/login.
func (h *Handler) Login() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !sameOrigin(r) {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, 4096)
		name, password := strings.TrimSpace(r.PostFormValue("name")), r.PostFormValue("password")
		rep, err := h.reps.Authenticate(r.Context(), name, password, sockets.ClientAddr(r, h.proxies))
		var locked *reps.LockedError
		switch {
		case errors.As(err, &locked):
			// Not the typed name: people type passwords into name fields.
			h.log.Warn("sign-in locked")
			h.page(w, false, "Too many failed attempts. Try again in "+locked.RetryAfter.Round(time.Minute).String()+".", http.StatusTooManyRequests)
			return
		case errors.Is(err, reps.ErrBadLogin), errors.Is(err, reps.ErrDisabled):
			// Slower with every failure, long before the lock.
			time.Sleep(reps.Delay(h.reps.Failures(r.Context(), name)))
			h.log.Info("sign-in failed")
			h.page(w, false, "Wrong name or password.", http.StatusUnauthorized)
			return
		case err != nil:
			h.log.Error("sign-in", "err", err)
			h.page(w, false, "Something went wrong; please try again.", http.StatusInternalServerError)
			return
		}
		token, err := h.reps.NewSession(r.Context(), rep)
		if err != nil {
			h.log.Error("session", "err", err)
			h.page(w, false, "Something went wrong; please try again.", http.StatusInternalServerError)
			return
		}
		http.SetCookie(w, &http.Cookie{
			Name: CookieName, Value: token, Path: "/console", MaxAge: int(reps.SessionTTL.Seconds()),
			HttpOnly: true, Secure: h.secure(r), SameSite: http.SameSiteStrictMode,
		})
		h.store.Audit(r.Context(), rep.Name, "sign_in", "", "")
		http.Redirect(w, r, "/console", http.StatusSeeOther)
	})
}

// Logout serves POST /console/logout.
func (h *Handler) Logout() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !sameOrigin(r) {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		if c, err := r.Cookie(CookieName); err == nil {
			if s, err := h.reps.Session(r.Context(), c.Value); err == nil {
				h.store.Audit(r.Context(), s.Rep, "sign_out", "", "")
			}
			h.reps.EndSession(r.Context(), c.Value)
		}
		http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/console", MaxAge: -1, HttpOnly: true, Secure: h.secure(r), SameSite: http.SameSiteStrictMode})
		http.Redirect(w, r, "/console", http.StatusSeeOther)
	})
}

func (h *Handler) session(r *http.Request) (reps.Session, string, error) {
	c, err := r.Cookie(CookieName)
	if err != nil {
		return reps.Session{}, "", reps.ErrNoSession
	}
	s, err := h.reps.Session(r.Context(), c.Value)
	return s, c.Value, err
}

func (h *Handler) secure(r *http.Request) bool {
	return r.TLS != nil || (h.proxies > 0 && r.Header.Get("X-Forwarded-Proto") == "https")
}

// Socket serves GET /console/ws for a signed-in representative.
func (h *Handler) Socket() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !sameOrigin(r) {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		sess, token, err := h.session(r)
		if err != nil {
			http.Error(w, "not signed in", http.StatusUnauthorized)
			return
		}
		if h.conns.Closing() {
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
		ws, err := h.upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		c := h.newConn(ws, sess, token)
		if !h.conns.Go(func() { c.cancel(errShutdown) }, c.serve) {
			c.cancel(errShutdown)
			ws.Close()
		}
	})
}

var errShutdown = errors.New("server shutting down")

// Shutdown closes every console connection with 1001 and waits for them
// until ctx ends.
func (h *Handler) Shutdown(ctx context.Context) error {
	return h.conns.Shutdown(ctx)
}
