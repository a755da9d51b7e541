package chat_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"helpline/internal/answer"
	"helpline/internal/chat"
	"helpline/internal/store"
	"helpline/internal/store/storetest"
)

// meaning is a stand-in ranking by meaning: it ranks every question the
// same way, or fails, and records what it was asked.
type meaning struct {
	mu      sync.Mutex
	asked   []string
	similar []answer.Similar
	fail    bool
}

func (m *meaning) Rank(_ context.Context, q string) ([]answer.Similar, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.asked = append(m.asked, q)
	if m.fail {
		return nil, errors.New("stand-in failure")
	}
	return m.similar, nil
}

func (m *meaning) questions() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.asked...)
}

// TestMeaningReconsiders: with a ranking by meaning configured, a menu the
// ranking is sure of becomes its answer; a failing ranking leaves the
// engine's menu; and a conversation with a crisis in it never reaches the
// ranking (and so the endpoint) again.
func TestMeaningReconsiders(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBChat) {
		t.Run(b.Name, func(t *testing.T) {
			m := &meaning{similar: []answer.Similar{{ID: "safer-use", Score: 0.9}, {ID: "syringe-services", Score: 0.8}}}
			s := start(t, b.Client, chat.Options{Meaning: m}, store.Options{})
			c := dial(t, s.URL)
			c.hello("", "")
			if _, r := c.say("m1", "What is harm reduction?"); r.Kind != "answer" || len(r.Entries) != 1 || r.Entries[0] != "safer-use" {
				t.Fatalf("reply %+v, want the answer the ranking is sure of", r)
			}
			m.mu.Lock()
			m.fail = true
			m.mu.Unlock()
			if _, r := c.say("m2", "What is harm reduction?"); r.Kind != "clarify" {
				t.Fatalf("reply with a failing ranking %+v, want the engine's menu", r)
			}
			// A follow-up read with its context: the ranking, of the question
			// alone, would be ignored, so it is not asked for.
			c.say("m2b", "how long does it last?")
			if _, r := c.say("m3", "my bf isnt breathing after he used"); r.Kind != "crisis" {
				t.Fatalf("crisis reply %+v", r)
			}
			asked := len(m.questions())
			for i, q := range []string{"What is harm reduction?", "what is methadone", "does insurance cover rehab", "how long does detox take", "is naloxone free", "what is fentanyl", "how much does rehab cost"} {
				c.say("q"+string(rune('0'+i)), q)
			}
			if got := m.questions(); len(got) != asked || asked != 2 {
				t.Errorf("the ranking was asked %q, want only the two questions before the follow-up and the crisis", got)
			}
		})
	}
}
