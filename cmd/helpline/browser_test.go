package main

import (
	"bufio"
	"context"
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

// startService runs `helpline serve` on a free port with the embedded
// Redis, exactly as a user would, and returns its URL.
func startService(t *testing.T, args ...string) string {
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
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if m := regexp.MustCompile(`http://\S+/`).FindString(sc.Text()); m != "" {
				urls <- m
			}
		}
	}()
	select {
	case u := <-urls:
		return u
	case err := <-done:
		t.Fatalf("serve ended: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("the service did not start")
	}
	return ""
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
	url := startService(t)

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
