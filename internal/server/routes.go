package server

import "net/http"

// addRoutes lists every route of the service.
func addRoutes(mux *http.ServeMux, d Deps) {
	mux.Handle("GET /{$}", demoPage(d.Web, d.Facts))
	mux.Handle("GET /site.css", static(d.Web, "site.css", "text/css; charset=utf-8", cacheShort))
	mux.Handle("GET /widget.js", static(d.Web, "widget.js", "text/javascript; charset=utf-8", cacheShort))
	mux.Handle("GET /widget.css", static(d.Web, "widget.css", "text/css; charset=utf-8", cacheShort))
	mux.Handle("GET /ws", d.Visitor)
	mux.Handle("GET /console", d.Console.Page())
	mux.Handle("POST /console/login", d.Console.Login())
	mux.Handle("POST /console/logout", d.Console.Logout())
	mux.Handle("GET /console/ws", d.Console.Socket())
	mux.Handle("GET /console/figures", d.Console.Figures())
	mux.Handle("GET /console.js", static(d.Web, "console.js", "text/javascript; charset=utf-8", cacheNone))
	mux.Handle("GET /console.css", static(d.Web, "console.css", "text/css; charset=utf-8", cacheNone))
	mux.Handle("GET /healthz", healthz())
	mux.Handle("GET /readyz", readyz(d.Redis, d.Metrics, d.Log, d.Assistant))
	mux.Handle("GET /metrics", metricsHandler(d.Metrics))
}
