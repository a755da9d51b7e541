package assistant_test

import (
	"context"
	"strings"
	"testing"

	"helpline/internal/assistant"
	"helpline/internal/assistant/assistanttest"
)

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"call me at (555) 123-4567 please", "call me at [phone] please"},
		{"my number is +1 555.123.4567.", "my number is [phone]."},
		{"text 5551234567 or 555-1234", "text [phone] or [phone]"},
		{"email dana.ruiz+help@example.com now", "email [email] now"},
		{"My name is Dana Ruiz and I need help", "My name is [name] and I need help"},
		{"my name is dana and i need help", "my name is [name] and i need help"},
		{"Hi, I'm Dana. My son Jake uses heroin", "Hi, I'm [name]. My son [name] uses heroin"},
		{"this is Maria, my husband, Tom, is on methadone", "this is [name], my husband, [name], is on methadone"},
		{"me llamo Ana y necesito ayuda", "me llamo [name] y necesito ayuda"},
		{"Thanks, Sam", "Thanks, [name]"},
		// Not names, and not phone numbers: kept.
		{"I'm Scared and I'm not sure what to do", "I'm Scared and I'm not sure what to do"},
		{"I am worried about my son, he is 17", "I am worried about my son, he is 17"},
		{"is 8 mg of Suboxone a lot? I'm on Methadone now", "is 8 mg of Suboxone a lot? I'm on Methadone now"},
		{"I've been clean 90 days since 2024", "I've been clean 90 days since 2024"},
	}
	for _, tt := range tests {
		if got := assistant.Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

// TestNothingPersonalIsSent: what reaches the endpoint has the visitor's
// number, address and name masked, and without transcripts allowed, none
// of their earlier messages.
func TestNothingPersonalIsSent(t *testing.T) {
	personal := []string{"Dana", "Ruiz", "867", "5309", "dana@example.com", "Jake"}
	for _, transcripts := range []bool{false, true} {
		c, srv := newClient(t, assistanttest.Grounded, func(cfg *assistant.Config) { cfg.Transcripts = transcripts })
		q := ask("My name is Dana Ruiz, call me at (555) 867-5309 or dana@example.com. How does narcan work?")
		q.Earlier = []string{"earlier secret: my son Jake overdosed last year", "I'm Dana"}
		if r := c.Answer(context.Background(), q); !r.Used {
			t.Fatalf("transcripts %v: %+v", transcripts, r)
		}
		var sent strings.Builder
		for _, m := range srv.Requests()[0].Messages {
			sent.WriteString(m.Content)
		}
		for _, p := range personal {
			if strings.Contains(sent.String(), p) {
				t.Errorf("transcripts %v: %q was sent", transcripts, p)
			}
		}
		// With transcripts allowed, the earlier messages go, masked.
		if got := strings.Contains(sent.String(), "overdosed last year"); got != transcripts {
			t.Errorf("transcripts %v: earlier message sent %v", transcripts, got)
		}
		if v := assistanttest.Visitor(srv.Requests()[0]); v != "My name is [name], call me at [phone] or [email]. How does narcan work?" {
			t.Errorf("visitor text sent %q", v)
		}
	}
}
