package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserConsoleCrisis is a representative signing in at night to an
// emergency that came in while nobody was online: the console alerts at
// once and the tab title says a crisis is waiting; once the representative
// holds the conversation, a new danger in it ("he stopped breathing
// again") is news they are reading, not an alert, and the title no longer
// says anything is waiting.
func TestBrowserConsoleCrisis(t *testing.T) {
	ctx := browser(t)
	svc := startService(t)
	if err := chromedp.Do(ctx); err != nil { // start the browser
		t.Fatal(err)
	}
	profile := func() context.Context {
		c, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		if _, err := chromedp.Call(c, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: openShadowRoots}); err != nil {
			t.Fatal(err)
		}
		return c
	}
	poll := func(js string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](js, chromedp.WithPollingTimeout(15*time.Second))
	}
	input := chromedp.JSPath(root + `.querySelector("#hl-input")`)
	launcher := chromedp.JSPath(root + `.querySelector(".hl-launcher")`)
	botSaid := func(text string) string {
		return `[...` + root + `.querySelectorAll(".hl-msg.hl-bot .hl-body")].filter(b => b.textContent.includes(` + jsString(text) + `)).length`
	}

	visitor := profile()
	if err := chromedp.Do(visitor, chromedp.Navigate(svc.URL), chromedp.WaitVisible(launcher), chromedp.Click(launcher),
		chromedp.WaitVisible(input), chromedp.SendKeys(input, "my friend overdosed and he isnt breathing"+kb.Enter),
		poll(botSaid("911")+` > 0`)); err != nil {
		t.Fatalf("the visitor's emergency: %v", err)
	}

	rep := profile()

	alert := `document.querySelector("#alerts .alert")`
	if err := chromedp.Do(rep,
		chromedp.Navigate(svc.URL+"console"),
		chromedp.SendKeys(chromedp.ID("signin-name"), svc.Name),
		chromedp.SendKeys(chromedp.ID("signin-password"), svc.Password+kb.Enter),
		chromedp.WaitVisible(chromedp.ID("app")),
		poll(alert+` !== null`),
	); err != nil {
		t.Fatalf("no alert at sign-in for the emergency already waiting: %v", err)
	}
	text, err := chromedp.Run(rep, chromedp.Evaluate[string](alert+`.textContent`))
	// Nobody was online, so the visitor got the crisis reply with the
	// phone numbers and the call-back form, and stayed with the assistant.
	if err != nil || !strings.Contains(text, "with the assistant") || !strings.Contains(text, "overdose") {
		t.Errorf("alert %q (%v), want the overdose in a chat with the assistant", text, err)
	}
	if title, _ := chromedp.Run(rep, chromedp.Evaluate[string](`document.title`)); !strings.Contains(title, "Crisis waiting") {
		t.Errorf("title %q with an emergency in the queue", title)
	}

	panel := `document.querySelector(".panel:not([hidden])")`
	if err := chromedp.Do(rep,
		chromedp.Click(chromedp.JSPath(alert+`.querySelector(".alert-take")`)),
		poll(panel+` && `+panel+`.querySelector(".reply textarea") && !`+panel+`.querySelector(".reply textarea").disabled`),
		// The alert goes once the queue no longer holds the crisis.
		poll(`document.querySelector("#alerts .alert") === null && !document.title.includes("Crisis waiting")`),
	); err != nil {
		t.Fatalf("taking the emergency: %v", err)
	}

	if err := chromedp.Do(visitor, poll(`[...`+root+`.querySelectorAll(".hl-msg.hl-system .hl-body")].some(b => b.textContent.includes("has joined"))`),
		chromedp.SendKeys(input, "he stopped breathing again"+kb.Enter)); err != nil {
		t.Fatalf("the visitor's next message: %v", err)
	}
	if err := chromedp.Do(rep, poll(panel+`.querySelector(".log").textContent.includes("stopped breathing again")`),
		chromedp.Sleep(1500*time.Millisecond)); err != nil { // time for an alert to come, if one would
		t.Fatalf("the console did not show the message: %v", err)
	}
	alerts, err := chromedp.Run(rep, chromedp.Evaluate[string](`document.getElementById("alerts").textContent + " | " + document.title`))
	if err != nil || strings.Contains(alerts, "Crisis") {
		t.Errorf("the representative holding the conversation got %q (%v), want no alert", alerts, err)
	}

	// A second emergency comes while the representative is signed in, who
	// takes it at once from the alert: the alert goes as soon as they hold
	// it, not only when the queue changes again (nothing else comes).
	other := profile()
	if err := chromedp.Do(other, chromedp.Navigate(svc.URL), chromedp.WaitVisible(launcher), chromedp.Click(launcher),
		chromedp.WaitVisible(input), chromedp.SendKeys(input, "my brother took a bunch of pills and now he wont wake up"+kb.Enter),
		poll(botSaid("911")+` > 0`)); err != nil {
		t.Fatalf("the second emergency: %v", err)
	}
	if err := chromedp.Do(rep,
		poll(alert+` !== null && `+alert+`.textContent.includes("in the queue")`),
		chromedp.Click(chromedp.JSPath(alert+`.querySelector(".alert-take")`)),
		poll(`document.querySelectorAll("#mine > li").length === 2`),
	); err != nil {
		t.Fatalf("taking the second emergency: %v", err)
	}
	if err := chromedp.Do(rep, chromedp.Poll[chromedp.Void](`document.querySelector("#alerts .alert") === null && !document.title.includes("Crisis waiting")`,
		chromedp.WithPollingTimeout(3*time.Second))); err != nil {
		text, _ := chromedp.Run(rep, chromedp.Evaluate[string](`document.getElementById("alerts").textContent + " | " + document.title`))
		t.Errorf("the alert for the emergency the representative now holds stayed: %q", text)
	}
}
