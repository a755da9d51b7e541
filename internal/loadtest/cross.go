package loadtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// CrossReport is delivery between a representative's console on one
// instance and visitors on another, both ways.
type CrossReport struct {
	// Conversations were taken over; MaxChats is the representative's
	// limit, which bounds them.
	Conversations, MaxChats int
	// Consoles is how many consoles the representative had open.
	Consoles          int
	VisitorsOn, RepOn string
	// RepToVisitor is from the console's reply to the visitor reading it;
	// VisitorToRep from the visitor's message to the console reading it.
	RepToVisitor, VisitorToRep Latency
	RepSent, VisitorSent       int
	// Errors are the console's error frames and failed exchanges, by
	// code (an exchange's error is its own message).
	Errors     map[string]int
	Elapsed    time.Duration
	RedisCalls float64
}

// PerSecond returns the messages delivered per second, both ways.
func (r CrossReport) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.RepToVisitor.N+r.VisitorToRep.N) / r.Elapsed.Seconds()
}

// RedisPerMessage returns the Redis round trips per message sent.
func (r CrossReport) RedisPerMessage() float64 {
	if n := r.RepSent + r.VisitorSent; n > 0 {
		return r.RedisCalls / float64(n)
	}
	return -1
}

// Marks in the messages' text carry their send time, so the receiving side
// times them with no bookkeeping shared with the sender: "bench-r SEQ NANOS"
// from the representative, "bench-v SEQ NANOS" from a visitor.
const (
	markRep     = "bench-r "
	markVisitor = "bench-v "
)

func marked(mark string, seq int) string {
	return mark + strconv.Itoa(seq) + " " + strconv.FormatInt(time.Now().UnixNano(), 10)
}

// since returns how long ago a marked text was written, or false.
func since(mark, text string) (time.Duration, bool) {
	rest, ok := strings.CutPrefix(text, mark)
	if !ok {
		return 0, false
	}
	_, ns, ok := strings.Cut(rest, " ")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(ns, 10, 64)
	if err != nil {
		return 0, false
	}
	return time.Since(time.Unix(0, n)), true
}

// repConsole is a representative's console websocket.
type repConsole struct {
	ws       *websocket.Conn
	mu       sync.Mutex // guards writes: every conversation's goroutine replies through it
	maxChats int
}

func (c *repConsole) send(f map[string]any) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
	return c.ws.WriteJSON(f)
}

// signIn signs the representative in on t and returns the session
// cookie, which any number of consoles, on any instance, may use.
func signIn(ctx context.Context, t target, name, password string) (*http.Cookie, error) {
	form := url.Values{"name": {name}, "password": {password}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.base+"console/login", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", t.origin())
	client := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("sign in: %w", err)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Value != "" && resp.StatusCode == http.StatusSeeOther {
			return c, nil
		}
	}
	return nil, fmt.Errorf("sign in as %s on %s: %s (check the name and password; failed attempts lock the address for a while)", name, t.base, resp.Status)
}

// openConsole opens a console on t with a session cookie and waits for
// its welcome.
func openConsole(ctx context.Context, t target, cookie *http.Cookie) (*repConsole, error) {
	h := http.Header{"Origin": {t.origin()}, "Cookie": {cookie.Name + "=" + cookie.Value}}
	ws, _, err := dialer.DialContext(ctx, strings.TrimSuffix(t.ws, "ws")+"console/ws", h)
	if err != nil {
		return nil, fmt.Errorf("open the console: %w", err)
	}
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		var f frame
		if err := ws.ReadJSON(&f); err != nil {
			ws.Close()
			return nil, fmt.Errorf("the console's welcome: %w", err)
		}
		if f.Type == "welcome" {
			ws.SetReadDeadline(time.Time{})
			return &repConsole{ws: ws, maxChats: f.MaxChats}, nil
		}
	}
}

// perConsole is how many conversations one console takes: a console
// follows at most 24 conversations at once (console.maxViews), so the
// representative works from as many consoles (tabs) as the conversations
// need, as one would to hold more.
const perConsole = 20

// cross runs the cross-instance phase: visitors on the first target, the
// representative on the second.
func cross(ctx context.Context, ts []target, o Options) (CrossReport, error) {
	a, b := ts[0], ts[min(1, len(ts)-1)]
	r := CrossReport{VisitorsOn: a.base, RepOn: b.base, Errors: map[string]int{}}
	if o.Rep == "" {
		return r, errors.New("no representative to sign in: give one (bench --rep, and its password in HELPLINE_BENCH_PASSWORD)")
	}
	cookie, err := signIn(ctx, b, o.Rep, o.Password)
	if err != nil {
		return r, err
	}
	first, err := openConsole(ctx, b, cookie)
	if err != nil {
		return r, err
	}
	consoles := []*repConsole{first}
	defer func() {
		for _, c := range consoles {
			c.ws.Close()
		}
	}()
	r.MaxChats = first.maxChats
	n := o.Cross
	if first.maxChats > 0 {
		n = min(n, first.maxChats)
	}
	for len(consoles)*perConsole < n {
		c, err := openConsole(ctx, b, cookie)
		if err != nil {
			return r, err
		}
		consoles = append(consoles, c)
	}
	vs, err := connect(ctx, []target{a}, n)
	defer deleteAll(vs)
	if err != nil {
		return r, err
	}
	r.Conversations = len(vs)

	// The consoles' readers time the visitors' messages; they end when
	// their consoles close, after the exchange.
	var mu sync.Mutex
	var toRep, toVisitor []time.Duration
	errs := r.Errors
	var readers sync.WaitGroup
	for _, c := range consoles {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				var f frame
				if err := c.ws.ReadJSON(&f); err != nil {
					return
				}
				switch f.Type {
				case "error":
					mu.Lock()
					errs["console: "+f.Code]++
					mu.Unlock()
				case "message":
					var m struct{ From, Text string }
					json.Unmarshal(f.Message, &m)
					if d, ok := since(markVisitor, m.Text); ok && m.From == "visitor" {
						mu.Lock()
						toRep = append(toRep, d)
						mu.Unlock()
					}
				}
			}
		}()
	}

	// Each visitor asks the bot once, as a real one would before anyone
	// takes over, and the representative takes the conversation over.
	var wg sync.WaitGroup
	taken := make([]bool, len(vs))
	for i, v := range vs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			failed := func(what string, err error) {
				mu.Lock()
				errs[what+": "+errorKind(err)]++
				mu.Unlock()
			}
			if _, err := v.ask(o.Questions[i%len(o.Questions)], answerTimeout); err != nil {
				failed("the first question", err)
				return
			}
			if err := consoles[i%len(consoles)].send(map[string]any{"v": 1, "type": "take", "conversation": v.conv}); err != nil {
				failed("take", err)
				return
			}
			v.ws.SetReadDeadline(time.Now().Add(answerTimeout))
			for {
				var f frame
				if err := v.ws.ReadJSON(&f); err != nil {
					failed("taken", err)
					return
				}
				if f.Type == "state" && f.State == "rep" {
					taken[i] = true
					return
				}
			}
		}()
	}
	wg.Wait()

	var repSent, visitorSent int
	var w Workload
	start := time.Now()
	err = redisCalls(ctx, ts, &w, func() error {
		ectx, cancel := context.WithTimeout(ctx, o.CrossDuration)
		defer cancel()
		for i, v := range vs {
			if !taken[i] {
				mu.Lock()
				errs["not taken"]++
				mu.Unlock()
				continue
			}
			wg.Add(1)
			go func() { // one conversation's exchange; it ends with the phase
				defer wg.Done()
				sleep(ectx, time.Duration(i)*o.CrossInterval/time.Duration(len(vs)))
				tick := time.NewTicker(o.CrossInterval)
				defer tick.Stop()
				for seq := 0; ectx.Err() == nil; seq++ {
					d, err := exchange(consoles[i%len(consoles)], v, i, seq)
					mu.Lock()
					if err != nil {
						errs[errorKind(err)]++
						mu.Unlock()
						return
					}
					repSent++
					visitorSent++
					toVisitor = append(toVisitor, d)
					mu.Unlock()
					select {
					case <-tick.C:
					case <-ectx.Done():
					}
				}
			}()
		}
		wg.Wait()
		sleep(ctx, time.Second) // the visitors' last messages reach the consoles
		return nil
	})
	r.Elapsed = time.Since(start) - time.Second
	// The representative closes the conversations, as at the end of a
	// shift, so the account holds nothing into the next run.
	for i, v := range vs {
		if taken[i] {
			consoles[i%len(consoles)].send(map[string]any{"v": 1, "type": "close", "conversation": v.conv, "outcome": "other"})
		}
	}
	sleep(ctx, 500*time.Millisecond)
	for _, c := range consoles {
		c.ws.Close()
	}
	readers.Wait()
	r.RedisCalls = w.RedisCalls
	r.RepSent, r.VisitorSent = repSent, visitorSent
	r.RepToVisitor, r.VisitorToRep = summarize(toVisitor), summarize(toRep)
	r.Consoles = len(consoles)
	return r, err
}

// exchange sends a representative's reply to v's conversation, waits for
// v to read it, and has v write back; the console's reader times that
// one. It returns the reply's delivery time.
func exchange(c *repConsole, v *visitor, i, seq int) (time.Duration, error) {
	id := "r" + strconv.Itoa(i) + "-" + strconv.Itoa(seq)
	if err := c.send(map[string]any{"v": 1, "type": "reply", "conversation": v.conv, "id": id, "text": marked(markRep, seq)}); err != nil {
		return 0, err
	}
	v.ws.SetReadDeadline(time.Now().Add(answerTimeout))
	want := markRep + strconv.Itoa(seq) + " "
	for {
		var f frame
		if err := v.ws.ReadJSON(&f); err != nil {
			return 0, fmt.Errorf("the reply: %w", err)
		}
		if f.Type == "error" {
			return 0, fmt.Errorf("error frame %s", f.Code)
		}
		if f.Type == "message" && f.From == "rep" && strings.HasPrefix(f.Text, want) {
			d, _ := since(markRep, f.Text)
			if err := v.send(map[string]any{"v": 1, "type": "message", "id": "v" + strconv.Itoa(seq), "text": marked(markVisitor, seq)}); err != nil {
				return 0, err
			}
			return d, nil
		}
	}
}

// addrPort is a host:port in an error's text: a connection's own local
// port would make every failed connection an error of its own.
var addrPort = regexp.MustCompile(`\b(?:\d{1,3}\.){3}\d{1,3}:\d+\b|\[[0-9a-f:]+\]:\d+`)

// errorKind is err's text with addresses left out, so that the report
// counts kinds of errors, not connections.
func errorKind(err error) string {
	return addrPort.ReplaceAllString(err.Error(), "host:port")
}
