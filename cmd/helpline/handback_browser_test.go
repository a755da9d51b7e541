package main

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserHandbackAnswers: a visitor asks for a person, a
// representative takes the chat and greets them, the visitor asks a
// question, and the representative hands the chat back to the assistant
// before answering it. The visitor sees the assistant answer that
// question right after the hand-back notice, without asking again, and
// the representative is told the assistant answered it.
func TestBrowserHandbackAnswers(t *testing.T) {
	ctx := browser(t)
	svc := startService(t)
	if err := chromedp.Do(ctx); err != nil { // start the browser
		t.Fatal(err)
	}
	rep := signIn(t, ctx, svc, "")

	visitor, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if _, err := chromedp.Call(visitor, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: openShadowRoots}); err != nil {
		t.Fatal(err)
	}
	poll := func(expr string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](inWidget(expr), chromedp.WithPollingTimeout(15*time.Second))
	}
	input := chromedp.JSPath(root + `.querySelector("#hl-input")`)
	launcher := chromedp.JSPath(root + `.querySelector(".hl-launcher")`)
	if err := chromedp.Do(visitor,
		chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(svc.URL), chromedp.WaitVisible(launcher), chromedp.Click(launcher), chromedp.WaitVisible(input),
		chromedp.SendKeys(input, "can I talk to a real person please"+kb.Enter),
		poll(`$$(".hl-msg.hl-system").some(m => m.textContent.includes("finding a person"))`),
	); err != nil {
		t.Fatalf("asking for a person: %v", err)
	}

	reply := chromedp.JSPath(`document.querySelector(".panel:not([hidden]) .reply textarea")`)
	if err := chromedp.Do(rep,
		consolePoll(`$$("#queue > li").length === 1 && !$("#take-next").disabled`),
		chromedp.Click(chromedp.ID("take-next")),
		consolePoll(`!!panel() && !!panel().querySelector(".reply textarea")`),
		chromedp.SendKeys(reply, "Hi, I'm here. What would you like to know?"),
		chromedp.Click(chromedp.JSPath(`document.querySelector(".panel:not([hidden]) .reply button[type=submit]")`)),
	); err != nil {
		t.Fatalf("taking the chat: %v", err)
	}

	const question = "how long does heroin withdrawal last"
	if err := chromedp.Do(visitor,
		poll(`lastMsg("rep") && lastMsg("rep").textContent.includes("What would you like to know")`),
		chromedp.SendKeys(input, question+kb.Enter),
		poll(`lastMsg("visitor").textContent.includes(`+jsString(question)+`) && !lastMsg("visitor").classList.contains("hl-pending")`),
	); err != nil {
		t.Fatalf("asking the representative: %v", err)
	}
	bots, err := chromedp.Run(visitor, chromedp.Evaluate[int](inWidget(`$$(".hl-msg.hl-bot").length`)))
	if err != nil {
		t.Fatal(err)
	}

	// The representative hands back without answering.
	handBack := `[...panel().querySelectorAll(".panel-actions button")].find(b => b.textContent.startsWith("Hand back") || b.textContent.startsWith("Click again"))`
	if err := chromedp.Do(rep,
		consolePoll(`panel().querySelector(".log").textContent.includes(`+jsString(question)+`)`),
		chromedp.Evaluate[chromedp.Void](inConsole(handBack+`.click()`)),
		consolePoll(handBack+`.textContent.startsWith("Click again")`),
		chromedp.Evaluate[chromedp.Void](inConsole(handBack+`.click()`)),
		consolePoll(`$$("#toasts .toast").some(el => el.textContent.includes("the assistant answered it"))`),
	); err != nil {
		t.Errorf("the console did not say the assistant answered: %v (toasts %s)", err, consoleValue(rep, `$$("#toasts .toast").map(el => el.textContent)`))
	}

	// The visitor sees the notice, then the assistant's answer to the
	// question, and never had to ask again.
	const after = `(() => { const ms = $$(".hl-msg");
		const back = ms.findIndex(m => m.classList.contains("hl-system") && m.textContent.includes("back with the helpline assistant"));
		return back < 0 ? [] : ms.slice(back + 1); })()`
	if err := chromedp.Do(visitor, poll(after+`.some(m => m.classList.contains("hl-bot"))`)); err != nil {
		t.Fatalf("no answer from the assistant after the hand-back: %v (messages after it: %s)", err,
			widgetValue(visitor, after+`.map(m => m.className + ": " + m.textContent.slice(0, 80))`))
	}
	widgetCheck(t, visitor, "the assistant answers the question about withdrawal", after+`.find(m => m.classList.contains("hl-bot")).textContent.toLowerCase().includes("withdrawal")`)
	widgetCheck(t, visitor, "the visitor did not ask again", `!`+after+`.some(m => m.classList.contains("hl-visitor")) && $$(".hl-msg.hl-visitor").length === 2`)
	widgetCheck(t, visitor, "one new answer from the assistant", `$$(".hl-msg.hl-bot").length === `+fmt.Sprint(bots+1))
	widgetCheck(t, visitor, "the answer is in view", `seen(lastMsg("bot")) || box(lastMsg("bot")).top >= box($(".hl-log")).top`)
	screenshot(t, visitor, "handback-answered")
}

// widgetValue evaluates expr in the widget (see widgetJS), as JSON, for a
// failure message.
func widgetValue(ctx context.Context, expr string) string {
	got, err := chromedp.Run(ctx, chromedp.Evaluate[any](inWidget(expr)))
	if err != nil {
		return err.Error()
	}
	b, _ := json.Marshal(got)
	return string(b)
}
