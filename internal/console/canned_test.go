package console_test

import (
	"context"
	"strings"
	"testing"

	"helpline/internal/conversation"
	"helpline/internal/handoff"
	"helpline/internal/reps"
	"helpline/internal/store"
	"helpline/internal/store/storetest"
)

// TestCannedReplies: a supervisor on one instance adds, edits and deletes
// canned replies, and a representative on another instance sees every
// change at once, beside the suggestions of a conversation they hold, and
// nothing is sent to the visitor; the representative can change none of
// them; titles and texts that are empty, too long or on two lines are
// refused with a reason.
func TestCannedReplies(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBConsole) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			b.Client.Del(ctx, "hl:canned")
			one, two := start(t, b.Client, handoff.Options{}), start(t, b.Client, handoff.Options{})
			one.addRep("sue", reps.RoleSupervisor)
			one.addRep("ana lopez", reps.RoleRep)
			sue, ana := one.console("sue"), two.console("ana lopez")
			canned := func(r *rep, ok func([]item) bool) []item {
				t.Helper()
				return r.until(func(f cframe) bool { return f.Type == "canned" && ok(f.Items) }).Items
			}
			canned(ana, func(items []item) bool { return len(items) == 0 })

			const text = "Thank you for reaching out tonight.\n\nYou can call us at any time, too."
			sue.send(map[string]any{"type": "canned_save", "title": "  Thanks for reaching out ", "text": text})
			id := sue.until(func(f cframe) bool { return f.Type == "canned_saved" }).ID
			got := canned(ana, func(items []item) bool { return len(items) == 1 })
			if got[0].ID != id || got[0].Title != "Thanks for reaching out" || got[0].Text != text || got[0].By != "sue" {
				t.Errorf("the representative on the other instance sees %+v, want %s, trimmed title, the text with its paragraphs, by sue", got[0], id)
			}

			// A conversation the representative holds: the canned replies
			// come beside the suggestions, and the visitor gets nothing.
			v := two.visitor()
			v.say("what is methadone")
			v.until(fromBot)
			ana.send(map[string]any{"type": "take", "conversation": v.conv})
			ana.until(func(f cframe) bool { return f.Type == "transcript" })
			v.until(func(f vframe) bool { return f.Type == "state" && f.State == "rep" })
			ana.send(map[string]any{"type": "suggest", "conversation": v.conv})
			ana.until(func(f cframe) bool { return f.Type == "suggestions" && len(f.Items) > 0 })

			sue.send(map[string]any{"type": "canned_save", "id": id, "title": "Thanks for reaching out", "text": "Thank you for writing to us."})
			sue.until(func(f cframe) bool { return f.Type == "canned_saved" && f.ID == id })
			canned(ana, func(items []item) bool { return len(items) == 1 && items[0].Text == "Thank you for writing to us." })
			sue.send(map[string]any{"type": "canned_save", "title": "After hours", "text": "We answer the phone around the clock."})
			second := sue.until(func(f cframe) bool { return f.Type == "canned_saved" }).ID
			if got := canned(ana, func(items []item) bool { return len(items) == 2 }); got[0].Title != "After hours" {
				t.Errorf("canned replies %+v, want them by title", got)
			}

			// The representative may look, never change.
			for _, f := range []map[string]any{
				{"type": "canned_save", "title": "Mine", "text": "My own text."},
				{"type": "canned_save", "id": id, "title": "Changed", "text": "Changed by a representative."},
				{"type": "canned_delete", "id": id},
			} {
				ana.refused(f, "forbidden")
			}
			if all, err := one.store.CannedReplies(ctx); err != nil || len(all) != 2 || all[1].Text != "Thank you for writing to us." {
				t.Errorf("after the representative's tries: %+v (%v), want the supervisor's two, unchanged", all, err)
			}

			// What a supervisor writes is checked, with reasons.
			for _, tt := range []struct {
				f      map[string]any
				code   string
				reason string
			}{
				{map[string]any{"type": "canned_save", "title": " ", "text": "Some text."}, "bad_frame", "title"},
				{map[string]any{"type": "canned_save", "title": "Empty", "text": " \n "}, "bad_frame", "Write the text"},
				{map[string]any{"type": "canned_save", "title": strings.Repeat("t", 81), "text": "Some text."}, "bad_frame", "81 characters, at most 80"},
				{map[string]any{"type": "canned_save", "title": "Long", "text": strings.Repeat("é", 2001)}, "bad_frame", "2001 characters, at most 2000"},
				{map[string]any{"type": "canned_save", "title": "Two\nlines", "text": "Some text."}, "bad_frame", "one line"},
				{map[string]any{"type": "canned_save", "id": "gone", "title": "Gone", "text": "Some text."}, "unknown", "no longer exists"},
				{map[string]any{"type": "canned_delete", "id": "gone"}, "unknown", "no longer exists"},
			} {
				sue.send(tt.f)
				e := sue.until(func(f cframe) bool { return f.Type == "error" })
				if e.Code != tt.code || !strings.Contains(string(e.Message), tt.reason) {
					t.Errorf("%v: error %s %s, want %s saying %q", tt.f, e.Code, e.Message, tt.code, tt.reason)
				}
			}
			// Exactly 80 and 2000 characters are allowed.
			sue.send(map[string]any{"type": "canned_save", "title": strings.Repeat("t", 80), "text": strings.Repeat("é", 2000)})
			longest := sue.until(func(f cframe) bool { return f.Type == "canned_saved" }).ID

			sue.send(map[string]any{"type": "canned_delete", "id": second})
			sue.until(func(f cframe) bool { return f.Type == "canned_deleted" && f.ID == second })
			sue.send(map[string]any{"type": "canned_delete", "id": longest})
			sue.until(func(f cframe) bool { return f.Type == "canned_deleted" && f.ID == longest })
			if got := canned(ana, func(items []item) bool { return len(items) == 1 }); got[0].ID != id {
				t.Errorf("after the deletes: %+v, want %s alone", got, id)
			}

			// A console that connects later gets the list at once.
			late := one.console("ana lopez")
			canned(late, func(items []item) bool { return len(items) == 1 && items[0].ID == id })

			// Nothing of it reached the visitor.
			v.say("thanks")
			v.until(func(f vframe) bool {
				if f.Type == "message" && strings.Contains(f.Text, "Thank you for writing") {
					t.Errorf("the visitor got a canned reply: %q", f.Text)
				}
				return f.Type == "message" && f.From == "visitor"
			})

			log, _ := one.store.AuditLog(ctx, 50)
			var actions []string
			for i := len(log) - 1; i >= 0; i-- {
				if strings.HasPrefix(log[i].Action, "canned") {
					actions = append(actions, log[i].Action)
				}
			}
			if got := strings.Join(actions, " "); got != "canned_add canned_edit canned_add canned_add canned_delete canned_delete" {
				t.Errorf("audit %q", got)
			}
		})
	}
}

// TestCannedLimit: the store refuses a new canned reply beyond the limit,
// even from two supervisors at once, and an edit of one deleted meanwhile.
func TestCannedLimit(t *testing.T) {
	for _, b := range storetest.Backends(t, storetest.DBConsole) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			b.Client.Del(ctx, "hl:canned")
			st := store.New(b.Client, store.Options{})
			errs := make(chan error, 10)
			for i := 0; i < 10; i++ {
				go func() {
					_, err := st.SaveCanned(ctx, conversation.CannedReply{Title: "t", Text: "x"}, 3)
					errs <- err
				}()
			}
			full := 0
			for i := 0; i < 10; i++ {
				switch err := <-errs; {
				case conversation.ErrorCode(err) == conversation.Full:
					full++
				case err != nil:
					t.Fatal(err)
				}
			}
			all, err := st.CannedReplies(ctx)
			if err != nil || len(all) != 3 || full != 7 {
				t.Errorf("%d saved (%v), %d refused as full; want 3 and 7", len(all), err, full)
			}
			if err := st.DeleteCanned(ctx, all[0].ID); err != nil {
				t.Fatal(err)
			}
			if _, err := st.SaveCanned(ctx, all[0], 3); conversation.ErrorCode(err) != conversation.NotFound {
				t.Errorf("editing a deleted reply: %v, want NotFound", err)
			}
		})
	}
}
