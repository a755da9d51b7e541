package console

import (
	"encoding/json"
	"net/http"
	"time"

	"helpline/internal/reps"
)

// figuresSpan is the span of the supervisors' figures.
const figuresSpan = 24 * time.Hour

// Figures serves GET /console/figures to supervisors: the director's
// figures for the last 24 hours, read from Redis, so the same whichever
// instance answers: waits for a person (median, 90th percentile, by
// priority, crises together), outcomes (referred to treatment among them),
// open callbacks, and the queue now.
func (h *Handler) Figures() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !sameOrigin(r) {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		sess, _, err := h.session(r)
		if err != nil {
			http.Error(w, "not signed in", http.StatusUnauthorized)
			return
		}
		if sess.Role != reps.RoleSupervisor {
			http.Error(w, "supervisors only", http.StatusForbidden)
			return
		}
		f, err := h.store.FiguresSince(r.Context(), time.Now().Add(-figuresSpan))
		if err != nil {
			h.log.Error("figures", "rep", reps.LogID(sess.Rep), "err", err)
			http.Error(w, "figures not available; try again", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		json.NewEncoder(w).Encode(f)
	})
}
