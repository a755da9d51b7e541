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
