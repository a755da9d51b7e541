package store

import (
	"context"
	"fmt"

	"helpline/internal/conversation"
)

// Representatives' private notes on a conversation: kept with it, expiring
// with it, and published on the representatives' channel only.

// noteScript stores a private note and tells consoles; it is published on
// the representatives' channel (KEYS[6]) only, never the visitor's.
// ARGV: now, retention, rep, text, the note's event without its id
// (luaEvents).
var noteScript = newScript(luaEvents + `
if redis.call('EXISTS', KEYS[1]) == 0 then return {'gone'} end
local id = redis.call('XADD', KEYS[5], 'MAXLEN', '~', 1000, '*', 'rep', ARGV[3], 'text', ARGV[4])
redis.call('PEXPIRE', KEYS[5], ARGV[2])
redis.call(PUBLISH, KEYS[6], with_id(ARGV[5], id))
return {'ok', id}
`)

// AddNote stores a private note; it reaches consoles only.
func (s *Store) AddNote(ctx context.Context, conv, rep, text string) (conversation.Note, error) {
	res, err := s.eval(ctx, noteScript, keysFor(conv).list(), s.now().UnixMilli(), s.opts.Retention.Milliseconds(), rep, text,
		conversation.EncodeEvent(conversation.Event{Type: "note", Note: conversation.Note{Rep: rep, Text: text}})).StringSlice()
	if err != nil {
		return conversation.Note{}, fmt.Errorf("add note: %w", err)
	}
	if res[0] == "gone" {
		return conversation.Note{}, errNotFound
	}
	return conversation.Note{ID: res[1], Time: conversation.TimeOf(res[1]), Rep: rep, Text: text}, nil
}

// Notes returns a conversation's private notes, oldest first.
func (s *Store) Notes(ctx context.Context, conv string) ([]conversation.Note, error) {
	xs, err := s.rdb.XRange(ctx, keysFor(conv).notes, "-", "+").Result()
	if err != nil {
		return nil, fmt.Errorf("read notes: %w", err)
	}
	out := make([]conversation.Note, 0, len(xs))
	for _, x := range xs {
		rep, _ := x.Values["rep"].(string)
		text, _ := x.Values["text"].(string)
		out = append(out, conversation.Note{ID: x.ID, Time: conversation.TimeOf(x.ID), Rep: rep, Text: text})
	}
	return out, nil
}
