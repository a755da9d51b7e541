package chat_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	openai "github.com/sashabaranov/go-openai"

	"helpline/internal/assistant"
	"helpline/internal/assistant/assistanttest"
	"helpline/internal/chat"
	"helpline/internal/conversation"
	"helpline/internal/kb"
	"helpline/internal/store"
	"helpline/internal/store/storetest"
)

// reasons counts the assistant's answers by reason, as the metrics do.
type reasons struct {
	mu sync.Mutex
	n  map[string]int
}

func (r *reasons) AssistantAnswer(reason string, _ int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.n == nil {
		r.n = map[string]int{}
	}
	r.n[reason]++
}

// AssistantForReps is never called here: the visitor's chat asks for no
// summaries or drafts.
func (r *reasons) AssistantForReps(string, string, int) {}

func (r *reasons) count(reason string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n[reason]
}

// model is a stand-in language model behind the real go-openai client.
type model struct {
	*assistanttest.Server
	Client  *assistant.Client
	Reasons *reasons
}

func newModel(t *testing.T, reply func(openai.ChatCompletionRequest) assistanttest.Reply) *model {
	t.Helper()
	srv := assistanttest.NewServer(reply)
	t.Cleanup(srv.Close)
	rec := &reasons{}
	c := assistant.New(assistant.Config{BaseURL: srv.URL(), Model: "stand-in", Timeout: 5 * time.Second,
		Facts: kb.DefaultFacts(), HTTPClient: &http.Client{}, Recorder: rec})
	return &model{Server: srv, Client: c, Reasons: rec}
}

// slow answers like assistanttest.Grounded, after d.
func slow(d time.Duration) func(openai.ChatCompletionRequest) assistanttest.Reply {
	return func(req openai.ChatCompletionRequest) assistanttest.Reply {
		r := assistanttest.Grounded(req)
		r.Delay = d
		return r
	}
}

func startLLM(t *testing.T, rdb redis.UniversalClient, m *model) *instance {
	t.Helper()
	return start(t, rdb, chat.Options{Assistant: m.Client}, store.Options{})
}

// llmFrame is a server frame with what generated answers carry.
type llmFrame struct {
	Type      string   `json:"type"`
	ID        string   `json:"id"`
	From      string   `json:"from"`
	Text      string   `json:"text"`
	HTML      string   `json:"html"`
	Kind      string   `json:"kind"`
	Entries   []string `json:"entries"`
	ClientID  string   `json:"client_id"`
	State     string   `json:"state"`
	ReplyTo   string   `json:"reply_to"`
	Generated bool     `json:"generated"`
	Cites     []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	} `json:"cites"`
}

func (c *client) readLLM(wait time.Duration) llmFrame {
	c.t.Helper()
	c.ws.SetReadDeadline(time.Now().Add(wait))
	var f llmFrame
	if err := c.ws.ReadJSON(&f); err != nil {
		c.t.Fatalf("read: %v", err)
	}
	return f
}

// botMessages returns the bot's stored messages after message id after.
func botMessages(t *testing.T, st *store.Store, conv, after string) []conversation.Message {
	t.Helper()
	msgs, err := st.Messages(context.Background(), conv, after, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []conversation.Message
	for _, m := range msgs {
		if m.From == conversation.FromBot {
			out = append(out, m)
		}
	}
	return out
}

// TestLLMGroundedAnswer: a matched question is answered by the model,
// streamed as delta frames that add up to the stored answer, which comes
// without HTML, marked generated, with the entries it cites and their
// titles.
func TestLLMGroundedAnswer(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBChat) {
		t.Run(b.Name, func(t *testing.T) {
			m := newModel(t, assistanttest.Grounded)
			s := startLLM(t, b.Client, m)
			c := dial(t, s.URL)
			w := c.hello("", "")
			c.send(map[string]any{"type": "message", "id": "m1", "text": "wen do withdrawls start"})
			echo := c.readLLM(5 * time.Second)
			if echo.ClientID != "m1" {
				t.Fatalf("first frame %+v, want the echo", echo)
			}
			var streamed strings.Builder
			deltas := 0
			f := c.readLLM(5 * time.Second)
			for ; f.Type == "delta"; f = c.readLLM(5 * time.Second) {
				if f.ReplyTo != echo.ID {
					t.Fatalf("delta replies to %q, want %q", f.ReplyTo, echo.ID)
				}
				deltas++
				streamed.WriteString(f.Text)
			}
			if deltas < 2 {
				t.Errorf("%d delta frames, want the answer in pieces", deltas)
			}
			if f.Type != "message" || f.From != "bot" || !f.Generated || f.ReplyTo != echo.ID || f.HTML != "" || f.Kind != "answer" {
				t.Fatalf("final frame %+v, want a generated answer without html replying to %s", f, echo.ID)
			}
			if f.Text != streamed.String() {
				t.Errorf("answer %q, but the deltas add up to %q", f.Text, streamed.String())
			}
			req := m.Requests()
			if len(req) != 1 {
				t.Fatalf("%d requests to the model, want 1", len(req))
			}
			es := assistanttest.Entries(req[0])
			if len(f.Cites) != 1 || f.Cites[0].ID != es[0].ID || f.Cites[0].Title != es[0].Title {
				t.Errorf("cites %+v, want %s (%s)", f.Cites, es[0].ID, es[0].Title)
			}
			if !strings.HasPrefix(es[0].Text, strings.TrimSuffix(f.Text, ".")) {
				t.Errorf("answer %q is not the stand-in's (the entry's first sentence)", f.Text)
			}
			stored := botMessages(t, s.Store, w.Conversation, echo.ID)
			if len(stored) != 1 || stored[0].Text != f.Text {
				t.Fatalf("stored %+v, want the whole answer once", stored)
			}
			if m.Reasons.count(string(assistant.Used)) != 1 {
				t.Errorf("reasons %v, want one used", m.Reasons.n)
			}
		})
	}
}

// TestLLMCrisisNeverReachesModel: a crisis gets its fixed reply, and the
// questions after it get the curated answers, while the crisis is ongoing
// and long after: the stand-in never receives a request.
func TestLLMCrisisNeverReachesModel(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBChat) {
		t.Run(b.Name, func(t *testing.T) {
			m := newModel(t, assistanttest.Grounded)
			s := startLLM(t, b.Client, m)
			c := dial(t, s.URL)
			c.hello("", "")
			if _, r := c.say("m1", "my bf isnt breathing after he used"); r.Kind != "crisis" {
				t.Fatalf("crisis reply %+v", r)
			}
			questions := []string{"wen do withdrawls start", "what is methadone", "does insurance cover rehab", "how long does detox take",
				"what is suboxone", "is naloxone free", "what is fentanyl", "how long do people stay on methadone"}
			for i, q := range questions {
				c.send(map[string]any{"type": "message", "id": "q" + string(rune('0'+i)), "text": q})
				c.readLLM(5 * time.Second) // the echo
				f := c.readLLM(5 * time.Second)
				if f.Type != "message" || f.Generated {
					t.Fatalf("answer to %q in a crisis: %+v, want the curated message", q, f)
				}
			}
			if n := len(m.Requests()); n != 0 {
				t.Fatalf("%d requests reached the model in a crisis conversation, want 0", n)
			}
			if m.Reasons.count(string(assistant.Crisis)) == 0 {
				t.Errorf("reasons %v, want the crisis refusal counted", m.Reasons.n)
			}
		})
	}
}

// TestLLMFailedCheckFallsBack: a reply that adds a phone number the
// entries do not have is not used: what was streamed before the number
// (checked, a draft) never includes it, and the curated answer, with its
// HTML, is sent and stored in the draft's place.
func TestLLMFailedCheckFallsBack(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBChat) {
		t.Run(b.Name, func(t *testing.T) {
			m := newModel(t, func(req openai.ChatCompletionRequest) assistanttest.Reply {
				return assistanttest.Reply{Text: "Withdrawal starts soon. Call our friend at 555-201-7788.\nSOURCES: " + assistanttest.Entries(req)[0].ID}
			})
			s := startLLM(t, b.Client, m)
			c := dial(t, s.URL)
			c.hello("", "")
			c.send(map[string]any{"type": "message", "id": "m1", "text": "wen do withdrawls start"})
			echo := c.readLLM(5 * time.Second)
			f := c.readLLM(5 * time.Second)
			for ; f.Type == "delta"; f = c.readLLM(5 * time.Second) {
				if strings.Contains(f.Text, "555") {
					t.Fatalf("the unchecked phone number was streamed: %+v", f)
				}
			}
			if f.Type != "message" || f.Generated || f.HTML == "" || strings.Contains(f.Text, "555") {
				t.Fatalf("after a failed check got %+v, want the curated answer", f)
			}
			if f.ReplyTo != echo.ID {
				t.Errorf("the curated answer replies to %q, want %q, so that it replaces the draft", f.ReplyTo, echo.ID)
			}
			if len(m.Requests()) != 1 || m.Reasons.count(string(assistant.Phone)) != 1 {
				t.Errorf("%d requests, reasons %v; want one, rejected for its phone number", len(m.Requests()), m.Reasons.n)
			}
		})
	}
}

// TestLLMClosedTabStillStores: the visitor closes the tab while the model
// writes; the reply is stored all the same, and replayed when they come
// back.
func TestLLMClosedTabStillStores(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBChat) {
		t.Run(b.Name, func(t *testing.T) {
			m := newModel(t, slow(700*time.Millisecond))
			s := startLLM(t, b.Client, m)
			c := dial(t, s.URL)
			w := c.hello("", "")
			c.send(map[string]any{"type": "message", "id": "m1", "text": "wen do withdrawls start"})
			echo := c.readLLM(5 * time.Second)
			c.ws.Close()

			c2 := dial(t, s.URL)
			deadline := time.Now().Add(5 * time.Second)
			for len(botMessages(t, s.Store, w.Conversation, echo.ID)) == 0 {
				if time.Now().After(deadline) {
					t.Fatal("no reply stored after the tab closed")
				}
				time.Sleep(50 * time.Millisecond)
			}
			c2.hello(w.Token, echo.ID)
			if f := c2.readLLM(5 * time.Second); f.Type != "message" || !f.Generated {
				t.Fatalf("replayed %+v, want the generated answer", f)
			}
		})
	}
}

// TestLLMEndDuringGeneration: `end` while the model writes is handled at
// once, not after the generation, and the generation's answer is
// dropped; so is one for a conversation deleted meanwhile.
func TestLLMEndDuringGeneration(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBChat) {
		t.Run(b.Name, func(t *testing.T) {
			m := newModel(t, slow(3*time.Second))
			s := startLLM(t, b.Client, m)
			c := dial(t, s.URL)
			w := c.hello("", "")
			c.send(map[string]any{"type": "message", "id": "m1", "text": "wen do withdrawls start"})
			echo := c.readLLM(5 * time.Second)
			waitRequests(t, m, 1)
			sent := time.Now()
			c.send(map[string]any{"type": "end"})
			f := c.readLLM(2 * time.Second)
			if f.Type != "state" || f.State != "closed" {
				t.Fatalf("after end got %+v, want the closed state", f)
			}
			if d := time.Since(sent); d > time.Second {
				t.Errorf("end took %v, behind the generation", d)
			}
			time.Sleep(300 * time.Millisecond) // the worker sees the cancellation
			if got := botMessages(t, s.Store, w.Conversation, echo.ID); len(got) != 0 {
				t.Fatalf("a reply was stored after the visitor ended the chat: %+v", got)
			}

			c = dial(t, s.URL)
			c.hello("", "")
			c.send(map[string]any{"type": "message", "id": "m1", "text": "wen do withdrawls start"})
			c.readLLM(5 * time.Second)
			waitRequests(t, m, 2)
			c.send(map[string]any{"type": "delete"})
			if f := c.readLLM(2 * time.Second); f.Type != "deleted" {
				t.Fatalf("after delete got %+v, want deleted at once", f)
			}
		})
	}
}

// waitRequests waits until the stand-in has received n requests.
func waitRequests(t *testing.T, m *model, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for len(m.Requests()) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d requests reached the model, want %d", len(m.Requests()), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestLLMRetryOnAnotherInstance: the visitor's message is being answered
// by a slow model on one instance when the widget, reconnected to
// another, sends it again: it is answered once, by the first.
func TestLLMRetryOnAnotherInstance(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBChat) {
		t.Run(b.Name, func(t *testing.T) {
			m := newModel(t, slow(time.Second))
			a, other := startLLM(t, b.Client, m), startLLM(t, b.Client, m)
			c := dial(t, a.URL)
			w := c.hello("", "")
			c.send(map[string]any{"type": "message", "id": "m1", "text": "wen do withdrawls start"})
			echo := c.readLLM(5 * time.Second)
			waitRequests(t, m, 1)

			c2 := dial(t, other.URL)
			c2.hello(w.Token, echo.ID)
			c2.send(map[string]any{"type": "message", "id": "m1", "text": "wen do withdrawls start"})
			var answers []llmFrame
			for f := c2.readLLM(5 * time.Second); ; f = c2.readLLM(5 * time.Second) {
				if f.Type == "message" && f.From == "bot" {
					answers = append(answers, f)
					break
				}
			}
			time.Sleep(1500 * time.Millisecond) // a second answer would have come by now
			if got := botMessages(t, a.Store, w.Conversation, echo.ID); len(got) != 1 {
				t.Fatalf("%d replies stored to one message sent twice, want 1", len(got))
			}
			if !answers[0].Generated || len(m.Requests()) != 1 {
				t.Errorf("answer %+v after %d requests, want the first instance's generated answer only", answers[0], len(m.Requests()))
			}
		})
	}
}

// TestLLMNewerMessageSupersedes: a message sent while the model writes the
// answer to the one before is not kept waiting: the earlier one gets its
// curated answer at once, and a crisis its fixed reply.
func TestLLMNewerMessageSupersedes(t *testing.T) {
	b := storetest.Backends(t, storetest.DBChat)[0]
	m := newModel(t, slow(4*time.Second))
	s := startLLM(t, b.Client, m)
	c := dial(t, s.URL)
	c.hello("", "")
	c.send(map[string]any{"type": "message", "id": "m1", "text": "wen do withdrawls start"})
	c.readLLM(5 * time.Second)
	waitRequests(t, m, 1)
	sent := time.Now()
	c.send(map[string]any{"type": "message", "id": "m2", "text": "my bf isnt breathing after he used"})
	var kinds []string
	for len(kinds) < 2 {
		f := c.readLLM(3 * time.Second)
		if f.Type == "message" && f.From == "bot" {
			if f.Generated {
				t.Fatalf("the superseded answer was the model's: %+v", f)
			}
			kinds = append(kinds, f.Kind)
		}
	}
	if kinds[0] != "answer" || kinds[1] != "crisis" || time.Since(sent) > 2*time.Second {
		t.Errorf("replies %v after %v, want the curated answer then the crisis reply, at once", kinds, time.Since(sent))
	}
	if len(m.Requests()) != 1 {
		t.Errorf("%d requests, want 1 (none for the crisis)", len(m.Requests()))
	}
}

// TestNoModelNoDelta: with no model configured an answer is the curated
// one, with its HTML, and no delta frame precedes it.
func TestNoModelNoDelta(t *testing.T) {
	b := storetest.Backends(t, storetest.DBChat)[0]
	s := start(t, b.Client, chat.Options{}, store.Options{})
	c := dial(t, s.URL)
	c.hello("", "")
	c.send(map[string]any{"type": "message", "id": "m1", "text": "wen do withdrawls start"})
	c.readLLM(5 * time.Second)
	f := c.readLLM(5 * time.Second)
	raw, _ := json.Marshal(f)
	if f.Type != "message" || f.Generated || f.HTML == "" || f.Cites != nil {
		t.Fatalf("without a model got %s, want the curated answer", raw)
	}
}

// TestLLMShutdownWaitsForAnswers: a shutdown closes the visitor's
// connection at once but waits for the answer being written, which is
// stored; and a shutdown whose grace runs out does not wait for the
// model any longer than that.
func TestLLMShutdownWaitsForAnswers(t *testing.T) {
	b := storetest.Backends(t, storetest.DBChat)[0]
	for _, tt := range []struct {
		name   string
		delay  time.Duration
		grace  time.Duration
		stored bool
	}{
		{"within the grace", 700 * time.Millisecond, 5 * time.Second, true},
		{"past the grace", 4 * time.Second, 300 * time.Millisecond, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := newModel(t, slow(tt.delay))
			s := startLLM(t, b.Client, m)
			c := dial(t, s.URL)
			w := c.hello("", "")
			c.send(map[string]any{"type": "message", "id": "m1", "text": "wen do withdrawls start"})
			echo := c.readLLM(5 * time.Second)
			waitRequests(t, m, 1)
			ctx, cancel := context.WithTimeout(context.Background(), tt.grace)
			defer cancel()
			began := time.Now()
			err := s.Handler.Shutdown(ctx)
			took := time.Since(began)
			got := botMessages(t, s.Store, w.Conversation, echo.ID)
			if tt.stored {
				if err != nil || len(got) != 1 || !strings.Contains(string(got[0].Meta), `"generated":true`) {
					t.Fatalf("shutdown: %v, stored %+v; want it to wait for the generated answer", err, got)
				}
				if took < tt.delay/2 {
					t.Errorf("shutdown took %v, less than the answer needed", took)
				}
				return
			}
			if err == nil || took > tt.grace+time.Second {
				t.Errorf("shutdown: %v after %v, want the grace's error within about %v", err, took, tt.grace)
			}
		})
	}
}

// TestLLMChoosesFromMenu: a menu the engine would offer ("What is harm
// reduction?") becomes the answer with the entry the model names among
// its choices, the others offered beside it; a pick that is not one of
// the choices leaves the menu.
func TestLLMChoosesFromMenu(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBChat) {
		t.Run(b.Name, func(t *testing.T) {
			pick := "safer-use"
			m := newModel(t, func(req openai.ChatCompletionRequest) assistanttest.Reply {
				if strings.Contains(req.Messages[0].Content, "choose which knowledge-base entry") {
					return assistanttest.Reply{Text: pick}
				}
				return assistanttest.Grounded(req)
			})
			s := startLLM(t, b.Client, m)
			c := dial(t, s.URL)
			c.hello("", "")
			final := func(id string) llmFrame {
				t.Helper()
				c.send(map[string]any{"type": "message", "id": id, "text": "What is harm reduction?"})
				c.readLLM(5 * time.Second) // the echo
				f := c.readLLM(5 * time.Second)
				for f.Type == "delta" {
					f = c.readLLM(5 * time.Second)
				}
				return f
			}
			// The chosen entry's answer is then written by the model like any
			// other matched question: the conversation is as safe as before.
			if f := final("m1"); f.Kind != "answer" || len(f.Entries) != 1 || f.Entries[0] != "safer-use" || !f.Generated {
				t.Fatalf("reply %+v, want the answer the model chose, written by the model", f)
			}
			pick = "cost"
			if f := final("m2"); f.Kind != "clarify" {
				t.Fatalf("reply %+v after a pick outside the menu, want the menu", f)
			}
			if m.Reasons.count("choice_used") != 1 || m.Reasons.count("choice_unknown_citation") != 1 {
				t.Errorf("reasons %v", m.Reasons.n)
			}
		})
	}
}
