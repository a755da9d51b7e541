package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserConsoleCanned: a supervisor adds a canned reply in the
// console, is told plainly when the server refuses a title, edits it, and
// sees it beside the suggestions in a conversation they hold; Insert puts
// its text, paragraphs and all, in the reply box, and nothing is sent.
// The console with the dialog open and with the conversation is checked
// by axe-core and for keyboard access.
func TestBrowserConsoleCanned(t *testing.T) {
	ctx := browser(t)
	svc := startService(t)
	if err := chromedp.Do(ctx); err != nil { // start the browser
		t.Fatal(err)
	}
	sup := signIn(t, ctx, svc, "") // the demo account is a supervisor
	visitor := newVisitor(t, svc, "can I talk to a real person please")

	const text = "Thank you for reaching out tonight.\n\nYou can also call us at any hour."
	set := func(id, value string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](inConsole(`($("#` + id + `").value = ` + jsString(value) + `, $("#` + id + `").dispatchEvent(new Event("input")))`))
	}
	if err := chromedp.Do(sup,
		consolePoll(`shown($("#canned-manage"))`),
		chromedp.Click(chromedp.ID("canned-manage")),
		consolePoll(`$("#canned-dialog").open && document.activeElement === $("#canned-title-input")`),
	); err != nil {
		t.Fatalf("opening the canned replies: %v", err)
	}
	if found := axeSerious(t, sup, "document"); found != "[]" {
		t.Errorf("with the canned replies dialog open, axe found serious or critical violations: %s", found)
	}

	// An empty text is caught at once; a title over the limit (typed
	// round the field's maxlength) is refused by the server, with why.
	if err := chromedp.Do(sup, set("canned-title-input", "Thanks"), chromedp.Click(chromedp.JSPath(`document.querySelector("#canned-form button[type=submit]")`)),
		consolePoll(`$("#canned-error").textContent.includes("Write the text")`)); err != nil {
		t.Errorf("an empty text: %v (%s)", err, consoleValue(sup, `$("#canned-error").textContent`))
	}
	if err := chromedp.Do(sup, set("canned-title-input", strings.Repeat("t", 81)), set("canned-text", text),
		chromedp.Click(chromedp.JSPath(`document.querySelector("#canned-form button[type=submit]")`)),
		consolePoll(`$("#canned-error").textContent.includes("81 characters, at most 80")`)); err != nil {
		t.Errorf("a title too long: %v (%s)", err, consoleValue(sup, `$("#canned-error").textContent`))
	}
	consoleCheck(t, sup, "the server's reason is in the form, not only in a toast", `shown($("#canned-error")) && $("#canned-dialog").open`)
	screenshot(t, sup, "console-canned-dialog")

	if err := chromedp.Do(sup, set("canned-title-input", "Thanks for writing"),
		chromedp.Click(chromedp.JSPath(`document.querySelector("#canned-form button[type=submit]")`)),
		consolePoll(`$$("#canned-list li").length === 1 && $("#canned-error").textContent === "" && $("#canned-title-input").value === ""`),
	); err != nil {
		t.Fatalf("saving: %v (%s)", err, consoleValue(sup, `$("#canned-error").textContent`))
	}
	if err := chromedp.Do(sup,
		chromedp.Evaluate[chromedp.Void](inConsole(`[...$("#canned-list li").querySelectorAll("button")].find(b => b.textContent === "Edit").click()`)),
		consolePoll(`$("#canned-title-input").value === "Thanks for writing" && $("#canned-form-title").textContent.startsWith("Edit")`),
		set("canned-title-input", "Thanks for reaching out"),
		chromedp.Click(chromedp.JSPath(`document.querySelector("#canned-form button[type=submit]")`)),
		consolePoll(`$$("#canned-list li").length === 1 && $("#canned-list h3").textContent === "Thanks for reaching out"`),
		chromedp.Click(chromedp.ID("canned-close")),
		consolePoll(`!$("#canned-dialog").open && $("#canned-count").textContent === "1"`),
	); err != nil {
		t.Fatalf("editing: %v", err)
	}

	// In a conversation the supervisor holds, the canned reply is beside
	// the suggestions; Insert fills the reply box and sends nothing.
	canned := `[...panel().querySelectorAll(".canned-list li")].find(li => li.querySelector("h4").textContent === "Thanks for reaching out")`
	if err := chromedp.Do(sup,
		consolePoll(`$$("#queue > li").length === 1 && !$("#take-next").disabled`),
		chromedp.Click(chromedp.ID("take-next")),
		consolePoll(`!!panel() && panel().id === "panel-`+visitor.ID+`" && !!`+canned+` && !`+canned+`.querySelector(".insert").disabled`),
		chromedp.Evaluate[chromedp.Void](inConsole(canned+`.querySelector(".insert").click()`)),
	); err != nil {
		t.Fatalf("the canned reply in the conversation: %v", err)
	}
	consoleCheck(t, sup, "the canned reply sits beside the knowledge-base suggestions", `panel().querySelector(".suggest + .canned") !== null`)
	consoleCheck(t, sup, "Insert puts the text in the reply box as written", `panel().querySelector(".reply textarea").value === `+jsString(text))
	consoleCheck(t, sup, "Insert sends nothing", `![...panel().querySelectorAll(".log .msg-rep")].some(m => m.textContent.includes("reaching out tonight"))`)
	screenshot(t, sup, "console-canned")
	checkConsoleAccess(t, sup)
}
