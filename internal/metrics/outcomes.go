package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Snapshot is the state the director's gauges read from Redis at each
// scrape: the same on every instance, so that any one answers for all.
type Snapshot struct {
	// Waiting and OldestSeconds are the queue now, by priority
	// (emergency, urgent, normal).
	Waiting       map[string]int
	OldestSeconds map[string]float64
	// CallbacksOpen counts the callback requests not yet handled.
	CallbacksOpen int
}

// Watch registers the gauges of the queue and the open callbacks, read by
// read at each scrape (within a few seconds, or not at all).
func (m *Metrics) Watch(read func(context.Context) (Snapshot, error)) {
	m.Registry.MustRegister(&watcher{read: read})
}

var (
	queueWaitingDesc = prometheus.NewDesc("helpline_queue_waiting",
		"Conversations waiting for a person now, by priority (from Redis: the same on every instance).", []string{"priority"}, nil)
	queueOldestDesc = prometheus.NewDesc("helpline_queue_oldest_wait_seconds",
		"How long the longest-waiting conversation of each priority has waited (from Redis).", []string{"priority"}, nil)
	callbacksOpenDesc = prometheus.NewDesc("helpline_callbacks_open",
		"Callback requests not yet marked done (from Redis).", nil, nil)
)

type watcher struct {
	read func(context.Context) (Snapshot, error)
}

func (w *watcher) Describe(ch chan<- *prometheus.Desc) {
	ch <- queueWaitingDesc
	ch <- queueOldestDesc
	ch <- callbacksOpenDesc
}

func (w *watcher) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	s, err := w.read(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(queueWaitingDesc, err)
		return
	}
	for _, p := range []string{"emergency", "urgent", "normal"} {
		ch <- prometheus.MustNewConstMetric(queueWaitingDesc, prometheus.GaugeValue, float64(s.Waiting[p]), p)
		ch <- prometheus.MustNewConstMetric(queueOldestDesc, prometheus.GaugeValue, s.OldestSeconds[p], p)
	}
	ch <- prometheus.MustNewConstMetric(callbacksOpenDesc, prometheus.GaugeValue, float64(s.CallbacksOpen))
}
