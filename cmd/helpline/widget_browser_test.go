package main

import (
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserWidgetAxe runs axe-core on the demo page with the widget's
// panel open, inside its shadow root (opened for the test), on a phone
// and on a desktop: with an ordinary answer and its buttons, and in an
// overdose crisis with the crisis bar and its steps shown. It allows no
// serious or critical violation.
func TestBrowserWidgetAxe(t *testing.T) {
	if axePath(t) == "" {
		t.Skip("axe-core is not installed")
	}
	ctx := browser(t)
	svc := startService(t)
	if err := chromedp.Do(ctx); err != nil { // start the browser
		t.Fatal(err)
	}
	for _, vp := range []struct {
		name          string
		width, height int64
		opts          []chromedp.EmulateViewportOption
	}{
		{"phone", 390, 844, []chromedp.EmulateViewportOption{chromedp.EmulateMobile}},
		{"desktop", 1280, 800, nil},
	} {
		t.Run(vp.name, func(t *testing.T) {
			c, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
			defer cancel()
			if _, err := chromedp.Call(c, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: openShadowRoots}); err != nil {
				t.Fatal(err)
			}
			poll := func(expr string) chromedp.Action[chromedp.Void] {
				return chromedp.Poll[chromedp.Void](inWidget(expr), chromedp.WithPollingTimeout(15*time.Second))
			}
			input := chromedp.JSPath(root + `.querySelector("#hl-input")`)
			launcher := chromedp.JSPath(root + `.querySelector(".hl-launcher")`)
			if err := chromedp.Do(c,
				chromedp.EmulateViewport(vp.width, vp.height, vp.opts...),
				chromedp.Navigate(svc.URL), chromedp.WaitVisible(launcher), chromedp.Click(launcher), chromedp.WaitVisible(input),
				chromedp.SendKeys(input, "wen do withdrawls start"+kb.Enter),
				poll(`lastMsg("bot") && choices(lastMsg("bot")).length > 0`),
			); err != nil {
				t.Fatalf("an answer: %v", err)
			}
			if found := axeSerious(t, c, "document"); found != "[]" {
				t.Errorf("with an answer open, axe found serious or critical violations: %s", found)
			}
			// The audit must reach into the shadow root, or it proves nothing.
			inside, err := chromedp.Run(c, chromedp.Evaluate[bool](axeInside, chromedp.EvalAwaitPromise))
			if err != nil || !inside {
				t.Fatalf("axe did not look inside the widget's shadow root (%v)", err)
			}

			if err := chromedp.Do(c,
				chromedp.SendKeys(input, "my friend took too much and isnt breathing"+kb.Enter),
				poll(`lastMsg("bot") && lastMsg("bot").textContent.includes("overdose") && shown($(".hl-crisis"))`),
				chromedp.Sleep(300*time.Millisecond),
			); err != nil {
				t.Fatalf("the crisis reply: %v", err)
			}
			if found := axeSerious(t, c, "document"); found != "[]" {
				t.Errorf("in a crisis, axe found serious or critical violations: %s", found)
			}
			widgetCheck(t, c, `"What to do" opens the steps`, `click(".hl-steps-toggle") && $(".hl-steps-toggle").getAttribute("aria-expanded") === "true"`)
			if found := axeSerious(t, c, "document"); found != "[]" {
				t.Errorf("with the crisis steps open, axe found serious or critical violations: %s", found)
			}
		})
	}
}

// axeInside says whether axe-core, loaded by axeSerious, checks nodes
// inside the widget's shadow root: their targets are lists of selectors,
// one per shadow tree, starting at the widget's element.
const axeInside = `axe.run(document, {resultTypes: ["passes"]}).then(r => r.passes.some(v => v.nodes.some(n => Array.isArray(n.target[0]) && n.target[0][0] === "helpline-chat")))`
