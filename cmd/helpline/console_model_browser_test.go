package main

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	openai "github.com/sashabaranov/go-openai"

	"helpline/internal/assistant/assistanttest"
)

// TestBrowserConsoleModelDraft: with a language model that may read
// transcripts, a representative holding a chat presses "Draft a reply":
// the model's draft fills the reply box, marked as the model's, and
// nothing reaches the visitor until they press Send. "Summarize" shows
// the model's summary as text (its markup too) under the console's own,
// marked as the model's. The console stays accessible with both shown.
func TestBrowserConsoleModelDraft(t *testing.T) {
	ctx := browser(t)
	var (
		mu       sync.Mutex
		requests int
	)
	const note = "The visitor asked when withdrawal starts.\nThe assistant answered from the knowledge base.\nStill open: <b>what to do next</b>."
	model := assistanttest.NewServer(func(req openai.ChatCompletionRequest) assistanttest.Reply {
		mu.Lock()
		requests++
		mu.Unlock()
		if strings.Contains(req.Messages[0].Content, "short notes for a representative") {
			return assistanttest.Reply{Text: note}
		}
		return assistanttest.Grounded(req)
	})
	defer model.Close()
	svc := startService(t, "--llm-base-url", model.URL(), "--llm-model", "stand-in", "--llm-transcripts", "true")
	if err := chromedp.Do(ctx); err != nil { // start the browser
		t.Fatal(err)
	}
	rep := signIn(t, ctx, svc, "")

	v := newVisitor(t, svc, "can I talk to a real person please")
	if err := chromedp.Do(rep,
		consolePoll(`$$("#queue > li").length === 1 && !$("#take-next").disabled`),
		chromedp.Click(chromedp.ID("take-next")),
		consolePoll(`!!panel() && !!panel().querySelector(".reply textarea") && !panel().querySelector(".reply textarea").disabled`),
	); err != nil {
		t.Fatalf("taking the chat: %v", err)
	}
	v.Say("wen do withdrawls start")
	if err := chromedp.Do(rep, consolePoll(`panel().querySelector(".log").textContent.includes("wen do withdrawls start")`)); err != nil {
		t.Fatalf("the visitor's question: %v", err)
	}
	before := consoleValue(rep, `panel().querySelectorAll(".log .msg").length`)

	draft := `panel().querySelector(".draft-btn")`
	if err := chromedp.Do(rep,
		consolePoll(draft+` && !`+draft+`.hidden && !`+draft+`.disabled`),
		chromedp.Evaluate[chromedp.Void](inConsole(draft+`.focus()`)),
	); err != nil {
		t.Fatalf("no Draft a reply button: %v", err)
	}
	// The keyboard presses it: Enter on the focused button.
	if err := chromedp.Do(rep, chromedp.KeyEvent("\r"),
		consolePoll(`panel().querySelector(".reply textarea").value.length > 0`),
	); err != nil {
		t.Fatalf("the draft never filled the reply box: %v (note %s)", err, consoleValue(rep, `panel().querySelector(".draft-note").textContent`))
	}
	screenshot(t, rep, "console-model-draft")
	consoleCheck(t, rep, "the draft is marked as the model's", `panel().querySelector(".draft-note").textContent.includes("Draft written by the model — check before sending")`)
	consoleCheck(t, rep, "the draft is in the reply box, not the transcript", `panel().querySelectorAll(".log .msg").length === `+before+` && !panel().querySelector(".log .pending")`)
	// Nothing is sent: the visitor has no message from the representative
	// and the service stored none.
	time.Sleep(time.Second)
	if got := v.repMessages(); len(got) != 0 {
		t.Fatalf("the visitor received %q before Send was pressed", got)
	}
	text := consoleValue(rep, `panel().querySelector(".reply textarea").value`)

	if err := chromedp.Do(rep,
		chromedp.Click(chromedp.JSPath(`document.querySelector(".panel:not([hidden]) .reply button[type=submit]")`)),
		consolePoll(`panel().querySelector(".reply textarea").value === "" && panel().querySelector(".draft-note").textContent === ""`),
	); err != nil {
		t.Fatalf("sending: %v", err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(v.repMessages()) == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if got := v.repMessages(); len(got) != 1 || jsString(got[0]) != text {
		t.Errorf("after Send the visitor received %q, want the draft %s", got, text)
	}

	summarize := `panel().querySelector(".summarize-btn")`
	if err := chromedp.Do(rep,
		consolePoll(`!!`+summarize+` && !panel().querySelector(".model-summary").hidden`),
		chromedp.Evaluate[chromedp.Void](inConsole(summarize+`.click()`)),
		consolePoll(`!panel().querySelector(".model-summary-text").hidden`),
	); err != nil {
		t.Fatalf("no summary: %v (status %s)", err, consoleValue(rep, `panel().querySelector(".model-summary").textContent`))
	}
	consoleCheck(t, rep, "the summary is marked as the model's", `panel().querySelector(".model-summary").textContent.includes("Written by the model")`)
	consoleCheck(t, rep, "the summary is text, its markup too", `panel().querySelectorAll(".model-summary-text p").length === 3 && panel().querySelector(".model-summary-text").textContent.includes("<b>what to do next</b>") && !panel().querySelector(".model-summary-text b")`)
	consoleCheck(t, rep, "it is under the console's own summary", `panel().querySelector(".summary").contains(panel().querySelector(".model-summary")) && panel().querySelector(".summary dl").compareDocumentPosition(panel().querySelector(".model-summary")) === Node.DOCUMENT_POSITION_FOLLOWING`)
	screenshot(t, rep, "console-model-summary")
	mu.Lock()
	if requests != 2 {
		t.Errorf("%d requests reached the model, want the draft's and the summary's", requests)
	}
	mu.Unlock()
	checkConsoleAccess(t, rep)
}

// TestBrowserConsoleModelOff: without a language model the console shows
// neither control.
func TestBrowserConsoleModelOff(t *testing.T) {
	ctx := browser(t)
	svc := startService(t)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	rep := signIn(t, ctx, svc, "")
	newVisitor(t, svc, "can I talk to a real person please")
	if err := chromedp.Do(rep,
		consolePoll(`$$("#queue > li").length === 1 && !$("#take-next").disabled`),
		chromedp.Click(chromedp.ID("take-next")),
		consolePoll(`!!panel() && !!panel().querySelector(".reply textarea") && !panel().querySelector(".reply textarea").disabled`),
	); err != nil {
		t.Fatalf("taking the chat: %v", err)
	}
	consoleCheck(t, rep, "no Draft a reply and no Summarize", `!shown(panel().querySelector(".draft-btn")) && !shown(panel().querySelector(".summarize-btn"))`)
}
