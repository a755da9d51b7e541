package main

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"helpline/internal/store/storetest"
)

// TestThreeInstances is the operator's deployment, on one Redis and on a
// three-master Redis Cluster, both persisting every write before it is
// acknowledged: three helpline processes behind a load balancer. A
// visitor on A is handed to a representative signed in on C and they
// talk across instances; A is killed (SIGKILL) mid-conversation and the
// visitor resumes on B; the representative hands back to the assistant;
// the Redis under the conversation is killed and started again, and the
// service must answer within 5 s of its return, without a restart. In the
// end every acknowledged message is in the conversation exactly once, in
// order.
func TestThreeInstances(t *testing.T) {
	for _, tt := range []struct {
		name  string
		start func(t *testing.T) (url string, restart func(conv string) (down func(), up func()))
	}{
		{"redis", func(t *testing.T) (string, func(string) (func(), func())) {
			r := storetest.StartServer(t)
			return r.URL, func(string) (func(), func()) { return r.Kill, r.Start }
		}},
		{"cluster", func(t *testing.T) (string, func(string) (func(), func())) {
			c := storetest.StartPersistentCluster(t, 3)
			return c.URL, func(conv string) (func(), func()) {
				i := c.MasterOf("hl:{" + conv + "}:conv")
				return func() { c.Kill(i) }, func() { c.Start(i) }
			}
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			url, restart := tt.start(t)
			threeInstances(t, url, restart)
		})
	}
}

func threeInstances(t *testing.T, redisURL string, restart func(conv string) (down, up func())) {
	getenv := func(k string) string {
		if k == "REDIS_URL" {
			return redisURL
		}
		return ""
	}
	const password = "a long enough password"
	if err := run(context.Background(), []string{"rep", "add", "ana"}, getenv, strings.NewReader(password+"\n"), io.Discard, io.Discard); err != nil {
		t.Fatalf("rep add: %v", err)
	}
	env := "REDIS_URL=" + redisURL
	a, b, c := startProcess(t, env), startProcess(t, env), startProcess(t, env)
	console := c.console(c.signIn("ana", password))

	// acked are the ids of the messages the service acknowledged (the
	// visitor's echoed back, the bot's and Ana's delivered), in the order
	// they were acknowledged.
	var acked []string
	ack := func(f anyFrame) anyFrame {
		acked = append(acked, f.ID)
		return f
	}
	visitorSays := func(v *websocket.Conn, id, text string) {
		t.Helper()
		send(t, v, map[string]any{"type": "message", "id": id, "text": text})
		ack(until(t, v, "the echo of "+id, func(f anyFrame) bool { return f.Type == "message" && f.From == "visitor" && f.Text == text }))
	}
	consoleHas := func(text string) {
		t.Helper()
		until(t, console, "the console's copy of "+text, func(f anyFrame) bool {
			var m struct{ Text string }
			json.Unmarshal(f.Message, &m)
			return f.Type == "message" && m.Text == text
		})
	}

	// The visitor, on A, asks the assistant, then for a person.
	v := a.ws("ws", nil)
	send(t, v, map[string]any{"type": "hello"})
	w := until(t, v, "welcome", func(f anyFrame) bool { return f.Type == "welcome" })
	visitorSays(v, "m1", "what is methadone")
	ack(until(t, v, "the assistant's answer", func(f anyFrame) bool { return f.Type == "message" && f.From == "bot" }))
	visitorSays(v, "m2", "can i talk to a real person please")
	ack(until(t, v, "the hand-off reply", func(f anyFrame) bool { return f.Type == "message" && f.From == "bot" }))
	until(t, v, "the queue", func(f anyFrame) bool { return f.Type == "state" && f.State == "waiting" })

	// Ana takes it on C; they talk across instances.
	send(t, console, map[string]any{"type": "take", "conversation": w.Conversation})
	until(t, console, "the transcript", func(f anyFrame) bool { return f.Type == "transcript" })
	until(t, v, "the representative", func(f anyFrame) bool { return f.Type == "state" && f.State == "rep" })
	send(t, console, map[string]any{"type": "reply", "conversation": w.Conversation, "id": "r1", "text": "Hi, I'm Ana. I'm here with you."})
	last := ack(until(t, v, "Ana's reply", func(f anyFrame) bool { return f.Type == "message" && f.From == "rep" }))
	visitorSays(v, "m3", "my son uses fentanyl and i am scared")
	consoleHas("my son uses fentanyl and i am scared")

	// A dies mid-conversation. Ana writes meanwhile; the visitor's widget
	// reconnects, through the load balancer, to B.
	a.kill()
	send(t, console, map[string]any{"type": "reply", "conversation": w.Conversation, "id": "r2", "text": "Is he with you now?"})
	time.Sleep(200 * time.Millisecond)
	v = b.ws("ws", nil)
	send(t, v, map[string]any{"type": "hello", "token": w.Token, "last": last.ID})
	if w2 := until(t, v, "welcome on B", func(f anyFrame) bool { return f.Type == "welcome" }); !w2.Resumed {
		t.Fatalf("welcome on B %+v, want the conversation resumed", w2)
	}
	ack(until(t, v, "the reply written while A was down", func(f anyFrame) bool { return f.Type == "message" && f.Text == "Is he with you now?" }))
	visitorSays(v, "m4", "no, he is at work")
	consoleHas("no, he is at work")

	// Ana hands back to the assistant, which answers the message she left.
	send(t, console, map[string]any{"type": "handback", "conversation": w.Conversation})
	until(t, console, "handed back", func(f anyFrame) bool { return f.Type == "handed_back" })
	until(t, v, "the assistant again", func(f anyFrame) bool { return f.Type == "state" && f.State == "bot" })
	v.SetReadDeadline(time.Now().Add(2 * time.Second))
	for {
		var f anyFrame
		if err := v.ReadJSON(&f); err != nil {
			break // quiet: the hand-back's messages have come
		}
		if f.Type == "message" {
			ack(f)
		}
	}
	v.Close()
	v = b.ws("ws", nil)
	send(t, v, map[string]any{"type": "hello", "token": w.Token, "last": acked[len(acked)-1]})
	until(t, v, "welcome again", func(f anyFrame) bool { return f.Type == "welcome" })

	// The Redis under the conversation restarts. While it is down the
	// visitor's message is refused, not lost; once it is back the widget's
	// resend is answered within 5 s, on the same connection.
	down, up := restart(w.Conversation)
	down()
	send(t, v, map[string]any{"type": "message", "id": "m5", "text": "how long does withdrawal last"})
	until(t, v, "the refusal while Redis is down", func(f anyFrame) bool {
		if f.Type == "message" && f.From == "bot" {
			t.Fatalf("answered with Redis down: %+v", f)
		}
		return f.Type == "error"
	})
	up()
	back := time.Now()
	resendUntilAnswered(t, v, "m5", "how long does withdrawal last", 20*time.Second, func(f anyFrame) {
		if f.Type == "message" {
			ack(f)
		}
	})
	if d := time.Since(back); d > 5*time.Second {
		t.Errorf("answered %.1fs after Redis returned, want within 5s", d.Seconds())
	} else {
		t.Logf("answered %.2fs after Redis returned", d.Seconds())
	}

	// The whole conversation, read afresh on C: every acknowledged
	// message once, in the order acknowledged, ids increasing.
	all := c.ws("ws", nil)
	send(t, all, map[string]any{"type": "hello", "token": w.Token})
	until(t, all, "welcome on C", func(f anyFrame) bool { return f.Type == "welcome" })
	var got []anyFrame
	all.SetReadDeadline(time.Now().Add(3 * time.Second))
	for {
		var f anyFrame
		if err := all.ReadJSON(&f); err != nil {
			break
		}
		if f.Type == "message" {
			got = append(got, f)
		}
	}
	count := map[string]int{}
	pos := map[string]int{}
	for i, f := range got {
		count[f.ID]++
		pos[f.ID] = i
		if i > 0 && !idBefore(got[i-1].ID, f.ID) {
			t.Errorf("message %s (%q) after %s: out of order", f.ID, f.Text, got[i-1].ID)
		}
	}
	prev := -1
	seen := map[string]bool{}
	for _, id := range acked {
		if seen[id] {
			continue // a resume may deliver a message twice to the test; the store has it once
		}
		seen[id] = true
		switch n := count[id]; {
		case n == 0:
			t.Errorf("acknowledged message %s is missing", id)
		case n > 1:
			t.Errorf("message %s is there %d times", id, n)
		}
		if p, ok := pos[id]; ok {
			if p < prev {
				t.Errorf("message %s is out of the order it was acknowledged in", id)
			}
			prev = p
		}
	}
	for _, text := range []string{"what is methadone", "my son uses fentanyl and i am scared", "Is he with you now?", "how long does withdrawal last"} {
		n := 0
		for _, f := range got {
			if f.Text == text {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%q is in the conversation %d times, want once", text, n)
		}
	}
	if len(acked) < 10 {
		t.Errorf("only %d messages acknowledged: the test did not run its course", len(acked))
	}
}

// idBefore orders Redis stream ids ("ms-seq").
func idBefore(a, b string) bool {
	am, as, _ := strings.Cut(a, "-")
	bm, bs, _ := strings.Cut(b, "-")
	if len(am) != len(bm) {
		return len(am) < len(bm)
	}
	if am != bm {
		return am < bm
	}
	if len(as) != len(bs) {
		return len(as) < len(bs)
	}
	return as < bs
}
