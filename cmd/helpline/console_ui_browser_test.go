package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
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
	reps []string // the representatives' messages received
}

// repMessages returns the representatives' messages the visitor has
// received.
func (v *wsVisitor) repMessages() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]string(nil), v.reps...)
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
	go func() { // read the rest, so pings are answered, keeping the representatives' messages
		for {
			var f struct{ Type, From, Text string }
			if err := ws.ReadJSON(&f); err != nil {
				return
			}
			if f.Type == "message" && f.From == "rep" {
				v.mu.Lock()
				v.reps = append(v.reps, f.Text)
				v.mu.Unlock()
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
	if err := chromedp.Do(rep, chromedp.KeyEvent(kb.Delete), consolePoll(`tabs().length === 8`)); err != nil {
		t.Errorf("Delete did not stop watching the tab: %v", err)
	}
	consoleCheck(t, rep, "the focus stays on a tab", `tabs().includes(document.activeElement) && document.activeElement.getAttribute("aria-selected") === "true"`)
	checkConsoleAccess(t, rep)
}

// TestBrowserConsoleUILimit is a representative at the chat limit (two,
// here): nothing can be taken, and each take button says why; once one
// chat is closed they can take again. In the chat still held, a
// suggestion goes into the reply as paragraphs, and the console with that
// conversation open is checked for keyboard access and heading order, and
// by axe-core.
func TestBrowserConsoleUILimit(t *testing.T) {
	ctx := browser(t)
	svc := startService(t, "--max-chats", "2")
	if err := chromedp.Do(ctx); err != nil { // start the browser
		t.Fatal(err)
	}
	rep := signIn(t, ctx, svc, "")
	ana := newVisitor(t, svc, "can I talk to a real person please")
	ben := newVisitor(t, svc, "I want to speak to a human")
	for n := 1; n <= 2; n++ {
		if err := chromedp.Do(rep,
			consolePoll(`$$("#queue > li").length === `+fmt.Sprint(3-n)+` && !$("#take-next").disabled`),
			chromedp.Click(chromedp.ID("take-next")),
			consolePoll(`$$("#mine > li").length === `+fmt.Sprint(n)),
		); err != nil {
			t.Fatalf("taking chat %d: %v", n, err)
		}
	}
	cat := newVisitor(t, svc, "can I talk to a real person please")
	dan := newVisitor(t, svc, "wen do withdrawls start")
	if err := chromedp.Do(rep, consolePoll(`$$("#queue > li").length === 1 && !!$('#live button[data-act=take][data-key="`+dan.ID+`"]')`)); err != nil {
		t.Fatalf("a third chat waiting and a fourth with the assistant: %v", err)
	}
	screenshot(t, rep, "console-limit")
	const why = `(b) => !!b && b.disabled && b.title.includes("2 of 2") && b.getAttribute("aria-describedby") === "limit-note"`
	consoleCheck(t, rep, "Take next is disabled and says why", `(`+why+`)($("#take-next"))`)
	consoleCheck(t, rep, "Take in the queue is disabled and says why", `(`+why+`)($('#queue button[data-act=take][data-key="`+cat.ID+`"]'))`)
	consoleCheck(t, rep, "Take over in Live is disabled and says why", `(`+why+`)($('#live button[data-act=take][data-key="`+dan.ID+`"]'))`)
	consoleCheck(t, rep, "the reason is on screen", `shown($("#limit-note")) && $("#limit-note").textContent.includes("2 of 2")`)
	if err := chromedp.Do(rep,
		chromedp.Evaluate[chromedp.Void](inConsole(`$('#live button[data-act=watch][data-key="`+dan.ID+`"]').click()`)),
		consolePoll(`panel() && panel().id === "panel-`+dan.ID+`"`),
	); err != nil {
		t.Fatalf("watching the fourth: %v", err)
	}
	consoleCheck(t, rep, "Take over in the conversation is disabled and says why", `(`+why+`)([...panel().querySelectorAll(".panel-actions button")].find(b => b.textContent === "Take over"))`)

	// Ben's chat is closed: taking works again, and says nothing about a limit.
	if err := chromedp.Do(rep,
		chromedp.Evaluate[chromedp.Void](inConsole(`$("#tab-`+ben.ID+`").click()`)),
		consolePoll(`panel().id === "panel-`+ben.ID+`"`),
		chromedp.Evaluate[chromedp.Void](inConsole(`(panel().querySelector(".close-group select").selectedIndex = 1, panel().querySelector(".close-group button").click())`)),
		consolePoll(`$$("#mine > li").length === 1`),
	); err != nil {
		t.Fatalf("closing a chat: %v", err)
	}
	consoleCheck(t, rep, "below the limit, Take next works and has no reason", `!$("#take-next").disabled && !$("#take-next").title && !$("#take-next").hasAttribute("aria-describedby") && !shown($("#limit-note"))`)
	consoleCheck(t, rep, "below the limit, Take over works", `!$('#live button[data-act=take][data-key="`+dan.ID+`"]').disabled`)

	// Ana asks about withdrawal; the entry's file breaks its lines at a
	// width, the reply must not.
	ana.Say("when does heroin withdrawal start and when does it peak")
	const title = "When withdrawal starts, peaks and ends"
	suggestion := `[...panel().querySelectorAll(".suggestions-list li")].find(li => li.querySelector("h4").textContent === ` + jsString(title) + `)`
	if err := chromedp.Do(rep,
		chromedp.Evaluate[chromedp.Void](inConsole(`$("#tab-`+ana.ID+`").click()`)),
		consolePoll(`panel().id === "panel-`+ana.ID+`" && panel().querySelector(".log").textContent.includes("when does it peak")`),
		chromedp.Evaluate[chromedp.Void](inConsole(`[...panel().querySelectorAll("button")].find(b => b.textContent === "Suggestions").click()`)),
		consolePoll(`!!`+suggestion),
	); err != nil {
		t.Fatalf("suggestions: %v (%s)", err, consoleValue(rep, `panel().querySelector(".suggest").textContent`))
	}
	if src, err := os.ReadFile(filepath.Join("..", "..", "knowledge", "entries", "withdrawal-timeline.md")); err != nil || !strings.Contains(string(src), "at its hardest\nduring") {
		t.Errorf("the entry's file no longer breaks a line in its paragraph (%v): this test proves nothing", err)
	}
	consoleCheck(t, rep, "the suggestion reads as paragraphs", suggestion+`.querySelector(".suggestion-text").textContent.includes("at its hardest during the first")`)
	if err := chromedp.Do(rep, chromedp.Evaluate[chromedp.Void](inConsole(suggestion+`.querySelector(".insert").click()`))); err != nil {
		t.Fatal(err)
	}
	reply := `panel().querySelector(".reply textarea").value`
	consoleCheck(t, rep, "the inserted text joins the lines of a paragraph", reply+`.includes("at its hardest during the first") && !/[^\n]\n[^\n]/.test(`+reply+`)`)
	if err := chromedp.Do(rep, chromedp.Evaluate[chromedp.Void](inConsole(suggestion+`.querySelector(".insert").click()`))); err != nil {
		t.Fatal(err)
	}
	consoleCheck(t, rep, "a second insert comes after a blank line", reply+`.split("\n\n").length === 2 && !/[^\n]\n[^\n]/.test(`+reply+`)`)
	if err := chromedp.Do(rep, chromedp.Evaluate[chromedp.Void](inConsole(`panel().querySelector(".reply textarea").value = ""`))); err != nil {
		t.Fatal(err)
	}

	screenshot(t, rep, "console-suggestions")
	consoleCheck(t, rep, "suggestions and the visitor's questions are on screen (or the next checks prove less)", `$$(".suggestion-text").filter(shown).length === 3 && $$(".questions ol").filter(shown).length === 1`)
	checkConsoleAccess(t, rep)
}

// checkConsoleAccess checks the console as it is now: every region that
// scrolls can be reached by keyboard, headings go down one level at a
// time, and axe-core (when installed: see axePath) finds no serious or
// critical violation.
func checkConsoleAccess(t *testing.T, ctx context.Context) {
	t.Helper()
	consoleCheck(t, ctx, "the named scrolling boxes take the focus and have a name",
		`$$(".log, .suggestion-text, .items.scroll, .questions ol").filter(shown).every(el => el.tabIndex === 0 && !!(el.getAttribute("aria-label") || el.getAttribute("aria-labelledby")))`)
	bad := consoleValue(ctx, `$$("body *").filter(el => { const s = getComputedStyle(el);
			return shown(el) && (/(auto|scroll)/.test(s.overflowY) && el.scrollHeight > el.clientHeight + 1 || /(auto|scroll)/.test(s.overflowX) && el.scrollWidth > el.clientWidth + 1); })
		.filter(el => el.tabIndex < 0 && !el.querySelector("a[href], button:not([disabled]), input:not([disabled]), select, textarea:not([disabled]), summary, [tabindex='0']"))
		.map(el => el.tagName + "." + el.className)`)
	if bad != "[]" {
		t.Errorf("scrolling regions the keyboard cannot reach: %s", bad)
	}
	order := consoleValue(ctx, `$$("h1, h2, h3, h4, h5, h6").filter(shown).map(h => Number(h.tagName[1]))`)
	var levels []int
	json.Unmarshal([]byte(order), &levels)
	for i, l := range levels {
		if i == 0 && l != 1 || i > 0 && l > levels[i-1]+1 {
			t.Errorf("heading levels %v skip a level at %d", levels, i)
			break
		}
	}

	if found := axeSerious(t, ctx, "document"); found != "[]" {
		t.Errorf("axe found serious or critical violations: %s", found)
	}
}

// axeSerious runs axe-core (when installed: see axePath) on what the
// JavaScript expression in names (document, or an element) holds, open
// shadow roots included, and returns its serious and critical violations
// as JSON: "[]" when there are none, or when axe-core is not installed.
func axeSerious(t *testing.T, ctx context.Context, in string) string {
	t.Helper()
	src := axePath(t)
	if src == "" {
		return "[]"
	}
	js, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if loaded, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`)); !loaded {
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](string(js)+";undefined")); err != nil {
			t.Fatalf("injecting axe-core: %v", err)
		}
	}
	found, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(`+in+`, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations
		.filter(v => v.impact === "serious" || v.impact === "critical")
		.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.flat().join(" ")).slice(0, 5)}))))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe: %v", err)
	}
	return found
}

// axePath is axe.min.js, installed by .ci/run with
// `npm install --prefix .ci/axe axe-core@4`, or named by $HELPLINE_AXE.
// Without it the check is skipped, unless browser tests are required.
func axePath(t *testing.T) string {
	t.Helper()
	p := os.Getenv("HELPLINE_AXE")
	if p == "" {
		p = filepath.Join("..", "..", ".ci", "axe", "node_modules", "axe-core", "axe.min.js")
	}
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("HELPLINE_BROWSER_TESTS") == "required" {
			t.Fatalf("axe-core is not installed (npm install --prefix .ci/axe axe-core@4): %v", err)
		}
		t.Logf("axe-core is not installed, so it does not check the console: %v", err)
		return ""
	}
	return p
}

// fakeNotices stands in for the browser's Notification, AudioContext and
// page visibility, and records what the console does with them:
// __asked (permission requests), __notes (notifications), __tones
// (tones started). Set __hidden to hide the page.
const fakeNotices = `(() => {
	Object.assign(window, {__hidden: false, __asked: 0, __notes: [], __tones: 0});
	Object.defineProperty(Document.prototype, "visibilityState", {configurable: true, get: () => window.__hidden ? "hidden" : "visible"});
	Object.defineProperty(Document.prototype, "hidden", {configurable: true, get: () => window.__hidden});
	Document.prototype.hasFocus = () => !window.__hidden;
	class Notice {
		constructor(title, opts) { window.__notes.push({title, body: (opts || {}).body || ""}); }
		close() {}
	}
	Notice.permission = "default";
	Notice.requestPermission = () => { window.__asked++; Notice.permission = "granted"; return Promise.resolve("granted"); };
	window.Notification = Notice;
	const param = {setValueAtTime() {}, exponentialRampToValueAtTime() {}};
	window.AudioContext = class {
		constructor() { Object.assign(this, {state: "running", currentTime: 0, destination: {}}); }
		resume() { return Promise.resolve(); }
		createOscillator() { return {frequency: {}, connect: (n) => n, start() { window.__tones++; }, stop() {}}; }
		createGain() { return {gain: param, connect: (n) => n}; }
	};
})()`

// TestBrowserConsoleUINotify is a representative who works in other
// windows too: a new chat in the queue changes the title and beeps, and,
// once they allowed it with a click, shows a desktop notification when
// the console is not in view; muted, it stays silent, also after a
// reload; a message in their own chat while the tab is hidden beeps and
// notifies.
func TestBrowserConsoleUINotify(t *testing.T) {
	ctx := browser(t)
	svc := startService(t)
	if err := chromedp.Do(ctx); err != nil { // start the browser
		t.Fatal(err)
	}
	rep := signIn(t, ctx, svc, fakeNotices)
	hide := func(hidden bool) {
		t.Helper()
		if err := chromedp.Do(rep, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`window.__hidden = %v, document.dispatchEvent(new Event("visibilitychange"))`, hidden))); err != nil {
			t.Fatal(err)
		}
	}
	waiting := func(n int) chromedp.Action[chromedp.Void] {
		return consolePoll(fmt.Sprintf(`$$("#queue > li").length === %d`, n))
	}

	consoleCheck(t, rep, "no permission asked before a click", `window.__asked === 0 && shown($("#notify-enable")) && document.title === "Helpline console"`)
	// A chat already waiting when the console first sees the queue is not
	// new: the visitor comes after it has.
	if err := chromedp.Do(rep, consolePoll(`$("#queue").dataset.seen === "1"`)); err != nil {
		t.Fatalf("the console's first queue: %v", err)
	}
	ana := newVisitor(t, svc, "can I talk to a real person please")
	if err := chromedp.Do(rep, waiting(1)); err != nil {
		t.Fatalf("the first chat: %v", err)
	}
	consoleCheck(t, rep, "a new chat changes the title", `document.title.includes("1 waiting")`)
	consoleCheck(t, rep, "a new chat beeps", `window.__tones === 1`)
	consoleCheck(t, rep, "no notification without permission", `window.__notes.length === 0`)

	if err := chromedp.Do(rep, chromedp.Click(chromedp.ID("notify-enable")), consolePoll(`window.__asked === 1 && !shown($("#notify-enable"))`)); err != nil {
		t.Fatalf("enabling notifications: %v", err)
	}
	consoleCheck(t, rep, "the console says notifications are on", `shown($("#notify-state")) && $("#notify-state").textContent === "Notifications on"`)

	hide(true)
	newVisitor(t, svc, "I want to speak to a human")
	if err := chromedp.Do(rep, waiting(2), consolePoll(`window.__notes.length === 1`)); err != nil {
		t.Fatalf("no notification for a chat while the console is hidden: %v (%s)", err, consoleValue(rep, `window.__notes`))
	}
	consoleCheck(t, rep, "the notification says a chat waits, without the visitor's words", `window.__notes[0].title === "New chat waiting" && !JSON.stringify(window.__notes).includes("human") && window.__tones === 2 && document.title.includes("2 waiting")`)

	// Muted, a new chat is silent, and stays muted after a reload.
	hide(false)
	if err := chromedp.Do(rep, chromedp.Click(chromedp.ID("sound"))); err != nil {
		t.Fatal(err)
	}
	consoleCheck(t, rep, "the mute is shown and kept", `$("#sound").getAttribute("aria-pressed") === "false" && localStorage.getItem("helpline.console.sound") === "off"`)
	hide(true)
	newVisitor(t, svc, "can I talk to a real person please")
	if err := chromedp.Do(rep, waiting(3), consolePoll(`window.__notes.length === 2`)); err != nil {
		t.Fatalf("the third chat: %v", err)
	}
	consoleCheck(t, rep, "muted: no sound, still a notification", `window.__tones === 2`)
	if err := chromedp.Do(rep, chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("app")), consolePoll(`$("#conn").dataset.conn === "online"`)); err != nil {
		t.Fatal(err)
	}
	consoleCheck(t, rep, "still muted after a reload", `$("#sound").getAttribute("aria-pressed") === "false"`)

	// Sound on again; a message in the representative's own chat while
	// the console is hidden beeps and notifies.
	if err := chromedp.Do(rep, chromedp.Click(chromedp.ID("sound")), chromedp.Click(chromedp.ID("notify-enable")),
		consolePoll(`window.__asked === 1 && $("#sound").getAttribute("aria-pressed") === "true"`),
		waiting(3),
		chromedp.Evaluate[chromedp.Void](inConsole(`$('#queue button[data-act=take][data-key="`+ana.ID+`"]').click()`)),
		consolePoll(`panel() && panel().id === "panel-`+ana.ID+`" && !panel().querySelector(".reply textarea").disabled`),
	); err != nil {
		t.Fatalf("taking the first chat: %v", err)
	}
	hide(true)
	ana.Say("are you still there?")
	if err := chromedp.Do(rep, consolePoll(`window.__notes.some(n => n.title === "New message")`)); err != nil {
		t.Fatalf("no notification for a message while hidden: %v (%s)", err, consoleValue(rep, `window.__notes`))
	}
	consoleCheck(t, rep, "the message beeps and counts in the title", `window.__tones === 1 && document.title.startsWith("(1)")`)
	hide(false)
	consoleCheck(t, rep, "back in view, the message is read", `!document.title.startsWith("(")`)
}
