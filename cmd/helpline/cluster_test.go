package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"helpline/internal/store/storetest"
)

// TestMain lets a test start this test binary as a helpline process: with
// HELPLINE_TEST_AS_MAIN=1 it is the command itself, so the tests below run
// real processes without building another binary.
func TestMain(m *testing.M) {
	if os.Getenv("HELPLINE_TEST_AS_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// process is a `helpline serve` running as a process of its own.
type process struct {
	t    *testing.T
	cmd  *exec.Cmd
	base string // http://127.0.0.1:port/
}

// startProcess runs `helpline serve` with env added to the test's, and
// waits until it serves.
func startProcess(t *testing.T, env ...string) *process {
	t.Helper()
	cmd := exec.Command(os.Args[0], "serve", "--addr", "127.0.0.1:0", "--log-format", "text")
	cmd.Env = append(append(os.Environ(), "HELPLINE_TEST_AS_MAIN=1"), env...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	// HELPLINE_TEST_LOGS=DIR keeps each process's log there, to debug a
	// failing multi-process test.
	if d := os.Getenv("HELPLINE_TEST_LOGS"); d != "" {
		if f, err := os.CreateTemp(d, "helpline-*.log"); err == nil {
			cmd.Stderr = f
			t.Cleanup(func() { f.Close() })
		}
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{t: t, cmd: cmd}
	t.Cleanup(func() { p.kill() })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := regexp.MustCompile(`chat page on (http://\S+/)`).FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case p.base = <-found:
	case <-time.After(20 * time.Second):
		t.Fatal("helpline did not start")
	}
	return p
}

// kill ends the process at once, as a crash or a lost machine would.
func (p *process) kill() {
	if p.cmd.ProcessState == nil && p.cmd.Process != nil {
		p.cmd.Process.Signal(syscall.SIGKILL)
		p.cmd.Wait()
	}
}

func (p *process) ws(path string, header http.Header) *websocket.Conn {
	p.t.Helper()
	c, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(p.base, "http")+strings.TrimPrefix(path, "/"), header)
	if err != nil {
		p.t.Fatalf("dial %s%s: %v", p.base, path, err)
	}
	p.t.Cleanup(func() { c.Close() })
	return c
}

// signIn signs a representative in on this instance and returns the
// session cookie, which every instance accepts (sessions live in Redis).
func (p *process) signIn(name, password string) *http.Cookie {
	p.t.Helper()
	form := url.Values{"name": {name}, "password": {password}}
	req, _ := http.NewRequest("POST", p.base+"console/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", strings.TrimSuffix(p.base, "/"))
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Value != "" && resp.StatusCode == http.StatusSeeOther {
			return c
		}
	}
	p.t.Fatalf("sign in as %s: %s", name, resp.Status)
	return nil
}

// console opens the console websocket with a session cookie and waits for
// its welcome.
func (p *process) console(cookie *http.Cookie) *websocket.Conn {
	p.t.Helper()
	c := p.ws("console/ws", http.Header{"Origin": {strings.TrimSuffix(p.base, "/")}, "Cookie": {cookie.Name + "=" + cookie.Value}})
	until(p.t, c, "the console's welcome", func(f anyFrame) bool { return f.Type == "welcome" })
	return c
}

// frame is any frame of either protocol, with the fields the test reads.
type anyFrame struct {
	Type         string          `json:"type"`
	Code         string          `json:"code"`
	ID           string          `json:"id"`
	From         string          `json:"from"`
	Text         string          `json:"text"`
	State        string          `json:"state"`
	Token        string          `json:"token"`
	Conversation string          `json:"conversation"`
	Resumed      bool            `json:"resumed"`
	Items        []anyFrame      `json:"items"`
	Message      json.RawMessage `json:"message"`
}

// until reads frames until ok, failing after timeout.
func until(t *testing.T, c *websocket.Conn, what string, ok func(anyFrame) bool) anyFrame {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(15 * time.Second))
	for {
		var f anyFrame
		if err := c.ReadJSON(&f); err != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
		if ok(f) {
			return f
		}
	}
}

func send(t *testing.T, c *websocket.Conn, f map[string]any) {
	t.Helper()
	f["v"] = 1
	if err := c.WriteJSON(f); err != nil {
		t.Fatalf("send %v: %v", f["type"], err)
	}
}

// TestInstancesOnACluster runs two helpline processes on a real
// three-master Redis Cluster, as an operator would behind a load balancer:
// a representative signed in on one instance is online for a visitor on
// the other, takes the conversation and talks with them across instances;
// then the visitor's instance is killed, and the visitor, reconnecting to
// the other one with their token, resumes with nothing lost or shown
// twice.
func TestInstancesOnACluster(t *testing.T) {
	cl := storetest.StartCluster(t, 3)
	env := "REDIS_URL=" + cl.URL
	getenv := func(k string) string {
		if k == "REDIS_URL" {
			return cl.URL
		}
		return ""
	}
	const password = "a long enough password"
	if err := run(context.Background(), []string{"rep", "add", "ana"}, getenv, strings.NewReader(password+"\n"), io.Discard, io.Discard); err != nil {
		t.Fatalf("rep add on the cluster: %v", err)
	}
	a, b := startProcess(t, env), startProcess(t, env)

	// Ana signs in on B.
	console := b.console(b.signIn("ana", password))

	// The visitor, on A, asks for a person: Ana is online, so they wait.
	visitor := a.ws("ws", nil)
	send(t, visitor, map[string]any{"type": "hello"})
	w := until(t, visitor, "welcome", func(f anyFrame) bool { return f.Type == "welcome" })
	send(t, visitor, map[string]any{"type": "message", "id": "m1", "text": "can i talk to a real person please"})
	until(t, visitor, "being queued", func(f anyFrame) bool {
		if f.Type == "message" && f.From == "system" && strings.Contains(strings.ToLower(f.Text), "nobody") {
			t.Fatalf("told nobody can chat, with a representative online on the other instance: %q", f.Text)
		}
		return f.Type == "state" && f.State == "waiting"
	})

	// Ana takes it on B and writes; the visitor on A reads it.
	until(t, console, "the queue", func(f anyFrame) bool {
		if f.Type != "queue" {
			return false
		}
		for _, it := range f.Items {
			if it.Conversation == w.Conversation {
				return true
			}
		}
		return false
	})
	send(t, console, map[string]any{"type": "take", "conversation": w.Conversation})
	until(t, console, "the transcript", func(f anyFrame) bool { return f.Type == "transcript" })
	until(t, visitor, "the representative", func(f anyFrame) bool { return f.Type == "state" && f.State == "rep" })
	send(t, console, map[string]any{"type": "reply", "conversation": w.Conversation, "id": "r1", "text": "Hi, I'm Ana. I'm here with you."})
	last := until(t, visitor, "Ana's reply", func(f anyFrame) bool { return f.Type == "message" && f.From == "rep" })
	send(t, visitor, map[string]any{"type": "message", "id": "m2", "text": "thank you, my son uses fentanyl"})
	until(t, console, "the visitor's message", func(f anyFrame) bool {
		var m struct{ Text string }
		json.Unmarshal(f.Message, &m)
		return f.Type == "message" && strings.Contains(m.Text, "fentanyl")
	})

	// A dies. Ana writes meanwhile; the visitor reconnects to B and gets
	// what they missed, once.
	a.kill()
	send(t, console, map[string]any{"type": "reply", "conversation": w.Conversation, "id": "r2", "text": "Are you safe right now?"})
	time.Sleep(200 * time.Millisecond)
	again := b.ws("ws", nil)
	send(t, again, map[string]any{"type": "hello", "token": w.Token, "last": last.ID})
	if w2 := until(t, again, "welcome back", func(f anyFrame) bool { return f.Type == "welcome" }); !w2.Resumed || w2.Conversation != w.Conversation {
		t.Fatalf("welcome on B %+v, want the same conversation resumed", w2)
	}
	seen := map[string]int{}
	var texts []string
	again.SetReadDeadline(time.Now().Add(3 * time.Second))
	for {
		var f anyFrame
		if err := again.ReadJSON(&f); err != nil {
			break // quiet: everything missed has come
		}
		if f.Type == "message" {
			seen[f.ID]++
			texts = append(texts, f.From+": "+f.Text)
		}
	}
	var gotSafe bool
	for _, s := range texts {
		if strings.Contains(s, "Are you safe") {
			gotSafe = true
		}
		if strings.Contains(s, "I'm here with you") {
			t.Errorf("a message the visitor had already seen came again: %q", s)
		}
	}
	for id, n := range seen {
		if n > 1 {
			t.Errorf("message %s shown %d times", id, n)
		}
	}
	if !gotSafe {
		t.Errorf("the reply written while A was down never reached the visitor on B; got %q", texts)
	}
	// And the conversation goes on from B.
	send(t, again, map[string]any{"type": "message", "id": "m3", "text": "yes, im ok"})
	until(t, console, "the message sent through B", func(f anyFrame) bool {
		var m struct{ Text string }
		json.Unmarshal(f.Message, &m)
		return f.Type == "message" && m.Text == "yes, im ok"
	})
}

// resendUntilAnswered does what the widget does while the service cannot
// store messages: it sends the message, and after each error sends it
// again with the same id, until the bot answers or within has passed.
// Every frame read on the way is passed to seen (nil: none). A read that
// times out fails the test: a websocket is unusable after it.
func resendUntilAnswered(t *testing.T, c *websocket.Conn, id, text string, within time.Duration, seen func(anyFrame)) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		send(t, c, map[string]any{"type": "message", "id": id, "text": text})
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		for {
			var f anyFrame
			if err := c.ReadJSON(&f); err != nil {
				t.Fatalf("waiting for an answer to %q: %v", text, err)
			}
			if seen != nil {
				seen(f)
			}
			if f.Type == "message" && f.From == "bot" {
				return
			}
			if f.Type == "error" {
				if f.Code == "closed" {
					t.Fatalf("the conversation is gone: %+v", f)
				}
				break // not yet: again, as the widget does
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%q was never answered", text)
		}
		time.Sleep(time.Second)
	}
}
