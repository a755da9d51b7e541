package main

import (
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"helpline/internal/store/storetest"
)

// TestClusterFailover runs two helpline processes on a Redis Cluster of
// three masters with a replica each and kills the master under a
// visitor's conversation, as a lost machine would: the cluster promotes
// the replica, and with no restart the visitor's resent message is
// answered on the same connection (its subscription restored on the new
// master), a visitor starting afresh is served, and the conversation,
// read back from the other instance, holds every acknowledged message
// once, in order.
func TestClusterFailover(t *testing.T) {
	cl := storetest.StartReplicatedCluster(t, 3)
	a, b := startProcess(t, "REDIS_URL="+cl.URL), startProcess(t, "REDIS_URL="+cl.URL)
	botReply := func(f anyFrame) bool { return f.Type == "message" && f.From == "bot" }

	v := a.ws("ws", nil)
	send(t, v, map[string]any{"type": "hello"})
	w := until(t, v, "welcome", func(f anyFrame) bool { return f.Type == "welcome" })
	send(t, v, map[string]any{"type": "message", "id": "m1", "text": "what is methadone"})
	until(t, v, "the first answer", botReply)
	time.Sleep(500 * time.Millisecond) // the replica has it: replication is asynchronous

	master := cl.MasterOf("hl:{" + w.Conversation + "}:conv")
	killed := time.Now()
	cl.Kill(master)
	resendUntilAnswered(t, v, "m2", "how long does withdrawal last", 60*time.Second, nil)
	t.Logf("answered %.1f s after the master was killed", time.Since(killed).Seconds())
	if now := cl.MasterOf("hl:{" + w.Conversation + "}:conv"); now == master {
		t.Fatalf("the conversation's slot is still on the killed master %s", cl.Addrs[master])
	}

	fresh, _ := welcomed(t, b, "")
	send(t, fresh, map[string]any{"type": "message", "id": "n1", "text": "is naloxone free"})
	until(t, fresh, "a new visitor's answer", botReply)

	// Read back from the other instance: every message once, in order.
	again, w2 := welcomed(t, b, w.Token)
	if !w2.Resumed {
		t.Fatalf("welcome %+v, want the conversation resumed", w2)
	}
	var got []string
	seen := map[string]int{}
	again.SetReadDeadline(time.Now().Add(3 * time.Second))
	for {
		var f anyFrame
		if err := again.ReadJSON(&f); err != nil {
			break // quiet: the whole conversation has come
		}
		if f.Type == "message" {
			seen[f.ID]++
			got = append(got, f.From+": "+f.Text)
		}
	}
	for id, n := range seen {
		if n > 1 {
			t.Errorf("message %s came %d times", id, n)
		}
	}
	var visitor []string
	for _, m := range got {
		if strings.HasPrefix(m, "visitor: ") {
			visitor = append(visitor, strings.TrimPrefix(m, "visitor: "))
		}
	}
	if strings.Join(visitor, " | ") != "what is methadone | how long does withdrawal last" {
		t.Errorf("the visitor's messages read back: %q, want each acknowledged one once, in order", visitor)
	}
	if len(got) != 4 || !strings.HasPrefix(got[1], "bot: ") || !strings.HasPrefix(got[3], "bot: ") {
		t.Errorf("the conversation read back: %q, want each question followed by its answer", got)
	}
}

// welcomed says hello on p (resuming token, if any) and returns the
// connection and its welcome. An instance that has not used a slot since
// it moved may still place it on the killed master for a moment: it then
// closes with 1013 (unavailable; reconnect), and the client reconnects,
// as the widget does.
func welcomed(t *testing.T, p *process, token string) (*websocket.Conn, anyFrame) {
	t.Helper()
	hello := map[string]any{"type": "hello"}
	if token != "" {
		hello["token"] = token
	}
	for deadline := time.Now().Add(15 * time.Second); ; {
		c := p.ws("ws", nil)
		send(t, c, hello)
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		var f anyFrame
		err := c.ReadJSON(&f)
		if err == nil && f.Type == "welcome" {
			return c, f
		}
		if err == nil && f.Type == "error" && f.Code == "unavailable" {
			err = c.ReadJSON(&f) // the close that follows it
		}
		if !websocket.IsCloseError(err, websocket.CloseTryAgainLater) || time.Now().After(deadline) {
			t.Fatalf("hello: %+v, %v", f, err)
		}
		t.Logf("hello: %v; reconnecting", err)
		time.Sleep(time.Second)
	}
}
