package store

import (
	"context"

	"helpline/internal/conversation"
)

// Events published from Go rather than from a script: to the consoles, and
// to a conversation's channels for what is not stored (typing, a place in
// line). All are encoded by conversation.EncodeEvent.

// consoleEvent publishes an event on the console channel.
func (s *Store) consoleEvent(ctx context.Context, e conversation.Event) {
	s.publish(ctx, ConsoleChannel, conversation.EncodeEvent(e))
}

// Publish sends an event that is not stored (typing, a place in line) to a
// conversation's visitor channel, or with rep set to its representatives'
// channel.
func (s *Store) Publish(ctx context.Context, conv string, rep bool, ev conversation.Event) error {
	ch := keysFor(conv).events
	if rep {
		ch = keysFor(conv).rep
	}
	return s.publish(ctx, ch, conversation.EncodeEvent(ev))
}
