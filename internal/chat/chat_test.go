package chat_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/redis/go-redis/v9"

	"helpline/internal/answer"
	"helpline/internal/broker"
	"helpline/internal/chat"
	"helpline/internal/conversation"
	"helpline/internal/handoff"
	"helpline/internal/kb"
	"helpline/internal/metrics"
	"helpline/internal/render"
	"helpline/internal/reps"
	"helpline/internal/safety"
	"helpline/internal/store"
	"helpline/internal/store/storetest"
	"helpline/knowledge"
)

var engine = func() *answer.Engine {
	b, err := kb.Load(knowledge.FS())
	if err != nil {
		panic(err)
	}
	return answer.New(b, kb.DefaultFacts())
}()

// instance is one server instance on a shared Redis.
type instance struct {
	URL     string
	Handler *chat.Handler
	Store   *store.Store
	Broker  *broker.Broker
	srv     *httptest.Server
}

func start(t *testing.T, rdb redis.UniversalClient, opts chat.Options, sopts store.Options) *instance {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if sopts.Retention == 0 {
		sopts = store.Options{Retention: time.Hour, RatePerMinute: 100}
	}
	st := store.New(rdb, sopts)
	if opts.RateKeyPrefix == "" {
		// Every visitor here comes from 127.0.0.1: each instance counts
		// them apart from other tests', unless the test shares a prefix.
		opts.RateKeyPrefix = rand.Text() + ":"
	}
	b := broker.New(rdb, log)
	ho := handoff.New(st, reps.New(rdb), kb.DefaultFacts(), handoff.Options{}, log)
	h := chat.NewHandler(st, b, engine, ho, render.New(), metrics.New(), log, opts)
	mux := http.NewServeMux()
	mux.Handle("GET /ws", h)
	srv := httptest.NewServer(mux)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		h.Shutdown(ctx)
		srv.Close()
		b.Close()
	})
	return &instance{URL: "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws", Handler: h, Store: st, Broker: b, srv: srv}
}

// client is a websocket client that speaks the protocol.
type client struct {
	t  *testing.T
	ws *websocket.Conn
}

func dial(t *testing.T, url string) *client {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { ws.Close() })
	return &client{t: t, ws: ws}
}

func (c *client) send(frame map[string]any) {
	c.t.Helper()
	if _, ok := frame["v"]; !ok {
		frame["v"] = 1
	}
	if err := c.ws.WriteJSON(frame); err != nil {
		c.t.Fatalf("send: %v", err)
	}
}

func (c *client) sendRaw(data string) {
	c.t.Helper()
	if err := c.ws.WriteMessage(websocket.TextMessage, []byte(data)); err != nil {
		c.t.Fatalf("send: %v", err)
	}
}

type frame struct {
	Type         string          `json:"type"`
	ID           string          `json:"id"`
	From         string          `json:"from"`
	Text         string          `json:"text"`
	HTML         string          `json:"html"`
	ClientID     string          `json:"client_id"`
	Kind         string          `json:"kind"`
	Entries      []string        `json:"entries"`
	Options      json.RawMessage `json:"options"`
	Conversation string          `json:"conversation"`
	Token        string          `json:"token"`
	State        string          `json:"state"`
	Resumed      bool            `json:"resumed"`
	Code         string          `json:"code"`
	RetryAfter   int             `json:"retry_after"`
	Position     int             `json:"position"`
	Risk         *struct{ Kind, Level string }
	FollowUp     bool `json:"follow_up"`
}

// read returns the next frame, failing after a few seconds.
func (c *client) read() frame {
	c.t.Helper()
	c.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	var f frame
	if err := c.ws.ReadJSON(&f); err != nil {
		c.t.Fatalf("read: %v", err)
	}
	return f
}

// readType reads frames until one of type typ, failing on an error frame
// unless typ is "error".
func (c *client) readType(typ string) frame {
	c.t.Helper()
	for {
		f := c.read()
		if f.Type == typ {
			return f
		}
		if f.Type == "error" {
			c.t.Fatalf("error frame %s while waiting for %s", f.Code, typ)
		}
	}
}

// hello opens a conversation (a new one when token is empty).
func (c *client) hello(token, last string) frame {
	c.t.Helper()
	f := map[string]any{"type": "hello"}
	if token != "" {
		f["token"] = token
	}
	if last != "" {
		f["last"] = last
	}
	c.send(f)
	return c.readType("welcome")
}

// say sends a message and returns the echo and the bot's reply.
func (c *client) say(id, text string) (echo, reply frame) {
	c.t.Helper()
	c.send(map[string]any{"type": "message", "id": id, "text": text})
	echo = c.readType("message")
	reply = c.readType("message")
	return echo, reply
}

func TestConversation(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBChat) {
		t.Run(b.Name, func(t *testing.T) {
			s := start(t, b.Client, chat.Options{}, store.Options{})
			c := dial(t, s.URL)
			w := c.hello("", "")
			if w.Conversation == "" || !strings.HasPrefix(w.Token, w.Conversation+".") || w.State != "bot" || w.Resumed {
				t.Fatalf("welcome %+v", w)
			}
			echo, reply := c.say("m1", "wen do withdrawls start")
			if echo.From != "visitor" || echo.ClientID != "m1" || echo.Text != "wen do withdrawls start" || echo.HTML != "" {
				t.Errorf("echo %+v", echo)
			}
			if reply.From != "bot" || reply.Kind != "answer" || len(reply.Entries) != 1 || !strings.HasPrefix(reply.HTML, "<p>") || len(reply.Options) == 0 {
				t.Errorf("reply %+v", reply)
			}
			var opts []struct{ ID, Title string }
			json.Unmarshal(reply.Options, &opts)
			c.send(map[string]any{"type": "choose", "id": "m2", "entry": opts[0].ID})
			if e := c.readType("message"); e.Text != opts[0].Title {
				t.Errorf("choose echo %q, want the title %q", e.Text, opts[0].Title)
			}
			if r := c.readType("message"); r.Kind != "answer" || r.Entries[0] != opts[0].ID {
				t.Errorf("choose reply %+v", r)
			}
			if _, r := c.say("m3", "my bf isnt breathing after he used"); r.Kind != "crisis" || r.Risk == nil || r.Risk.Kind != "overdose" {
				t.Errorf("crisis reply %+v", r)
			}
			if conv, _ := s.Store.Get(context.Background(), w.Conversation); conv.RiskLevel != "emergency" {
				t.Errorf("conversation risk %q, want emergency", conv.RiskLevel)
			}
			c.send(map[string]any{"type": "person", "id": "m4"})
			c.readType("message")
			if r := c.readType("message"); r.Kind != "handoff" {
				t.Errorf("person reply %+v", r)
			}
			c.send(map[string]any{"type": "ping"})
			c.readType("pong")
		})
	}
}

// TestResume: a phone drops its connection while the answer is on its way;
// on resume it gets exactly what it missed, in order.
func TestResume(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBChat) {
		t.Run(b.Name, func(t *testing.T) {
			s := start(t, b.Client, chat.Options{}, store.Options{})
			c := dial(t, s.URL)
			w := c.hello("", "")
			_, first := c.say("m1", "what is methadone")
			c.send(map[string]any{"type": "message", "id": "m2", "text": "how long do people stay on it"})
			c.ws.Close() // gone before reading the echo and the reply

			time.Sleep(200 * time.Millisecond) // the server stores both meanwhile
			c2 := dial(t, s.URL)
			if w2 := c2.hello(w.Token, first.ID); !w2.Resumed || w2.Conversation != w.Conversation {
				t.Fatalf("resume welcome %+v", w2)
			}
			echo, reply := c2.readType("message"), c2.readType("message")
			if echo.ClientID != "m2" || reply.From != "bot" || !conversation.After(echo.ID, first.ID) || !conversation.After(reply.ID, echo.ID) {
				t.Fatalf("replayed %+v then %+v", echo, reply)
			}
			// The retry of m2 after reconnecting stores nothing new.
			c2.send(map[string]any{"type": "message", "id": "m2", "text": "how long do people stay on it"})
			c2.send(map[string]any{"type": "ping"})
			if f := c2.read(); f.Type != "pong" {
				t.Fatalf("after a retried message got %+v, want nothing but the pong", f)
			}
			msgs, _ := s.Store.Messages(context.Background(), w.Conversation, "", 100)
			if len(msgs) != 4 {
				t.Errorf("%d messages stored, want 4 (two questions, two answers)", len(msgs))
			}
			// A reload replays everything.
			c3 := dial(t, s.URL)
			c3.hello(w.Token, "")
			for i := range 4 {
				if f := c3.readType("message"); f.ID != msgs[i].ID {
					t.Fatalf("reload replay %d: %s, want %s", i, f.ID, msgs[i].ID)
				}
			}
		})
	}
}

// TestTwoTabsTwoServers: one visitor, two tabs, each on a different server
// instance sharing one Redis, see the same conversation live.
func TestTwoTabsTwoServers(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBChat) {
		t.Run(b.Name, func(t *testing.T) {
			s1 := start(t, b.Client, chat.Options{}, store.Options{})
			s2 := start(t, b.Client, chat.Options{}, store.Options{})
			tab1, tab2 := dial(t, s1.URL), dial(t, s2.URL)
			w := tab1.hello("", "")
			tab2.hello(w.Token, "")
			tab1.say("a", "insurance??")
			if e, r := tab2.readType("message"), tab2.readType("message"); e.ClientID != "a" || r.From != "bot" {
				t.Fatalf("tab 2 saw %+v, %+v", e, r)
			}
			tab2.say("b", "thanks")
			if e := tab1.readType("message"); e.ClientID != "b" {
				t.Fatalf("tab 1 saw %+v", e)
			}
			tab1.readType("message")

			// Deleting from one tab tells the other and removes everything.
			tab2.send(map[string]any{"type": "delete"})
			tab1.readType("deleted")
			tab2.readType("deleted")
			if n, _ := b.Client.Exists(context.Background(), "hl:{"+w.Conversation+"}:conv", "hl:{"+w.Conversation+"}:msgs").Result(); n != 0 {
				t.Errorf("%d keys left after delete", n)
			}
			tab3 := dial(t, s1.URL)
			if w3 := tab3.hello(w.Token, ""); w3.Resumed || w3.Conversation == w.Conversation {
				t.Errorf("a deleted conversation resumed: %+v", w3)
			}
		})
	}
}

func TestBadInput(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBChat) {
		t.Run(b.Name, func(t *testing.T) {
			s := start(t, b.Client, chat.Options{MaxMessage: 50, RatePerAddress: 600}, store.Options{Retention: time.Hour, RatePerMinute: 5})
			c := dial(t, s.URL)
			c.send(map[string]any{"type": "message", "id": "x", "text": "hi"})
			if f := c.read(); f.Code != "not_ready" {
				t.Errorf("message before hello: %+v", f)
			}
			c.hello("", "")
			for _, tt := range []struct{ raw, code string }{
				{`not json`, "bad_frame"},
				{`[1,2]`, "bad_frame"},
				{`{"v":1,"type":"sing"}`, "unknown_type"},
				{`{"v":9,"type":"ping"}`, "bad_version"},
				{`{"v":1,"type":"message","id":"x","text":"   "}`, "invalid_text"},
				{`{"v":1,"type":"message","id":"x","text":"` + strings.Repeat("é", 51) + `"}`, "invalid_text"},
				{`{"v":1,"type":"message","text":"no id"}`, "bad_frame"},
				{"{\"v\":1,\"type\":\"message\",\"id\":\"x\",\"text\":\"\xff\xfe\"}", "invalid_text"},
				{`{"v":1,"type":"choose","id":"x","entry":"no-such-entry"}`, "unknown_entry"},
			} {
				c.sendRaw(tt.raw)
				if f := c.read(); f.Type != "error" || f.Code != tt.code {
					t.Errorf("%.40q: got %+v, want error %s", tt.raw, f, tt.code)
				}
			}
			// The connection survived all of that.
			c.send(map[string]any{"type": "ping"})
			c.readType("pong")

			// Flooding one conversation: the sixth message in a minute waits.
			for i := range 5 {
				c.say(fmt.Sprint("f", i), "hello")
			}
			c.send(map[string]any{"type": "message", "id": "f5", "text": "hello"})
			if f := c.read(); f.Code != "rate_limited" || f.RetryAfter < 1 {
				t.Errorf("flood: %+v", f)
			}

			// A frame over the limit closes with 1009.
			c.sendRaw(`{"v":1,"type":"message","id":"big","text":"` + strings.Repeat("a", 20000) + `"}`)
			c.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
			_, _, err := c.ws.ReadMessage()
			if !websocket.IsCloseError(err, websocket.CloseMessageTooBig) {
				t.Errorf("oversized frame: %v, want close 1009", err)
			}
		})
	}
}

func TestAddressRateLimit(t *testing.T) {
	b := storetest.Backends(t, storetest.DBChat)[0]
	s := start(t, b.Client, chat.Options{RatePerAddress: 3}, store.Options{})
	c := dial(t, s.URL)
	c.hello("", "")
	c.say("a", "hi")
	c.send(map[string]any{"type": "message", "id": "b", "text": "hi"})
	c.send(map[string]any{"type": "message", "id": "c", "text": "hi"})
	for {
		if f := c.read(); f.Type == "error" {
			if f.Code != "rate_limited" || f.RetryAfter < 1 {
				t.Fatalf("got %+v", f)
			}
			return
		}
	}
}

func TestForgedTokenStartsAnew(t *testing.T) {
	b := storetest.Backends(t, storetest.DBChat)[0]
	s := start(t, b.Client, chat.Options{}, store.Options{})
	c := dial(t, s.URL)
	w := c.hello("", "")
	c.say("a", "something private")
	forged := w.Conversation + ".not-the-secret"
	c2 := dial(t, s.URL)
	w2 := c2.hello(forged, "")
	if w2.Resumed || w2.Conversation == w.Conversation {
		t.Fatalf("a forged token opened the conversation: %+v", w2)
	}
	c2.send(map[string]any{"type": "ping"})
	if f := c2.read(); f.Type != "pong" {
		t.Errorf("the new conversation replayed someone else's messages: %+v", f)
	}
	// Another visitor's valid secret does not open this conversation
	// either: a token is good for its own conversation only.
	_, secret, _ := strings.Cut(w2.Token, ".")
	c3 := dial(t, s.URL)
	if w3 := c3.hello(w.Conversation+"."+secret, ""); w3.Resumed || w3.Conversation == w.Conversation {
		t.Fatalf("another conversation's secret opened it: %+v", w3)
	}
}

func TestOriginRefused(t *testing.T) {
	b := storetest.Backends(t, storetest.DBChat)[0]
	s := start(t, b.Client, chat.Options{Origins: []string{"https://helpline.example"}}, store.Options{})
	for origin, ok := range map[string]bool{"https://helpline.example": true, "https://evil.example": false, "": true} {
		h := http.Header{}
		if origin != "" {
			h.Set("Origin", origin)
		}
		ws, resp, err := websocket.DefaultDialer.Dial(s.URL, h)
		if ok != (err == nil) {
			t.Errorf("origin %q: err %v", origin, err)
		}
		if !ok && (resp == nil || resp.StatusCode != http.StatusForbidden) {
			t.Errorf("origin %q: response %v, want 403", origin, resp)
		}
		if ws != nil {
			ws.Close()
		}
	}
}

// TestNoHTMLFromVisitors: what a visitor sends comes back as text, never
// as HTML.
func TestNoHTMLFromVisitors(t *testing.T) {
	b := storetest.Backends(t, storetest.DBChat)[0]
	s := start(t, b.Client, chat.Options{}, store.Options{})
	c := dial(t, s.URL)
	c.hello("", "")
	payload := `<img src=x onerror=alert(1)> <script>alert(2)</script>`
	echo, reply := c.say("x", payload)
	if echo.Text != payload || echo.HTML != "" {
		t.Errorf("echo %+v", echo)
	}
	if strings.Contains(reply.HTML, "<img") || strings.Contains(reply.HTML, "<script") {
		t.Errorf("bot html carries the visitor's markup: %s", reply.HTML)
	}
}

func TestShutdownGoingAway(t *testing.T) {
	b := storetest.Backends(t, storetest.DBChat)[0]
	s := start(t, b.Client, chat.Options{}, store.Options{})
	c := dial(t, s.URL)
	c.hello("", "")
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.Handler.Shutdown(ctx)
	}()
	c.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		_, _, err := c.ws.ReadMessage()
		if err != nil {
			if !websocket.IsCloseError(err, websocket.CloseGoingAway) {
				t.Errorf("shutdown closed with %v, want 1001", err)
			}
			return
		}
	}
}

// TestExpiry: a conversation idle longer than the retention is gone, and
// its token starts a new one.
func TestExpiry(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBChat) {
		t.Run(b.Name, func(t *testing.T) {
			s := start(t, b.Client, chat.Options{}, store.Options{Retention: 1500 * time.Millisecond, RatePerMinute: 100})
			c := dial(t, s.URL)
			w := c.hello("", "")
			c.say("a", "hi")
			c.ws.Close()
			time.Sleep(2 * time.Second)
			c2 := dial(t, s.URL)
			if w2 := c2.hello(w.Token, ""); w2.Resumed {
				t.Errorf("an expired conversation resumed: %+v", w2)
			}
		})
	}
}

// TestResumeRepairsQueue: a visitor left waiting for a person but missing
// from the queue, as when an instance dies between the two steps of asking
// for one, is back in the queue when they reconnect to another instance.
func TestResumeRepairsQueue(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBChat) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			s1 := start(t, b.Client, chat.Options{}, store.Options{})
			s2 := start(t, b.Client, chat.Options{}, store.Options{})
			c := dial(t, s1.URL)
			w := c.hello("", "")
			if _, err := s1.Store.Enqueue(ctx, w.Conversation, conversation.PriorityNormal, handoff.ReasonAsked, "", "", nil); err != nil {
				t.Fatal(err)
			}
			b.Client.ZRem(ctx, "hl:queue", w.Conversation) // the second step never happened
			c.ws.Close()

			c2 := dial(t, s2.URL)
			if w2 := c2.hello(w.Token, ""); !w2.Resumed || w2.State != string(conversation.StateWaiting) {
				t.Fatalf("resume welcome %+v", w2)
			}
			if got, _ := s2.Store.Waiting(ctx); len(got) != 1 || got[0] != w.Conversation {
				t.Errorf("queue %v after the visitor came back, want their conversation", got)
			}
		})
	}
}

// TestHeldConversationNoFalseAlarm: while a representative holds a
// conversation the bot is silent but every message is still screened. A
// visitor who asked for a person and then writes 500 ordinary messages
// (real everyday text) raises no alarm: the words of the request are no
// danger for the next message to continue. A danger then still does.
func TestHeldConversationNoFalseAlarm(t *testing.T) {
	var ordinary []string
	for _, q := range realNegatives(t) {
		if len(q) <= 2000 && !safety.Screen(q, nil).Crisis() {
			ordinary = append(ordinary, q)
		}
	}
	if len(ordinary) < 500 {
		t.Fatalf("only %d ordinary messages", len(ordinary))
	}
	ordinary = ordinary[:500]
	for _, b := range storetest.Backends(t, storetest.DBChat) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			s := start(t, b.Client, chat.Options{RatePerAddress: 1 << 20}, store.Options{Retention: time.Hour, RatePerMinute: 1 << 20})
			c := dial(t, s.URL)
			w := c.hello("", "")
			c.send(map[string]any{"type": "person", "id": "p"})
			c.readType("message")
			if r := c.readType("message"); r.Kind != "handoff" {
				t.Fatalf("person reply %+v", r)
			}
			if err := s.Store.Claim(ctx, w.Conversation, "rep-1", "Ana joined the chat.", true); err != nil {
				t.Fatal(err)
			}
			for i, msg := range ordinary {
				id := fmt.Sprintf("m%d", i)
				c.send(map[string]any{"type": "message", "id": id, "text": msg})
				for f := c.readType("message"); f.ClientID != id; f = c.readType("message") {
					if f.From == "bot" {
						t.Fatalf("the bot answered while a representative holds the conversation: %+v", f)
					}
				}
			}
			if conv, _ := s.Store.Get(ctx, w.Conversation); conv.RiskKind != "" {
				t.Fatalf("risk %s/%s after 500 ordinary messages, want none", conv.RiskKind, conv.RiskLevel)
			}
			c.send(map[string]any{"type": "message", "id": "danger", "text": "my bf isnt breathing after he used"})
			for f := c.readType("message"); f.ClientID != "danger"; f = c.readType("message") {
			}
			deadline := time.Now().Add(5 * time.Second)
			for {
				if conv, _ := s.Store.Get(ctx, w.Conversation); conv.RiskLevel == "emergency" {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("a danger while a representative holds the conversation raised no risk")
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
}

// realNegatives returns the messages of the real safety sets that are no
// danger: everyday text, off-topic questions, questions about the topic.
func realNegatives(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, f := range []string{"everyday.jsonl", "safety-real.jsonl"} {
		out = append(out, negatives(t, "../../knowledge/eval/"+f)...)
	}
	return out
}

func negatives(t *testing.T, file string) []string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for line := range bytes.Lines(data) {
		if line = bytes.TrimSpace(line); len(line) == 0 || line[0] == '#' {
			continue
		}
		var l struct{ Q, Risk string }
		if err := json.Unmarshal(line, &l); err != nil {
			t.Fatal(err)
		}
		if l.Risk == "none" {
			out = append(out, l.Q)
		}
	}
	return out
}

// TestHelloWithoutEvents: when the conversation's events cannot be
// subscribed to (here the instance's broker is gone, as when Redis is
// unreachable), the connection must not go on half-open, storing replies
// it never delivers: the visitor is told, with the emergency numbers, and
// the close (1013) makes the widget reconnect; once the instance can
// subscribe again, the next hello is welcomed.
func TestHelloWithoutEvents(t *testing.T) {
	b := storetest.Backends(t, storetest.DBChat)[0]
	s := start(t, b.Client, chat.Options{}, store.Options{})
	s.Broker.Close()
	c := dial(t, s.URL)
	c.send(map[string]any{"type": "hello"})
	c.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	var f struct{ Type, Code, Message string }
	if err := c.ws.ReadJSON(&f); err != nil {
		t.Fatal(err)
	}
	if f.Type != "error" || f.Code != "unavailable" || !strings.Contains(f.Message, "911") {
		t.Fatalf("first frame %+v, want an unavailable error with the emergency number", f)
	}
	_, data, err := c.ws.ReadMessage()
	if err == nil {
		t.Fatalf("after the error the connection stayed open (%s)", data)
	}
	if !websocket.IsCloseError(err, websocket.CloseTryAgainLater) {
		t.Fatalf("closed with %v, want 1013 (try again later)", err)
	}

	// Another instance on the same Redis, whose broker works, welcomes the
	// reconnecting widget.
	other := start(t, b.Client, chat.Options{}, store.Options{})
	if w := dial(t, other.URL).hello("", ""); w.Conversation == "" || w.Token == "" {
		t.Errorf("welcome %+v", w)
	}
}

// TestCrisisFollowUpOverTheWire: with nobody online, "what do i do" after
// an overdose reply gets the short follow-up for when nobody can chat,
// marked follow_up, not the whole crisis reply again.
func TestCrisisFollowUpOverTheWire(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBChat) {
		t.Run(b.Name, func(t *testing.T) {
			in := start(t, b.Client, chat.Options{}, store.Options{})
			c := dial(t, in.URL)
			c.hello("", "")
			_, first := c.say("m1", "my brother took a bunch of pills and now he wont wake up")
			od := safety.Risk{Kind: safety.Overdose, Level: safety.Emergency}
			if first.Kind != "crisis" || first.FollowUp || first.Text != safety.ResponseOffline(od) {
				t.Fatalf("first crisis reply %s follow_up=%v:\n%s", first.Kind, first.FollowUp, first.Text)
			}
			_, next := c.say("m2", "what do i do")
			if next.Kind != "crisis" || !next.FollowUp || next.Text != safety.FollowUpOffline(od) {
				t.Errorf("follow-up %s follow_up=%v:\n%s\nwant:\n%s", next.Kind, next.FollowUp, next.Text, safety.FollowUpOffline(od))
			}
		})
	}
}

// TestAddressLimitAcrossInstances: the per-address limit is counted in
// Redis, so a visitor spreading messages over two instances behind a load
// balancer is limited once, not once per instance; and a flood gets one
// "too fast" error that says when to send again, on a connection that
// stays open, instead of errors that pile up until the server drops it.
func TestAddressLimitAcrossInstances(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBChat) {
		t.Run(b.Name, func(t *testing.T) {
			prefix := rand.Text() + ":"
			opts := chat.Options{RatePerAddress: 6, RateKeyPrefix: prefix} // a burst of 2
			s1, s2 := start(t, b.Client, opts, store.Options{}), start(t, b.Client, opts, store.Options{})
			c1, c2 := dial(t, s1.URL), dial(t, s2.URL)
			c1.hello("", "")
			c2.hello("", "")
			c1.say("a", "hi")
			c2.say("b", "hi")
			c1.send(map[string]any{"type": "message", "id": "c", "text": "hi"})
			if f := c1.readType("error"); f.Code != "rate_limited" || f.RetryAfter < 1 {
				t.Fatalf("third message over two instances: %+v, want rate_limited", f)
			}

			// A flood on the other instance: one error, and the connection
			// still answers.
			for i := 0; i < 60; i++ {
				c2.send(map[string]any{"type": "message", "id": fmt.Sprintf("f%d", i), "text": "spam"})
			}
			c2.send(map[string]any{"type": "ping"})
			errorsSeen := 0
			for {
				f := c2.read()
				if f.Type == "error" {
					errorsSeen++
					if f.Code != "rate_limited" {
						t.Fatalf("flood: %+v", f)
					}
				}
				if f.Type == "pong" {
					break
				}
			}
			if errorsSeen != 1 {
				t.Errorf("a flood of 60 messages got %d errors, want 1", errorsSeen)
			}
		})
	}
}

// TestFloodWithoutReading: a client that floods without reading what comes
// back, under limits high enough to let its messages through, is told to
// slow down (rate_limited) and keeps its connection, rather than being
// dropped as a client too slow for its own conversation's events.
func TestFloodWithoutReading(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBChat) {
		t.Run(b.Name, func(t *testing.T) {
			s := start(t, b.Client, chat.Options{RatePerAddress: 1_000_000}, store.Options{Retention: time.Hour, RatePerMinute: 100_000})
			c := dial(t, s.URL)
			c.hello("", "")
			for i := 0; i < 3000; i++ {
				c.send(map[string]any{"type": "message", "id": fmt.Sprintf("f%d", i), "text": "what is methadone"})
			}
			c.send(map[string]any{"type": "ping"})
			limited := 0
			for {
				c.ws.SetReadDeadline(time.Now().Add(20 * time.Second))
				var f frame
				if err := c.ws.ReadJSON(&f); err != nil {
					t.Fatalf("the flooding client was dropped (%v) after %d rate_limited errors", err, limited)
				}
				if f.Type == "error" && f.Code == "rate_limited" {
					limited++
				}
				if f.Type == "pong" {
					break
				}
			}
			if limited == 0 {
				t.Error("a flood of 3,000 messages was never told to slow down")
			}
		})
	}
}
