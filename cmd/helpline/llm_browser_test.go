package main

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	openai "github.com/sashabaranov/go-openai"

	"helpline/internal/assistant/assistanttest"
)

// TestBrowserGeneratedAnswer drives the widget with a stand-in language
// model whose answer carries markup: the answer is drawn as it streams
// (a draft), then shown whole as plain text, never as HTML, with the note
// naming the entry it was written from; the draft is gone.
func TestBrowserGeneratedAnswer(t *testing.T) {
	ctx := browser(t)
	var (
		mu    sync.Mutex
		title string
	)
	model := assistanttest.NewServer(func(req openai.ChatCompletionRequest) assistanttest.Reply {
		r := assistanttest.Grounded(req)
		mu.Lock()
		title = assistanttest.Entries(req)[0].Title
		mu.Unlock()
		// Markup the checks let through: the widget must show it as text.
		r.Text = strings.Replace(r.Text, "\nSOURCES:", " <b>Take care.</b> You are not alone in this, and the worst days do pass for most people.\nSOURCES:", 1)
		return r
	})
	defer model.Close()
	url := startService(t, "--llm-base-url", model.URL(), "--llm-model", "stand-in").URL
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: openShadowRoots}); err != nil {
		t.Fatal(err)
	}
	poll := func(expr string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](inWidget(expr), chromedp.WithPollingTimeout(15*time.Second))
	}
	input := chromedp.JSPath(root + `.querySelector("#hl-input")`)
	launcher := chromedp.JSPath(root + `.querySelector(".hl-launcher")`)
	// Counts the drafts the widget draws while the answer streams.
	watch := `(window.hlDrafts = 0, new MutationObserver((ms) => ms.forEach((m) => m.addedNodes.forEach((n) => { if (n.classList && n.classList.contains("hl-draft")) window.hlDrafts++; }))).observe($(".hl-msgs"), { childList: true }), true)`
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 720),
		chromedp.Navigate(url), chromedp.WaitVisible(launcher), chromedp.Click(launcher), chromedp.WaitVisible(input),
		poll(watch),
		chromedp.SendKeys(input, "wen do withdrawls start"+kb.Enter),
		poll(`lastMsg("bot") && !!lastMsg("bot").querySelector(".hl-generated")`),
	); err != nil {
		t.Fatalf("a generated answer: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if title == "" {
		t.Fatal("the question never reached the model")
	}
	widgetCheck(t, ctx, "the answer streamed as a draft first", `window.hlDrafts === 1`)
	widgetCheck(t, ctx, "the draft gave way to the whole answer", `$$(".hl-draft").length === 0 && $$(".hl-bot").length === 1`)
	widgetCheck(t, ctx, "the model's markup is shown as text", `lastMsg("bot").querySelector(".hl-body").textContent.includes("<b>Take care.</b>") && !lastMsg("bot").querySelector(".hl-body b")`)
	widgetCheck(t, ctx, "the note names the entry it was written from", `lastMsg("bot").querySelector(".hl-generated").textContent === "Written by the assistant from: " + `+jsString(title))
}
