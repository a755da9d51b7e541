// Package server assembles the service's HTTP handler: the demo page and
// widget files, the visitor websocket, the representatives' console,
// health, readiness and metrics. All routes are listed in routes.go.
package server

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/redis/go-redis/v9"

	"helpline/internal/console"
	"helpline/internal/kb"
	"helpline/internal/metrics"
)

// Deps are what the server needs from the rest of the service.
type Deps struct {
	Log     *slog.Logger
	Redis   redis.UniversalClient
	Metrics *metrics.Metrics
	// Visitor serves the visitor websocket.
	Visitor http.Handler
	// Console serves the representatives' console.
	Console *console.Handler
	// Web holds index.html, widget.js and widget.css.
	Web fs.FS
	// Assistant, when set, says in a line whether the optional language
	// model is on and how it is doing, for /readyz; it must never say the
	// key.
	Assistant func() string
	// Facts are the operator's phone number, hours and name, shown on
	// the demo page as the assistant gives them; the zero value means
	// kb.DefaultFacts.
	Facts kb.Facts
}

// New returns the service's HTTP handler.
func New(d Deps) http.Handler {
	mux := http.NewServeMux()
	addRoutes(mux, d)
	return securityHeaders(mux)
}

func healthz() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok\n"))
	})
}

// readyz answers 200 only while Redis answers: without it the service can
// neither keep nor deliver a message, and the load balancer should send
// visitors elsewhere. The language model is not a condition: without it
// every answer is the curated one. The page says how it is doing, on a
// line of its own, for whoever looks.
func readyz(rdb redis.UniversalClient, m *metrics.Metrics, log *slog.Logger, llm func() string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := rdb.Ping(ctx).Err(); err != nil {
			m.RedisErrors.Inc()
			log.Warn("not ready", "err", err)
			http.Error(w, "redis unreachable", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ready\n"))
		if llm != nil {
			w.Write([]byte("language model: " + llm() + "\n"))
		}
	})
}

func metricsHandler(m *metrics.Metrics) http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{})
}

// Cache policies for static files: widget updates reach the helpline's
// pages within minutes; the console's files are never cached, so that
// representatives get a fix at their next reload.
const (
	cacheShort = "public, max-age=300"
	cacheNone  = "no-store"
)

// static serves one embedded file with a cache policy.
func static(fsys fs.FS, name, contentType, cache string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Cache-Control", cache)
		w.Write(data)
	})
}

// securityHeaders keeps the demo page and widget to their own origin's
// scripts and styles, and sends no referrer: a visitor's path through the
// helpline's site is nobody else's business.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; frame-ancestors 'none'")
		next.ServeHTTP(w, r)
	})
}
