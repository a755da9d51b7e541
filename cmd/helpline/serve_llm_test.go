package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	openai "github.com/sashabaranov/go-openai"

	"helpline/internal/assistant/assistanttest"
	"helpline/internal/semantic/semantictest"
	"helpline/internal/store/storetest"
)

// syncBuffer is a buffer the service writes to while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// serveInProcess runs `helpline serve` in this process, on the embedded
// Redis, with env as its environment; it returns the base URL, the log,
// and a function that stops it and waits.
func serveInProcess(t *testing.T, env map[string]string) (base string, logs *syncBuffer, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, logs := &syncBuffer{}, &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, func(k string) string { return env[k] }, strings.NewReader(""), out, logs)
	}()
	addr := regexp.MustCompile(`chat page on (http://\S+/)`)
	deadline := time.Now().Add(20 * time.Second)
	for {
		if m := addr.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
			break
		}
		select {
		case err := <-done:
			t.Fatalf("serve ended: %v\n%s", err, logs.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("helpline did not start")
		}
	}
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("serve: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return base, logs, stop
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// TestServeLLM runs the service with a stand-in model, through the real
// go-openai client: a visitor's matched question gets the model's answer
// over the websocket; /readyz, /metrics and the start-up log say the
// model is on, which model at which host, how its answers went and the
// tokens spent, and never the key; and the endpoint receives neither the
// conversation's id nor its token.
func TestServeLLM(t *testing.T) {
	const key = "sk-test-not-a-real-key-7f3a9c"
	model := assistanttest.NewServer(assistanttest.Grounded)
	defer model.Close()
	base, logs, stop := serveInProcess(t, map[string]string{
		"HELPLINE_LLM_BASE_URL": model.URL(), "HELPLINE_LLM_MODEL": "stand-in", "HELPLINE_LLM_API_KEY": key,
	})

	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(base, "http")+"ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	send(t, ws, map[string]any{"type": "hello"})
	w := until(t, ws, "welcome", func(f anyFrame) bool { return f.Type == "welcome" })
	send(t, ws, map[string]any{"type": "message", "id": "m1", "text": "wen do withdrawls start"})
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	deltas := 0
	for {
		var f struct {
			Type, From string
			Generated  bool
		}
		if err := ws.ReadJSON(&f); err != nil {
			t.Fatalf("waiting for the answer: %v", err)
		}
		if f.Type == "delta" {
			deltas++
		}
		if f.Type == "message" && f.From == "bot" {
			if !f.Generated || deltas == 0 {
				t.Fatalf("answer generated=%v after %d deltas, want the model's, streamed", f.Generated, deltas)
			}
			break
		}
	}

	ready := get(t, base+"readyz")
	if want := "language model: on (model stand-in at " + strings.TrimSuffix(model.Server.URL, "/") + "); 1 answers used, 0 curated instead; summaries: 0 written, 0 not; drafts: 0 written, 0 not; "; !strings.Contains(ready, want) || !strings.Contains(ready, "tokens this month") {
		t.Errorf("/readyz says:\n%s\nwant a line with %q and the tokens", ready, want)
	}
	metrics := get(t, base+"metrics")
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^helpline_assistant_on 1$`),
		regexp.MustCompile(`(?m)^helpline_assistant_info\{endpoint="http://127\.0\.0\.1:\d+",model="stand-in"\} 1$`),
		regexp.MustCompile(`(?m)^helpline_assistant_answers_total\{reason="used"\} 1$`),
		regexp.MustCompile(`(?m)^helpline_assistant_tokens_month [1-9]\d*$`),
	} {
		if !want.MatchString(metrics) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	for _, req := range model.Requests() {
		for _, m := range req.Messages {
			if strings.Contains(m.Content, w.Conversation) {
				t.Errorf("the conversation id reached the endpoint")
			}
		}
	}
	stop()
	log := logs.String()
	if !strings.Contains(log, "language model on") || !strings.Contains(log, "stand-in") {
		t.Errorf("the start-up log does not say the model is on:\n%s", log)
	}
	for what, s := range map[string]string{"log": log, "/readyz": ready, "/metrics": metrics} {
		if strings.Contains(s, key) {
			t.Errorf("the %s shows the key", what)
		}
	}
}

// TestServeLLMOff: with nothing configured, /readyz and /metrics say the
// model is off and the answer is the curated one.
func TestServeLLMOff(t *testing.T) {
	base, logs, stop := serveInProcess(t, nil)
	if ready := get(t, base+"readyz"); !strings.Contains(ready, "ready\nlanguage model: off\n") {
		t.Errorf("/readyz says:\n%s", ready)
	}
	if m := get(t, base+"metrics"); !regexp.MustCompile(`(?m)^helpline_assistant_on 0$`).MatchString(m) || strings.Contains(m, "helpline_assistant_info") {
		t.Errorf("/metrics does not say the model is off")
	}
	stop()
	if !strings.Contains(logs.String(), "language model off") {
		t.Errorf("the start-up log does not say the model is off:\n%s", logs.String())
	}
}

// TestServeEmbeddings runs two services one after the other on one Redis
// with a stand-in embedding model (and no chat model), through the real
// go-openai client: the first embeds the knowledge base and keeps the
// vectors in Redis, /readyz says when it is ready; the second finds them
// there and asks the endpoint for none; a visitor's question is ranked by
// meaning (counted in /metrics).
func TestServeEmbeddings(t *testing.T) {
	real, ok := storetest.Real(t, storetest.DBCommand)
	if !ok {
		t.Skip("needs a Redis both services share")
	}
	emb := semantictest.NewServer()
	defer emb.Close()
	env := map[string]string{"HELPLINE_LLM_BASE_URL": emb.URL(), "HELPLINE_LLM_EMBEDDING_MODEL": "stand-in", "REDIS_URL": real.URL}
	waitReady := func(base string) string {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			ready := get(t, base+"readyz")
			if strings.Contains(ready, "embeddings stand-in: ready") {
				return ready
			}
			if time.Now().After(deadline) {
				t.Fatalf("the embeddings never got ready:\n%s", ready)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}

	base, _, stop := serveInProcess(t, env)
	ready := waitReady(base)
	if !strings.Contains(ready, "language model: on (embeddings only") || !strings.Contains(ready, ", 0 from the cache)") {
		t.Errorf("/readyz of the first service:\n%s", ready)
	}
	first := emb.Calls()
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(base, "http")+"ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	send(t, ws, map[string]any{"type": "hello"})
	until(t, ws, "welcome", func(f anyFrame) bool { return f.Type == "welcome" })
	send(t, ws, map[string]any{"type": "message", "id": "m1", "text": "What is harm reduction?"})
	until(t, ws, "the answer", func(f anyFrame) bool { return f.Type == "message" && f.From == "bot" })
	ws.Close()
	if emb.Calls() != first+1 {
		t.Errorf("%d requests for one question, want 1", emb.Calls()-first)
	}
	if m := get(t, base+"metrics"); !regexp.MustCompile(`(?m)^helpline_meaning_ranked_total\{outcome="(?:changed|unchanged)"\} 1$`).MatchString(m) {
		t.Errorf("/metrics does not count the question ranked by meaning")
	}
	stop()

	calls := emb.Calls()
	base, _, stop = serveInProcess(t, env)
	if ready := waitReady(base); strings.Contains(ready, ", 0 from the cache)") {
		t.Errorf("/readyz of the second service:\n%s", ready)
	}
	stop()
	if n := emb.Calls() - calls; n != 0 {
		t.Errorf("the second service asked the endpoint %d times, want 0: the vectors are in Redis", n)
	}
}

// TestServeLLMFailing: an endpoint that keeps failing is soon not asked at
// all (the circuit breaker), the visitor gets the curated answers, and
// /readyz says the model is failing.
func TestServeLLMFailing(t *testing.T) {
	model := assistanttest.NewServer(func(openai.ChatCompletionRequest) assistanttest.Reply {
		return assistanttest.Reply{Status: http.StatusInternalServerError}
	})
	defer model.Close()
	base, _, _ := serveInProcess(t, map[string]string{"HELPLINE_LLM_BASE_URL": model.URL(), "HELPLINE_LLM_MODEL": "stand-in"})
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(base, "http")+"ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	send(t, ws, map[string]any{"type": "hello"})
	until(t, ws, "welcome", func(f anyFrame) bool { return f.Type == "welcome" })
	for i := range 8 {
		send(t, ws, map[string]any{"type": "message", "id": "m" + strconv.Itoa(i), "text": "wen do withdrawls start"})
		until(t, ws, "the curated answer", func(f anyFrame) bool { return f.Type == "message" && f.From == "bot" })
	}
	if n := len(model.Requests()); n != 5 {
		t.Errorf("%d requests reached the failing endpoint, want 5 before it is left alone", n)
	}
	if ready := get(t, base+"readyz"); !strings.Contains(ready, "failing: not asked for now") {
		t.Errorf("/readyz does not say the model is failing:\n%s", ready)
	}
}
