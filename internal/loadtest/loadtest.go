// Package loadtest puts a running helpline service under load from
// loopback: many visitor websockets asking questions, then many idle ones.
// It is bounded in time and count and stops by itself, and it deletes the
// conversations it made. The service's own metrics give what only it can
// see: Redis round trips and its resident memory.
package loadtest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// Options describe a run.
type Options struct {
	// URL is the visitor websocket, e.g. ws://127.0.0.1:8080/ws.
	URL string
	// MetricsURL is the service's /metrics.
	MetricsURL string
	// Visitors ask a question every Interval for Duration.
	Visitors int
	Interval time.Duration
	Duration time.Duration
	// Idle connections are opened after the active phase, held, and
	// measured.
	Idle int
	// Questions are asked in turn.
	Questions []string
	// DebugURL, when set, is the service's profiler (--debug-addr): before
	// reading its memory the tool asks it for a few garbage collections, as
	// a service that has run for a while would have had, so that stacks
	// grown while setting connections up are counted at their idle size.
	DebugURL string
}

// Result is what a run measured.
type Result struct {
	Asked, Answered, Errors int
	Elapsed                 time.Duration
	Latencies               []time.Duration // sorted
	RedisCalls              float64         // during the active phase
	IdleRSSBefore           float64         // bytes, before the idle connections
	IdleRSSAfter            float64         // bytes, with them open
	IdleOpened              int
}

// Percentile returns the p-th percentile latency (0 < p ≤ 100).
func (r Result) Percentile(p float64) time.Duration {
	if len(r.Latencies) == 0 {
		return 0
	}
	i := int(float64(len(r.Latencies))*p/100+0.5) - 1
	return r.Latencies[min(max(i, 0), len(r.Latencies)-1)]
}

// Run runs the load until both phases are done or ctx ends.
func Run(ctx context.Context, o Options, progress io.Writer) (Result, error) {
	var res Result
	dialer := &websocket.Dialer{HandshakeTimeout: 10 * time.Second}

	if o.Visitors > 0 {
		fmt.Fprintf(progress, "connecting %d visitors...\n", o.Visitors)
		vs, err := connect(ctx, dialer, o.URL, o.Visitors)
		defer closeAll(vs)
		if err != nil {
			return res, err
		}
		before, err := metric(ctx, o.MetricsURL, "helpline_redis_commands_total")
		if err != nil {
			return res, err
		}
		fmt.Fprintf(progress, "asking for %s, each visitor every %s...\n", o.Duration, o.Interval)
		start := time.Now()
		lat, asked, errs := ask(ctx, vs, o)
		res.Elapsed = time.Since(start)
		after, err := metric(ctx, o.MetricsURL, "helpline_redis_commands_total")
		if err != nil {
			return res, err
		}
		slices.Sort(lat)
		res.Latencies, res.Asked, res.Answered, res.Errors, res.RedisCalls = lat, asked, len(lat), errs, after-before
		deleteAll(vs)
	}

	if o.Idle > 0 {
		time.Sleep(2 * time.Second) // let the active phase's garbage go
		collect(ctx, o.DebugURL)
		rss, err := metric(ctx, o.MetricsURL, "process_resident_memory_bytes")
		if err != nil {
			return res, err
		}
		res.IdleRSSBefore = rss
		fmt.Fprintf(progress, "opening %d idle connections...\n", o.Idle)
		vs, err := connect(ctx, dialer, o.URL, o.Idle)
		res.IdleOpened = len(vs)
		defer closeAll(vs)
		if err != nil {
			deleteAll(vs)
			return res, err
		}
		// Let the service's collector and scavenger return what setting up
		// the connections left behind, so the figure is what they keep.
		time.Sleep(20 * time.Second)
		collect(ctx, o.DebugURL)
		if res.IdleRSSAfter, err = metric(ctx, o.MetricsURL, "process_resident_memory_bytes"); err != nil {
			return res, err
		}
		deleteAll(vs)
	}
	return res, nil
}

type visitor struct {
	ws      *websocket.Conn
	mu      sync.Mutex // guards writes
	pending map[string]time.Time
	pmu     sync.Mutex
	frames  chan frame
}

type frame struct {
	Type     string `json:"type"`
	From     string `json:"from"`
	ClientID string `json:"client_id"`
	Code     string `json:"code"`
}

// connect opens n visitors, each with a new conversation, a few hundred at
// a time so the service's accept queue keeps up.
func connect(ctx context.Context, d *websocket.Dialer, url string, n int) ([]*visitor, error) {
	out := make([]*visitor, n)
	var failed atomic.Int32
	var firstErr atomic.Value
	sem := make(chan struct{}, 200)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			v, err := open(ctx, d, url)
			if err != nil {
				failed.Add(1)
				firstErr.CompareAndSwap(nil, err)
				return
			}
			out[i] = v
		}()
	}
	wg.Wait()
	out = slices.DeleteFunc(out, func(v *visitor) bool { return v == nil })
	if f := failed.Load(); f > 0 {
		return out, fmt.Errorf("%d of %d connections failed, first: %v", f, n, firstErr.Load())
	}
	return out, nil
}

func open(ctx context.Context, d *websocket.Dialer, url string) (*visitor, error) {
	ws, _, err := d.DialContext(ctx, url, nil)
	if err != nil {
		return nil, err
	}
	v := &visitor{ws: ws, pending: map[string]time.Time{}, frames: make(chan frame, 16)}
	if err := v.send(map[string]any{"v": 1, "type": "hello"}); err != nil {
		ws.Close()
		return nil, err
	}
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	var w frame
	if err := ws.ReadJSON(&w); err != nil || w.Type != "welcome" {
		ws.Close()
		return nil, fmt.Errorf("no welcome: %v %+v", err, w)
	}
	ws.SetReadDeadline(time.Time{})
	return v, nil
}

func (v *visitor) send(f map[string]any) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
	return v.ws.WriteJSON(f)
}

// ask runs the active phase: every visitor asks a question every interval
// (starting at a random point of the first interval, so the load is
// smooth) and times the bot's answer.
func ask(ctx context.Context, vs []*visitor, o Options) (lat []time.Duration, asked, errs int) {
	ctx, cancel := context.WithTimeout(ctx, o.Duration)
	defer cancel()
	var mu sync.Mutex
	var nAsked, nErrs atomic.Int64
	var wg sync.WaitGroup
	for i, v := range vs {
		wg.Add(2)
		go func() { // reader
			defer wg.Done()
			var waitingFor string
			var sent time.Time
			for {
				var f frame
				if err := v.ws.ReadJSON(&f); err != nil {
					return
				}
				switch {
				case f.Type == "error":
					nErrs.Add(1)
				case f.Type == "message" && f.From == "visitor":
					v.pmu.Lock()
					sent, waitingFor = v.pending[f.ClientID], f.ClientID
					delete(v.pending, f.ClientID)
					v.pmu.Unlock()
				case f.Type == "message" && f.From == "bot" && waitingFor != "":
					d := time.Since(sent)
					mu.Lock()
					lat = append(lat, d)
					mu.Unlock()
					waitingFor = ""
				}
			}
		}()
		go func() { // writer
			defer wg.Done()
			defer v.ws.SetReadDeadline(time.Now().Add(2 * time.Second)) // let the last answers in, then end the reader
			select {
			case <-time.After(rand.N(o.Interval)):
			case <-ctx.Done():
				return
			}
			t := time.NewTicker(o.Interval)
			defer t.Stop()
			for n := 0; ; n++ {
				id := "q" + strconv.Itoa(i) + "-" + strconv.Itoa(n)
				v.pmu.Lock()
				v.pending[id] = time.Now()
				v.pmu.Unlock()
				if err := v.send(map[string]any{"v": 1, "type": "message", "id": id, "text": o.Questions[(i+n)%len(o.Questions)]}); err != nil {
					nErrs.Add(1)
					return
				}
				nAsked.Add(1)
				select {
				case <-t.C:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	wg.Wait()
	return lat, int(nAsked.Load()), int(nErrs.Load())
}

// deleteAll deletes the visitors' conversations, so a load test leaves
// nothing behind in Redis.
func deleteAll(vs []*visitor) {
	for _, v := range vs {
		v.send(map[string]any{"v": 1, "type": "delete"})
	}
}

func closeAll(vs []*visitor) {
	for _, v := range vs {
		v.ws.Close()
	}
}

// metric reads one unlabeled metric from a Prometheus text page.
func metric(ctx context.Context, url, name string) (float64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("read metrics: %w", err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, name+" "); ok {
			return strconv.ParseFloat(strings.TrimSpace(rest), 64)
		}
	}
	return 0, errors.New("metric " + name + " not found at " + url)
}

// Questions is a mix of what visitors ask, for the load.
var Questions = []string{
	"wen do withdrawls start", "subs vs methadone", "insurance??", "how long is inpatient rehab",
	"my son is using heroin what do i do", "is this chat confidential", "what is narcan",
	"can i keep working during treatment", "how do i deal with cravings", "what does detox cost",
}

// collect asks the service's profiler for a few garbage collections.
func collect(ctx context.Context, debugURL string) {
	if debugURL == "" {
		return
	}
	for range 5 {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(debugURL, "/")+"/debug/pprof/heap?gc=1", nil)
		if err != nil {
			return
		}
		if resp, err := http.DefaultClient.Do(req); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		time.Sleep(time.Second)
	}
}
