package assistant_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"helpline/internal/assistant"
	"helpline/internal/assistant/assistanttest"
)

// TestAnswerStream: a streamed reply reaches emit in pieces that end at a
// word, add up to the answer and never include the sources line; a piece
// with a phone number or an amount the entries do not have is never
// emitted and stops the stream; a stream that is cut, malformed, too slow
// or refused falls back to the curated answer within the timeout.
func TestAnswerStream(t *testing.T) {
	good := "Naloxone reverses an opioid overdose, and the nasal spray is sold without a prescription. " +
		"Call 911 first, then stay with the person.\nSOURCES: naloxone"
	for _, tt := range []struct {
		name   string
		reply  assistanttest.Reply
		reason assistant.Reason
		// never: text that must not reach emit.
		never string
	}{
		{"grounded", assistanttest.Reply{Text: good}, assistant.Used, "SOURCES"},
		{"a made-up phone number", assistanttest.Reply{Text: "Naloxone reverses an opioid overdose. Call our nurse line at 1-800-555-0199 tonight, any time.\nSOURCES: naloxone"}, assistant.Phone, "555"},
		{"a made-up dose", assistanttest.Reply{Text: "Naloxone reverses an opioid overdose. Give 12 mg of it right away and then wait.\nSOURCES: naloxone"}, assistant.Instruction, "12 mg"},
		{"a citation outside the retrieved set", assistanttest.Reply{Text: "Naloxone reverses an opioid overdose, quickly and safely.\nSOURCES: fentanyl"}, assistant.UnknownCitation, "SOURCES"},
		{"cut off", assistanttest.Reply{Text: good, Cut: true}, assistant.Truncated, ""},
		{"malformed", assistanttest.Reply{Text: good, Garbage: true}, assistant.Failed, ""},
		{"truncated at the token limit", assistanttest.Reply{Text: good, FinishReason: openai.FinishReasonLength}, assistant.Truncated, ""},
		{"too slow", assistanttest.Reply{Text: good, ChunkDelay: 300 * time.Millisecond}, assistant.Timeout, ""},
		{"rate limited by the endpoint", assistanttest.Reply{Status: http.StatusTooManyRequests}, assistant.Failed, ""},
		{"server error", assistanttest.Reply{Status: http.StatusInternalServerError}, assistant.Failed, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newClient(t, func(openai.ChatCompletionRequest) assistanttest.Reply { return tt.reply },
				func(cfg *assistant.Config) { cfg.Timeout = time.Second })
			var pieces []string
			start := time.Now()
			r := c.AnswerStream(context.Background(), ask("how does narcan work"), func(p string) { pieces = append(pieces, p) })
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v, past the timeout", d)
			}
			if r.Reason != tt.reason {
				t.Fatalf("reason %s (%s), want %s", r.Reason, r.Detail, tt.reason)
			}
			joined := strings.Join(pieces, "")
			if tt.never != "" && strings.Contains(joined, tt.never) {
				t.Errorf("emitted %q, which holds %q", joined, tt.never)
			}
			for _, p := range pieces[:max(len(pieces)-1, 0)] {
				if !strings.HasSuffix(p, " ") && !strings.HasSuffix(p, "\n") {
					t.Errorf("piece %q ends inside a word", p)
				}
			}
			if r.Used {
				if len(pieces) < 2 || strings.TrimSpace(joined) != r.Text {
					t.Errorf("pieces %q, want the answer %q in pieces", pieces, r.Text)
				}
			} else if r.Text != curated {
				t.Errorf("text %q, want the curated answer", r.Text)
			}
		})
	}
}
