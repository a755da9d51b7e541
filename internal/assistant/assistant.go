// Package assistant writes grounded answers with an optional language
// model: for a question the answering engine has matched, it asks any
// OpenAI-compatible endpoint for a short answer written only from the
// retrieved knowledge-base entries and the operator's facts, citing the
// entries by id, and checks the reply before anything uses it. A reply
// that cites an entry it was not given, adds a number, an amount, a phone
// number or a link the entries do not contain, runs long, or gives a
// dosing, tapering or sourcing instruction is not used: the curated
// answer is.
//
// The package never calls the endpoint for a conversation with a crisis
// (the caller passes the safety screen's finding, and any risk but
// safety.None refuses), masks phone numbers, e-mail addresses and names
// the visitor typed before sending, sends earlier messages only when the
// operator allows it, and enforces a request timeout, a per-minute request
// budget and a monthly token budget. A nil *Client is a model that is
// off: every answer is the curated one.
//
// For representatives (reps.go) it also writes a summary of a
// conversation and a draft reply to the visitor's latest messages, which
// a representative reads, edits and sends; only when the operator allows
// transcripts, and never for a conversation with a crisis.
package assistant

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"helpline/internal/answer"
	"helpline/internal/kb"
	"helpline/internal/safety"
)

// Reason says why an answer is what it is: Used when the model's answer
// passed every check, otherwise why the curated answer was used. Reasons
// are a small fixed set, fit for a metric label.
type Reason string

// The reasons.
const (
	// Used: the model's answer passed every check and is the answer.
	Used Reason = "used"

	// Off: no model is configured.
	Off Reason = "off"
	// Crisis: the conversation has a crisis; the endpoint is never called.
	Crisis Reason = "crisis"
	// Unscreened: the caller passed no screening result (the zero Risk);
	// the endpoint is not called for a message nobody screened.
	Unscreened Reason = "unscreened"
	// NoEntries: nothing was retrieved to ground an answer on.
	NoEntries Reason = "no_entries"
	// RateBudget: the per-minute request budget is spent.
	RateBudget Reason = "rate_budget"
	// TokenBudget: the monthly token budget is spent.
	TokenBudget Reason = "token_budget"
	// Timeout: the endpoint did not answer within the timeout.
	Timeout Reason = "timeout"
	// Failed: the endpoint answered with an error, or could not be reached.
	Failed Reason = "error"

	// Empty: the reply had no text.
	Empty Reason = "empty"
	// Truncated: the reply was cut off at the token limit.
	Truncated Reason = "truncated"
	// Markup: the reply contains the prompt's markers or talks about its
	// instructions, a sign the prompt leaked or was subverted.
	Markup Reason = "markup"
	// NoCitation: the reply does not end with its sources line, or cites
	// nothing.
	NoCitation Reason = "no_citation"
	// UnknownCitation: the reply cites an entry it was not given.
	UnknownCitation Reason = "unknown_citation"
	// TooLong: the reply is over the length limit.
	TooLong Reason = "too_long"
	// Role: the reply claims to be a clinician, or diagnoses.
	Role Reason = "role"
	// Instruction: the reply gives a dosing, tapering, sourcing or drug-use
	// instruction.
	Instruction Reason = "instruction"
	// Link: the reply has a URL, domain or e-mail address that the cited
	// entries and the facts do not contain.
	Link Reason = "unsupported_link"
	// Phone: the reply has a phone number that the cited entries and the
	// facts do not contain.
	Phone Reason = "unsupported_phone"
	// Amount: the reply has a dose or amount (mg, ml, pills...) that the
	// cited entries and the facts do not contain.
	Amount Reason = "unsupported_amount"
	// Number: the reply has a number that the cited entries and the facts
	// do not contain.
	Number Reason = "unsupported_number"

	// The reasons of summaries and drafts only (reps.go).

	// NoTranscripts: transcripts may not be sent (Config.Transcripts is
	// off), so summaries and drafts are off.
	NoTranscripts Reason = "transcripts_off"
	// NoQuestion: there is nothing to summarize, or no visitor message to
	// draft a reply to.
	NoQuestion Reason = "no_question"
	// Advice: a summary addresses the visitor or tells someone what to
	// do, where it should only report.
	Advice Reason = "advice"
)

// Reasons lists every reason, Used first, for reports.
var Reasons = []Reason{Used, Off, Crisis, Unscreened, NoEntries, RateBudget, TokenBudget, CircuitOpen, Timeout, Failed,
	Empty, Truncated, Markup, NoCitation, UnknownCitation, TooLong, Role, Instruction, Link, Phone, Amount, Number,
	NoTranscripts, NoQuestion, Advice}

// Called reports whether the endpoint was asked for this reason's answer.
func (r Reason) Called() bool {
	switch r {
	case Off, Crisis, Unscreened, NoEntries, RateBudget, TokenBudget, NoTranscripts, NoQuestion, CircuitOpen:
		return false
	}
	return true
}

// Config configures a Client. Zero values take the documented defaults.
type Config struct {
	// APIKey is the endpoint's key; a local server may need none.
	APIKey string
	// BaseURL is the endpoint, e.g. http://127.0.0.1:8000/v1.
	BaseURL string
	// Model is the chat model's name.
	Model string
	// Timeout bounds one request, from the call to the whole reply
	// (default 8s).
	Timeout time.Duration
	// RequestsPerMinute is the most requests in any minute (default 60).
	RequestsPerMinute int
	// MonthlyTokens is the most tokens spent in a calendar month, UTC;
	// 0 means no limit.
	MonthlyTokens int64
	// Transcripts allows sending the visitor's earlier messages, masked,
	// and turns on the summaries and drafts for representatives, which
	// send the conversation (reps.go). Off (the default), only the current
	// question is sent, and there are no summaries or drafts.
	Transcripts bool
	// MaxRunes is the longest answer used, in characters, without its
	// sources line (default 600).
	MaxRunes int
	// MaxReplyTokens caps the tokens the model may write (default 350).
	MaxReplyTokens int
	// Facts are the operator's facts: the prompt gives them, and the
	// checks allow the numbers and links they contain.
	Facts kb.Facts
	// HTTPClient sends the requests; nil uses a client of its own.
	HTTPClient *http.Client
	// Recorder, when set, counts every answer's, summary's and draft's
	// reason and tokens.
	Recorder Recorder
	// Now is the clock, for tests; nil uses time.Now.
	Now func() time.Time
	// NoBreaker turns the circuit breaker off, for batch work such as an
	// evaluation, which must ask for every answer whatever came before.
	NoBreaker bool
}

// Recorder counts answers, and the summaries and drafts written for
// representatives, by reason, and the tokens they spent; the service's
// metrics implement it.
type Recorder interface {
	// AssistantAnswer counts one grounded answer for a visitor.
	AssistantAnswer(reason string, tokens int)
	// AssistantForReps counts one summary or draft (kind is "summary" or
	// "draft") for a representative.
	AssistantForReps(kind, reason string, tokens int)
}

// Client asks the model for grounded answers. It is safe for concurrent
// use. A nil *Client is off.
type Client struct {
	api     *openai.Client
	cfg     Config
	budget  *budget
	breaker breaker
}

// New returns a client for the endpoint in cfg, built on go-openai's
// client with cfg.BaseURL.
func New(cfg Config) *Client {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 8 * time.Second
	}
	if cfg.RequestsPerMinute <= 0 {
		cfg.RequestsPerMinute = 60
	}
	if cfg.MaxRunes <= 0 {
		cfg.MaxRunes = 600
	}
	if cfg.MaxReplyTokens <= 0 {
		cfg.MaxReplyTokens = 350
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Client{api: OpenAI(cfg.APIKey, cfg.BaseURL, cfg.HTTPClient, cfg.Timeout), cfg: cfg, budget: newBudget(cfg.RequestsPerMinute, cfg.MonthlyTokens)}
}

// OpenAI returns a go-openai client for the endpoint at baseURL (OpenAI's
// own when empty) with key, sending with hc, or, when hc is nil, with a
// client of its own bounded by timeout.
func OpenAI(key, baseURL string, hc *http.Client, timeout time.Duration) *openai.Client {
	oc := openai.DefaultConfig(key)
	if baseURL != "" {
		oc.BaseURL = baseURL
	}
	if hc == nil {
		// The context carries the deadline; this bound is a backstop for
		// a caller that forgot one.
		hc = &http.Client{Timeout: timeout + time.Second}
	}
	oc.HTTPClient = hc
	return openai.NewClientWithConfig(oc)
}

// Question is what an answer is grounded on.
type Question struct {
	// Text is the visitor's message; it is masked before it is sent.
	Text string
	// Earlier are the visitor's earlier messages, oldest first; they are
	// sent, masked, only when the Config allows transcripts.
	Earlier []string
	// Risk is the safety screen's worst finding in the conversation,
	// including an ongoing crisis (see ConversationRisk). Anything but
	// Kind safety.None, the zero value included, refuses the call.
	Risk safety.Risk
	// Entries are the retrieved entries, best first; the answer may cite
	// only these.
	Entries []*kb.Entry
	// Curated is the curated answer, used whenever the model's is not.
	Curated string
}

// Result is an answer and what it is based on.
type Result struct {
	// Text is the answer to send: the model's, without its sources line,
	// when Used, else the curated answer.
	Text string `json:"text"`
	// Cited are the entries the model's answer cites, as it wrote them
	// (when it is rejected, they may name entries it was not given).
	Cited []string `json:"cited,omitempty"`
	// Used reports whether Text is the model's answer.
	Used bool `json:"used"`
	// Reason is Used, or why the curated answer was used.
	Reason Reason `json:"reason"`
	// Detail says what a check found (the number, the link, the entry),
	// for tests and curators. It may quote the model, so it is not logged.
	Detail string `json:"detail,omitempty"`
	// Tokens are the tokens the request spent, prompt and reply.
	Tokens int `json:"tokens,omitempty"`
	// Elapsed is how long the request took.
	Elapsed time.Duration `json:"elapsed,omitempty"`
}

// LogValue keeps the text and the detail, which may quote the visitor or
// the model, out of logs.
func (r Result) LogValue() slog.Value {
	return slog.GroupValue(slog.String("reason", string(r.Reason)), slog.Bool("used", r.Used),
		slog.Int("tokens", r.Tokens), slog.Duration("elapsed", r.Elapsed))
}

// ConversationRisk is the risk to pass in a Question: the decision's
// finding, or the ongoing crisis the conversation's context remembers.
// A conversation stays refused while its crisis is ongoing.
func ConversationRisk(ctx answer.Memory, d answer.Decision) safety.Risk {
	if d.Risk.Crisis() || d.Risk.Kind == "" {
		return d.Risk
	}
	if ctx.Crisis != nil {
		return safety.Risk{Kind: ctx.Crisis.Kind, Level: ctx.Crisis.Level}
	}
	return d.Risk
}

// Grounding returns the entries a decision retrieved, for a Question:
// the answered entry, then the alternatives it offers.
func Grounding(base *kb.Base, d answer.Decision) []*kb.Entry {
	var out []*kb.Entry
	seen := map[string]bool{}
	add := func(id string) {
		if e := base.Entry(id); e != nil && !seen[id] {
			seen[id] = true
			out = append(out, e)
		}
	}
	for _, id := range d.Entries {
		add(id)
	}
	for _, o := range d.Alternatives {
		add(o.ID)
	}
	return out
}

// Answer returns the answer to q: the model's, when it passes every
// check, otherwise q.Curated with the reason. It never returns an error:
// every failure is a reason, and the curated answer stands.
func (c *Client) Answer(ctx context.Context, q Question) Result {
	if c == nil {
		return Result{Text: q.Curated, Reason: Off}
	}
	r := c.answer(ctx, q)
	if !r.Used {
		r.Text = q.Curated
	}
	if c.cfg.Recorder != nil {
		c.cfg.Recorder.AssistantAnswer(string(r.Reason), r.Tokens)
	}
	return r
}

func (c *Client) answer(ctx context.Context, q Question) Result {
	if reason := refused(q.Risk, len(q.Entries), 1); reason != "" {
		return Result{Reason: reason}
	}
	text, r, ok := c.complete(ctx, c.request(q))
	if !ok {
		return r
	}
	chk := Check(text, q.Entries, c.cfg.Facts, c.cfg.MaxRunes)
	r.Text, r.Cited, r.Reason, r.Detail, r.Used = chk.Text, chk.Cited, chk.Reason, chk.Detail, chk.Reason == Used
	return r
}

// admit says why a request may not go out now (the circuit breaker is
// open, or a budget is spent), or "", taking its share of the budget.
func (c *Client) admit(now time.Time) Reason {
	if !c.cfg.NoBreaker && !c.breaker.allow(now) {
		return CircuitOpen
	}
	if reason := c.budget.take(now); reason != "" {
		c.breaker.release() // not the endpoint's doing
		return reason
	}
	return ""
}

// outcome tells the circuit breaker how a request went: err from the
// endpoint counts, but a request the caller gave up on (parent ended: a
// newer message, a closed chat) says nothing of the endpoint.
func (c *Client) outcome(parent context.Context, err error) {
	if err != nil && parent.Err() != nil {
		c.breaker.release()
		return
	}
	c.breaker.record(c.cfg.Now(), err == nil)
}

// refused says why a request with risk and entries entries (fewer than
// need) must not reach the endpoint, or "". The crisis refusal comes
// before anything else, budgets included.
func refused(risk safety.Risk, entries, need int) Reason {
	switch {
	case risk.Crisis():
		return Crisis
	case risk.Kind != safety.None:
		return Unscreened
	case entries < need:
		return NoEntries
	}
	return ""
}

// complete sends req within the budgets and the timeout, and returns the
// reply's text to check. The Result carries the tokens and the time
// spent and, when ok is false, why there is no text: a spent budget, a
// timeout, an error, an empty or a truncated reply.
func (c *Client) complete(ctx context.Context, req openai.ChatCompletionRequest) (string, Result, bool) {
	now := c.cfg.Now()
	if reason := c.admit(now); reason != "" {
		return "", Result{Reason: reason}, false
	}
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	start := time.Now()
	resp, err := c.api.CreateChatCompletion(ctx, req)
	elapsed := time.Since(start)
	c.outcome(parent, err)
	if err != nil {
		r := Result{Reason: Failed, Detail: ErrorDetail(err), Elapsed: elapsed}
		if errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
			r.Reason, r.Detail = Timeout, ""
		}
		// A failed request may still have cost tokens; it is not known how
		// many, so the prompt is counted.
		r.Tokens = estimateTokens(req)
		c.budget.spend(now, r.Tokens)
		return "", r, false
	}
	tokens := resp.Usage.TotalTokens
	if tokens <= 0 {
		tokens = estimateTokens(req)
		if len(resp.Choices) > 0 {
			tokens += len(resp.Choices[0].Message.Content) / 4
		}
	}
	c.budget.spend(now, tokens)
	r := Result{Tokens: tokens, Elapsed: elapsed}
	if len(resp.Choices) == 0 {
		r.Reason = Empty
		return "", r, false
	}
	choice := resp.Choices[0]
	if choice.FinishReason == openai.FinishReasonLength {
		r.Reason = Truncated
		return "", r, false
	}
	return choice.Message.Content, r, true
}

// WaitForRate blocks until the per-minute budget has room for a request,
// or ctx ends: for batch work such as an evaluation, which should wait
// rather than fall back.
func (c *Client) WaitForRate(ctx context.Context) error {
	if c == nil {
		return nil
	}
	for {
		d := c.budget.wait(c.cfg.Now())
		if d <= 0 {
			return nil
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// Timeout is the longest wait for one reply of the model; 0 for a nil
// client.
func (c *Client) Timeout() time.Duration {
	if c == nil {
		return 0
	}
	return c.cfg.Timeout
}

// TokensThisMonth reports the tokens spent in the current month.
func (c *Client) TokensThisMonth() int64 {
	if c == nil {
		return 0
	}
	return c.budget.spentIn(c.cfg.Now())
}

// ErrorDetail names an endpoint error by its HTTP status, never by its
// message, which may echo the request (a visitor's words): fit for a log.
func ErrorDetail(err error) string {
	var apiErr *openai.APIError
	var reqErr *openai.RequestError
	switch {
	case errors.As(err, &apiErr):
		return "status " + strconv.Itoa(apiErr.HTTPStatusCode)
	case errors.As(err, &reqErr):
		return "status " + strconv.Itoa(reqErr.HTTPStatusCode)
	}
	return "request failed"
}
