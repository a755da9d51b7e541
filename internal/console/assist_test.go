package console_test

import (
	"context"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"helpline/internal/assistant"
	"helpline/internal/assistant/assistanttest"
	"helpline/internal/conversation"
	"helpline/internal/handoff"
	"helpline/internal/kb"
	"helpline/internal/reps"
	"helpline/internal/store/storetest"
)

// modelNote is the stand-in's summary.
const modelNote = "The visitor asked what methadone is.\nThe assistant explained it.\nStill open: how naloxone works."

// standIn answers a summary's request with modelNote and a draft's as
// the grounded stand-in does, after delay.
func standIn(delay time.Duration) func(openai.ChatCompletionRequest) assistanttest.Reply {
	return func(req openai.ChatCompletionRequest) assistanttest.Reply {
		if strings.Contains(req.Messages[0].Content, "short notes for a representative") {
			return assistanttest.Reply{Text: modelNote, Delay: delay}
		}
		r := assistanttest.Grounded(req)
		r.Delay = delay
		return r
	}
}

// startModel starts the service with a stand-in language model.
func startModel(t *testing.T, transcripts bool, reply func(openai.ChatCompletionRequest) assistanttest.Reply, change ...func(*assistant.Config)) (*instance, *assistanttest.Server) {
	t.Helper()
	srv := assistanttest.NewServer(reply)
	t.Cleanup(srv.Close)
	model := func(rec assistant.Recorder) *assistant.Client {
		cfg := assistant.Config{BaseURL: srv.URL(), Model: "stand-in", Timeout: 3 * time.Second,
			RequestsPerMinute: 1000, Transcripts: transcripts, Facts: kb.DefaultFacts(), Recorder: rec}
		for _, f := range change {
			f(&cfg)
		}
		return assistant.New(cfg)
	}
	b := storetest.Backends(t, storetest.DBConsole)
	return startWith(t, b[len(b)-1].Client, handoff.Options{MaxChats: 4}, model), srv
}

// welcomeOf opens name's console and returns its welcome frame.
func (in *instance) welcomeOf(name string) cframe {
	in.t.Helper()
	ws, _, err := in.dialConsole(in.cookie(name))
	if err != nil {
		in.t.Fatal(err)
	}
	defer ws.Close()
	return (&rep{t: in.t, ws: ws}).until(func(f cframe) bool { return f.Type == "welcome" })
}

// quiet reads the visitor's frames for d and fails on any message from a
// representative.
func (v *visitor) quiet(d time.Duration) {
	v.t.Helper()
	v.ws.SetReadDeadline(time.Now().Add(d))
	for {
		var f vframe
		if err := v.ws.ReadJSON(&f); err != nil {
			return // the deadline: nothing came
		}
		if f.Type == "message" && f.From == "rep" || f.Type == "delta" {
			v.t.Fatalf("the visitor received %+v", f)
		}
	}
}

// TestDraftAndSummary: the representative holding a conversation gets a
// draft reply written from the knowledge base, and nothing reaches the
// visitor; another representative may not have one drafted but may read
// the model's summary once they view the conversation; the requests
// carry neither the private notes nor the system messages that name the
// representative.
func TestDraftAndSummary(t *testing.T) {
	in, srv := startModel(t, true, standIn(0))
	in.addRep("Ana Lopez", reps.RoleRep)
	in.addRep("ben", reps.RoleRep)
	if w := in.welcomeOf("ben"); !w.ModelAssist {
		t.Errorf("welcome %+v, want model_assist", w)
	}
	ana, ben := in.console("Ana Lopez"), in.console("ben")

	v := in.visitor()
	v.say("what is methadone")
	v.until(fromBot)
	ana.send(map[string]any{"type": "take", "conversation": v.conv})
	ana.until(func(f cframe) bool { return f.Type == "transcript" })
	v.until(func(f vframe) bool { return f.Type == "state" && f.State == "rep" })
	ana.send(map[string]any{"type": "note", "conversation": v.conv, "text": "PRIVATE: sounded worried"})
	ana.until(func(f cframe) bool { return f.Type == "note" })
	v.say("how does narcan work")
	ana.until(func(f cframe) bool { return f.Type == "message" && f.msg().Text == "how does narcan work" })

	ana.send(map[string]any{"type": "draft", "conversation": v.conv})
	d := ana.until(func(f cframe) bool { return f.Type == "draft" })
	if d.Conversation != v.conv || d.Unavailable != "" || d.Text == "" || len(d.Cites) == 0 || d.Cites[0].Title == "" {
		t.Fatalf("draft %+v, want a text with its entries", d)
	}
	// The draft went to Ana's console alone: the visitor got nothing, and
	// nothing was stored.
	v.quiet(time.Second)
	msgs, err := in.store.Messages(context.Background(), v.conv, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.From == conversation.FromRep || strings.Contains(m.Text, d.Text) {
			t.Errorf("stored %s message %q after a draft", m.From, m.Text)
		}
	}

	ben.refused(map[string]any{"type": "draft", "conversation": v.conv}, "not_holder")
	ben.refused(map[string]any{"type": "summarize", "conversation": v.conv}, "bad_frame")
	ben.send(map[string]any{"type": "open", "conversation": v.conv})
	ben.until(func(f cframe) bool { return f.Type == "transcript" })
	ben.send(map[string]any{"type": "summarize", "conversation": v.conv})
	s := ben.until(func(f cframe) bool { return f.Type == "summary" })
	if s.Conversation != v.conv || s.Text != modelNote || s.Unavailable != "" {
		t.Errorf("summary %+v, want the stand-in's note", s)
	}

	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want the draft's and the summary's", len(reqs))
	}
	for _, req := range reqs {
		for _, m := range req.Messages {
			for _, never := range []string{"PRIVATE", "joined", "Lopez"} {
				if strings.Contains(m.Content, never) {
					t.Errorf("a request carries %q:\n%s", never, m.Content)
				}
			}
		}
	}
	if v := assistanttest.Visitor(reqs[0]); v != "how does narcan work" {
		t.Errorf("the draft answers %q, want the visitor's latest message", v)
	}
	// Counted by kind and reason; a refusal for want of the right is no
	// summary or draft.
	metrics := in.get("/metrics")
	for _, want := range []string{`helpline_assistant_for_reps_total{kind="draft",reason="used"} 1`, `helpline_assistant_for_reps_total{kind="summary",reason="used"} 1`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Count(metrics, "helpline_assistant_for_reps_total{") != 2 {
		t.Errorf("/metrics counts more summaries and drafts than the two written:\n%s", metrics)
	}
	if ready := in.get("/readyz"); !strings.Contains(ready, "summaries: 1 written, 0 not; drafts: 1 written, 0 not") {
		t.Errorf("/readyz says:\n%s\nwant the summaries and drafts counted", ready)
	}
}

// get fetches path from the service and returns the body.
func (in *instance) get(path string) string {
	in.t.Helper()
	resp, err := http.Get(in.url + path)
	if err != nil {
		in.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// TestCrisisNeverReachesTheModel: in a conversation with a crisis, the
// draft and the summary are unavailable and the endpoint gets no request.
func TestCrisisNeverReachesTheModel(t *testing.T) {
	in, srv := startModel(t, true, standIn(0))
	in.addRep("ana", reps.RoleRep)
	ana := in.console("ana")
	v := in.visitor()
	v.say("my brother took a bunch of pills and now he won't wake up")
	if r := v.until(fromBot); r.Kind != "crisis" {
		t.Fatalf("reply %q, want the crisis reply", r.Kind)
	}
	ana.send(map[string]any{"type": "take", "conversation": v.conv})
	ana.until(func(f cframe) bool { return f.Type == "transcript" })
	v.say("ok he is breathing now. how does narcan work")
	ana.until(func(f cframe) bool { return f.Type == "message" && strings.Contains(f.msg().Text, "narcan") })
	for _, kind := range []string{"draft", "summarize"} {
		ana.send(map[string]any{"type": kind, "conversation": v.conv})
		got := ana.until(func(f cframe) bool { return f.Type == "draft" || f.Type == "summary" })
		if got.Unavailable != "crisis" || got.Text != "" {
			t.Errorf("%s: %+v, want unavailable: crisis", kind, got)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests reached the endpoint, want none", n)
	}
}

// TestTranscriptsOffMeansNoDrafts: with transcripts off the console is
// told there are no summaries or drafts, and asking anyway sends nothing.
func TestTranscriptsOffMeansNoDrafts(t *testing.T) {
	in, srv := startModel(t, false, standIn(0))
	in.addRep("ana", reps.RoleRep)
	if w := in.welcomeOf("ana"); w.ModelAssist {
		t.Errorf("welcome %+v, want no model_assist", w)
	}
	ana := in.console("ana")
	v := in.visitor()
	v.say("what is methadone")
	v.until(fromBot)
	ana.send(map[string]any{"type": "take", "conversation": v.conv})
	ana.until(func(f cframe) bool { return f.Type == "transcript" })
	ana.send(map[string]any{"type": "draft", "conversation": v.conv})
	if d := ana.until(func(f cframe) bool { return f.Type == "draft" }); d.Unavailable != "transcripts_off" {
		t.Errorf("draft %+v, want unavailable: transcripts_off", d)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests, want none", n)
	}
}

// TestDraftDoesNotBlockTheConsole: while the model writes, the console
// answers other frames; a second draft of the same conversation meanwhile
// is refused as busy, and the first one arrives.
func TestDraftDoesNotBlockTheConsole(t *testing.T) {
	in, srv := startModel(t, true, standIn(1500*time.Millisecond))
	in.addRep("ana", reps.RoleRep)
	ana := in.console("ana")
	v := in.visitor()
	v.say("what is methadone")
	v.until(fromBot)
	ana.send(map[string]any{"type": "take", "conversation": v.conv})
	ana.until(func(f cframe) bool { return f.Type == "transcript" })

	start := time.Now()
	ana.send(map[string]any{"type": "draft", "conversation": v.conv})
	ana.send(map[string]any{"type": "draft", "conversation": v.conv})
	ana.send(map[string]any{"type": "suggest", "conversation": v.conv})
	var order []string
	for len(order) < 3 {
		f := ana.until(func(f cframe) bool { return f.Type == "draft" || f.Type == "suggestions" })
		what := f.Type
		if f.Unavailable != "" {
			what += ":" + f.Unavailable
		}
		order = append(order, what)
		if f.Type == "suggestions" && time.Since(start) > time.Second {
			t.Errorf("suggestions after %v: the reader waited for the model", time.Since(start))
		}
	}
	if strings.Join(order, " ") != "draft:busy suggestions draft" {
		t.Errorf("frames %v, want the busy refusal, the suggestions, then the draft", order)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestDraftEndsWithTheConsole: a draft under way when the console closes
// is abandoned with it: its goroutine, and the request to the model, end.
func TestDraftEndsWithTheConsole(t *testing.T) {
	// The model's own timeout is far off: only the console's end can stop
	// the draft within the test.
	in, srv := startModel(t, true, standIn(time.Minute), func(cfg *assistant.Config) { cfg.Timeout = time.Minute })
	in.addRep("ana", reps.RoleRep)
	v := in.visitor()
	v.say("what is methadone")
	v.until(fromBot)
	cookie := in.cookie("ana")
	time.Sleep(100 * time.Millisecond)
	before := runtime.NumGoroutine()

	ws, _, err := in.dialConsole(cookie)
	if err != nil {
		t.Fatal(err)
	}
	ana := &rep{t: t, ws: ws}
	ana.until(func(f cframe) bool { return f.Type == "welcome" })
	ana.send(map[string]any{"type": "take", "conversation": v.conv})
	ana.until(func(f cframe) bool { return f.Type == "transcript" })
	ana.send(map[string]any{"type": "draft", "conversation": v.conv})
	deadline := time.Now().Add(5 * time.Second)
	for len(srv.Requests()) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the draft never reached the model")
		}
		time.Sleep(20 * time.Millisecond)
	}
	ws.Close()
	deadline = time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines, %d before the console:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(50 * time.Millisecond)
	}
}
