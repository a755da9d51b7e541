package console_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/redis/go-redis/v9"

	"helpline/internal/answer"
	"helpline/internal/assistant"
	"helpline/internal/broker"
	"helpline/internal/chat"
	"helpline/internal/console"
	"helpline/internal/conversation"
	"helpline/internal/handoff"
	"helpline/internal/kb"
	"helpline/internal/metrics"
	"helpline/internal/render"
	"helpline/internal/reps"
	"helpline/internal/server"
	"helpline/internal/store"
	"helpline/internal/store/storetest"
	"helpline/knowledge"
	"helpline/web"
)

var engine = func() *answer.Engine {
	b, err := kb.Load(knowledge.FS())
	if err != nil {
		panic(err)
	}
	return answer.New(b, kb.DefaultFacts())
}()

// instance is the whole service, visitor and console, on one Redis.
type instance struct {
	t       *testing.T
	url     string // http://127.0.0.1:port
	store   *store.Store
	reps    *reps.Store
	handoff *handoff.Service
}

func start(t *testing.T, rdb redis.UniversalClient, hopts handoff.Options) *instance {
	t.Helper()
	return startWith(t, rdb, hopts, nil)
}

// startWith starts the service with a language model for the console's
// summaries and drafts, made by newModel with the service's metrics as its
// recorder (nil: none).
func startWith(t *testing.T, rdb redis.UniversalClient, hopts handoff.Options, newModel func(assistant.Recorder) *assistant.Client) *instance {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	st := store.New(rdb, store.Options{Retention: time.Hour, RatePerMinute: 100})
	b := broker.New(rdb, log)
	accounts := reps.New(rdb)
	ho := handoff.New(st, accounts, kb.DefaultFacts(), hopts, log)
	m := metrics.New()
	m.Watch(func(ctx context.Context) (metrics.Snapshot, error) {
		q, err := st.QueueNow(ctx)
		s := metrics.Snapshot{Waiting: map[string]int{}, OldestSeconds: map[string]float64{}}
		for p, f := range q {
			s.Waiting[string(p)], s.OldestSeconds[string(p)] = f.Waiting, f.OldestSeconds
		}
		return s, err
	})
	var model *assistant.Client
	if newModel != nil {
		model = newModel(m)
	}
	visitors := chat.NewHandler(st, b, engine, ho, render.New(), m, log, chat.Options{RateKeyPrefix: rand.Text() + ":"})
	consoles := console.New(console.Deps{Store: st, Reps: accounts, Handoff: ho, Broker: b, Engine: engine, Render: render.New(),
		Metrics: m, Bot: visitors, Model: model, Log: log, Web: web.FS()})
	var status func() string
	if model != nil {
		status = m.AssistantSummary
	}
	srv := httptest.NewServer(server.New(server.Deps{Log: log, Redis: rdb, Metrics: m, Visitor: visitors, Console: consoles, Web: web.FS(), Assistant: status}))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		consoles.Shutdown(ctx)
		visitors.Shutdown(ctx)
		srv.Close()
		b.Close()
	})
	return &instance{t: t, url: srv.URL, store: st, reps: accounts, handoff: ho}
}

// The accounts every test signs in with. bcrypt makes adding one take a
// few hundred milliseconds, so tests add only those they need.
const password = "correct horse battery"

func (in *instance) addRep(name string, role reps.Role) {
	in.t.Helper()
	if err := in.reps.Add(context.Background(), name, password, role); err != nil {
		in.t.Fatal(err)
	}
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// signIn posts the sign-in form and returns the response.
func (in *instance) signIn(name, pw string, header http.Header) *http.Response {
	in.t.Helper()
	req, _ := http.NewRequest("POST", in.url+"/console/login", strings.NewReader(url.Values{"name": {name}, "password": {pw}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		in.t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// cookie signs in and returns the session cookie.
func (in *instance) cookie(name string) *http.Cookie {
	in.t.Helper()
	resp := in.signIn(name, password, nil)
	if resp.StatusCode != http.StatusSeeOther {
		in.t.Fatalf("sign in %s: %s", name, resp.Status)
	}
	for _, c := range resp.Cookies() {
		if c.Name == console.CookieName {
			return c
		}
	}
	in.t.Fatal("no session cookie")
	return nil
}

// rep is a signed-in console.
type rep struct {
	t  *testing.T
	ws *websocket.Conn
}

type item struct {
	Conversation string `json:"conversation"`
	Priority     string `json:"priority"`
	State        string `json:"state"`
	Holder       string `json:"holder"`
	RiskKind     string `json:"risk_kind"`
	Reason       string `json:"reason"`
	Preview      string `json:"preview"`
	Online       bool   `json:"visitor_online"`
	Left         string `json:"left_at"`
	ID           string `json:"id"`
	Kind         string `json:"kind"`
	Phone        string `json:"phone"`
	Title        string `json:"title"` // a canned reply's
	Text         string `json:"text"`
	By           string `json:"by"`
}

type message struct{ From, Text, Rep string }

// msg returns a message frame's message.
func (f cframe) msg() message {
	var m message
	json.Unmarshal(f.Message, &m)
	return m
}

type cframe struct {
	Type        string `json:"type"`
	ModelAssist bool   `json:"model_assist"`
	// Text and Unavailable are a summary's or a draft's, Cites a draft's.
	Text         string                       `json:"text"`
	Unavailable  string                       `json:"unavailable"`
	Cites        []struct{ ID, Title string } `json:"cites"`
	ID           string                       `json:"id"`
	Code         string                       `json:"code"`
	Answered     bool                         `json:"answered"`
	Conversation string                       `json:"conversation"`
	Rep          string                       `json:"rep"`
	Role         string                       `json:"role"`
	State        string                       `json:"state"`
	Holder       string                       `json:"holder"`
	Priority     string                       `json:"priority"`
	RiskKind     string                       `json:"risk_kind"`
	Items        []item                       `json:"items"`
	// Message is a message frame's message, or an error frame's text.
	Message  json.RawMessage                    `json:"message"`
	Messages []struct{ From, Text, Rep string } `json:"messages"`
	Note     struct{ Rep, Text string }         `json:"note"`
	Notes    []struct{ Rep, Text string }       `json:"notes"`
	Summary  struct {
		Reason    string   `json:"reason"`
		RiskKind  string   `json:"risk_kind"`
		RiskLevel string   `json:"risk_level"`
		Evidence  []string `json:"evidence"`
		Questions []string `json:"questions"`
		Answers   []struct{ Entry string }
	} `json:"summary"`
}

func (in *instance) wsURL(path string) string {
	return "ws" + strings.TrimPrefix(in.url, "http") + path
}

// dialConsole opens the console websocket with the given cookie.
func (in *instance) dialConsole(c *http.Cookie) (*websocket.Conn, *http.Response, error) {
	h := http.Header{"Origin": {in.url}}
	if c != nil {
		h.Set("Cookie", c.Name+"="+c.Value)
	}
	return websocket.DefaultDialer.Dial(in.wsURL("/console/ws"), h)
}

// console signs name in and opens the console.
func (in *instance) console(name string) *rep {
	in.t.Helper()
	ws, resp, err := in.dialConsole(in.cookie(name))
	if err != nil {
		status := ""
		if resp != nil {
			body, _ := io.ReadAll(resp.Body)
			status = fmt.Sprintf(" (%s: %q)", resp.Status, body)
		}
		in.t.Fatalf("console %s: %v%s", name, err, status)
	}
	in.t.Cleanup(func() { ws.Close() })
	r := &rep{t: in.t, ws: ws}
	if w := r.until(func(f cframe) bool { return f.Type == "welcome" }); !strings.EqualFold(w.Rep, name) {
		in.t.Fatalf("welcome for %q, want %q", w.Rep, name)
	}
	return r
}

func (r *rep) send(f map[string]any) {
	r.t.Helper()
	f["v"] = 1
	if err := r.ws.WriteJSON(f); err != nil {
		r.t.Fatalf("send: %v", err)
	}
}

// until reads frames until one satisfies ok, failing after 5 seconds or
// on an error frame it was not waiting for.
func (r *rep) until(ok func(cframe) bool) cframe {
	r.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		r.ws.SetReadDeadline(deadline)
		var f cframe
		if err := r.ws.ReadJSON(&f); err != nil {
			r.t.Fatalf("console read: %v", err)
		}
		if ok(f) {
			return f
		}
		if f.Type == "error" {
			r.t.Fatalf("unexpected error frame %s", f.Code)
		}
	}
}

// refused sends f and expects an error frame with code.
func (r *rep) refused(f map[string]any, code string) {
	r.t.Helper()
	r.send(f)
	if got := r.until(func(f cframe) bool { return f.Type == "error" }); got.Code != code {
		r.t.Fatalf("%v: error %s, want %s", f, got.Code, code)
	}
}

func inList(items []item, conv string) bool {
	for _, it := range items {
		if it.Conversation == conv {
			return true
		}
	}
	return false
}

// visitor is a chat widget.
type visitor struct {
	t     *testing.T
	ws    *websocket.Conn
	conv  string
	token string
	n     int
	mu    sync.Mutex
}

type vframe struct {
	Type     string   `json:"type"`
	From     string   `json:"from"`
	Text     string   `json:"text"`
	Rep      string   `json:"rep"`
	Kind     string   `json:"kind"`
	State    string   `json:"state"`
	Position int      `json:"position"`
	Forms    []string `json:"forms"`
	Code     string   `json:"code"`
	Name     string   `json:"name"`
	Conv     string   `json:"conversation"`
	Offer    bool     `json:"offer_person"`
	Token    string   `json:"token"`
	Reason   string   `json:"reason"`
	Why      string   `json:"reason_text"`
}

func (in *instance) visitor() *visitor { in.t.Helper(); return in.visitorBack("") }

// visitorBack opens the widget with a token: the visitor comes back.
func (in *instance) visitorBack(token string) *visitor {
	in.t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial(in.wsURL("/ws"), nil)
	if err != nil {
		in.t.Fatal(err)
	}
	in.t.Cleanup(func() { ws.Close() })
	v := &visitor{t: in.t, ws: ws}
	hello := map[string]any{"type": "hello"}
	if token != "" {
		hello["token"] = token
	}
	v.send(hello)
	w := v.until(func(f vframe) bool { return f.Type == "welcome" })
	v.conv, v.token = w.Conv, w.Token
	return v
}

func (v *visitor) send(f map[string]any) {
	v.t.Helper()
	f["v"] = 1
	if _, ok := f["id"]; !ok && f["type"] != "hello" && f["type"] != "typing" {
		v.n++
		f["id"] = fmt.Sprintf("c%d", v.n)
	}
	if err := v.ws.WriteJSON(f); err != nil {
		v.t.Fatalf("send: %v", err)
	}
}

func (v *visitor) say(text string) { v.send(map[string]any{"type": "message", "text": text}) }

// until reads frames until one satisfies ok; seen gets every frame read.
func (v *visitor) until(ok func(vframe) bool, seen ...*[]vframe) vframe {
	v.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		v.ws.SetReadDeadline(deadline)
		var f vframe
		if err := v.ws.ReadJSON(&f); err != nil {
			v.t.Fatalf("visitor read: %v", err)
		}
		for _, s := range seen {
			*s = append(*s, f)
		}
		if ok(f) {
			return f
		}
	}
}

func fromBot(f vframe) bool { return f.Type == "message" && f.From == "bot" }

// TestHandoff is the whole path: nobody online, then a representative
// signs in, the visitor asks for a person, waits, is taken, talks with the
// representative while the bot is silent, gets a private note written
// about them that they never see, and is handed back to the bot.
func TestHandoff(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBConsole) {
		t.Run(b.Name, func(t *testing.T) {
			in := start(t, b.Client, handoff.Options{})
			in.addRep("Ana Lopez", reps.RoleRep)

			v := in.visitor()
			v.send(map[string]any{"type": "person"})
			off := v.until(fromBot)
			if !strings.Contains(off.Text, "can chat right now") || fmt.Sprint(off.Forms) != "[callback insurance]" {
				t.Fatalf("nobody online: %q forms %v", off.Text, off.Forms)
			}

			ana := in.console("Ana Lopez")
			v.send(map[string]any{"type": "person"})
			if r := v.until(fromBot); r.Offer || len(r.Forms) > 0 {
				t.Errorf("a person is being found, yet the reply offers %v and forms %v", r.Offer, r.Forms)
			}
			if q := v.until(func(f vframe) bool { return f.Type == "queue" }); q.Position != 1 {
				t.Errorf("visitor told position %d, want 1", q.Position)
			}
			queue := ana.until(func(f cframe) bool { return f.Type == "queue" && inList(f.Items, v.conv) })
			if it := queue.Items[0]; it.Reason != "asked" || it.Priority != "normal" || it.Preview == "" {
				t.Errorf("queue item %+v", it)
			}

			ana.send(map[string]any{"type": "take"})
			tr := ana.until(func(f cframe) bool { return f.Type == "transcript" })
			if tr.Conversation != v.conv || tr.State != "rep" || tr.Holder != "Ana Lopez" || tr.Summary.Reason != "asked" {
				t.Fatalf("transcript %s state %s holder %q reason %q", tr.Conversation, tr.State, tr.Holder, tr.Summary.Reason)
			}
			joined := v.until(func(f vframe) bool {
				return f.Type == "message" && f.From == "system" && strings.Contains(f.Text, "joined")
			})
			if !strings.HasPrefix(joined.Text, "Ana from") {
				t.Errorf("join message %q: visitors see the first name", joined.Text)
			}
			v.until(func(f vframe) bool { return f.Type == "state" && f.State == "rep" })

			ana.send(map[string]any{"type": "typing", "conversation": v.conv})
			if ty := v.until(func(f vframe) bool { return f.Type == "typing" }); ty.From != "rep" || ty.Name != "Ana" {
				t.Errorf("typing %+v", ty)
			}
			ana.send(map[string]any{"type": "reply", "conversation": v.conv, "id": "r1", "text": "Hi, I'm Ana. I'm here with you."})
			if m := v.until(func(f vframe) bool { return f.Type == "message" && f.From == "rep" }); m.Rep != "Ana" || !strings.Contains(m.Text, "here with you") {
				t.Errorf("visitor got %+v", m)
			}

			// The bot is silent while Ana holds the conversation; the
			// console sees the visitor type and write.
			var seen []vframe
			v.send(map[string]any{"type": "typing"})
			ana.until(func(f cframe) bool { return f.Type == "typing" && f.Conversation == v.conv })
			v.say("what is methadone")
			if m := ana.until(func(f cframe) bool { return f.Type == "message" && f.msg().From == "visitor" }); m.msg().Text != "what is methadone" {
				t.Errorf("console got %+v", m.msg())
			}
			ana.send(map[string]any{"type": "note", "conversation": v.conv, "text": "PRIVATE: asked about methadone"})
			if n := ana.until(func(f cframe) bool { return f.Type == "note" }); n.Note.Text != "PRIVATE: asked about methadone" || n.Note.Rep != "Ana Lopez" {
				t.Errorf("note %+v", n.Note)
			}

			ana.send(map[string]any{"type": "handback", "conversation": v.conv})
			v.until(func(f vframe) bool { return f.Type == "state" && f.State == "bot" }, &seen)
			for _, f := range seen {
				if fromBot(f) || strings.Contains(f.Text, "PRIVATE") {
					t.Errorf("while Ana held the conversation the visitor got %+v", f)
				}
			}
			ana.until(func(f cframe) bool { return f.Type == "state" && f.State == "bot" })

			// Back with the bot, which answers again.
			v.say("how long does heroin withdrawal last")
			if a := v.until(fromBot); a.Kind != "answer" {
				t.Errorf("after hand-back the bot answered %q: %q", a.Kind, a.Text)
			}

			// Reopening shows everything, notes included, and the summary.
			ana.send(map[string]any{"type": "open", "conversation": v.conv})
			tr = ana.until(func(f cframe) bool { return f.Type == "transcript" })
			if len(tr.Notes) != 1 || len(tr.Summary.Questions) < 2 || len(tr.Summary.Answers) == 0 {
				t.Errorf("transcript notes %v questions %v answers %v", tr.Notes, tr.Summary.Questions, tr.Summary.Answers)
			}
			var reps int
			for _, m := range tr.Messages {
				if m.From == "rep" && m.Rep == "Ana" {
					reps++
				}
			}
			if reps != 1 {
				t.Errorf("%d representative messages in the transcript, want 1", reps)
			}
			log, _ := in.store.AuditLog(context.Background(), 20)
			var actions []string
			for i := len(log) - 1; i >= 0; i-- {
				actions = append(actions, log[i].Action)
			}
			if got := strings.Join(actions, " "); got != "sign_in take read note handback read" {
				t.Errorf("audit %q", got)
			}
		})
	}
}

// TestCrisisJumpsTheQueue: a visitor in danger goes ahead of those who
// waited longer, and every console is alerted.
func TestCrisisJumpsTheQueue(t *testing.T) {
	b := storetest.Backends(t, storetest.DBConsole)
	in := start(t, b[len(b)-1].Client, handoff.Options{})
	in.addRep("ben", reps.RoleRep)
	ben := in.console("ben")

	calm := in.visitor()
	calm.send(map[string]any{"type": "person"})
	calm.until(func(f vframe) bool { return f.Type == "queue" })

	danger := in.visitor()
	danger.say("my brother took a bunch of pills and now he won't wake up")
	reply := danger.until(fromBot)
	if reply.Kind != "crisis" || !strings.Contains(reply.Text, "911") {
		t.Fatalf("crisis reply %q: %q", reply.Kind, reply.Text)
	}
	alert := ben.until(func(f cframe) bool { return f.Type == "alert" })
	if alert.Conversation != danger.conv || alert.Priority != "emergency" || alert.RiskKind != "overdose" {
		t.Errorf("alert %+v", alert)
	}
	q := ben.until(func(f cframe) bool { return f.Type == "queue" && len(f.Items) == 2 })
	if q.Items[0].Conversation != danger.conv || q.Items[0].RiskKind != "overdose" {
		t.Errorf("queue %+v: the crisis should be first", q.Items)
	}
	ben.send(map[string]any{"type": "take"})
	tr := ben.until(func(f cframe) bool { return f.Type == "transcript" })
	if tr.Conversation != danger.conv || tr.Summary.RiskLevel != "emergency" || len(tr.Summary.Evidence) == 0 {
		t.Errorf("took %s with summary %+v, want the crisis with its evidence", tr.Conversation, tr.Summary)
	}
	if tr.Summary.Reason != "crisis" {
		t.Errorf("reason %q", tr.Summary.Reason)
	}
}

// TestCrisisAlertSaysWhereItIs: a crisis in a conversation a
// representative already holds ("he stopped breathing" after they took
// it) alerts the others, saying who holds it, and never the holder, who
// is reading it; a crisis waiting in the queue says so.
func TestCrisisAlertSaysWhereItIs(t *testing.T) {
	b := storetest.Backends(t, storetest.DBConsole)
	in := start(t, b[len(b)-1].Client, handoff.Options{})
	in.addRep("ana", reps.RoleRep)
	in.addRep("ben", reps.RoleRep)
	ana, ben := in.console("ana"), in.console("ben")

	v := in.visitor()
	v.say("hello")
	v.until(fromBot)
	ana.send(map[string]any{"type": "take", "conversation": v.conv})
	ana.until(func(f cframe) bool { return f.Type == "transcript" })
	v.until(func(f vframe) bool { return f.Type == "state" && f.State == "rep" })

	v.say("he took a lot of pills and now he is not breathing")
	alert := ben.until(func(f cframe) bool { return f.Type == "alert" })
	if alert.Conversation != v.conv || alert.State != "rep" || alert.Holder != "ana" || alert.RiskKind != "overdose" {
		t.Errorf("Ben's alert %+v, want the overdose in the conversation Ana holds", alert)
	}
	// Ana sees the message; an alert to her would follow within moments.
	ana.until(func(f cframe) bool {
		return f.Type == "message" && f.msg().From == "visitor" && strings.Contains(f.msg().Text, "breathing")
	})
	ana.ws.SetReadDeadline(time.Now().Add(time.Second))
	for {
		var f cframe
		if err := ana.ws.ReadJSON(&f); err != nil {
			break // the deadline: no alert came
		}
		if f.Type == "alert" {
			t.Fatalf("Ana, who holds the conversation, was alerted: %+v", f)
		}
	}

	w := in.visitor()
	w.say("i want to kill myself tonight")
	w.until(fromBot)
	if a := ben.until(func(f cframe) bool { return f.Type == "alert" && f.Conversation == w.conv }); a.State != "waiting" || a.Holder != "" {
		t.Errorf("alert for a crisis in the queue %+v, want state waiting", a)
	}
}

// TestOnlyTheHolderAnswers: a second representative can watch but not
// write, hand back, close or take; a supervisor can close and transfer.
func TestOnlyTheHolderAnswers(t *testing.T) {
	b := storetest.Backends(t, storetest.DBConsole)
	in := start(t, b[len(b)-1].Client, handoff.Options{MaxChats: 2})
	in.addRep("ana", reps.RoleRep)
	in.addRep("ben", reps.RoleRep)
	in.addRep("sue", reps.RoleSupervisor)
	ana, ben, sue := in.console("ana"), in.console("ben"), in.console("sue")

	v := in.visitor()
	v.say("hello")
	v.until(fromBot)
	// Ana takes over the live conversation; Ben is too late.
	ana.send(map[string]any{"type": "take", "conversation": v.conv})
	ana.until(func(f cframe) bool { return f.Type == "transcript" })
	ben.refused(map[string]any{"type": "take", "conversation": v.conv}, "taken")
	conv := v.conv
	for _, f := range []map[string]any{
		{"type": "reply", "conversation": conv, "id": "b1", "text": "I'm Ben"},
		{"type": "handback", "conversation": conv},
		{"type": "close", "conversation": conv, "outcome": "other"},
		{"type": "transfer", "conversation": conv, "to": "sue"},
	} {
		ben.refused(f, "not_holder")
	}
	// Watching is allowed.
	ben.send(map[string]any{"type": "open", "conversation": conv})
	ben.until(func(f cframe) bool { return f.Type == "transcript" && f.Holder == "ana" })

	// Bad frames get clear errors and change nothing.
	ana.refused(map[string]any{"type": "close", "conversation": conv, "outcome": "fixed"}, "bad_frame")
	ana.refused(map[string]any{"type": "reply", "conversation": conv, "id": "a1", "text": "   "}, "bad_frame")
	ana.refused(map[string]any{"type": "reply", "conversation": conv, "text": "no id"}, "bad_frame")
	ana.refused(map[string]any{"type": "reply", "conversation": conv, "id": "a2", "text": strings.Repeat("x", 4001)}, "bad_frame")
	ana.refused(map[string]any{"type": "status", "status": "asleep"}, "bad_frame")
	ana.refused(map[string]any{"type": "fly"}, "unknown")
	ana.refused(map[string]any{"type": "take", "conversation": "nonexistent"}, "unknown")
	ana.refused(map[string]any{"type": "transfer", "conversation": conv, "to": "nobody"}, "unknown")
	if err := ana.ws.WriteMessage(websocket.TextMessage, []byte("{not json")); err != nil {
		t.Fatal(err)
	}
	ana.until(func(f cframe) bool { return f.Type == "error" && f.Code == "bad_frame" })
	// The chat limit holds: Ana has one of two; a second is fine, a third
	// is refused.
	v2, v3 := in.visitor(), in.visitor()
	ana.send(map[string]any{"type": "take", "conversation": v2.conv})
	ana.until(func(f cframe) bool { return f.Type == "transcript" && f.Conversation == v2.conv })
	ana.refused(map[string]any{"type": "take", "conversation": v3.conv}, "too_many")

	// The supervisor transfers Ana's conversation to Ben, then closes it.
	sue.send(map[string]any{"type": "transfer", "conversation": conv, "to": "ben"})
	ben.until(func(f cframe) bool { return f.Type == "state" && f.Conversation == conv && f.Holder == "ben" })
	v.until(func(f vframe) bool {
		return f.Type == "message" && f.From == "system" && strings.HasPrefix(f.Text, "ben from")
	})
	ana.refused(map[string]any{"type": "reply", "conversation": conv, "id": "a3", "text": "still me?"}, "not_holder")
	ben.send(map[string]any{"type": "reply", "conversation": conv, "id": "b2", "text": "Ben here."})
	v.until(func(f vframe) bool { return f.Type == "message" && f.From == "rep" && f.Rep == "ben" })
	sue.send(map[string]any{"type": "close", "conversation": conv, "outcome": "information"})
	v.until(func(f vframe) bool { return f.Type == "state" && f.State == "closed" })
	v.say("hello?")
	if e := v.until(func(f vframe) bool { return f.Type == "error" }); e.Code != "closed" {
		t.Errorf("message after close: %s", e.Code)
	}
}

// TestConsoleAccess: the console is only for signed-in representatives,
// from the console's own origin.
func TestConsoleAccess(t *testing.T) {
	b := storetest.Backends(t, storetest.DBConsole)
	in := start(t, b[0].Client, handoff.Options{})
	in.addRep("ana", reps.RoleRep)

	// Signed out: the sign-in page, and no websocket.
	resp, err := http.Get(in.url + "/console")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), `data-signed-in="false"`) || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("signed-out page: %s %q", resp.Status, resp.Header.Get("Cache-Control"))
	}
	v := in.visitor()
	for name, c := range map[string]*http.Cookie{
		"no cookie":     nil,
		"forged cookie": {Name: console.CookieName, Value: strings.Repeat("A", 43)},
		"visitor token": {Name: console.CookieName, Value: v.conv + ".secret"},
	} {
		if _, resp, err := in.dialConsole(c); err == nil || resp == nil || resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: console websocket opened (%v)", name, err)
		}
	}

	// Wrong password: 401 and the form with the error; no cookie.
	resp = in.signIn("ana", "wrong password!", nil)
	if resp.StatusCode != http.StatusUnauthorized || len(resp.Cookies()) != 0 {
		t.Errorf("wrong password: %s, cookies %v", resp.Status, resp.Cookies())
	}
	// Another origin may not sign in, nor open the websocket.
	for _, h := range []http.Header{
		{"Origin": {"https://evil.example"}},
		{"Origin": {"null"}},
		{"Sec-Fetch-Site": {"cross-site"}, "Origin": {"null"}},
		{"Sec-Fetch-Site": {"same-site"}},
	} {
		if resp := in.signIn("ana", password, h); resp.StatusCode != http.StatusForbidden {
			t.Errorf("sign-in with %v: %s, want 403", h, resp.Status)
		}
	}
	// A browser's own form post under no-referrer: Origin null, but
	// Sec-Fetch-Site says it is the console's own page.
	if resp := in.signIn("ana", password, http.Header{"Sec-Fetch-Site": {"same-origin"}, "Origin": {"null"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("same-origin form post: %s", resp.Status)
	}
	c := in.cookie("ana")
	if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/console" {
		t.Errorf("cookie %+v", c)
	}
	h := http.Header{"Origin": {"https://evil.example"}, "Cookie": {c.Name + "=" + c.Value}}
	if _, resp, err := websocket.DefaultDialer.Dial(in.wsURL("/console/ws"), h); err == nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin console websocket opened (%v)", err)
	}
	ws, _, err := in.dialConsole(c)
	if err != nil {
		t.Fatalf("signed in: %v", err)
	}
	ws.Close()

	// Signing out ends the session on the server: the old cookie is dead.
	req, _ := http.NewRequest("POST", in.url+"/console/logout", nil)
	req.AddCookie(c)
	if resp, err := noRedirect.Do(req); err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out: %v %v", resp, err)
	}
	if _, resp, err := in.dialConsole(c); err == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("console opened with a signed-out cookie")
	}

	// Five failures lock the account, even against the right password.
	// (Each failure is answered more slowly; they are sent together.)
	var wg sync.WaitGroup
	for range reps.MaxFailures {
		wg.Add(1)
		go func() { defer wg.Done(); in.signIn("ana", "not the password", nil) }()
	}
	wg.Wait()
	if resp := in.signIn("ana", password, nil); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("after %d failures: %s, want 429", reps.MaxFailures, resp.Status)
	}
}

// TestRequeueWhenTheRepIsGone: a representative whose console is gone for
// longer than the grace period loses their conversations to the queue, at
// their original place, and the visitor is told.
func TestRequeueWhenTheRepIsGone(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBConsole) {
		t.Run(b.Name, func(t *testing.T) {
			in := start(t, b.Client, handoff.Options{Grace: 500 * time.Millisecond, Alive: 400 * time.Millisecond})
			in.addRep("ana", reps.RoleRep)
			ana := in.console("ana")
			v := in.visitor()
			v.say("i want to kill myself")
			v.until(fromBot)
			ana.until(func(f cframe) bool { return f.Type == "queue" && inList(f.Items, v.conv) })
			ana.send(map[string]any{"type": "take"})
			ana.until(func(f cframe) bool { return f.Type == "transcript" })
			v.until(func(f vframe) bool { return f.Type == "state" && f.State == "rep" })

			janitor := in.handoff.NewJanitor(time.Hour)
			janitor.Tick(context.Background())
			if c, _ := in.store.Get(context.Background(), v.conv); c.State != conversation.StateRep {
				t.Fatalf("requeued while the console is alive: %s", c.State)
			}
			ana.ws.Close()
			time.Sleep(700 * time.Millisecond)
			janitor.Tick(context.Background())
			msg := v.until(func(f vframe) bool { return f.Type == "message" && f.From == "system" })
			if !strings.Contains(msg.Text, "lost their connection") {
				t.Errorf("visitor told %q", msg.Text)
			}
			v.until(func(f vframe) bool { return f.Type == "state" && f.State == "waiting" })
			q, _ := in.store.Queue(context.Background(), 10)
			if len(q) != 1 || q[0].Conv != v.conv || q[0].Priority != conversation.PriorityUrgent {
				t.Errorf("queue %+v, want the conversation back at its urgent priority", q)
			}
		})
	}
}

// TestOutOfHours: outside the chat hours nobody is offered, even with a
// console open; the visitor can leave a callback request, which reaches
// the console's requests list until someone marks it done.
// TestGraceCountsFromTheDisconnect: a representative's conversations go
// back to the queue a grace after their console disconnected, not a grace
// after its last heartbeat, which may be a whole beat earlier (with a 20s
// grace, conversations went back 9.5s after the console dropped).
func TestGraceCountsFromTheDisconnect(t *testing.T) {
	b := storetest.Backends(t, storetest.DBConsole)
	in := start(t, b[len(b)-1].Client, handoff.Options{Grace: 1500 * time.Millisecond, Alive: 6 * time.Second})
	in.addRep("ana", reps.RoleRep)
	ana := in.console("ana")
	v := in.visitor()
	v.say("hello")
	v.until(fromBot)
	ana.send(map[string]any{"type": "take", "conversation": v.conv})
	ana.until(func(f cframe) bool { return f.Type == "transcript" })
	// Most of a grace passes with the console connected...
	time.Sleep(1200 * time.Millisecond)
	ana.ws.Close()
	time.Sleep(300 * time.Millisecond) // the server notices the close
	janitor := in.handoff.NewJanitor(time.Hour)
	janitor.Tick(context.Background())
	if c, _ := in.store.Get(context.Background(), v.conv); c.State != conversation.StateRep {
		t.Fatalf("requeued %v after the console left, before the grace of 1.5s: %s", 300*time.Millisecond, c.State)
	}
	time.Sleep(1500 * time.Millisecond)
	janitor.Tick(context.Background())
	if c, _ := in.store.Get(context.Background(), v.conv); c.State != conversation.StateWaiting {
		t.Errorf("a grace after the console left, the conversation is %s, want waiting", c.State)
	}
}

func TestOutOfHours(t *testing.T) {
	b := storetest.Backends(t, storetest.DBConsole)
	// Open one minute a week, on a day that is not today.
	day := strings.ToLower(time.Now().UTC().Add(72 * time.Hour).Weekday().String()[:3])
	hours, err := handoff.ParseSchedule(day+" 03:00-03:01", time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	in := start(t, b[len(b)-1].Client, handoff.Options{Hours: hours})
	in.addRep("ana", reps.RoleRep)
	ana := in.console("ana")

	v := in.visitor()
	v.send(map[string]any{"type": "person"})
	off := v.until(fromBot)
	if !strings.Contains(off.Text, "can chat right now") || len(off.Forms) != 2 {
		t.Fatalf("out of hours: %q forms %v", off.Text, off.Forms)
	}
	// A crisis out of hours still gets its fixed reply, without promising
	// a person.
	v.say("I have pills in my hand and I'm going to take them all tonight")
	crisis := v.until(fromBot)
	if crisis.Kind != "crisis" || !strings.Contains(crisis.Text, "988") || strings.Contains(strings.ToLower(crisis.Text), "connecting you") {
		t.Errorf("crisis out of hours: %q", crisis.Text)
	}

	v.send(map[string]any{"type": "callback", "name": "Sam", "phone": "555-0100", "best_time": "evenings"})
	if e := v.until(func(f vframe) bool { return f.Type == "error" }); e.Code != "invalid_form" {
		t.Errorf("callback without consent: %s", e.Code)
	}
	v.send(map[string]any{"type": "callback", "name": "Sam", "phone": "(555) 555-0100", "best_time": "evenings", "consent": true})
	v.until(fromBot)
	req := ana.until(func(f cframe) bool { return f.Type == "requests" && len(f.Items) == 1 })
	if it := req.Items[0]; it.Kind != "callback" || it.Phone != "(555) 555-0100" || it.Conversation != v.conv {
		t.Errorf("request %+v", it)
	}
	ana.send(map[string]any{"type": "request_done", "id": req.Items[0].ID})
	ana.until(func(f cframe) bool { return f.Type == "requests" && len(f.Items) == 0 })
	if q, _ := in.store.Queue(context.Background(), 10); len(q) != 0 {
		t.Errorf("queue %+v: nobody should be queued out of hours", q)
	}
}

// TestDisabledConsoleIsClosed: disabling an account closes its open
// console at the next heartbeat, with the code that shows sign-in.
func TestDisabledConsoleIsClosed(t *testing.T) {
	b := storetest.Backends(t, storetest.DBConsole)
	in := start(t, b[0].Client, handoff.Options{Alive: 600 * time.Millisecond})
	in.addRep("ana", reps.RoleRep)
	ana := in.console("ana")
	if err := in.reps.Disable(context.Background(), "ana"); err != nil {
		t.Fatal(err)
	}
	ana.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		_, _, err := ana.ws.ReadMessage()
		if err == nil {
			continue
		}
		if !websocket.IsCloseError(err, 4001) {
			t.Fatalf("console ended with %v, want close 4001", err)
		}
		return
	}
}

// TestNoGoroutineLeak: following and unfollowing conversations, then
// leaving, leaves no goroutine behind.
func TestNoGoroutineLeak(t *testing.T) {
	b := storetest.Backends(t, storetest.DBConsole)
	in := start(t, b[0].Client, handoff.Options{})
	in.addRep("ana", reps.RoleRep)
	v := in.visitor()
	cookie := in.cookie("ana")
	time.Sleep(100 * time.Millisecond)
	before := runtime.NumGoroutine()

	ws, _, err := in.dialConsole(cookie)
	if err != nil {
		t.Fatal(err)
	}
	ana := &rep{t: t, ws: ws}
	ana.until(func(f cframe) bool { return f.Type == "welcome" })
	for range 10 {
		ana.send(map[string]any{"type": "open", "conversation": v.conv})
		ana.until(func(f cframe) bool { return f.Type == "transcript" })
		ana.send(map[string]any{"type": "close_view", "conversation": v.conv})
	}
	ws.Close()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines, %d before the console:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestSuggestionsReadTheRiskAndHistory: in an overdose conversation the
// representative is suggested what to do in an overdose, never the
// everyday entry the visitor's last words match; in an ordinary one, the
// last question is read in the light of the earlier ones.
func TestSuggestionsReadTheRiskAndHistory(t *testing.T) {
	b := storetest.Backends(t, storetest.DBConsole)
	in := start(t, b[len(b)-1].Client, handoff.Options{MaxChats: 4})
	in.addRep("ana", reps.RoleRep)
	ana := in.console("ana")
	tests := []struct {
		name     string
		messages []string
		first    string
		never    string
	}{
		{"overdose", []string{"my brother took a bunch of pills and now he wont wake up", "can i keep working"}, "overdose-what-to-do", "work-during-treatment"},
		{"history", []string{"what is naltrexone", "how much does it cost"}, "", "greeting"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := in.visitor()
			v.say(tt.messages[0])
			v.until(fromBot)
			ana.send(map[string]any{"type": "take", "conversation": v.conv})
			ana.until(func(f cframe) bool { return f.Type == "transcript" && f.Conversation == v.conv })
			for _, m := range tt.messages[1:] {
				v.say(m)
				ana.until(func(f cframe) bool { return f.Type == "message" && f.Conversation == v.conv && f.msg().Text == m })
			}
			ana.send(map[string]any{"type": "suggest", "conversation": v.conv})
			s := ana.until(func(f cframe) bool { return f.Type == "suggestions" && f.Conversation == v.conv })
			var ids []string
			for _, it := range s.Items {
				ids = append(ids, it.ID)
			}
			if len(ids) == 0 || (tt.first != "" && ids[0] != tt.first) {
				t.Errorf("suggestions %v, want %s first", ids, tt.first)
			}
			if tt.name == "history" && !slices.Contains(ids, "naltrexone-cost") {
				t.Errorf("suggestions %v, want naltrexone-cost among them", ids)
			}
			if slices.Contains(ids, tt.never) {
				t.Errorf("suggestions %v include %s", ids, tt.never)
			}
		})
	}
}

// TestHandbackAnswersTheLastQuestion: handed back after the visitor wrote
// and before the representative answered, the assistant answers the
// visitor's last message at once, after the hand-back notice, and the
// representative's confirmation says so; handed back after the
// representative's reply, the assistant waits for the visitor.
func TestHandbackAnswersTheLastQuestion(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBConsole) {
		t.Run(b.Name, func(t *testing.T) {
			in := start(t, b.Client, handoff.Options{})
			in.addRep("ana", reps.RoleRep)
			ana := in.console("ana")
			tests := []struct {
				name     string
				visitor  string // written after Ana's reply
				answered bool
			}{
				{"unanswered question", "how long does heroin withdrawal last", true},
				{"answered", "", false},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					v := in.visitor()
					v.say("hello")
					v.until(fromBot)
					ana.send(map[string]any{"type": "take", "conversation": v.conv})
					ana.until(func(f cframe) bool { return f.Type == "transcript" && f.Conversation == v.conv })
					ana.send(map[string]any{"type": "reply", "conversation": v.conv, "id": "r-" + v.conv, "text": "Hi, I'm Ana."})
					v.until(func(f vframe) bool { return f.Type == "message" && f.From == "rep" })
					if tt.visitor != "" {
						v.say(tt.visitor)
						ana.until(func(f cframe) bool {
							return f.Type == "message" && f.Conversation == v.conv && f.msg().Text == tt.visitor
						})
					}
					ana.send(map[string]any{"type": "handback", "conversation": v.conv})
					done := ana.until(func(f cframe) bool { return f.Type == "handed_back" && f.Conversation == v.conv })
					if done.Answered != tt.answered {
						t.Errorf("hand-back confirmation answered=%v, want %v", done.Answered, tt.answered)
					}
					v.until(func(f vframe) bool {
						return f.Type == "message" && f.From == "system" && strings.Contains(f.Text, "back with the helpline assistant")
					})
					v.ws.SetReadDeadline(time.Now().Add(700 * time.Millisecond))
					var bot *vframe
					for {
						var f vframe
						if err := v.ws.ReadJSON(&f); err != nil {
							break
						}
						if fromBot(f) {
							bot = &f
							break
						}
					}
					switch {
					case tt.answered && (bot == nil || bot.Kind != "answer"):
						t.Errorf("after hand-back the assistant answered %+v, want an answer to %q", bot, tt.visitor)
					case !tt.answered && bot != nil:
						t.Errorf("the assistant spoke after a hand-back with nothing unanswered: %q", bot.Text)
					}
				})
			}
		})
	}
}

func itemOf(items []item, conv string) (item, bool) {
	for _, it := range items {
		if it.Conversation == conv {
			return it, true
		}
	}
	return item{}, false
}

// TestVisitorWhoLeft: the console shows whether a waiting visitor is still
// there; one gone longer than the grace leaves the queue (the conversation
// is kept, with the assistant) and can no longer be taken from it; coming
// back within the rejoin window puts them back at their place, which the
// visitor behind them is told, with the reason; later, at the end.
func TestVisitorWhoLeft(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBConsole) {
		t.Run(b.Name, func(t *testing.T) {
			tests := []struct {
				name   string
				rejoin time.Duration
				place  int // of the visitor who came back
			}{
				{"within the window", time.Hour, 1},
				{"after the window", time.Millisecond, 2},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					b.Client.FlushDB(context.Background())
					in := start(t, b.Client, handoff.Options{VisitorGrace: 300 * time.Millisecond, Rejoin: tt.rejoin})
					in.addRep("ana", reps.RoleRep)
					ana := in.console("ana")
					janitor := in.handoff.NewJanitor(time.Hour)
					tick := func() { janitor.Tick(context.Background()) }

					gone, stays := in.visitor(), in.visitor()
					for _, v := range []*visitor{gone, stays} {
						v.send(map[string]any{"type": "person"})
						v.until(func(f vframe) bool { return f.Type == "queue" })
					}
					q := ana.until(func(f cframe) bool { return f.Type == "queue" && len(f.Items) == 2 })
					if it, _ := itemOf(q.Items, gone.conv); !it.Online {
						t.Errorf("queue item %+v: the visitor is connected", it)
					}
					tick()
					gone.ws.Close()
					q = ana.until(func(f cframe) bool {
						it, ok := itemOf(f.Items, gone.conv)
						return f.Type == "queue" && ok && !it.Online
					})
					tick() // within the grace: still waiting
					if c, _ := in.store.Get(context.Background(), gone.conv); c.State != conversation.StateWaiting {
						t.Fatalf("left the queue within the grace: %s", c.State)
					}
					time.Sleep(400 * time.Millisecond)
					tick()
					if c, _ := in.store.Get(context.Background(), gone.conv); c.State != conversation.StateBot || c.Left.IsZero() {
						t.Fatalf("after the grace: state %s, left %v; want bot, marked left", c.State, c.Left)
					}
					ana.until(func(f cframe) bool {
						return f.Type == "queue" && len(f.Items) == 1 && f.Items[0].Conversation == stays.conv
					})
					ana.until(func(f cframe) bool {
						it, ok := itemOf(f.Items, gone.conv)
						return f.Type == "live" && ok && it.Left != "" && !it.Online
					})
					if p := stays.until(func(f vframe) bool { return f.Type == "queue" && f.Position == 1 }); p.Reason != "" {
						t.Errorf("the visitor behind was told %+v, want number 1 with no reason", p)
					}

					back := in.visitorBack(gone.token)
					if back.conv != gone.conv {
						t.Fatalf("came back to %s, want %s", back.conv, gone.conv)
					}
					back.until(func(f vframe) bool {
						return f.Type == "message" && f.From == "system" && strings.HasPrefix(f.Text, "Welcome back")
					})
					if p := back.until(func(f vframe) bool { return f.Type == "queue" }); p.Position != tt.place {
						t.Errorf("came back at number %d, want %d", p.Position, tt.place)
					}
					tick()
					if tt.place == 1 {
						p := stays.until(func(f vframe) bool { return f.Type == "queue" && f.Position == 2 })
						if p.Reason != handoff.WhyReturned || p.Why == "" {
							t.Errorf("the visitor put back was told %+v, want number 2 and why", p)
						}
					}
				})
			}
		})
	}
}

// TestWorsePlaceSaysWhy: a waiting visitor whose place gets worse is told
// why: a crisis went ahead, or a conversation whose representative was
// gone got its place back.
func TestWorsePlaceSaysWhy(t *testing.T) {
	b := storetest.Backends(t, storetest.DBConsole)
	tests := []struct {
		name string
		jump func(in *instance, ana *rep, janitor *handoff.Janitor)
		why  string
	}{
		{"emergency", func(in *instance, ana *rep, _ *handoff.Janitor) {
			v := in.visitor()
			v.say("my brother took a bunch of pills and now he wont wake up")
			v.until(fromBot)
		}, handoff.WhyEmergency},
		{"urgent", func(in *instance, ana *rep, _ *handoff.Janitor) {
			v := in.visitor()
			v.say("i want to kill myself")
			v.until(fromBot)
		}, handoff.WhyUrgent},
		{"requeued", func(in *instance, ana *rep, janitor *handoff.Janitor) {
			// Ana's conversation, taken before the visitor queued, comes
			// back at its place when her console is gone.
			ana.ws.Close()
			time.Sleep(700 * time.Millisecond)
			janitor.Tick(context.Background())
		}, handoff.WhyRequeued},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rdb := b[len(b)-1].Client
			rdb.FlushDB(context.Background())
			in := start(t, rdb, handoff.Options{Grace: 500 * time.Millisecond, Alive: 400 * time.Millisecond})
			in.addRep("ana", reps.RoleRep)
			in.addRep("ben", reps.RoleRep)
			ana, ben := in.console("ana"), in.console("ben")
			janitor := in.handoff.NewJanitor(time.Hour)
			held := in.visitor()
			held.send(map[string]any{"type": "person"})
			held.until(func(f vframe) bool { return f.Type == "queue" })
			ana.send(map[string]any{"type": "take"})
			ana.until(func(f cframe) bool { return f.Type == "transcript" })

			v := in.visitor()
			v.send(map[string]any{"type": "person"})
			if p := v.until(func(f vframe) bool { return f.Type == "queue" }); p.Position != 1 {
				t.Fatalf("number %d, want 1", p.Position)
			}
			janitor.Tick(context.Background())
			tt.jump(in, ana, janitor)
			ben.until(func(f cframe) bool { return f.Type == "queue" && len(f.Items) == 2 })
			janitor.Tick(context.Background())
			p := v.until(func(f vframe) bool { return f.Type == "queue" && f.Position != 1 })
			if p.Position != 2 || p.Reason != tt.why || p.Why != handoff.WhyText(tt.why) {
				t.Errorf("told %+v, want number 2 because %s", p, tt.why)
			}
		})
	}
}

// TestDirectorsFigures: a crisis and an ordinary hand-off, taken on one
// instance (the ordinary one closed, referred to treatment; the crisis
// later), read back from that instance's /metrics as one wait each in
// the histogram of its priority and one close for each outcome, and in
// the supervisors' figures read on another instance (from Redis);
// representatives may not read the figures.
func TestDirectorsFigures(t *testing.T) {
	b := storetest.Backends(t, storetest.DBConsole)
	rdb := b[len(b)-1].Client
	rdb.FlushDB(context.Background())
	one, two := start(t, rdb, handoff.Options{}), start(t, rdb, handoff.Options{})
	one.addRep("ana", reps.RoleRep)
	one.addRep("sue", reps.RoleSupervisor)
	ana := one.console("ana")

	crisis, calm := one.visitor(), one.visitor()
	crisis.say("my brother took a bunch of pills and now he wont wake up")
	crisis.until(func(f vframe) bool { return f.Type == "queue" })
	calm.send(map[string]any{"type": "person"})
	calm.until(func(f vframe) bool { return f.Type == "queue" })
	calm.send(map[string]any{"type": "callback", "name": "Sam", "phone": "(555) 555-0100", "best_time": "evenings", "consent": true})
	calm.until(func(f vframe) bool { return fromBot(f) && strings.Contains(f.Text, "request") })

	scrape := func(in *instance) string {
		resp, err := http.Get(in.url + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return string(body)
	}
	for _, want := range []string{`helpline_queue_waiting{priority="emergency"} 1`, `helpline_queue_waiting{priority="normal"} 1`} {
		if m := scrape(two); !strings.Contains(m, want) {
			t.Errorf("/metrics of the other instance lacks %s", want)
		}
	}
	time.Sleep(20 * time.Millisecond) // a wait of more than nothing
	take := func() string {
		t.Helper()
		ana.send(map[string]any{"type": "take"})
		return ana.until(func(f cframe) bool { return f.Type == "transcript" }).Conversation
	}
	closeWith := func(conv, outcome string) {
		t.Helper()
		ana.send(map[string]any{"type": "close", "conversation": conv, "outcome": outcome})
		ana.until(func(f cframe) bool { return f.Type == "state" && f.Conversation == conv && f.State == "closed" })
	}
	// The crisis is taken first (it is first in the queue) and kept; the
	// ordinary hand-off is taken and closed, referred to treatment.
	if got := take(); got != crisis.conv {
		t.Fatalf("took %s first, want the crisis %s", got, crisis.conv)
	}
	if got := take(); got != calm.conv {
		t.Fatalf("took %s second, want %s", got, calm.conv)
	}
	closeWith(calm.conv, "referred")
	time.Sleep(200 * time.Millisecond) // the counters follow the closes the console saw
	m := series(t, scrape(one))
	for name, want := range map[string]float64{
		`helpline_wait_for_person_seconds_count{priority="emergency"}`: 1,
		`helpline_wait_for_person_seconds_count{priority="normal"}`:    1,
		`helpline_wait_for_person_seconds_count{priority="urgent"}`:    0,
		`helpline_outcomes_total{outcome="referred"}`:                  1,
		`helpline_outcomes_total{outcome="crisis_escalated"}`:          0, // the crisis is still held
		`helpline_callbacks_open`:                                      0, // the test's watcher reads the queue only
		`helpline_queue_waiting{priority="emergency"}`:                 0,
		`helpline_queue_waiting{priority="normal"}`:                    0,
	} {
		if got := m[name]; got != want {
			t.Errorf("/metrics: %s is %v, want %v", name, got, want)
		}
	}
	for _, p := range []string{"emergency", "normal"} {
		// Each waited at least the 20 ms above and far less than the
		// smallest bucket (5 s): the wait is in every bucket, and the sum
		// is the wait.
		sum := m[`helpline_wait_for_person_seconds_sum{priority="`+p+`"}`]
		if sum < 0.02 || sum > 5 {
			t.Errorf("the %s wait sums to %v s, want between 0.02 and 5", p, sum)
		}
		if got := m[`helpline_wait_for_person_seconds_bucket{priority="`+p+`",le="5"}`]; got != 1 {
			t.Errorf("the %s wait is in the 5 s bucket %v times, want 1", p, got)
		}
	}
	if two := series(t, scrape(two)); two[`helpline_wait_for_person_seconds_count{priority="emergency"}`] != 0 {
		t.Errorf("the other instance, where nobody took anything, counted a wait")
	}

	closeWith(crisis.conv, "crisis_escalated")
	time.Sleep(200 * time.Millisecond)
	m = series(t, scrape(one))
	for name, want := range map[string]float64{
		`helpline_outcomes_total{outcome="referred"}`:                  1,
		`helpline_outcomes_total{outcome="crisis_escalated"}`:          1,
		`helpline_wait_for_person_seconds_count{priority="emergency"}`: 1, // a close is no second wait
	} {
		if got := m[name]; got != want {
			t.Errorf("/metrics after closing the crisis: %s is %v, want %v", name, got, want)
		}
	}

	figures := func(name string) (*http.Response, store.Figures) {
		req, _ := http.NewRequest("GET", two.url+"/console/figures", nil)
		req.AddCookie(two.cookie(name))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var f store.Figures
		json.NewDecoder(resp.Body).Decode(&f)
		return resp, f
	}
	if resp, _ := figures("ana"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a representative read the figures: %s", resp.Status)
	}
	resp, f := figures("sue")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("figures: %s", resp.Status)
	}
	if f.All.Count != 2 || f.Crisis.Count != 1 || f.Waits[conversation.PriorityEmergency].Count != 1 || f.All.MedianSeconds <= 0 {
		t.Errorf("waits %+v, crisis %+v: want two, one a crisis, with a median", f.All, f.Crisis)
	}
	if f.Referred != 1 || f.Outcomes["crisis_escalated"] != 1 || f.CallbacksOpen != 1 {
		t.Errorf("referred %d, outcomes %v, callbacks open %d; want 1, one crisis escalated, 1", f.Referred, f.Outcomes, f.CallbacksOpen)
	}
}

// series reads a Prometheus text exposition into its samples, by name and
// labels as written ("name{label=\"value\"}"), failing on a line it
// cannot read.
func series(t *testing.T, exposition string) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	for _, line := range strings.Split(exposition, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			t.Fatalf("metrics line %q", line)
		}
		var v float64
		if _, err := fmt.Sscan(line[i+1:], &v); err != nil {
			t.Fatalf("metrics line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}
