package main

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserScreenshots takes the pictures in docs/screenshots, when
// HELPLINE_SCREENSHOTS names a directory (an absolute path: the test runs
// in cmd/helpline):
//
//	HELPLINE_SCREENSHOTS=$PWD/docs/screenshots HELPLINE_BROWSER_TESTS=required go test ./cmd/helpline -run TestBrowserScreenshots
//
// A night with six chats: a visitor on a 390×844 phone writes that a
// friend is not breathing, a representative takes the chat and replies,
// and takes over five more; widget-phone-crisis.png is the phone with the
// representative's reply, console-six-chats.png the console holding the
// six, the crisis open beside its suggestions and a canned reply.
func TestBrowserScreenshots(t *testing.T) {
	if os.Getenv("HELPLINE_SCREENSHOTS") == "" {
		t.Skip("HELPLINE_SCREENSHOTS is not set")
	}
	ctx := browser(t)
	svc := startService(t, "--max-chats", "6", "--rate-address", "1000")
	if err := chromedp.Do(ctx); err != nil { // start the browser
		t.Fatal(err)
	}
	rep := signIn(t, ctx, svc, "")
	set := func(id, value string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](inConsole(`($("#` + id + `").value = ` + jsString(value) + `, $("#` + id + `").dispatchEvent(new Event("input")))`))
	}
	if err := chromedp.Do(rep,
		chromedp.Click(chromedp.ID("canned-manage")),
		set("canned-title-input", "Staying with someone who overdosed"),
		set("canned-text", "Stay with them until help arrives. If they are breathing, lay them on their side so they cannot choke.\n\nIf you have naloxone (Narcan), give it now; a second dose after 2 to 3 minutes if they do not respond."),
		chromedp.Click(chromedp.JSPath(`document.querySelector("#canned-form button[type=submit]")`)),
		consolePoll(`$$("#canned-list li").length === 1`),
		chromedp.Click(chromedp.ID("canned-close")),
	); err != nil {
		t.Fatalf("a canned reply: %v", err)
	}

	phone, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if _, err := chromedp.Call(phone, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: openShadowRoots}); err != nil {
		t.Fatal(err)
	}
	poll := func(expr string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](inWidget(expr), chromedp.WithPollingTimeout(15*time.Second))
	}
	input := chromedp.JSPath(root + `.querySelector("#hl-input")`)
	launcher := chromedp.JSPath(root + `.querySelector(".hl-launcher")`)
	if err := chromedp.Do(phone,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(svc.URL), chromedp.WaitVisible(launcher), chromedp.Click(launcher), chromedp.WaitVisible(input),
		chromedp.SendKeys(input, "my friend took too much and isnt breathing"+kb.Enter),
		poll(`lastMsg("bot") && shown($(".hl-crisis"))`),
	); err != nil {
		t.Fatalf("the crisis: %v", err)
	}

	reply := func(text string) chromedp.Action[chromedp.Void] {
		return chromedp.Steps(
			chromedp.SendKeys(chromedp.JSPath(`document.querySelector(".panel:not([hidden]) .reply textarea")`), text),
			chromedp.Click(chromedp.JSPath(`document.querySelector(".panel:not([hidden]) .reply button[type=submit]")`)),
		)
	}
	if err := chromedp.Do(rep,
		consolePoll(`$$("#queue > li").length === 1 && !$("#take-next").disabled`),
		chromedp.Click(chromedp.ID("take-next")),
		consolePoll(`!!panel() && !!panel().querySelector(".reply textarea") && !panel().querySelector(".reply textarea").disabled`),
		reply("I'm here with you. Is your friend breathing at all? Call 911 now if you haven't; I'll stay with you."),
	); err != nil {
		t.Fatalf("taking the crisis: %v", err)
	}
	crisis := strings.TrimPrefix(consoleValue(rep, `panel().id`), `"panel-`)
	crisis = strings.TrimSuffix(crisis, `"`)

	if err := chromedp.Do(phone,
		poll(`lastMsg("rep") && lastMsg("rep").textContent.includes("here with you")`),
		chromedp.SendKeys(input, "i called 911, he is breathing a little now"+kb.Enter),
		poll(`!lastMsg("visitor").classList.contains("hl-pending")`),
	); err != nil {
		t.Fatalf("the representative's reply on the phone: %v", err)
	}
	if err := chromedp.Do(rep, consolePoll(`panel().querySelector(".log").textContent.includes("breathing a little")`),
		reply("Good. Lay him on his side and stay with him. Do you have naloxone (Narcan)?")); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(phone, poll(`lastMsg("rep").textContent.includes("naloxone")`), chromedp.Sleep(500*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	widgetCheck(t, phone, "the representative's reply is in view", `seen(lastMsg("rep"))`)
	screenshot(t, phone, "widget-phone-crisis")

	// Five more chats, taken over from the assistant.
	for i, q := range []string{
		"how long does methadone stay in your system", "my son uses fentanyl, how do I get him into treatment",
		"is suboxone safe in pregnancy", "where can i get naloxone near me", "does medicaid cover rehab",
	} {
		v := newVisitor(t, svc, q)
		if err := chromedp.Do(rep,
			consolePoll(`!!$('#live button[data-act=take][data-key="`+v.ID+`"]') && !$('#live button[data-act=take][data-key="`+v.ID+`"]').disabled`),
			chromedp.Evaluate[chromedp.Void](inConsole(`$('#live button[data-act=take][data-key="`+v.ID+`"]').click()`)),
			consolePoll(`$$("#mine > li").length === `+fmt.Sprint(i+2)),
		); err != nil {
			t.Fatalf("taking over chat %d: %v", i+2, err)
		}
		if i == 1 {
			v.Say("he says he wants to stop but he is scared of withdrawal")
		}
	}
	if err := chromedp.Do(rep,
		consolePoll(`tabs().length === 6`),
		chromedp.Evaluate[chromedp.Void](inConsole(`$("#tab-`+crisis+`").click()`)),
		consolePoll(`panel().id === "panel-`+crisis+`"`),
		chromedp.Evaluate[chromedp.Void](inConsole(`[...panel().querySelectorAll("button")].find(b => b.textContent === "Suggestions").click()`)),
		consolePoll(`panel().querySelectorAll(".suggestions-list:not(.canned-list) li").length > 0 && panel().querySelectorAll(".canned-list li").length === 1`),
		consolePoll(`$$("#queue > li").length === 0`),
		chromedp.Sleep(500*time.Millisecond),
	); err != nil {
		t.Fatalf("six chats: %v", err)
	}
	screenshot(t, rep, "console-six-chats")
}
