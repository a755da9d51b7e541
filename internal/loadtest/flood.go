package loadtest

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// FloodReport compares FloodVisitors visitors' chat on the first instance
// with and without one visitor there flooding it.
type FloodReport struct {
	// Quiet is the visitors' chat without the flood, Flooded the same
	// visitors' (new conversations) with it.
	Quiet, Flooded Workload
	// During are the flooded run's answers to questions sent while the
	// flood lasted (Flooder.Lasted), the part of the run it could hurt.
	During  Latency
	Flooder FloodOutcome
}

// P99Ratio returns the flooded run's 99th percentile answer as a multiple
// of the quiet run's.
func (r FloodReport) P99Ratio() float64 {
	if r.Quiet.Latency.P99 == 0 {
		return 0
	}
	return float64(r.Flooded.Latency.P99) / float64(r.Quiet.Latency.P99)
}

// DuringRatio returns the 99th percentile of the answers to questions
// sent during the flood as a multiple of the quiet run's.
func (r FloodReport) DuringRatio() float64 {
	if r.Quiet.Latency.P99 == 0 {
		return 0
	}
	return float64(r.During.P99) / float64(r.Quiet.Latency.P99)
}

// FloodOutcome is what the flooding visitor got.
type FloodOutcome struct {
	Sent        int // messages written
	Stored      int // its own messages echoed back: stored by the service
	Answered    int // bot answers
	RateLimited int // rate_limited error frames
	RetryAfter  int // the first rate_limited frame's retry_after, in seconds
	OtherErrors int // other error frames
	// Closed says the service closed the connection, with CloseCode;
	// Ended says how the connection ended otherwise before the flood was
	// over (empty: it did not, or the phase's time ran out).
	Closed    bool
	CloseCode int
	Ended     string
	// Lasted is from the first message to the service's pong to a ping
	// sent after the last: the service reads a connection's frames in
	// order, so then it had handled every one.
	Lasted time.Duration
}

// flood runs the quiet chat, then the same with the flood.
func flood(ctx context.Context, ts []target, o Options) (FloodReport, error) {
	var r FloodReport
	first := ts[:1]
	var err error
	if r.Quiet, err = chatPhase(ctx, first, o.FloodVisitors, time.Second, o.FloodFor, o.Questions); err != nil {
		return r, err
	}

	vs, err := connect(ctx, first, o.FloodVisitors)
	defer deleteAll(vs)
	if err != nil {
		return r, err
	}
	f, err := open(ctx, first[0])
	if err != nil {
		return r, err
	}
	defer deleteAll([]*visitor{f})

	var t tally
	var elapsed time.Duration
	var start time.Time
	var out FloodOutcome
	err = redisCalls(ctx, first, &r.Flooded, func() error {
		fctx, cancel := context.WithTimeout(ctx, o.FloodFor)
		defer cancel()
		done := make(chan struct{})
		start = time.Now()
		go func() { // the flood; it ends with its count or the phase
			defer close(done)
			out = floodFrom(fctx, f, o.Flood)
		}()
		elapsed = steady(ctx, vs, time.Second, o.FloodFor, o.Questions, &t)
		<-done
		return nil
	})
	calls := r.Flooded.RedisCalls
	r.Flooded = t.workload(len(vs), elapsed)
	r.Flooded.RedisCalls = calls
	r.Flooder = out
	end := start.Add(out.Lasted)
	if out.Lasted == 0 {
		end = start.Add(elapsed)
	}
	r.During = summarize(t.between(start, end))
	return r, err
}

// floodFrom sends n messages from f as fast as the connection takes them
// while reading everything the service answers, then a ping, and returns
// what came back. The writer ends with n or ctx; the reader with the
// pong, the service closing the connection, or ctx.
func floodFrom(ctx context.Context, f *visitor, n int) FloodOutcome {
	var out FloodOutcome
	start := time.Now()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < n && ctx.Err() == nil; i++ {
			if err := f.send(map[string]any{"v": 1, "type": "message", "id": "f" + strconv.Itoa(i), "text": "flood " + strconv.Itoa(i)}); err != nil {
				return
			}
			out.Sent++
		}
		f.send(map[string]any{"v": 1, "type": "ping"})
	}()
	stop := context.AfterFunc(ctx, func() { f.ws.SetReadDeadline(time.Now()) })
	defer stop()
	for {
		var fr frame
		if err := f.ws.ReadJSON(&fr); err != nil {
			var ce *websocket.CloseError
			switch {
			case errors.As(err, &ce):
				out.Closed, out.CloseCode = true, ce.Code
			case ctx.Err() == nil:
				out.Ended = err.Error()
			}
			break
		}
		switch {
		case fr.Type == "pong":
			out.Lasted = time.Since(start)
		case fr.Type == "error" && fr.Code == "rate_limited":
			if out.RateLimited == 0 {
				out.RetryAfter = fr.RetryAfter
			}
			out.RateLimited++
		case fr.Type == "error":
			out.OtherErrors++
		case fr.Type == "message" && fr.From == "visitor":
			out.Stored++
		case fr.Type == "message" && fr.From == "bot":
			out.Answered++
		}
		if out.Lasted > 0 {
			break
		}
	}
	wg.Wait() // the writer ends by n, ctx, or its write deadline
	return out
}
