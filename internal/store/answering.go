package store

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"helpline/internal/conversation"
)

// answeringKey is the STRING that says who is answering the visitor
// message of conv with client id clientID (see Claim). The client id, not
// the message's id, names it: it is known before the message is stored,
// so the script that stores the message can take the claim as one of its
// keys. Like every key of a conversation it carries the {hash tag}, so it
// lives in the conversation's Redis Cluster slot.
func answeringKey(conv, clientID string) string {
	return prefix + "{" + conv + "}:answering:" + clientID
}

// releaseAnswerScript deletes a claim only if owner still holds it: a claim
// that expired and was taken by another instance is that instance's.
var releaseAnswerScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`)

// ReleaseAnswer gives up owner's claim on answering the message with
// client id clientID, when no reply could be stored: the visitor's retry
// may then be answered at once.
func (s *Store) ReleaseAnswer(ctx context.Context, conv, clientID, owner string) error {
	if err := releaseAnswerScript.Run(ctx, s.rdb, []string{answeringKey(conv, clientID)}, owner).Err(); err != nil {
		return fmt.Errorf("release the answer to %s: %w", clientID, err)
	}
	return nil
}

// renewAnswerScript gives owner's claim another TTL, or takes it when it
// expired and nobody else took it; it reports whether the claim is
// owner's now.
var renewAnswerScript = redis.NewScript(`
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`)

// RenewAnswer keeps owner's claim on answering the message with client
// id clientID for another ttl, from now: a message that waited in its
// conversation's queue behind another's answer may have waited most of
// the claim's life, which storing it began. It reports false when
// another instance holds the claim (it expired, and a retry took it):
// that instance answers.
func (s *Store) RenewAnswer(ctx context.Context, conv, clientID, owner string, ttl time.Duration) (bool, error) {
	n, err := renewAnswerScript.Run(ctx, s.rdb, []string{answeringKey(conv, clientID)}, owner, max(ttl.Milliseconds(), 1)).Int()
	if err != nil {
		return false, fmt.Errorf("renew the answer to %s: %w", clientID, err)
	}
	return n == 1, nil
}

// PublishDelta publishes, to every connection of the conversation, a
// piece of the bot's reply to visitor message replyTo as it is written
// (docs/protocol.md, the delta frame). Deltas are not stored: the whole
// reply, stored once, follows them.
func (s *Store) PublishDelta(ctx context.Context, conv, replyTo, text string) error {
	return s.Publish(ctx, conv, false, conversation.Event{Type: "delta", Message: conversation.Message{ID: replyTo, Text: text}})
}
