package store

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"helpline/internal/conversation"
)

// answeringKey is the STRING that says who is answering visitor message
// msg of conv. It is built here rather than in keys.go only to keep this
// change apart from a concurrent refactoring of that file; like every
// key of a conversation it carries the {hash tag}, so it lives in the
// conversation's Redis Cluster slot.
func answeringKey(conv, msg string) string { return prefix + "{" + conv + "}:answering:" + msg }

// ClaimAnswer claims the answering of visitor message msg for owner, for
// ttl, and reports whether the claim is this caller's. It is one SET NX:
// of any number of instances handling the same message at once (a
// visitor's retry after a reconnect to another instance, while the first
// is still waiting for the language model), exactly one wins.
//
// The claim lives only as long as an answer may take (ttl), not as long
// as the conversation: once the reply is stored, the reply itself shows
// the message is answered (a retry finds a message after it); and should
// the instance holding the claim die before storing a reply, a retry
// after ttl is answered, rather than never.
func (s *Store) ClaimAnswer(ctx context.Context, conv, msg, owner string, ttl time.Duration) (bool, error) {
	ok, err := s.rdb.SetNX(ctx, answeringKey(conv, msg), owner, ttl).Result()
	if err != nil {
		return false, fmt.Errorf("claim the answer to %s: %w", msg, err)
	}
	return ok, nil
}

// releaseAnswerScript deletes a claim only if owner still holds it: a claim
// that expired and was taken by another instance is that instance's.
var releaseAnswerScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`)

// ReleaseAnswer gives up owner's claim on answering msg, when no reply
// could be stored: the visitor's retry may then be answered at once.
func (s *Store) ReleaseAnswer(ctx context.Context, conv, msg, owner string) error {
	if err := releaseAnswerScript.Run(ctx, s.rdb, []string{answeringKey(conv, msg)}, owner).Err(); err != nil {
		return fmt.Errorf("release the answer to %s: %w", msg, err)
	}
	return nil
}

// PublishDelta publishes, to every connection of the conversation, a
// piece of the bot's reply to visitor message replyTo as it is written
// (docs/protocol.md, the delta frame). Deltas are not stored: the whole
// reply, stored once, follows them.
func (s *Store) PublishDelta(ctx context.Context, conv, replyTo, text string) error {
	return s.Publish(ctx, conv, false, conversation.Event{Type: "delta", Message: conversation.Message{ID: replyTo, Text: text}})
}
