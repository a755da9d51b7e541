package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/gorilla/websocket"
)

// The console as a representative uses it all night, at 1280 px: tabs
// that say what each chat is about, the Requests box in view however long
// Live grows, take buttons that say why they cannot be used at the chat
// limit, a sound and a notification for a new chat, suggestions inserted
// as paragraphs, and every scrolling region reachable by keyboard (with
// axe-core, when installed, finding nothing serious).

// wsVisitor is a visitor talking to the service over the websocket, as
// the widget does, without a browser: cheap enough to have thirty.
type wsVisitor struct {
	t    *testing.T
	ws   *websocket.Conn
	ID   string // the conversation
	mu   sync.Mutex
	sent int
}

// newVisitor opens a conversation and says its first message.
func newVisitor(t *testing.T, svc service, first string) *wsVisitor {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(svc.URL, "http")+"ws", nil)
	if err != nil {
		t.Fatalf("visitor: %v", err)
	}
	t.Cleanup(func() { ws.Close() })
	v := &wsVisitor{t: t, ws: ws}
	v.send(map[string]any{"type": "hello"})
	for {
		ws.SetReadDeadline(time.Now().Add(10 * time.Second))
		var f struct{ Type, Conversation string }
		if err := ws.ReadJSON(&f); err != nil {
			t.Fatalf("visitor welcome: %v", err)
		}
		if f.Type == "welcome" {
			v.ID = f.Conversation
			break
		}
	}
	ws.SetReadDeadline(time.Time{})
	go func() { // read (and drop) the rest, so pings are answered
		for {
			if _, _, err := ws.ReadMessage(); err != nil {
				return
			}
		}
	}()
	v.Say(first)
	return v
}

func (v *wsVisitor) send(f map[string]any) {
	v.t.Helper()
	v.mu.Lock()
	defer v.mu.Unlock()
	f["v"] = 1
	if err := v.ws.WriteJSON(f); err != nil {
		v.t.Fatalf("visitor send: %v", err)
	}
}

// Say sends a message.
func (v *wsVisitor) Say(text string) {
	v.t.Helper()
	v.mu.Lock()
	v.sent++
	id := fmt.Sprintf("m%d", v.sent)
	v.mu.Unlock()
	v.send(map[string]any{"type": "message", "id": id, "text": text})
}

// consoleJS is JavaScript for the console's checks: $ and $$ find in the
// page, shown says whether an element is laid out, panel is the open
// conversation, tabs the tab buttons.
const consoleJS = `const $ = (q) => document.querySelector(q), $$ = (q) => [...document.querySelectorAll(q)];
	const shown = (el) => !!el && el.getClientRects().length > 0;
	const panel = () => $(".panel:not([hidden])");
	const tabs = () => $$("#tabs [role=tab]");`

func inConsole(expr string) string { return `(() => { ` + consoleJS + ` return (` + expr + `); })()` }

// consoleCheck evaluates expr in the console and fails the test, saying
// what, unless it is true.
func consoleCheck(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[any](inConsole(expr)))
	if err != nil {
		t.Errorf("%s: %v", what, err)
	} else if got != true {
		t.Errorf("%s: got %v, want true", what, got)
	}
}

// consoleValue evaluates expr in the console, for a failure message.
func consoleValue(ctx context.Context, expr string) string {
	got, err := chromedp.Run(ctx, chromedp.Evaluate[any](inConsole(expr)))
	if err != nil {
		return err.Error()
	}
	b, _ := json.Marshal(got)
	return string(b)
}

func consolePoll(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](inConsole(expr), chromedp.WithPollingTimeout(15*time.Second))
}

// signIn opens the console in a new browser profile (init, if any, runs
// before the page's own scripts) at 1280×800 and waits until it is
// connected.
func signIn(t *testing.T, browserCtx context.Context, svc service, init string) context.Context {
	t.Helper()
	c, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if init != "" {
		if _, err := chromedp.Call(c, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: init}); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Do(c,
		chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(svc.URL+"console"),
		chromedp.SendKeys(chromedp.ID("signin-name"), svc.Name),
		chromedp.SendKeys(chromedp.ID("signin-password"), svc.Password+kb.Enter),
		chromedp.WaitVisible(chromedp.ID("app")),
		consolePoll(`$("#conn").dataset.conn === "online"`),
	); err != nil {
		t.Fatalf("signing in: %v", err)
	}
	return c
}

// TestBrowserConsoleUITabs is a busy night at 1280×800: five people wait,
// thirty chats are live, the representative watches nine of them.
func TestBrowserConsoleUITabs(t *testing.T) {
	ctx := browser(t)
	svc := startService(t, "--rate-address", "1000")
	if err := chromedp.Do(ctx); err != nil { // start the browser
		t.Fatal(err)
	}
	rep := signIn(t, ctx, svc, "")

	const long = "my brother has been using fentanyl for two years and he finally says he wants to stop, what should we do first"
	questions := []string{long, "I'm going to take all my pills tonight"}
	for i := 0; len(questions) < 30; i++ {
		questions = append(questions, []string{
			"how long does methadone stay in your system", "wen do withdrawls start", "is suboxone safe in pregnancy",
			"where can i get naloxone", "does insurance cover rehab", "what are fentanyl test strips",
		}[i%6]+fmt.Sprintf(" (%d)", i))
	}
	var visitors []*wsVisitor
	for _, q := range questions {
		visitors = append(visitors, newVisitor(t, svc, q))
	}
	for i := 0; i < 4; i++ { // four more ask for a person: the queue is long too
		newVisitor(t, svc, "can I talk to a real person please")
	}
	if err := chromedp.Do(rep, consolePoll(`$$("#live > li").length >= 30 && $$("#queue > li").length >= 5`)); err != nil {
		t.Fatalf("thirty live and five waiting: %v (live %s, queue %s)", err, consoleValue(rep, `$$("#live > li").length`), consoleValue(rep, `$$("#queue > li").length`))
	}
	screenshot(t, rep, "console-busy")
	consoleCheck(t, rep, "the Requests heading is in view without scrolling anything",
		`(() => { const r = $("#requests-title").getBoundingClientRect();
			const hit = document.elementFromPoint(r.left + 20, r.top + r.height / 2);
			return r.top >= 0 && r.bottom <= innerHeight && !!hit && $("#requests-title").contains(hit) && document.scrollingElement.scrollTop === 0; })()`)
	consoleCheck(t, rep, "the Live list scrolls by itself", `$("#live").scrollHeight > $("#live").clientHeight && $(".side").scrollHeight <= $(".side").clientHeight + 1`)

	// Nine tabs: the long question's, the crisis's and seven more.
	ids := []string{visitors[0].ID, visitors[1].ID}
	for _, v := range visitors[2:9] {
		ids = append(ids, v.ID)
	}
	for _, id := range ids {
		if err := chromedp.Do(rep, chromedp.Evaluate[chromedp.Void](inConsole(`$('#live button[data-act=watch][data-key="`+id+`"]').click()`))); err != nil {
			t.Fatalf("watching %s: %v", id, err)
		}
	}
	if err := chromedp.Do(rep, consolePoll(`tabs().length === 9 && $$(".log").every(l => l.querySelector(".msg-visitor"))`)); err != nil {
		t.Fatalf("nine tabs: %v (%s)", err, consoleValue(rep, `tabs().length`))
	}
	screenshot(t, rep, "console-nine-tabs")
	consoleCheck(t, rep, "nine tabs stay on one row", `new Set(tabs().map(b => Math.round(b.getBoundingClientRect().top))).size === 1 && $("#tabs").scrollWidth > $("#tabs").clientWidth`)
	consoleCheck(t, rep, "the tab strip scrolls sideways rather than wrapping", `["auto", "scroll"].includes(getComputedStyle($("#tabs")).overflowX)`)
	qs, _ := json.Marshal(questions[:9])
	consoleCheck(t, rep, "each tab is labelled with the visitor's first question, not an id",
		`(() => { const qs = `+string(qs)+`; return tabs().every((b, i) => { const q = qs[i], topic = b.querySelector(".tab-topic");
			return !!topic && topic.textContent === q && b.title.startsWith(q.slice(0, 60)); }); })()`)
	consoleCheck(t, rep, "a long question is ellipsised in its tab, and whole in its title",
		`(() => { const t = tabs()[0].querySelector(".tab-topic"); return t.scrollWidth > t.clientWidth && getComputedStyle(t).textOverflow === "ellipsis" && tabs()[0].title.startsWith(`+jsString(long[:60])+`); })()`)
	consoleCheck(t, rep, "the crisis's tab carries its risk", `!!tabs()[1].querySelector(".tab-risk") && tabs()[1].querySelector(".tab-risk").textContent.includes("suicide") && !tabs()[2].querySelector(".tab-risk")`)

	// A message in a tab not in view is counted on it.
	visitors[3].Say("are you there?")
	if err := chromedp.Do(rep, consolePoll(`tabs()[3].querySelector(".unread") && Number(tabs()[3].querySelector(".unread").textContent.match(/\d+/)[0]) >= 1`)); err != nil {
		t.Errorf("no unread count on the tab: %v (%s)", err, consoleValue(rep, `tabs()[3].textContent`))
	}

	// The keyboard moves between tabs, as in the ARIA tabs pattern, and
	// the tab chosen scrolls into view.
	consoleCheck(t, rep, "tablist, tabs and tabpanels", `$("#tabs").getAttribute("role") === "tablist" && tabs().every(b => $("#" + b.getAttribute("aria-controls")).getAttribute("role") === "tabpanel")`)
	if err := chromedp.Do(rep, chromedp.Evaluate[chromedp.Void](inConsole(`tabs()[0].click(), tabs()[0].focus()`)), chromedp.KeyEvent(kb.ArrowRight)); err != nil {
		t.Fatal(err)
	}
	consoleCheck(t, rep, "ArrowRight selects and focuses the next tab", `document.activeElement === tabs()[1] && tabs()[1].getAttribute("aria-selected") === "true" && tabs()[0].tabIndex === -1 && tabs()[1].tabIndex === 0`)
	if err := chromedp.Do(rep, chromedp.KeyEvent(kb.End), chromedp.Sleep(300*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	consoleCheck(t, rep, "End selects the last tab and scrolls it into view",
		`(() => { const b = tabs()[8], r = b.getBoundingClientRect(), s = $("#tabs").getBoundingClientRect();
			return document.activeElement === b && b.getAttribute("aria-selected") === "true" && r.left >= s.left - 1 && r.right <= s.right + 1; })()`)
}
