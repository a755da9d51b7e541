package assistant_test

import (
	"context"
	"strings"
	"testing"

	openai "github.com/sashabaranov/go-openai"

	"helpline/internal/assistant"
	"helpline/internal/assistant/assistanttest"
	"helpline/internal/safety"
)

// withTranscripts turns on the setting summaries and drafts need.
func withTranscripts(cfg *assistant.Config) { cfg.Transcripts = true }

// A conversation handed to a person: the visitor gave their name, phone
// number and e-mail address, and asked about methadone.
var handedOff = []assistant.Turn{
	{From: assistant.FromVisitor, Text: "hi my name is Sam Jones, my son Jake uses heroin"},
	{From: assistant.FromAssistant, Text: "Methadone is a long-acting medication for opioid use disorder, taken once a day at a clinic."},
	{From: assistant.FromVisitor, Text: "can someone call me at 555-201-0142 or write to sam.jones@mail.example"},
}

func summaryOf(turns []assistant.Turn) assistant.SummaryRequest {
	return assistant.SummaryRequest{Turns: turns, Reason: "asked", Forms: []string{"callback"}, Risk: none}
}

func draftFor(turns []assistant.Turn) assistant.DraftRequest {
	return assistant.DraftRequest{Turns: turns, Entries: entries, Risk: none}
}

// TestSummarize: a summary is written from the masked transcript and the
// hand-off's reason; the forms are named, never their contents.
func TestSummarize(t *testing.T) {
	rec := &counter{}
	const note = "The visitor's son uses heroin.\nThe assistant explained methadone.\nStill open: the visitor wants a call back."
	c, srv := newClient(t, text(note), withTranscripts, func(cfg *assistant.Config) { cfg.Recorder = rec })
	r := c.Summarize(context.Background(), summaryOf(handedOff))
	if !r.Used || r.Reason != assistant.Used || r.Text != note || r.Tokens == 0 {
		t.Fatalf("summary %+v, want the stand-in's note used", r)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	req := reqs[0]
	if req.Model != "stand-in" || len(req.Messages) != 3 || req.Messages[0].Role != openai.ChatMessageRoleSystem ||
		!strings.Contains(req.Messages[0].Content, "never advise") {
		t.Fatalf("request %+v", req)
	}
	turns := assistanttest.Turns(req)
	if len(turns) != 3 || turns[0].From != "visitor" || turns[1].From != "assistant" {
		t.Fatalf("turns %+v, want the three turns", turns)
	}
	all := req.Messages[1].Content + req.Messages[2].Content
	for _, secret := range []string{"Sam", "Jones", "Jake", "555-201-0142", "sam.jones@mail.example"} {
		if strings.Contains(all, secret) {
			t.Errorf("the request carries %q:\n%s", secret, all)
		}
	}
	for _, mask := range []string{"[name]", "[phone]", "[email]"} {
		if !strings.Contains(all, mask) {
			t.Errorf("the request has no %s:\n%s", mask, all)
		}
	}
	if !strings.Contains(req.Messages[1].Content, "the visitor asked for a person") || !strings.Contains(req.Messages[1].Content, "callback") {
		t.Errorf("the hand-off block %q, want the reason and the form's name", req.Messages[1].Content)
	}
	if rec.forReps["summary used"] != 1 {
		t.Errorf("recorded %v, want one summary used", rec.forReps)
	}
}

// TestSummaryChecks: a summary that advises, diagnoses, runs long, or adds
// what the transcript does not hold is not shown.
func TestSummaryChecks(t *testing.T) {
	tests := []struct {
		name  string
		reply assistanttest.Reply
		want  assistant.Reason
	}{
		{"facts from the transcript", assistanttest.Reply{Text: "- The visitor asked about methadone for their son.\n- The assistant said it is taken once a day at a clinic.\n- Open: a call back to [phone]."}, assistant.Used},
		{"the helpline's phone from the facts", assistanttest.Reply{Text: "The visitor was given 1-800-662-4357."}, assistant.Used},
		{"advice to the visitor", assistanttest.Reply{Text: "You should go to a clinic."}, assistant.Advice},
		{"a command", assistanttest.Reply{Text: "The visitor asked about methadone.\nCall them back tonight."}, assistant.Advice},
		{"a doctor speaking to the visitor", assistanttest.Reply{Text: "As your doctor, I see opioid use disorder."}, assistant.Advice},
		{"a clinician", assistanttest.Reply{Text: "I am a nurse and the son needs treatment."}, assistant.Role},
		{"six lines", assistanttest.Reply{Text: "One.\nTwo.\nThree.\nFour.\nFive.\nSix."}, assistant.TooLong},
		{"a long line", assistanttest.Reply{Text: strings.Repeat("The visitor asked about methadone. ", 8)}, assistant.TooLong},
		{"a dose of its own", assistanttest.Reply{Text: "The son takes 30 mg of methadone."}, assistant.Amount},
		{"a number of its own", assistanttest.Reply{Text: "The son has used heroin for 3 years."}, assistant.Number},
		{"the unmasked phone number", assistanttest.Reply{Text: "A call back at 555-201-0142 is requested."}, assistant.Phone},
		{"a link", assistanttest.Reply{Text: "The visitor mentioned methadone-clinics.org."}, assistant.Link},
		{"markers", assistanttest.Reply{Text: "<<turn from=visitor>> hello"}, assistant.Markup},
		{"empty", assistanttest.Reply{Text: "  "}, assistant.Empty},
		{"truncated", assistanttest.Reply{Text: "The visitor", FinishReason: openai.FinishReasonLength}, assistant.Truncated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newClient(t, func(openai.ChatCompletionRequest) assistanttest.Reply { return tt.reply }, withTranscripts)
			r := c.Summarize(context.Background(), summaryOf(handedOff))
			if r.Reason != tt.want || r.Used != (tt.want == assistant.Used) {
				t.Fatalf("reason %q used %v (detail %q), want %q", r.Reason, r.Used, r.Detail, tt.want)
			}
			if !r.Used && r.Text != "" {
				t.Errorf("a summary not used has text %q", r.Text)
			}
		})
	}
}

// TestDraft: a draft answers the visitor's latest messages from the
// entries it is given, with the earlier turns as context, all masked.
func TestDraft(t *testing.T) {
	rec := &counter{}
	c, srv := newClient(t, assistanttest.Grounded, withTranscripts, func(cfg *assistant.Config) { cfg.Recorder = rec })
	turns := append(append([]assistant.Turn{}, handedOff...),
		assistant.Turn{From: assistant.FromRep, Text: "Hi, I'm Ana from the helpline."},
		assistant.Turn{From: assistant.FromVisitor, Text: "thanks Ana"},
		assistant.Turn{From: assistant.FromVisitor, Text: "how does narcan work? text me at 555 201 0142"},
	)
	r := c.Draft(context.Background(), draftFor(turns))
	if !r.Used || r.Text != "Naloxone reverses an opioid overdose." || len(r.Cited) != 1 || r.Cited[0] != "naloxone" {
		t.Fatalf("draft %+v, want the grounded stand-in's", r)
	}
	req := srv.Requests()[0]
	if !strings.Contains(req.Messages[0].Content, "representative reads your draft") {
		t.Errorf("rules %q", req.Messages[0].Content)
	}
	if es := assistanttest.Entries(req); len(es) != 2 || es[0].ID != "naloxone" {
		t.Errorf("entries %+v", es)
	}
	if v := assistanttest.Visitor(req); v != "thanks Ana\nhow does narcan work? text me at [phone]" {
		t.Errorf("the latest messages %q, want both, masked", v)
	}
	earlier := assistanttest.Turns(req)
	if len(earlier) != 4 || earlier[3].From != "representative" || earlier[3].Text != "Hi, I'm [name] from the helpline." {
		t.Errorf("earlier turns %+v, want the four before, the representative's masked", earlier)
	}
	for _, secret := range []string{"Sam", "Jake", "555-201-0142", "sam.jones"} {
		if strings.Contains(req.Messages[2].Content, secret) {
			t.Errorf("the request carries %q", secret)
		}
	}
	if rec.forReps["draft used"] != 1 {
		t.Errorf("recorded %v", rec.forReps)
	}
}

// TestDraftChecks: a draft is checked as a grounded answer is; one that
// fails is not shown.
func TestDraftChecks(t *testing.T) {
	tests := []struct {
		name, reply string
		want        assistant.Reason
	}{
		{"dosing", "Give 8 mg of Narcan every minute.\nSOURCES: naloxone", assistant.Instruction},
		{"tapering", "Reduce it a little every week.\nSOURCES: what-is-methadone", assistant.Instruction},
		{"sourcing", "You can buy methadone online without a prescription.\nSOURCES: what-is-methadone", assistant.Instruction},
		{"unknown citation", "Methadone is a medication.\nSOURCES: methadone-doses", assistant.UnknownCitation},
		{"no citation", "Methadone is a medication.", assistant.NoCitation},
		{"a phone of its own", "Call our nurse line at (555) 867-5309.\nSOURCES: naloxone", assistant.Phone},
		{"too long", strings.Repeat("Methadone is a long-acting medication. ", 20) + "\nSOURCES: what-is-methadone", assistant.TooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newClient(t, text(tt.reply), withTranscripts)
			r := c.Draft(context.Background(), draftFor(handedOff))
			if r.Used || r.Reason != tt.want || r.Text != "" {
				t.Errorf("draft %+v, want %q and no text", r, tt.want)
			}
		})
	}
}

// TestRepsRefused: without transcripts, without a model, in a crisis
// (recorded, or found in any visitor message), without a screen, with
// nothing to answer, or with a budget spent, no request is sent.
func TestRepsRefused(t *testing.T) {
	crisisTurns := append(append([]assistant.Turn{}, handedOff[:2]...),
		assistant.Turn{From: assistant.FromVisitor, Text: "i want to kill myself tonight"},
		assistant.Turn{From: assistant.FromAssistant, Text: "Please call or text 988 now."},
		assistant.Turn{From: assistant.FromVisitor, Text: "ok. how does narcan work"},
	)
	tests := []struct {
		name   string
		change func(*assistant.Config)
		turns  []assistant.Turn
		risk   safety.Risk
		want   assistant.Reason
	}{
		{"transcripts off", func(*assistant.Config) {}, handedOff, none, assistant.NoTranscripts},
		{"crisis recorded", withTranscripts, handedOff, safety.Risk{Kind: safety.Overdose, Level: safety.Emergency}, assistant.Crisis},
		{"crisis in an earlier message", withTranscripts, crisisTurns, none, assistant.Crisis},
		{"unscreened", withTranscripts, handedOff, safety.Risk{}, assistant.Unscreened},
		{"nothing the visitor said", withTranscripts, []assistant.Turn{{From: assistant.FromAssistant, Text: "Hello."}}, none, assistant.NoQuestion},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &counter{}
			c, srv := newClient(t, assistanttest.Grounded, tt.change, func(cfg *assistant.Config) { cfg.Recorder = rec })
			s := c.Summarize(context.Background(), assistant.SummaryRequest{Turns: tt.turns, Reason: "asked", Risk: tt.risk})
			d := c.Draft(context.Background(), assistant.DraftRequest{Turns: tt.turns, Entries: entries, Risk: tt.risk})
			if s.Reason != tt.want || d.Reason != tt.want || s.Used || d.Used {
				t.Errorf("summary %q, draft %q, want %q", s.Reason, d.Reason, tt.want)
			}
			if n := len(srv.Requests()); n != 0 {
				t.Errorf("%d requests reached the endpoint, want none", n)
			}
			if rec.forReps["summary "+string(tt.want)] != 1 || rec.forReps["draft "+string(tt.want)] != 1 {
				t.Errorf("recorded %v", rec.forReps)
			}
		})
	}

	var off *assistant.Client
	if r := off.Summarize(context.Background(), summaryOf(handedOff)); r.Reason != assistant.Off {
		t.Errorf("nil client: %+v", r)
	}
	if r := off.Draft(context.Background(), draftFor(handedOff)); r.Reason != assistant.Off {
		t.Errorf("nil client: %+v", r)
	}
	if off.RepsUnavailable() != assistant.Off {
		t.Errorf("nil client: available")
	}

	// The budget is the answers': spent by one answer, it refuses a draft.
	c, srv := newClient(t, assistanttest.Grounded, withTranscripts, func(cfg *assistant.Config) { cfg.RequestsPerMinute = 1 })
	c.Answer(context.Background(), ask("how does narcan work"))
	if r := c.Draft(context.Background(), draftFor(handedOff)); r.Reason != assistant.RateBudget {
		t.Errorf("draft with the budget spent: %q", r.Reason)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d requests, want the answer's only", n)
	}
}

type summaryInjection struct {
	Name    string           `json:"name"`
	Visitor string           `json:"visitor"`
	Reply   string           `json:"reply"`
	Reason  assistant.Reason `json:"reason"`
}

func readSummaryInjections(t *testing.T) []summaryInjection {
	t.Helper()
	return readJSONL[summaryInjection](t, "testdata/summary_injections.jsonl", 12)
}

// TestSummaryInjections runs every attempt against a stand-in that obeys
// it: each obedient summary is rejected, the rules and the hand-off are
// the same whatever the visitor wrote, and the visitor's text cannot close
// its turn or open another.
func TestSummaryInjections(t *testing.T) {
	var current summaryInjection
	c, srv := newClient(t, func(openai.ChatCompletionRequest) assistanttest.Reply {
		return assistanttest.Reply{Text: current.Reply}
	}, withTranscripts)
	turns := func(v string) []assistant.Turn {
		return []assistant.Turn{{From: assistant.FromVisitor, Text: "what is methadone"}, handedOff[1], {From: assistant.FromVisitor, Text: v}}
	}
	c.Summarize(context.Background(), summaryOf(turns("thanks")))
	base := srv.Requests()[0]
	for i, in := range readSummaryInjections(t) {
		current = in
		r := c.Summarize(context.Background(), summaryOf(turns(in.Visitor)))
		if r.Used || r.Text != "" {
			t.Errorf("%s: the obedient summary was used: %+v", in.Name, r)
			continue
		}
		if r.Reason != in.Reason {
			t.Errorf("%s: rejected as %q (%s), want %q", in.Name, r.Reason, r.Detail, in.Reason)
		}
		reqs := srv.Requests()
		if len(reqs) != i+2 {
			t.Fatalf("%s: %d requests, want %d (refused before asking: %q)", in.Name, len(reqs), i+2, r.Reason)
		}
		req := reqs[i+1]
		if req.Messages[0].Content != base.Messages[0].Content || req.Messages[1].Content != base.Messages[1].Content || len(req.Messages) != 3 {
			t.Errorf("%s: the rules or the hand-off changed with the visitor's text", in.Name)
		}
		if got := assistanttest.Turns(req); len(got) != 3 {
			t.Errorf("%s: %d turns in the prompt, want the 3 given", in.Name, len(got))
		}
		if n := strings.Count(req.Messages[2].Content, "<<"); n != 6 {
			t.Errorf("%s: %d markers in the transcript, want 6 (the visitor's text carries markers of its own):\n%s", in.Name, n, req.Messages[2].Content)
		}
	}
}

// TestDraftInjections runs the grounded answers' attempts as the
// visitor's latest message of a draft, against a stand-in that obeys
// them: every obedient draft is rejected by the same check as the answer.
func TestDraftInjections(t *testing.T) {
	var current injection
	c, srv := newClient(t, func(openai.ChatCompletionRequest) assistanttest.Reply {
		return assistanttest.Reply{Text: current.Reply}
	}, withTranscripts)
	turns := func(v string) []assistant.Turn {
		return []assistant.Turn{{From: assistant.FromVisitor, Text: "hello"}, {From: assistant.FromRep, Text: "Hi, how can I help?"}, {From: assistant.FromVisitor, Text: v}}
	}
	asked := 0
	for _, in := range readInjections(t) {
		current = in
		r := c.Draft(context.Background(), draftFor(turns(in.Question)))
		if r.Used || r.Text != "" {
			t.Errorf("%s: the obedient draft was used: %+v", in.Name, r)
			continue
		}
		if r.Reason == assistant.Crisis {
			continue // screened as a crisis: refused before asking, which is as safe
		}
		asked++
		if r.Reason != in.Reason {
			t.Errorf("%s: rejected as %q (%s), want %q", in.Name, r.Reason, r.Detail, in.Reason)
		}
		req := srv.Requests()[asked-1]
		if n := strings.Count(req.Messages[2].Content, "<<"); n != 6 {
			t.Errorf("%s: %d markers in the prompt's last message, want 6:\n%s", in.Name, n, req.Messages[2].Content)
		}
	}
	if asked < 20 {
		t.Errorf("only %d attempts reached the stand-in, want nearly all", asked)
	}
}
