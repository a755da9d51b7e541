package broker

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"helpline/internal/conversation"
)

// A shard is one subscription connection, to the node that owns the slots
// of its channels (on one Redis, the only one). go-redis binds a sharded
// PubSub to the node of its first channel's slot, so channels of other
// nodes cannot share it; and when it reconnects it subscribes again with
// one SSUBSCRIBE for all its channels, which a cluster refuses (CROSSSLOT)
// once they span slots. So the broker does not leave reconnection to
// go-redis: a shard whose connection fails is closed, and its channels are
// subscribed again one by one wherever their slots now live (recover);
// a channel whose slot leaves its node, alone (dropped).
type shard struct {
	addr  string // the node, as the cluster client names it; "" off a cluster
	ps    *redis.PubSub
	names map[string]bool // channels subscribed here
	// unsubs counts our own unsubscriptions not yet confirmed, by
	// channel: an unsubscription Redis sends by itself (the slot left the
	// node) is then told apart from the confirmation of ours.
	unsubs map[string]int
	// gone is set, under redisMu, when the shard is closed; its goroutine
	// then drops whatever it still reads and ends.
	gone atomic.Bool
	// opening is set, under redisMu, while the shard's connection is
	// dialed, and closed when the dial is over: others wanting the same
	// node wait for it.
	opening chan struct{}
}

// healthInterval is how long a shard's connection may be silent before the
// broker pings it; a ping unanswered for as long again means the
// connection is lost (a peer gone without closing it).
const healthInterval = 3 * time.Second

// shardOf names the shard that serves channel: the master owning its slot
// on a cluster, else the one Redis.
func (b *Broker) shardOf(ctx context.Context, channel string) (string, error) {
	if b.cluster == nil {
		return "", nil
	}
	m, err := b.cluster.MasterForKey(ctx, channel)
	if err != nil {
		return "", fmt.Errorf("find the shard of a channel: %w", err)
	}
	return m.Options().Addr, nil
}

// subscribe subscribes to channel on its shard, opening the shard's
// connection first if the broker has none there. b.redisMu is held, except
// while a new shard's connection is dialed: a node that is slow to answer
// (a host gone, a failover under way) then holds back only the channels
// of that node, not every subscription and confirmation of the healthy
// ones, which go on meanwhile.
func (b *Broker) subscribe(ctx context.Context, channel string) error {
	for {
		if b.stopped {
			return errors.New("broker closed")
		}
		if b.routes[channel] != nil {
			return nil
		}
		addr, err := b.shardOf(ctx, channel)
		if err != nil {
			return err
		}
		sh := b.shards[addr]
		if sh != nil && sh.opening != nil {
			// Another subscription is dialing this node: wait for it, then
			// look again (the channel may have been subscribed meanwhile,
			// or the dial failed).
			opening := sh.opening
			b.redisMu.Unlock()
			select {
			case <-opening:
			case <-ctx.Done():
			}
			b.redisMu.Lock()
			if err := ctx.Err(); err != nil {
				return err
			}
			continue
		}
		if sh == nil {
			return b.open(ctx, addr, channel)
		}
		if err := b.send(ctx, sh, "subscribe", channel); err != nil {
			// The connection failed: its goroutine will see it and recover
			// the shard's channels, this one included unless the caller
			// gives up on it and unsubscribes.
			sh.names[channel] = true
			b.routes[channel] = sh
			return sh.wrap(err)
		}
		sh.names[channel] = true
		b.routes[channel] = sh
		return nil
	}
}

// open opens a shard's connection to the node at addr with its first
// channel, and starts the goroutine that reads it. b.redisMu is held, and
// released while the connection is dialed.
func (b *Broker) open(ctx context.Context, addr, channel string) error {
	// The connection is made by the first SUBSCRIBE, so it goes to the
	// node of this channel's slot; only then may a goroutine read it
	// (reading first would connect to any node).
	sh := &shard{addr: addr, names: map[string]bool{}, unsubs: map[string]int{}, opening: make(chan struct{})}
	if b.cluster != nil {
		sh.ps = b.cluster.SSubscribe(ctx)
	} else {
		sh.ps = b.rdb.Subscribe(ctx)
	}
	b.shards[addr] = sh
	b.redisMu.Unlock()
	err := b.send(ctx, sh, "subscribe", channel)
	b.redisMu.Lock()
	close(sh.opening)
	sh.opening = nil
	if err == nil && b.stopped {
		err = errors.New("broker closed")
	}
	if err != nil {
		if b.shards[addr] == sh {
			delete(b.shards, addr)
		}
		sh.gone.Store(true)
		sh.ps.Close()
		return sh.wrap(err)
	}
	sh.names[channel] = true
	b.routes[channel] = sh
	b.wg.Add(1)
	go b.receive(sh)
	// Its subscribers may all have left while it was dialed (a recovery
	// subscribes for subscribers who can go at any time): then it goes
	// too, as their leaving would have taken it.
	b.mu.Lock()
	wanted := b.channels[channel] != nil
	b.mu.Unlock()
	if !wanted {
		b.unsubscribe(channel)
	}
	return nil
}

// unsubscribe ends the subscription to channel, closing its shard's
// connection when it was the shard's last channel. b.redisMu is held.
func (b *Broker) unsubscribe(channel string) {
	sh := b.routes[channel]
	if sh == nil || b.stopped {
		return
	}
	delete(b.routes, channel)
	delete(sh.names, channel)
	if len(sh.names) == 0 {
		b.closeShard(sh)
		return
	}
	sh.unsubs[channel]++
	if err := b.send(context.Background(), sh, "unsubscribe", channel); err != nil {
		b.log.Warn("unsubscribe", "shard", sh.addr, "err", err)
	}
}

// send sends SUBSCRIBE or UNSUBSCRIBE (kind) for channel on sh, in their
// sharded forms on a cluster.
func (b *Broker) send(ctx context.Context, sh *shard, kind, channel string) error {
	switch {
	case kind == "subscribe" && b.cluster != nil:
		return sh.ps.SSubscribe(ctx, channel)
	case kind == "subscribe":
		return sh.ps.Subscribe(ctx, channel)
	case b.cluster != nil:
		return sh.ps.SUnsubscribe(ctx, channel)
	default:
		return sh.ps.Unsubscribe(ctx, channel)
	}
}

// wrap names sh's node in err, on a cluster.
func (sh *shard) wrap(err error) error {
	if sh.addr == "" {
		return err
	}
	return fmt.Errorf("node %s: %w", sh.addr, err)
}

// closeShard closes sh's connection, which ends its goroutine. b.redisMu
// is held.
func (b *Broker) closeShard(sh *shard) {
	if sh.gone.Swap(true) {
		return
	}
	if b.shards[sh.addr] == sh {
		delete(b.shards, sh.addr)
	}
	sh.ps.Close()
}

// receive reads sh's connection and fans its events out, until the shard
// is closed or its connection fails; then it recovers the shard's
// channels before it ends.
func (b *Broker) receive(sh *shard) {
	defer b.wg.Done()
	ctx := context.Background()
	pinged := false
	for {
		msg, err := sh.ps.ReceiveTimeout(ctx, healthInterval)
		if sh.gone.Load() {
			return
		}
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() && !pinged {
				pinged = true
				if err = sh.ps.Ping(ctx); err == nil {
					continue
				}
			}
			b.recover(sh, err)
			return
		}
		pinged = false
		switch m := msg.(type) {
		case *redis.Subscription:
			switch m.Kind {
			case "subscribe", "ssubscribe":
				b.confirmed(sh, m.Channel)
			case "unsubscribe", "sunsubscribe":
				if !b.ours(sh, m.Channel) {
					b.dropped(sh, m.Channel)
				}
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

// ours reports whether an unsubscription sh read is the confirmation of
// one the broker asked for, and counts it.
func (b *Broker) ours(sh *shard, channel string) bool {
	b.redisMu.Lock()
	defer b.redisMu.Unlock()
	n := sh.unsubs[channel]
	switch {
	case n == 0:
		return false
	case n == 1:
		delete(sh.unsubs, channel)
	default:
		sh.unsubs[channel] = n - 1
	}
	return true
}

// confirmed marks a channel ready when Redis confirms it on the shard it
// is subscribed on; a second confirmation means the subscription was
// restored after a lost connection (see recover), and subscribers may have
// missed events.
func (b *Broker) confirmed(sh *shard, name string) {
	b.redisMu.Lock()
	current := b.routes[name] == sh
	b.redisMu.Unlock()
	if !current {
		return
	}
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

// recover closes a shard whose connection failed, or whose node refused a
// subscription (MOVED: the cluster client's map of slots was stale), and
// subscribes its channels again, each where its slot now lives (see
// restore). The confirmations that follow tell the subscribers to
// resynchronise (see confirmed).
func (b *Broker) recover(sh *shard, cause error) {
	b.redisMu.Lock()
	if sh.gone.Load() {
		b.redisMu.Unlock()
		return
	}
	b.closeShard(sh)
	var pending []string
	for name := range sh.names {
		if b.routes[name] == sh {
			delete(b.routes, name)
			pending = append(pending, name)
		}
	}
	b.redisMu.Unlock()
	b.log.Warn("redis subscription lost; subscribing again", "shard", sh.addr, "channels", len(pending), "err", cause)
	// A refusal comes back at once from a node that is up: without a
	// pause, a map not yet reloaded would send the subscriptions straight
	// back to it, again and again, each round a resync for every
	// subscriber of the shard.
	var refused redis.Error
	b.restore(sh.addr, pending, errors.As(cause, &refused), false)
}

// dropped handles an unsubscription Redis sent by itself: channel's slot
// left sh's node (resharding, or a failover that made it a replica). Only
// that channel is subscribed again, elsewhere, by a goroutine of its own,
// so that sh goes on delivering meanwhile.
func (b *Broker) dropped(sh *shard, channel string) {
	b.redisMu.Lock()
	defer b.redisMu.Unlock()
	if b.stopped || b.routes[channel] != sh {
		return
	}
	delete(b.routes, channel)
	delete(sh.names, channel)
	if len(sh.names) == 0 {
		b.closeShard(sh)
	}
	b.log.Warn("redis ended a subscription: its slot moved", "shard", sh.addr)
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		b.restore(sh.addr, []string{channel}, true, true)
	}()
}

// restore subscribes the channels in pending again (see resubscribe),
// retrying with a short pause while Redis is unreachable, until every one
// still wanted is subscribed or the broker closes; with wait it pauses
// before the first attempt too. With moved, the channels' slots left node:
// they wait (two seconds at most) for the cluster client's map, which it
// reloads in the background, to show their new owner.
func (b *Broker) restore(node string, pending []string, wait, moved bool) {
	// The pause is short, as go-redis's own reconnection's is: events
	// published between Redis coming back and the subscription are lost
	// to the subscribers until their resync, so it should come soon; and
	// an attempt costs one dial per node, refused at once by a host whose
	// Redis is down, or as slow as the dial timeout by one that is gone.
	pause := 25 * time.Millisecond
	if wait {
		pause = 100 * time.Millisecond
	}
	for attempt := 1; ; attempt++ {
		if b.cluster != nil {
			b.cluster.ReloadState(context.Background())
		}
		if wait || attempt > 1 {
			select {
			case <-time.After(pause):
			case <-b.stop:
				return
			}
			pause = min(2*pause, 100*time.Millisecond)
		}
		if moved && attempt <= 20 && b.allOn(pending, node) {
			continue
		}
		var err error
		pending, err = b.resubscribe(pending)
		if len(pending) == 0 {
			if attempt > 1 {
				b.log.Info("redis subscription restored", "shard", node, "attempts", attempt)
			}
			return
		}
		if attempt == 1 || attempt%100 == 0 {
			b.log.Warn("subscribe again", "shard", node, "channels", len(pending), "attempt", attempt, "err", err)
		}
	}
}

// allOn reports whether the cluster client still places every channel in
// names on node.
func (b *Broker) allOn(names []string, node string) bool {
	for _, name := range names {
		if addr, err := b.shardOf(context.Background(), name); err != nil || addr != node {
			return false
		}
	}
	return true
}

// resubscribe subscribes each channel still wanted (it has subscribers,
// and no subscription, the last subscriber having left and another come
// meanwhile) and returns those that failed, with the last error. A node
// that cannot be reached is tried once per call, not once per channel.
func (b *Broker) resubscribe(names []string) ([]string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b.redisMu.Lock()
	defer b.redisMu.Unlock()
	if b.stopped {
		return nil, nil
	}
	var failed []string
	var lastErr error
	down := map[string]bool{}
	for _, name := range names {
		b.mu.Lock()
		wanted := b.channels[name] != nil
		b.mu.Unlock()
		if !wanted || b.routes[name] != nil {
			continue
		}
		addr, err := b.shardOf(ctx, name)
		if err == nil && down[addr] {
			failed = append(failed, name)
			continue
		}
		if err == nil {
			err = b.subscribe(ctx, name)
		}
		if err != nil {
			if b.shards[addr] == nil {
				down[addr] = true
			}
			failed = append(failed, name)
			lastErr = err
		}
	}
	return failed, lastErr
}
