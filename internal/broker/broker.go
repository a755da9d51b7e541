// Package broker delivers conversation events from Redis pub/sub to the
// connections of this instance. One Redis subscription per instance
// carries every conversation with a connection here; the broker fans each
// event out to those connections without ever blocking on a slow one.
// Every message reaches its recipients this way, even on a single
// instance, so several instances behind a load balancer need nothing more.
package broker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"

	"github.com/redis/go-redis/v9"

	"helpline/internal/conversation"
)

// Resync is the type of a synthetic event: the subscription was restored
// after a lost connection to Redis, and events may have been missed, so
// the subscriber should read what it missed from the store.
const Resync = "resync"

// Broker fans out conversation events. Create one with New and stop it
// with Close.
type Broker struct {
	ps  *redis.PubSub
	log *slog.Logger

	mu       sync.Mutex
	channels map[string]*channel
	closed   bool
	done     chan struct{}

	// redisMu orders the SUBSCRIBE and UNSUBSCRIBE commands the broker
	// sends. Without it, the last subscriber of a conversation leaving
	// while a new one arrives could send UNSUBSCRIBE after the newcomer's
	// SUBSCRIBE, and the newcomer would never hear a thing.
	redisMu sync.Mutex
	// leaving, in tests, runs after the last subscriber of a channel left
	// and before the broker decides to unsubscribe.
	leaving func(name string)
}

type channel struct {
	subs      []*Subscription // few per conversation: its tabs on this instance
	ready     chan struct{}   // closed when Redis confirms the subscription
	confirmed bool
}

// Subscription receives one conversation's events on C. C is closed when
// the subscriber could not keep up (its buffer filled): it must then
// resynchronize from the store, or give up.
type Subscription struct {
	C    <-chan *conversation.Event
	c    chan *conversation.Event
	name string
	b    *Broker
	once sync.Once
}

// New starts a broker on rdb. Its goroutine ends when Close is called.
func New(rdb redis.UniversalClient, log *slog.Logger) *Broker {
	b := &Broker{
		ps:       rdb.Subscribe(context.Background()),
		log:      log,
		channels: map[string]*channel{},
		done:     make(chan struct{}),
	}
	go b.run()
	return b
}

// Subscribe delivers the events of a channel (a conversation's, or the
// console's) to the returned subscription, with room for buf events. It
// returns once Redis has confirmed the subscription, so that nothing
// published after it returns can be missed.
func (b *Broker) Subscribe(ctx context.Context, name string, buf int) (*Subscription, error) {
	// Pointers keep an idle subscription's buffer small: one per open
	// connection, most of them waiting.
	c := make(chan *conversation.Event, buf)
	s := &Subscription{C: c, c: c, name: name, b: b}

	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil, errors.New("broker closed")
	}
	ch, ok := b.channels[name]
	if !ok {
		ch = &channel{ready: make(chan struct{})}
		b.channels[name] = ch
	}
	ch.subs = append(ch.subs, s)
	b.mu.Unlock()

	if !ok {
		b.redisMu.Lock()
		err := b.ps.Subscribe(ctx, name)
		b.redisMu.Unlock()
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("subscribe: %w", err)
		}
	}
	select {
	case <-ch.ready:
		return s, nil
	case <-ctx.Done():
		s.Close()
		return nil, ctx.Err()
	}
}

// Close ends the subscription. It is safe to call more than once.
func (s *Subscription) Close() {
	s.once.Do(func() { s.b.remove(s, false) })
}

// remove takes s out of its channel, unsubscribing from Redis when it was
// the last one; overflow also closes s's channel. As mature brokers do, it
// decides "last" twice: once to know whether to try, and again with the
// Redis commands ordered, since a subscriber may have joined in between
// (it then keeps the channel, and nothing is sent).
func (b *Broker) remove(s *Subscription, overflow bool) {
	name := s.name
	b.mu.Lock()
	ch := b.channels[name]
	empty := false
	if ch != nil {
		if i := slices.Index(ch.subs, s); i >= 0 {
			ch.subs = slices.Delete(ch.subs, i, i+1)
			if overflow {
				close(s.c)
			}
		}
		empty = len(ch.subs) == 0
	}
	b.mu.Unlock()
	if !empty {
		return
	}
	if b.leaving != nil {
		b.leaving(name)
	}
	b.redisMu.Lock()
	defer b.redisMu.Unlock()
	b.mu.Lock()
	last := b.channels[name] == ch && len(ch.subs) == 0
	if last {
		delete(b.channels, name)
	}
	closed := b.closed
	b.mu.Unlock()
	if last && !closed {
		if err := b.ps.Unsubscribe(context.Background(), name); err != nil {
			b.log.Warn("unsubscribe", "err", err)
		}
	}
}

// run reads the Redis subscription and fans events out.
func (b *Broker) run() {
	defer close(b.done)
	for msg := range b.ps.ChannelWithSubscriptions() {
		switch m := msg.(type) {
		case *redis.Subscription:
			if m.Kind == "subscribe" {
				b.confirmed(m.Channel)
			}
		case *redis.Message:
			ev, err := conversation.DecodeEvent(m.Payload)
			if err != nil {
				b.log.Error("bad event", "err", err)
				continue
			}
			b.deliver(m.Channel, &ev)
		}
	}
}

// confirmed marks a channel ready; a second confirmation means go-redis
// restored the subscription after losing the connection, and subscribers
// may have missed events.
func (b *Broker) confirmed(name string) {
	b.mu.Lock()
	ch := b.channels[name]
	if ch == nil {
		b.mu.Unlock()
		return
	}
	again := ch.confirmed
	if !again {
		ch.confirmed = true
		close(ch.ready)
	}
	b.mu.Unlock()
	if again {
		b.deliver(name, &conversation.Event{Type: Resync})
	}
}

func (b *Broker) deliver(name string, ev *conversation.Event) {
	b.mu.Lock()
	ch := b.channels[name]
	var slow []*Subscription
	if ch != nil {
		for _, s := range ch.subs {
			select {
			case s.c <- ev:
			default:
				slow = append(slow, s)
			}
		}
	}
	b.mu.Unlock()
	for _, s := range slow {
		s.once.Do(func() { b.remove(s, true) })
	}
}

// Close stops the broker and waits for its goroutine.
func (b *Broker) Close() error {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	err := b.ps.Close()
	<-b.done
	return err
}
