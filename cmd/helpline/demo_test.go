package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestDemoPageFacts: with the phone, hours and name configured, the demo
// page shows the number, its tap-to-call link and the hours the assistant
// gives when asked, and none of the page's own.
func TestDemoPageFacts(t *testing.T) {
	const phone, hours, name = "1-888-555-HOPE", "weekdays from 8 am to 8 pm", "Lakeside Recovery Line"
	svc := startService(t, "--phone", phone, "--hours", hours, "--name", name)

	resp, err := http.Get(svc.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := string(body)
	for _, want := range []string{
		`<a href="tel:+18885554673">1-888-555-HOPE</a>`,
		"<p>Weekdays from 8 am to 8 pm.</p>",
		`<a class="brand" href="/">Lakeside Recovery Line</a>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the demo page lacks %s", want)
		}
	}
	for _, stale := range []string{"{{", "555-0142", "1-800-662-4357", "Harbor Light"} {
		if strings.Contains(page, stale) {
			t.Errorf("the demo page still says %q", stale)
		}
	}

	// The assistant gives the same number and hours.
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(svc.URL, "http")+"ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	ws.WriteJSON(map[string]any{"v": 1, "type": "hello"})
	ws.WriteJSON(map[string]any{"v": 1, "type": "message", "id": "m1", "text": "what is your phone number and when are you open"})
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		var f struct{ Type, From, Text string }
		if err := ws.ReadJSON(&f); err != nil {
			t.Fatalf("waiting for the answer: %v", err)
		}
		if f.Type == "message" && f.From == "bot" {
			if !strings.Contains(f.Text, phone) || !strings.Contains(f.Text, hours) {
				t.Errorf("the assistant says %q, want %s and %s as on the page", f.Text, phone, hours)
			}
			break
		}
	}
}
