package assistant

import (
	"context"
	"errors"
	"io"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	openai "github.com/sashabaranov/go-openai"
)

// AnswerStream is Answer with the reply streamed as it is written: emit
// receives its text piece by piece, and every piece is checked before it
// is emitted. The text so far is checked as a whole reply citing every
// retrieved entry (so no number, amount, phone number, link or
// instruction the entries do not contain can be shown); the finished
// reply is then checked as Answer checks it, with the entries it really
// cites. When a piece fails its check the stream stops and the curated
// answer stands; so it does when the finished reply fails, and the
// pieces already emitted were only a draft (the service's final message
// replaces them). Pieces end at a word, never inside one, so a number or
// an address is checked whole.
func (c *Client) AnswerStream(ctx context.Context, q Question, emit func(piece string)) Result {
	if c == nil {
		return Result{Text: q.Curated, Reason: Off}
	}
	r := c.answerStream(ctx, q, emit)
	if !r.Used {
		r.Text = q.Curated
	}
	if c.cfg.Recorder != nil {
		c.cfg.Recorder.AssistantAnswer(string(r.Reason), r.Tokens)
	}
	return r
}

// sourcesStart finds where the sources line begins, in any case, at the
// byte it begins (upper-casing the text first can move the bytes).
var sourcesStart = regexp.MustCompile(`(?i)` + regexp.QuoteMeta(sourcesPrefix))

// streamPiece is the fewest characters emitted at once, after the first
// word: enough that a reply takes a handful of frames, not one per word.
const streamPiece = 24

func (c *Client) answerStream(ctx context.Context, q Question, emit func(string)) Result {
	if reason := refused(q.Risk, len(q.Entries), 1); reason != "" {
		return Result{Reason: reason}
	}
	all := make([]string, len(q.Entries))
	for i, e := range q.Entries {
		all[i] = e.ID
	}
	everyEntry := "\n" + sourcesPrefix + " " + strings.Join(all, ", ")
	sent := 0 // bytes of the reply's body emitted
	var stopped Checked
	onText := func(full string, done bool) bool {
		body := full
		// The sources line is the reply's end: nothing from it is shown.
		if loc := sourcesStart.FindStringIndex(body); loc != nil {
			body = body[:loc[0]]
		} else if !done {
			// A sources line may be arriving: hold back its first letters.
			if i := strings.LastIndexByte(body, '\n'); i >= 0 && strings.HasPrefix(sourcesPrefix, strings.ToUpper(strings.TrimSpace(body[i+1:]))) {
				body = body[:i]
			}
		}
		// Pieces start at the text: the answer stored is trimmed.
		if lead := len(body) - len(strings.TrimLeftFunc(body, unicode.IsSpace)); sent < lead {
			sent = lead
		}
		end := len(strings.TrimRightFunc(body, unicode.IsSpace))
		if !done {
			end = lastWordEnd(body)
		}
		if end <= sent || (!done && end-sent < streamPiece && sent > 0) {
			return true
		}
		chk := Check(body[:end]+everyEntry, q.Entries, c.cfg.Facts, c.cfg.MaxRunes)
		if chk.Reason != Used {
			stopped = chk
			return false
		}
		emit(body[sent:end])
		sent = end
		return true
	}
	text, r, ok := c.completeStream(ctx, c.request(q), onText)
	if stopped.Reason != "" {
		r.Reason, r.Detail = stopped.Reason, stopped.Detail
		return r
	}
	if !ok {
		return r
	}
	chk := Check(text, q.Entries, c.cfg.Facts, c.cfg.MaxRunes)
	r.Text, r.Cited, r.Reason, r.Detail, r.Used = chk.Text, chk.Cited, chk.Reason, chk.Detail, chk.Reason == Used
	return r
}

// lastWordEnd is the end of the last whole word of s that is followed by
// a space (a word at the very end may still be growing).
func lastWordEnd(s string) int {
	for i := len(s); i > 0; {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if unicode.IsSpace(r) {
			return i
		}
		i -= size
	}
	return 0
}

// completeStream is complete with the reply streamed: onText gets the
// text so far after each chunk (done on the last) and may stop the
// stream by returning false. A stream that ends without a finish reason
// (a dropped connection) is a truncated reply.
func (c *Client) completeStream(ctx context.Context, req openai.ChatCompletionRequest, onText func(text string, done bool) bool) (string, Result, bool) {
	now := c.cfg.Now()
	if reason := c.admit(now); reason != "" {
		return "", Result{Reason: reason}, false
	}
	req.Stream = true
	req.StreamOptions = &openai.StreamOptions{IncludeUsage: true}
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	start := time.Now()
	failed := func(err error) (string, Result, bool) {
		c.outcome(parent, err)
		r := Result{Reason: Failed, Detail: ErrorDetail(err), Elapsed: time.Since(start), Tokens: estimateTokens(req)}
		if errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
			r.Reason, r.Detail = Timeout, ""
		}
		c.budget.spend(now, r.Tokens)
		return "", r, false
	}
	stream, err := c.api.CreateChatCompletionStream(ctx, req)
	if err != nil {
		return failed(err)
	}
	defer stream.Close()
	var text strings.Builder
	var finish openai.FinishReason
	tokens := 0
	for {
		chunk, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return failed(err)
		}
		if chunk.Usage != nil {
			tokens = chunk.Usage.TotalTokens
		}
		if len(chunk.Choices) == 0 {
			continue
		}
		text.WriteString(chunk.Choices[0].Delta.Content)
		if chunk.Choices[0].FinishReason != "" {
			finish = chunk.Choices[0].FinishReason
		}
		if finish == "" && !onText(text.String(), false) {
			break // a piece failed its check: no need to read on
		}
	}
	c.outcome(parent, nil)
	if tokens <= 0 {
		tokens = estimateTokens(req) + text.Len()/4
	}
	c.budget.spend(now, tokens)
	r := Result{Tokens: tokens, Elapsed: time.Since(start)}
	switch {
	case finish == "" && text.Len() > 0 && ctx.Err() == nil:
		// Stopped by a failed check, or the stream ended without saying
		// it was finished.
		r.Reason = Truncated
		return "", r, false
	case finish == openai.FinishReasonLength:
		r.Reason = Truncated
		return "", r, false
	case text.Len() == 0:
		r.Reason = Empty
		return "", r, false
	}
	if !onText(text.String(), true) {
		return "", r, false
	}
	return text.String(), r, true
}
