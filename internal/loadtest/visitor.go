package loadtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// visitor is one visitor's websocket. Unless a phase says otherwise, one
// goroutine at a time uses it, writing a question and reading until its
// answer: a visitor asks again only once answered.
type visitor struct {
	ws   *websocket.Conn
	echo bool
	conv string
	mu   sync.Mutex // guards writes, for the phases that write from two goroutines
	n    int        // questions asked, for client ids
}

// frame has the fields of both protocols' frames that the tool reads.
type frame struct {
	Type         string          `json:"type"`
	ID           string          `json:"id"`
	From         string          `json:"from"`
	ClientID     string          `json:"client_id"`
	Code         string          `json:"code"`
	Text         string          `json:"text"`
	State        string          `json:"state"`
	Conversation string          `json:"conversation"`
	RetryAfter   int             `json:"retry_after"`
	MaxChats     int             `json:"max_chats"`
	Message      json.RawMessage `json:"message"`
}

// errLimited is a question refused with rate_limited.
var errLimited = errors.New("rate_limited")

var dialer = &websocket.Dialer{HandshakeTimeout: 10 * time.Second}

// connect opens n visitors over ts, round-robin, each with a new
// conversation, a couple of hundred at a time so the services' accept
// queues keep up.
func connect(ctx context.Context, ts []target, n int) ([]*visitor, error) {
	out := make([]*visitor, n)
	var failed atomic.Int32
	// The first error, kept once: errors of different types (a dial
	// timeout, a refused handshake) must not meet in an atomic.Value.
	var firstErr atomic.Pointer[error]
	sem := make(chan struct{}, 200)
	var wg sync.WaitGroup
	for i := range n {
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			v, err := open(ctx, ts[i%len(ts)])
			if err != nil {
				failed.Add(1)
				firstErr.CompareAndSwap(nil, &err)
				return
			}
			out[i] = v
		}()
	}
	wg.Wait()
	out = slices.DeleteFunc(out, func(v *visitor) bool { return v == nil })
	if f := failed.Load(); f > 0 {
		return out, fmt.Errorf("%d of %d connections failed, first: %v", f, n, *firstErr.Load())
	}
	if ctx.Err() != nil {
		return out, ctx.Err()
	}
	return out, nil
}

// open connects one visitor and says hello; the echo server's welcome is
// the hello itself.
func open(ctx context.Context, t target) (*visitor, error) {
	ws, _, err := dialer.DialContext(ctx, t.ws, nil)
	if err != nil {
		return nil, err
	}
	v := &visitor{ws: ws, echo: t.echo}
	if err := v.send(map[string]any{"v": 1, "type": "hello"}); err != nil {
		ws.Close()
		return nil, err
	}
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	var w frame
	if err := ws.ReadJSON(&w); err != nil || (w.Type != "welcome" && !(t.echo && w.Type == "hello")) {
		ws.Close()
		return nil, fmt.Errorf("no welcome: %v %+v", err, w)
	}
	ws.SetReadDeadline(time.Time{})
	v.conv = w.Conversation
	return v, nil
}

func (v *visitor) send(f any) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
	return v.ws.WriteJSON(f)
}

// ask sends a question and reads until its answer, within timeout: from
// the service the bot's message after the visitor's own, from the echo
// server the question itself. A websocket whose read timed out is of no
// further use, so the caller drops the visitor on any error but
// errLimited.
func (v *visitor) ask(text string, timeout time.Duration) (time.Duration, error) {
	id := "q" + strconv.Itoa(v.n)
	v.n++
	start := time.Now()
	if err := v.send(map[string]any{"v": 1, "type": "message", "id": id, "text": text}); err != nil {
		return 0, err
	}
	v.ws.SetReadDeadline(start.Add(timeout))
	stored := false
	for {
		var f frame
		if err := v.ws.ReadJSON(&f); err != nil {
			return 0, err
		}
		switch {
		case f.Type == "error" && f.Code == "rate_limited":
			return 0, errLimited
		case f.Type == "error":
			return 0, fmt.Errorf("error frame %s", f.Code)
		case v.echo && f.Type == "message" && f.ID == id:
			return time.Since(start), nil
		case f.Type == "message" && f.From == "visitor" && f.ClientID == id:
			stored = true
		case f.Type == "message" && f.From == "bot" && stored:
			return time.Since(start), nil
		}
	}
}

// deleteAll deletes the visitors' conversations, so a load test leaves
// nothing behind in Redis, and closes their connections.
func deleteAll(vs []*visitor) {
	for _, v := range vs {
		if !v.echo {
			v.send(map[string]any{"v": 1, "type": "delete"})
		}
		v.ws.Close()
	}
}

// tally collects a workload's outcomes from many goroutines.
type tally struct {
	mu                    sync.Mutex
	lat                   []time.Duration
	asked, answered, errs int
	limited               int
	sentAt                []time.Time // when each latency's question was sent, for windows
	firstErr              error
}

func (t *tally) add(sent time.Time, d time.Duration, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.asked++
	switch {
	case err == nil:
		t.answered++
		t.lat = append(t.lat, d)
		t.sentAt = append(t.sentAt, sent)
	case errors.Is(err, errLimited):
		t.limited++
		t.errs++
	default:
		t.errs++
		if t.firstErr == nil {
			t.firstErr = err
		}
	}
}

// between returns the latencies of the questions sent in [from, to].
func (t *tally) between(from, to time.Time) []time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []time.Duration
	for i, s := range t.sentAt {
		if !s.Before(from) && !s.After(to) {
			out = append(out, t.lat[i])
		}
	}
	return out
}

func (t *tally) workload(clients int, elapsed time.Duration) Workload {
	t.mu.Lock()
	defer t.mu.Unlock()
	return Workload{Clients: clients, Asked: t.asked, Answered: t.answered, Errors: t.errs, Elapsed: elapsed,
		Latency: summarize(slices.Clone(t.lat))}
}
