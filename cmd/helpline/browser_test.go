package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// service is a running `helpline serve`.
type service struct {
	URL string // the chat page
	// Name and Password sign in to the console: the demo account the
	// embedded Redis starts with.
	Name, Password string
}

// startService runs `helpline serve` on a free port with the embedded
// Redis, exactly as a user would, and returns where it runs.
func startService(t *testing.T, args ...string) service {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		args := append([]string{"serve", "--addr", "127.0.0.1:0", "--log-format", "text"}, args...)
		done <- run(ctx, args, func(string) string { return "" }, strings.NewReader(""), pw, io.Discard)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	started := make(chan service, 1)
	go func() {
		var s service
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if m := regexp.MustCompile(`chat page on (http://\S+/)`).FindStringSubmatch(sc.Text()); m != nil {
				s.URL = m[1]
			}
			if m := regexp.MustCompile(`sign in as (\S+), password (\S+)\)`).FindStringSubmatch(sc.Text()); m != nil {
				s.Name, s.Password = m[1], m[2]
				started <- s
			}
		}
	}()
	select {
	case s := <-started:
		return s
	case err := <-done:
		t.Fatalf("serve ended: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("the service did not start")
	}
	return service{}
}

// browser starts Debian's chromium, headless, with the flags this machine's
// closed network needs.
func browser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("HELPLINE_BROWSER_TESTS") == "required" {
			t.Fatal("chromium is not installed (apt-get install chromium)")
		}
		t.Skip("chromium is not installed; .ci/run installs it")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

// openShadowRoots makes the widget's closed shadow root reachable from the
// test. The widget keeps it closed so that scripts on the host page cannot
// read the conversation; only this test opens it.
const openShadowRoots = `(() => {
	const attach = Element.prototype.attachShadow;
	Element.prototype.attachShadow = function (init) { return attach.call(this, Object.assign({}, init, {mode: "open"})); };
})()`

const root = `document.querySelector("helpline-chat").shadowRoot`

// TestBrowser drives the demo page in a real browser: ask a question, see
// the answer, reload and see the conversation again, and check that markup
// in a message is shown as text and never runs.
func TestBrowser(t *testing.T) {
	ctx := browser(t)
	url := startService(t).URL

	var mu sync.Mutex
	var dialogs []string
	events := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range events {
			if err != nil {
				return
			}
			mu.Lock()
			dialogs = append(dialogs, ev.Message)
			mu.Unlock()
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()

	input := chromedp.JSPath(root + `.querySelector("#hl-input")`)
	openWidget := chromedp.Steps(
		chromedp.WaitVisible(chromedp.JSPath(root+`.querySelector(".hl-launcher")`)),
		chromedp.Click(chromedp.JSPath(root+`.querySelector(".hl-launcher")`)),
		chromedp.WaitVisible(input),
	)
	botAnswered := func(word string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](`[...`+root+`.querySelectorAll(".hl-msg:not(.hl-visitor) .hl-body")].some(b => b.textContent.toLowerCase().includes("`+word+`"))`,
			chromedp.WithPollingTimeout(15*time.Second))
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: openShadowRoots}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx,
		chromedp.Navigate(url),
		openWidget,
		chromedp.SendKeys(input, "wen do withdrawls start"+kb.Enter),
		botAnswered("withdrawal"),
	); err != nil {
		t.Fatalf("asking a question: %v", err)
	}

	// After a reload the conversation is there again.
	if err := chromedp.Do(ctx, chromedp.Reload(), openWidget, botAnswered("withdrawal")); err != nil {
		t.Fatalf("after a reload: %v", err)
	}

	// Markup a visitor types is shown as text and never runs.
	const payload = `<img src=x onerror=alert(1)>`
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(input, payload+kb.Enter),
		chromedp.Poll[chromedp.Void](`[...`+root+`.querySelectorAll(".hl-visitor .hl-body")].some(b => b.textContent === `+"`"+payload+"`"+`)`, chromedp.WithPollingTimeout(15*time.Second)),
		chromedp.Sleep(500*time.Millisecond), // time for an onerror to fire, if it could
	); err != nil {
		t.Fatalf("sending markup: %v", err)
	}
	images, err := chromedp.Run(ctx, chromedp.Evaluate[int](root+`.querySelectorAll(".hl-msgs img").length`))
	if err != nil || images != 0 {
		t.Errorf("%d images in the conversation (%v), want none", images, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(dialogs) > 0 {
		t.Errorf("a script ran: alert(%q)", dialogs)
	}
}

// TestBrowserHandoff drives the widget and the console in one browser,
// as a visitor and a representative would: the representative signs in;
// the visitor asks for a person; the representative takes the
// conversation and they talk; a second visitor in danger jumps ahead of a
// third who only asked; the representative hands the first back to the
// bot, which answers again.
func TestBrowserHandoff(t *testing.T) {
	ctx := browser(t)
	svc := startService(t)
	if err := chromedp.Do(ctx); err != nil { // start the browser
		t.Fatal(err)
	}
	// Each visitor is a separate browser profile, so each has its own
	// conversation; the console is another.
	newProfile := func() context.Context {
		c, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		if _, err := chromedp.Call(c, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: openShadowRoots}); err != nil {
			t.Fatal(err)
		}
		return c
	}
	input := chromedp.JSPath(root + `.querySelector("#hl-input")`)
	launcher := chromedp.JSPath(root + `.querySelector(".hl-launcher")`)
	seen := func(class, text string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](`[...`+root+`.querySelectorAll(".hl-msg.hl-`+class+` .hl-body")].some(b => b.textContent.includes(`+jsString(text)+`))`,
			chromedp.WithPollingTimeout(15*time.Second))
	}
	visit := func(c context.Context, say string) {
		t.Helper()
		if err := chromedp.Do(c, chromedp.Navigate(svc.URL), chromedp.WaitVisible(launcher), chromedp.Click(launcher),
			chromedp.WaitVisible(input), chromedp.SendKeys(input, say+kb.Enter)); err != nil {
			t.Fatalf("visitor: %v", err)
		}
	}
	panel := `document.querySelector(".panel:not([hidden])")`
	clickButton := func(text string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](`[...` + panel + `.querySelectorAll("button")].find(b => b.textContent.startsWith(` + jsString(text) + `)).click()`)
	}

	rep := newProfile()
	if err := chromedp.Do(rep,
		chromedp.Navigate(svc.URL+"console"),
		chromedp.SendKeys(chromedp.ID("signin-name"), svc.Name),
		chromedp.SendKeys(chromedp.ID("signin-password"), svc.Password+kb.Enter),
		chromedp.WaitVisible(chromedp.ID("app")),
		chromedp.Poll[chromedp.Void](`document.getElementById("conn").dataset.conn === "online"`, chromedp.WithPollingTimeout(10*time.Second)),
	); err != nil {
		t.Fatalf("signing in: %v", err)
	}

	ana := newProfile()
	visit(ana, "can I talk to a real person please")
	if err := chromedp.Do(ana, seen("system", "finding a person")); err != nil {
		t.Fatalf("asking for a person: %v", err)
	}
	if err := chromedp.Do(rep,
		chromedp.Poll[chromedp.Void](`document.querySelectorAll("#queue li").length === 1`, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Click(chromedp.ID("take-next")),
		chromedp.Poll[chromedp.Void](panel+` && `+panel+`.querySelector("textarea")`, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.SendKeys(chromedp.JSPath(panel+`.querySelector(".reply textarea")`), "Hi, I'm here with you."),
		chromedp.Click(chromedp.JSPath(panel+`.querySelector(".reply button[type=submit]")`)),
	); err != nil {
		t.Fatalf("taking the conversation: %v", err)
	}
	if err := chromedp.Do(ana, seen("system", "has joined"), seen("rep", "here with you"),
		chromedp.SendKeys(input, "thank you, my son uses fentanyl"+kb.Enter)); err != nil {
		t.Fatalf("talking with the representative: %v", err)
	}
	if err := chromedp.Do(rep, chromedp.Poll[chromedp.Void](panel+`.querySelector(".log").textContent.includes("my son uses fentanyl")`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("the console did not show the visitor's message: %v", err)
	}

	// Ben only asks for a person; then Cat, in danger, goes ahead of him.
	ben := newProfile()
	visit(ben, "I want to speak to a human")
	if err := chromedp.Do(ben, seen("system", "finding a person")); err != nil {
		t.Fatal(err)
	}
	cat := newProfile()
	visit(cat, "I'm going to take all my pills tonight")
	if err := chromedp.Do(cat, seen("bot", "988")); err != nil {
		t.Fatalf("crisis reply: %v", err)
	}
	if err := chromedp.Do(rep,
		chromedp.Poll[chromedp.Void](`document.querySelectorAll("#queue li").length === 2`, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Poll[chromedp.Void](`document.querySelector("#alerts .alert") !== null`, chromedp.WithPollingTimeout(10*time.Second)),
	); err != nil {
		t.Fatalf("queue and alert: %v", err)
	}
	first, err := chromedp.Run(rep, chromedp.Evaluate[string](`document.querySelector("#queue li").textContent`))
	if err != nil || !strings.Contains(strings.ToLower(first), "suicide") {
		t.Errorf("first in the queue: %q (%v), want the visitor at risk of suicide", first, err)
	}

	// Ana is handed back to the bot, which answers her again.
	if err := chromedp.Do(rep, clickButton("Hand back"), chromedp.Sleep(200*time.Millisecond), clickButton("Click again")); err != nil {
		t.Fatalf("handing back: %v", err)
	}
	if err := chromedp.Do(ana, seen("system", "back with the helpline assistant"),
		chromedp.SendKeys(input, "how long does heroin withdrawal last"+kb.Enter),
		seen("bot", "withdrawal")); err != nil {
		t.Fatalf("back with the bot: %v", err)
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// widgetJS is JavaScript for the widget's tests: $ finds inside its shadow
// root; seen(el) says whether el is wholly inside the conversation's
// visible part, as the visitor sees it without scrolling; lastMsg(cls) is
// the last message of that class.
const widgetJS = `const w = ` + root + `;
	const $ = (q) => w.querySelector(q), $$ = (q) => [...w.querySelectorAll(q)];
	const box = (el) => el.getBoundingClientRect();
	const seen = (el) => { const r = box(el), l = box($(".hl-log")); return r.height > 0 && r.top >= l.top - 1 && r.bottom <= l.bottom + 1; };
	const shown = (el) => el.getClientRects().length > 0;
	const lastMsg = (cls) => $$(".hl-msg.hl-" + cls).pop();
	const offer = (label) => $$("button").filter(b => b.textContent === label);
	const choices = (m) => [...m.querySelectorAll(".hl-actions button")];
	const click = (q) => { const b = $(q); if (!b) return false; b.click(); return true; };
	`

// inWidget is a JavaScript expression evaluated with widgetJS's helpers.
func inWidget(expr string) string {
	return `(() => { ` + widgetJS + ` return (` + expr + `); })()`
}

// widgetCheck evaluates a JavaScript expression in the widget (see
// widgetJS) and reports a failure, with what it returned, when it is
// not true.
func widgetCheck(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[any](inWidget(expr)))
	if err != nil {
		t.Errorf("%s: %v", what, err)
	} else if got != true {
		t.Errorf("%s: got %v, want true", what, got)
	}
}

// screenshot saves what the browser shows to $HELPLINE_SCREENSHOTS/name.png
// when that variable is set, to look at the layout by eye.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("HELPLINE_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err == nil {
		err = os.WriteFile(dir+"/"+name+".png", png, 0o644)
	}
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
	}
}

// TestBrowserCrisis is an overdose at night, on a 390×844 phone and in the
// 380×640 panel on a desktop. With nobody online, the visitor is told what
// to do and given the numbers in a compact bar, with no insurance check
// offered; a representative signs in, takes over and replies, and the
// reply is in view at once; a message that comes while the visitor
// scrolled back is announced with a button; when the chat is closed the
// bar leaves and the closing notice shows whole.
func TestBrowserCrisis(t *testing.T) {
	for _, vp := range []struct {
		name          string
		width, height int64
		mobile        bool
	}{
		{"phone", 390, 844, true},
		{"desktop", 1280, 800, false},
	} {
		t.Run(vp.name, func(t *testing.T) {
			emulate := chromedp.EmulateViewport(vp.width, vp.height)
			if vp.mobile {
				emulate = chromedp.EmulateViewport(vp.width, vp.height, chromedp.EmulateMobile)
			}
			browserCrisis(t, emulate, vp.name)
		})
	}
}

// browserCrisis runs TestBrowserCrisis in one viewport; on a phone the
// panel must fill the screen, on a desktop it keeps its own size.
func browserCrisis(t *testing.T, viewport chromedp.Action[chromedp.Void], name string) {
	phone := name == "phone"
	ctx := browser(t)
	svc := startService(t)
	if err := chromedp.Do(ctx); err != nil { // start the browser
		t.Fatal(err)
	}
	newProfile := func() context.Context {
		c, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		if _, err := chromedp.Call(c, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: openShadowRoots}); err != nil {
			t.Fatal(err)
		}
		return c
	}
	poll := func(expr string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](inWidget(expr), chromedp.WithPollingTimeout(15*time.Second))
	}
	input := chromedp.JSPath(root + `.querySelector("#hl-input")`)
	launcher := chromedp.JSPath(root + `.querySelector(".hl-launcher")`)

	visitor := newProfile()
	if err := chromedp.Do(visitor,
		viewport,
		chromedp.Navigate(svc.URL), chromedp.WaitVisible(launcher), chromedp.Click(launcher), chromedp.WaitVisible(input),
		chromedp.SendKeys(input, "can I talk to a real person please"+kb.Enter),
		poll(`offer("Check my insurance").some(shown)`),
	); err != nil {
		t.Fatalf("asking for a person with nobody online: %v", err)
	}
	if phone {
		widgetCheck(t, visitor, "the panel fills the phone's screen", `box($(".hl-panel")).height === 844 && box($(".hl-panel")).width === 390`)
	} else {
		widgetCheck(t, visitor, "the panel keeps its own size on a desktop", `box($(".hl-panel")).height <= 700 && box($(".hl-panel")).width <= 420`)
	}

	if err := chromedp.Do(visitor,
		chromedp.SendKeys(input, "my friend took too much and isnt breathing"+kb.Enter),
		poll(`lastMsg("bot") && lastMsg("bot").textContent.includes("overdose") && shown($(".hl-crisis"))`),
	); err != nil {
		t.Fatalf("the crisis reply: %v", err)
	}
	screenshot(t, visitor, "crisis-"+name)
	widgetCheck(t, visitor, "the crisis bar fits in a quarter of the panel", `box($(".hl-crisis")).height <= box($(".hl-panel")).height / 4`)
	widgetCheck(t, visitor, "the bar calls 911 and Poison Control", `!!$('.hl-crisis a[href="tel:911"]') && !!$('.hl-crisis a[href="tel:+18002221222"]')`)
	widgetCheck(t, visitor, "the bar does not repeat the reply", `!$(".hl-crisis").innerText.includes("naloxone")`)
	widgetCheck(t, visitor, "no insurance check during the crisis", `offer("Check my insurance").length > 0 && !offer("Check my insurance").some(shown)`)
	widgetCheck(t, visitor, "the call-back request is still offered", `offer("Request a call back").some(shown)`)
	widgetCheck(t, visitor, "the visitor's words and the reply's start are in view", `seen(lastMsg("visitor")) && box(lastMsg("bot")).top >= box($(".hl-log")).top`)
	widgetCheck(t, visitor, "every message has a time", `$$(".hl-msg").every(m => m.querySelector("time[datetime]"))`)
	widgetCheck(t, visitor, `"What to do" opens the steps`, `click(".hl-steps-toggle") && $(".hl-steps-toggle").getAttribute("aria-expanded") === "true" && $(".hl-crisis").innerText.includes("naloxone")`)
	widgetCheck(t, visitor, `"What to do" closes them again`, `click(".hl-steps-toggle") && !$(".hl-crisis").innerText.includes("naloxone")`)

	// A representative signs in, finds the crisis among the live
	// conversations, takes it over and replies.
	rep := newProfile()
	panel := `document.querySelector(".panel:not([hidden])")`
	const hello = "I'm here with you. Is your friend breathing now? You can also call 1-800-662-HELP."
	if err := chromedp.Do(rep,
		chromedp.Navigate(svc.URL+"console"),
		chromedp.SendKeys(chromedp.ID("signin-name"), svc.Name),
		chromedp.SendKeys(chromedp.ID("signin-password"), svc.Password+kb.Enter),
		chromedp.WaitVisible(chromedp.ID("app")),
		chromedp.Poll[chromedp.Void](`[...document.querySelectorAll("#live li button")].some(b => b.textContent === "Take over" && !b.disabled)`, chromedp.WithPollingTimeout(15*time.Second)),
		chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll("#live li button")].find(b => b.textContent === "Take over").click()`),
		chromedp.Poll[chromedp.Void](panel+` && `+panel+`.querySelector(".reply textarea")`, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.SendKeys(chromedp.JSPath(panel+`.querySelector(".reply textarea")`), hello),
		chromedp.Click(chromedp.JSPath(panel+`.querySelector(".reply button[type=submit]")`)),
	); err != nil {
		t.Fatalf("taking over: %v", err)
	}
	if err := chromedp.Do(visitor, poll(`lastMsg("rep") && lastMsg("rep").textContent.includes("here with you")`), chromedp.Sleep(300*time.Millisecond)); err != nil {
		t.Fatalf("the representative's reply: %v", err)
	}
	screenshot(t, visitor, "crisis-"+name+"-rep")
	widgetCheck(t, visitor, "the representative's reply is in view without scrolling", `seen(lastMsg("rep"))`)
	widgetCheck(t, visitor, "the crisis bar still fits in a quarter of the panel", `shown($(".hl-crisis")) && box($(".hl-crisis")).height <= box($(".hl-panel")).height / 4`)
	widgetCheck(t, visitor, "1-800-662-HELP is a link that dials its digits", `!!lastMsg("rep").querySelector('a[href="tel:+18006624357"]')`)
	widgetCheck(t, visitor, "no insurance check with the representative either", `!offer("Check my insurance").some(shown)`)

	// The visitor scrolls back; the next message does not move the log but
	// is announced, and the button brings it into view.
	if err := chromedp.Do(visitor, chromedp.Evaluate[chromedp.Void](root+`.querySelector(".hl-log").scrollTop = 0`), chromedp.Sleep(200*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(rep,
		chromedp.SendKeys(chromedp.JSPath(panel+`.querySelector(".reply textarea")`), "Stay with him until the ambulance comes."),
		chromedp.Click(chromedp.JSPath(panel+`.querySelector(".reply button[type=submit]")`)),
	); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(visitor, poll(`lastMsg("rep").textContent.includes("ambulance")`), chromedp.Sleep(200*time.Millisecond)); err != nil {
		t.Fatalf("the second reply: %v", err)
	}
	widgetCheck(t, visitor, "the log stayed where the visitor scrolled", `$(".hl-log").scrollTop === 0 && !seen(lastMsg("rep"))`)
	widgetCheck(t, visitor, `a "New message" button says a message came`, `!!$(".hl-newmsg") && shown($(".hl-newmsg"))`)
	if err := chromedp.Do(visitor, chromedp.Evaluate[chromedp.Void](inWidget(`click(".hl-newmsg")`)), chromedp.Sleep(200*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	widgetCheck(t, visitor, `"New message" shows the message`, `seen(lastMsg("rep")) && !shown($(".hl-newmsg"))`)

	// The representative closes the chat: the bar leaves, and the closing
	// notice is there in full.
	if err := chromedp.Do(rep,
		chromedp.Evaluate[chromedp.Void](panel+`.querySelector(".close-group select").selectedIndex = 1`),
		chromedp.Click(chromedp.JSPath(panel+`.querySelector(".close-group button")`)),
	); err != nil {
		t.Fatalf("closing: %v", err)
	}
	if err := chromedp.Do(visitor, poll(`$(".hl-input, #hl-input").disabled && lastMsg("system") && lastMsg("system").textContent.includes("closed")`), chromedp.Sleep(300*time.Millisecond)); err != nil {
		t.Fatalf("the chat did not close: %v", err)
	}
	screenshot(t, visitor, "crisis-"+name+"-closed")
	widgetCheck(t, visitor, "the bar left with the chat", `!shown($(".hl-crisis"))`)
	widgetCheck(t, visitor, "the closing notice is in view", `seen(lastMsg("system"))`)
}

// TestBrowserAnswers checks how answers read on a desktop: a menu's
// buttons are spent once one is chosen, a long answer opens at its start
// with the question above it, and the keyboard stays inside the open panel.
func TestBrowserAnswers(t *testing.T) {
	ctx := browser(t)
	url := startService(t).URL
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: openShadowRoots}); err != nil {
		t.Fatal(err)
	}
	poll := func(expr string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](inWidget(expr), chromedp.WithPollingTimeout(15*time.Second))
	}
	input := chromedp.JSPath(root + `.querySelector("#hl-input")`)
	launcher := chromedp.JSPath(root + `.querySelector(".hl-launcher")`)
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 720),
		chromedp.Navigate(url), chromedp.WaitVisible(launcher), chromedp.Click(launcher), chromedp.WaitVisible(input),
		chromedp.SendKeys(input, "methadone?"+kb.Enter),
		poll(`lastMsg("bot") && choices(lastMsg("bot")).length >= 2`),
		chromedp.Evaluate[chromedp.Void](inWidget(`choices(lastMsg("bot"))[1].click()`)),
		poll(`$$(".hl-bot").length === 2 && !lastMsg("visitor").classList.contains("hl-pending")`),
	); err != nil {
		t.Fatalf("choosing from a menu: %v", err)
	}
	widgetCheck(t, ctx, "the menu's buttons are spent", `choices($$(".hl-bot")[0]).every(b => b.disabled)`)
	widgetCheck(t, ctx, "the choice made stays marked", `$$(".hl-bot")[0].querySelectorAll(".hl-chosen").length === 1`)
	widgetCheck(t, ctx, "the new answer's buttons are live", `choices(lastMsg("bot")).some(b => !b.disabled)`)

	if err := chromedp.Do(ctx,
		chromedp.SendKeys(input, "how do i talk to my son about his drug use"+kb.Enter),
		poll(`$$(".hl-bot").length === 3`), chromedp.Sleep(300*time.Millisecond),
	); err != nil {
		t.Fatalf("a long answer: %v", err)
	}
	screenshot(t, ctx, "long-answer")
	widgetCheck(t, ctx, "the answer is longer than the log (or this test proves nothing)", `box(lastMsg("bot")).height > $(".hl-log").clientHeight`)
	widgetCheck(t, ctx, "the long answer opens at its start, below the question", `seen(lastMsg("visitor")) && box(lastMsg("bot")).top >= box($(".hl-log")).top`)
	widgetCheck(t, ctx, "the earlier answer's buttons are spent once the visitor writes", `choices($$(".hl-bot")[1]).every(b => b.disabled)`)
	widgetCheck(t, ctx, "every message has a time", `$$(".hl-msg").every(m => m.querySelector("time[datetime]"))`)
	widgetCheck(t, ctx, "no banner or main landmark of the widget's own", `!$("header, main, [role=banner], [role=main]") && $(".hl-panel").getAttribute("role") === "dialog" && !!$(".hl-panel").getAttribute("aria-labelledby")`)

	// Tab goes round the panel's controls and never leaves it; Escape
	// closes it and gives the focus back to the launcher.
	var outside []string
	for i := 0; i < 30; i++ {
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
		where, err := chromedp.Run(ctx, chromedp.Evaluate[string](inWidget(`w.activeElement && $(".hl-panel").contains(w.activeElement) ? "" : String(w.activeElement && w.activeElement.className)`)))
		if err != nil {
			t.Fatal(err)
		}
		if where != "" {
			outside = append(outside, where)
		}
	}
	if len(outside) > 0 {
		t.Errorf("Tab left the panel for %q", outside)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Escape)); err != nil {
		t.Fatal(err)
	}
	widgetCheck(t, ctx, "Escape closes the panel and focuses the launcher", `!shown($(".hl-panel")) && w.activeElement === $(".hl-launcher")`)
}
