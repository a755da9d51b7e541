// Package broker delivers conversation events from Redis pub/sub to the
// connections of this instance. The instance subscribes once to every
// channel (a conversation's, or the console's) with a connection here, and
// the broker fans each event out to those connections without ever
// blocking on a slow one. Every message reaches its recipients this way,
// even on a single instance, so several instances behind a load balancer
// need nothing more.
//
// On a Redis Cluster the channels are sharded (SSUBSCRIBE, see
// store.Sharded): each lives on the shard that owns its slot, so the
// broker holds one subscription connection per shard it has channels on,
// opened when the first is needed and closed with the last. On one Redis,
// Sentinel or the embedded one there is a single such connection, with
// classic SUBSCRIBE; the code is the same.
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
	"helpline/internal/store"
)

// Resync is the type of a synthetic event: the subscription was restored
// after a lost connection to Redis (or, on a cluster, its slot moved to
// another node), and events may have been missed, so the subscriber should
// read what it missed from the store.
const Resync = "resync"

// Broker fans out conversation events. Create one with New and stop it
// with Close.
type Broker struct {
	rdb redis.UniversalClient
	// cluster is rdb when channels are sharded, else nil.
	cluster *redis.ClusterClient
	log     *slog.Logger

	mu       sync.Mutex
	channels map[string]*channel
	closed   bool

	// redisMu orders the (S)SUBSCRIBE and (S)UNSUBSCRIBE commands the
	// broker sends. Without it, the last subscriber of a conversation
	// leaving while a new one arrives could send UNSUBSCRIBE after the
	// newcomer's SUBSCRIBE, and the newcomer would never hear a thing. It
	// also guards the shards and routes, which those commands change; it
	// is taken before mu, never after.
	redisMu sync.Mutex
	shards  map[string]*shard // by the address of the node the connection serves
	routes  map[string]*shard // channel -> the shard it is subscribed on
	stopped bool              // Close has begun: no more commands
	stop    chan struct{}     // closed by Close, to end recoveries' waits
	// wg counts the shards' receiving goroutines, and recoveries; Close
	// waits for them.
	wg sync.WaitGroup

	// leaving, in tests, runs after the last subscriber of a channel left
	// and before the broker decides to unsubscribe.
	leaving func(name string)
}

type channel struct {
	subs  []*Subscription // few per conversation: its tabs on this instance
	ready chan struct{}   // closed when Redis confirms the subscription, or it failed (err)
	// err is why the subscription failed, set before ready is closed: the
	// subscribers who joined while the first one subscribed learn it too,
	// rather than wait for a confirmation that never comes.
	err       error
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

// New returns a broker on rdb. It connects to Redis when the first
// subscription needs it; its goroutines end when Close is called.
func New(rdb redis.UniversalClient, log *slog.Logger) *Broker {
	b := &Broker{
		rdb:      rdb,
		log:      log,
		channels: map[string]*channel{},
		shards:   map[string]*shard{},
		routes:   map[string]*shard{},
		stop:     make(chan struct{}),
	}
	if store.Sharded(rdb) {
		b.cluster = rdb.(*redis.ClusterClient)
	}
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
		err := b.subscribe(ctx, name)
		b.redisMu.Unlock()
		if err != nil {
			// The channel goes, with everyone waiting on it: the next
			// subscriber starts afresh.
			b.mu.Lock()
			if b.channels[name] == ch {
				delete(b.channels, name)
			}
			ch.err = err
			close(ch.ready)
			b.mu.Unlock()
			return nil, fmt.Errorf("subscribe: %w", err)
		}
	}
	select {
	case <-ch.ready:
		if ch.err != nil {
			return nil, fmt.Errorf("subscribe: %w", ch.err)
		}
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
	b.mu.Unlock()
	if last {
		b.unsubscribe(name)
	}
}

// deliver gives ev to every subscriber of name; one whose buffer is full
// is dropped, never waited for.
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

// Close stops the broker: it closes every subscription connection and
// waits for the goroutines that read them and for any recovery under way.
// It is safe to call more than once.
func (b *Broker) Close() error {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	b.redisMu.Lock()
	if !b.stopped {
		b.stopped = true
		close(b.stop)
		for _, sh := range b.shards {
			b.closeShard(sh)
		}
	}
	b.redisMu.Unlock()
	b.wg.Wait()
	return nil
}
