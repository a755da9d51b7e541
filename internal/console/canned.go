package console

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"helpline/internal/conversation"
)

// Canned replies: supervisors write them, every representative sees them
// beside the knowledge-base suggestions and may insert one into a reply
// (the console never sends one by itself). They live in Redis, so every
// instance shows the same; a change reaches every console as a new
// "canned" list.

// Limits on canned replies.
const (
	maxCannedTitle = 80   // characters
	maxCannedText  = 2000 // characters: a reply, not a leaflet
	maxCanned      = 100  // replies in all
	maxCannedID    = 64
)

// saveCanned adds a canned reply (no id) or replaces one (its id), for a
// supervisor, after checking its title and text.
func (c *conn) saveCanned(ctx context.Context, f frame) {
	if !c.supervisor() {
		c.fail("forbidden", "Only supervisors can add or change canned replies.")
		return
	}
	if len(f.ID) > maxCannedID {
		c.fail("unknown", "That canned reply no longer exists; someone may have deleted it.")
		return
	}
	title, text, problem := checkCanned(f.Title, f.Text)
	if problem != "" {
		c.fail("bad_frame", problem)
		return
	}
	saved, err := c.h.store.SaveCanned(ctx, conversation.CannedReply{ID: f.ID, Title: title, Text: text, By: c.rep}, maxCanned)
	switch conversation.ErrorCode(err) {
	case "":
	case conversation.Full:
		c.fail("too_many", fmt.Sprintf("There are already %d canned replies, as many as there may be; delete one first.", maxCanned))
		return
	case conversation.NotFound:
		c.fail("unknown", "That canned reply no longer exists; someone may have deleted it. Add it again as a new one.")
		return
	default:
		c.internal("save canned reply", err)
		return
	}
	action := "canned_edit"
	if f.ID == "" {
		action = "canned_add"
	}
	c.audit(ctx, action, "", saved.ID)
	c.push(encode(map[string]any{"type": "canned_saved", "id": saved.ID}))
}

// deleteCanned removes a canned reply, for a supervisor.
func (c *conn) deleteCanned(ctx context.Context, id string) {
	if !c.supervisor() {
		c.fail("forbidden", "Only supervisors can delete canned replies.")
		return
	}
	if id == "" || len(id) > maxCannedID {
		c.fail("bad_frame", "Which canned reply?")
		return
	}
	switch err := c.h.store.DeleteCanned(ctx, id); conversation.ErrorCode(err) {
	case "":
	case conversation.NotFound:
		c.fail("unknown", "That canned reply no longer exists; someone may have deleted it.")
		return
	default:
		c.internal("delete canned reply", err)
		return
	}
	c.audit(ctx, "canned_delete", "", id)
	c.push(encode(map[string]any{"type": "canned_deleted", "id": id}))
}

// checkCanned trims a canned reply's title and text and says what is
// wrong with them, in words for the supervisor, or "".
func checkCanned(title, text string) (string, string, string) {
	title, text = strings.TrimSpace(title), strings.TrimSpace(text)
	switch {
	case !utf8.ValidString(title) || !utf8.ValidString(text):
		return "", "", "The title or the text is not valid text."
	case title == "":
		return "", "", "Give the canned reply a title, so representatives can find it."
	case strings.ContainsFunc(title, unicode.IsControl):
		return "", "", "Keep the title on one line."
	case utf8.RuneCountInString(title) > maxCannedTitle:
		return "", "", fmt.Sprintf("The title is too long: %d characters, at most %d.", utf8.RuneCountInString(title), maxCannedTitle)
	case text == "":
		return "", "", "Write the text representatives will insert."
	case utf8.RuneCountInString(text) > maxCannedText:
		return "", "", fmt.Sprintf("The text is too long: %d characters, at most %d.", utf8.RuneCountInString(text), maxCannedText)
	}
	return title, text, ""
}
