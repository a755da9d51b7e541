package assistant_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"helpline/internal/answer"
	"helpline/internal/assistant"
	"helpline/internal/assistant/assistanttest"
	"helpline/internal/kb"
	"helpline/internal/metrics"
	"helpline/internal/safety"
)

// The service's metrics count the answers.
var _ assistant.Recorder = (*metrics.Metrics)(nil)

var (
	naloxone = &kb.Entry{ID: "naloxone", Title: "Naloxone (Narcan)", Answer: "Naloxone reverses an opioid overdose. " +
		"The nasal spray (Narcan 4 mg) is sold without a prescription. If breathing is not back after 2 to 3 minutes, " +
		"give another dose. Call 911, and call {{phone}} to talk about treatment."}
	methadone = &kb.Entry{ID: "what-is-methadone", Title: "What methadone is", Answer: "Methadone is a long-acting medication " +
		"for opioid use disorder, taken once a day at a clinic. A clinic near you is listed on {{website}}. " +
		"Never buy methadone from a dealer or online without a prescription."}
	entries = []*kb.Entry{naloxone, methadone}
	none    = safety.Risk{Kind: safety.None}
)

const curated = "The curated answer."

// counter is a Recorder for tests.
type counter struct {
	mu      sync.Mutex
	reasons map[string]int
	tokens  int
	// forReps counts summaries and drafts by "kind reason".
	forReps map[string]int
}

func (c *counter) AssistantForReps(kind, reason string, tokens int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.forReps == nil {
		c.forReps = map[string]int{}
	}
	c.forReps[kind+" "+reason]++
	c.tokens += tokens
}

func (c *counter) AssistantAnswer(reason string, tokens int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.reasons == nil {
		c.reasons = map[string]int{}
	}
	c.reasons[reason]++
	c.tokens += tokens
}

// newClient starts a stand-in answering with reply and returns a client
// for it (the real go-openai client, over HTTP on loopback).
func newClient(t *testing.T, reply func(openai.ChatCompletionRequest) assistanttest.Reply, change ...func(*assistant.Config)) (*assistant.Client, *assistanttest.Server) {
	t.Helper()
	srv := assistanttest.NewServer(reply)
	t.Cleanup(srv.Close)
	cfg := assistant.Config{BaseURL: srv.URL(), APIKey: "test-key", Model: "stand-in", Timeout: 2 * time.Second,
		RequestsPerMinute: 1000, Facts: kb.DefaultFacts()}
	for _, f := range change {
		f(&cfg)
	}
	return assistant.New(cfg), srv
}

func text(s string) func(openai.ChatCompletionRequest) assistanttest.Reply {
	return func(openai.ChatCompletionRequest) assistanttest.Reply { return assistanttest.Reply{Text: s} }
}

func ask(question string) assistant.Question {
	return assistant.Question{Text: question, Risk: none, Entries: entries, Curated: curated}
}

func TestAnswer(t *testing.T) {
	long := strings.Repeat("Methadone is a long-acting medication. ", 20)
	tests := []struct {
		name   string
		reply  assistanttest.Reply
		want   assistant.Reason
		detail string
	}{
		{"grounded", assistanttest.Reply{Text: "Naloxone reverses an opioid overdose, and the spray is sold without a prescription.\nSOURCES: naloxone"}, assistant.Used, ""},
		{"grounded with the facts and the entry's numbers", assistanttest.Reply{Text: "Narcan 4 mg can be given again after 2 to 3 minutes. " +
			"To talk about treatment, call 1-800-662-4357.\nSOURCES: naloxone"}, assistant.Used, ""},
		{"two sources, a website from the facts", assistanttest.Reply{Text: "Methadone is taken once a day at a clinic; findtreatment.gov lists them.\n" +
			"Sources: what-is-methadone, naloxone"}, assistant.Used, ""},
		{"a copied sentence that reads like an instruction", assistanttest.Reply{Text: "Methadone is taken at a clinic. " +
			"Never buy methadone from a dealer or online without a prescription.\nSOURCES: what-is-methadone"}, assistant.Used, ""},
		{"the same words, cut to an instruction", assistanttest.Reply{Text: "Buy methadone from a dealer or online without a prescription.\n" +
			"SOURCES: what-is-methadone"}, assistant.Instruction, ""},
		{"unknown citation", assistanttest.Reply{Text: "Methadone is a medication.\nSOURCES: methadone-doses"}, assistant.UnknownCitation, "methadone-doses"},
		{"no citation", assistanttest.Reply{Text: "Methadone is a medication."}, assistant.NoCitation, ""},
		{"empty citation", assistanttest.Reply{Text: "Methadone is a medication.\nSOURCES:"}, assistant.NoCitation, ""},
		{"sources in the middle", assistanttest.Reply{Text: "SOURCES: naloxone\nNaloxone reverses an overdose.\nSOURCES: naloxone"}, assistant.NoCitation, ""},
		{"added phone number", assistanttest.Reply{Text: "Call our nurse line at (555) 867-5309.\nSOURCES: naloxone"}, assistant.Phone, "(555) 867-5309"},
		{"phone of an entry not cited", assistanttest.Reply{Text: "Methadone is taken once a day; call 1-800-662-4357.\nSOURCES: what-is-methadone"}, assistant.Used, ""},
		{"added dose", assistanttest.Reply{Text: "Methadone is usually 30 mg, taken once a day.\nSOURCES: what-is-methadone"}, assistant.Amount, "30 mg"},
		{"dose of another entry", assistanttest.Reply{Text: "Methadone comes as 4 mg.\nSOURCES: what-is-methadone"}, assistant.Amount, "4 mg"},
		{"added number", assistanttest.Reply{Text: "Methadone lasts about 36 hours.\nSOURCES: what-is-methadone"}, assistant.Number, "36"},
		{"added URL", assistanttest.Reply{Text: "See https://methadone.example/clinics for a list.\nSOURCES: what-is-methadone"}, assistant.Link, "https://methadone.example/clinics"},
		{"added domain", assistanttest.Reply{Text: "See methadoneclinics.org for a list.\nSOURCES: what-is-methadone"}, assistant.Link, "methadoneclinics.org"},
		{"added e-mail", assistanttest.Reply{Text: "Write to clinic@methadone.example.\nSOURCES: what-is-methadone"}, assistant.Link, "clinic@methadone.example"},
		{"too long", assistanttest.Reply{Text: long + "\nSOURCES: what-is-methadone"}, assistant.TooLong, ""},
		{"dosing instruction", assistanttest.Reply{Text: "Take another dose of naloxone, 4 mg, if they are still not breathing.\nSOURCES: naloxone"}, assistant.Instruction, ""},
		{"tapering instruction", assistanttest.Reply{Text: "Reduce it a little every week.\nSOURCES: what-is-methadone"}, assistant.Instruction, ""},
		{"clinician", assistanttest.Reply{Text: "I'm a nurse, and methadone is safe for you.\nSOURCES: what-is-methadone"}, assistant.Role, ""},
		{"truncated", assistanttest.Reply{Text: "Methadone is a", FinishReason: openai.FinishReasonLength}, assistant.Truncated, ""},
		{"empty", assistanttest.Reply{Text: ""}, assistant.Empty, ""},
		{"server error", assistanttest.Reply{Status: http.StatusInternalServerError}, assistant.Failed, "status 500"},
		{"rate limited by the endpoint", assistanttest.Reply{Status: http.StatusTooManyRequests}, assistant.Failed, "status 429"},
		{"malformed", assistanttest.Reply{Raw: `{"choices": [{"message": `}, assistant.Failed, ""},
		{"timeout", assistanttest.Reply{Text: "Naloxone reverses an overdose.\nSOURCES: naloxone", Delay: 5 * time.Second}, assistant.Timeout, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &counter{}
			c, srv := newClient(t, func(openai.ChatCompletionRequest) assistanttest.Reply { return tt.reply },
				func(cfg *assistant.Config) { cfg.Timeout, cfg.Recorder = 300*time.Millisecond, rec })
			start := time.Now()
			r := c.Answer(context.Background(), ask("how does narcan work"))
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("took %v, want the timeout's 300ms or less", took)
			}
			if r.Reason != tt.want || r.Used != (tt.want == assistant.Used) {
				t.Fatalf("reason %q used %v (detail %q), want %q", r.Reason, r.Used, r.Detail, tt.want)
			}
			if tt.detail != "" && r.Detail != tt.detail {
				t.Errorf("detail %q, want %q", r.Detail, tt.detail)
			}
			if r.Used {
				if r.Text == curated || strings.Contains(r.Text, "SOURCES") || len(r.Cited) == 0 {
					t.Errorf("used answer %q cites %q", r.Text, r.Cited)
				}
			} else if r.Text != curated {
				t.Errorf("text %q, want the curated answer", r.Text)
			}
			if n := len(srv.Requests()); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
			if rec.reasons[string(tt.want)] != 1 {
				t.Errorf("recorded %v, want one %q", rec.reasons, tt.want)
			}
		})
	}
}

// TestRequest: what is sent is the configured model, the rules, the
// entries with the facts filled in, and the question.
func TestRequest(t *testing.T) {
	c, srv := newClient(t, assistanttest.Grounded)
	r := c.Answer(context.Background(), ask("how does narcan work"))
	if !r.Used || r.Cited[0] != "naloxone" || r.Text != "Naloxone reverses an opioid overdose." {
		t.Fatalf("grounded stand-in: %+v", r)
	}
	req := srv.Requests()[0]
	if req.Model != "stand-in" || req.MaxTokens == 0 || len(req.Messages) != 3 || req.Messages[0].Role != openai.ChatMessageRoleSystem {
		t.Fatalf("request %+v", req)
	}
	es := assistanttest.Entries(req)
	if len(es) != 2 || es[0].ID != "naloxone" || !strings.Contains(es[0].Text, "1-800-662-4357") || strings.Contains(es[0].Text, "{{") {
		t.Errorf("entries %+v", es)
	}
	if v := assistanttest.Visitor(req); v != "how does narcan work" {
		t.Errorf("visitor %q", v)
	}
}

func TestCrisisNeverReachesTheEndpoint(t *testing.T) {
	c, srv := newClient(t, assistanttest.Grounded)
	for _, risk := range []safety.Risk{
		{Kind: safety.Overdose, Level: safety.Emergency},
		{Kind: safety.Suicide, Level: safety.Urgent},
		{Kind: safety.SelfHarm, Level: safety.Urgent},
		{Kind: safety.Medical, Level: safety.Emergency},
		{Kind: safety.Abuse, Level: safety.Urgent},
	} {
		q := ask("how does narcan work")
		q.Risk = risk
		if r := c.Answer(context.Background(), q); r.Reason != assistant.Crisis || r.Text != curated {
			t.Errorf("risk %v: %+v, want the crisis refusal", risk, r)
		}
	}
	// A message nobody screened is refused too.
	q := ask("how does narcan work")
	q.Risk = safety.Risk{}
	if r := c.Answer(context.Background(), q); r.Reason != assistant.Unscreened {
		t.Errorf("zero risk: %+v", r)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests reached the endpoint, want none", n)
	}
}

// TestCrisisConversation: through the engine, a crisis message and the
// messages after it while the crisis is ongoing never reach the endpoint.
func TestCrisisConversation(t *testing.T) {
	base, err := kb.Load(testKnowledge(t))
	if err != nil {
		t.Fatal(err)
	}
	engine := answer.New(base, kb.DefaultFacts())
	c, srv := newClient(t, assistanttest.Grounded)
	var ctx answer.Memory
	for _, msg := range []string{"my brother is not breathing and his lips are blue", "how does narcan work"} {
		d := engine.Decide(msg, ctx)
		q := assistant.Question{Text: msg, Risk: assistant.ConversationRisk(ctx, d), Entries: assistant.Grounding(base, d), Curated: d.Text}
		if r := c.Answer(context.Background(), q); r.Reason != assistant.Crisis || r.Text != d.Text {
			t.Errorf("%q (%s): %+v, want the crisis refusal", msg, d.Kind, r)
		}
		ctx = ctx.Next(msg, d)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests reached the endpoint, want none", n)
	}
}

func TestNilClientIsOff(t *testing.T) {
	var c *assistant.Client
	if r := c.Answer(context.Background(), ask("what is methadone")); r.Reason != assistant.Off || r.Text != curated {
		t.Errorf("nil client: %+v", r)
	}
}

func TestNoEntries(t *testing.T) {
	c, srv := newClient(t, assistanttest.Grounded)
	q := ask("what is methadone")
	q.Entries = nil
	if r := c.Answer(context.Background(), q); r.Reason != assistant.NoEntries || len(srv.Requests()) != 0 {
		t.Errorf("no entries: %+v", r)
	}
}

// clock is a settable clock for the budgets.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.now = c.now.Add(d) }

func TestRateBudget(t *testing.T) {
	clk := &clock{now: time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)}
	rec := &counter{}
	c, srv := newClient(t, assistanttest.Grounded, func(cfg *assistant.Config) {
		cfg.RequestsPerMinute, cfg.Now, cfg.Recorder = 2, clk.Now, rec
	})
	want := []assistant.Reason{assistant.Used, assistant.Used, assistant.RateBudget}
	for i, w := range want {
		if r := c.Answer(context.Background(), ask("how does narcan work")); r.Reason != w {
			t.Errorf("request %d: %q, want %q", i+1, r.Reason, w)
		}
		clk.add(10 * time.Second)
	}
	if n := len(srv.Requests()); n != 2 {
		t.Errorf("%d requests reached the endpoint, want 2", n)
	}
	if rec.reasons["rate_budget"] != 1 {
		t.Errorf("recorded %v", rec.reasons)
	}
	// A minute after the first, there is room again.
	clk.add(31 * time.Second)
	if r := c.Answer(context.Background(), ask("how does narcan work")); r.Reason != assistant.Used {
		t.Errorf("a minute later: %q", r.Reason)
	}
}

func TestTokenBudget(t *testing.T) {
	clk := &clock{now: time.Date(2026, 3, 31, 23, 0, 0, 0, time.UTC)}
	c, srv := newClient(t, func(req openai.ChatCompletionRequest) assistanttest.Reply {
		r := assistanttest.Grounded(req)
		r.PromptTokens, r.ReplyTokens = 80, 30
		return r
	}, func(cfg *assistant.Config) { cfg.MonthlyTokens, cfg.Now = 200, clk.Now })
	want := []assistant.Reason{assistant.Used, assistant.Used, assistant.TokenBudget}
	for i, w := range want {
		r := c.Answer(context.Background(), ask("how does narcan work"))
		if r.Reason != w {
			t.Errorf("request %d: %q, want %q", i+1, r.Reason, w)
		}
		if w == assistant.Used && r.Tokens != 110 {
			t.Errorf("request %d: %d tokens, want 110", i+1, r.Tokens)
		}
	}
	if got := c.TokensThisMonth(); got != 220 {
		t.Errorf("spent %d, want 220", got)
	}
	if n := len(srv.Requests()); n != 2 {
		t.Errorf("%d requests reached the endpoint, want 2", n)
	}
	// A new month, a new budget.
	clk.add(2 * time.Hour)
	if r := c.Answer(context.Background(), ask("how does narcan work")); r.Reason != assistant.Used {
		t.Errorf("next month: %q", r.Reason)
	}
}

func TestWaitForRate(t *testing.T) {
	c, _ := newClient(t, assistanttest.Grounded, func(cfg *assistant.Config) { cfg.RequestsPerMinute = 1 })
	c.Answer(context.Background(), ask("how does narcan work"))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := c.WaitForRate(ctx); err == nil {
		t.Error("WaitForRate returned with the minute's budget spent")
	}
}
