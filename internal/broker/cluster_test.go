package broker

import (
	"context"
	"io"
	"log/slog"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"helpline/internal/conversation"
	"helpline/internal/store"
	"helpline/internal/store/storetest"
)

// A setup is a Redis the test may break: a real three-master cluster (its
// channels sharded), or one real Redis (classic pub/sub), so that the one
// code path is proved on both.
type setup struct {
	rdb redis.UniversalClient
	// nodes are the masters' addresses; restart crashes and restarts
	// the first.
	nodes   []string
	restart func()
}

func clusterSetup(t *testing.T) setup {
	cl := storetest.StartCluster(t, 3)
	return setup{rdb: cl.Client(), nodes: cl.Addrs, restart: func() { cl.Restart(0) }}
}

func serverSetup(t *testing.T) setup {
	srv := storetest.StartServer(t)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr})
	t.Cleanup(func() { rdb.Close() })
	return setup{rdb: rdb, nodes: []string{srv.Addr}, restart: func() { srv.Kill(); srv.Start() }}
}

// TestDeliveryAcrossShards follows conversations whose channels live on
// every master of a real Redis Cluster (and, for comparison, on one real
// Redis): each hears its own events and no other's, published by the
// store's scripts (SPUBLISH inside Lua on the cluster) and by the store
// directly; through subscribe and unsubscribe churn on every shard,
// leaving exactly one subscription per followed channel on the node that
// owns it; after every subscription connection is killed, and after a
// master crashes and restarts, each subscriber concerned is told to
// resynchronise and delivery resumes; and when the last subscriber leaves,
// no subscription connection is left open.
func TestDeliveryAcrossShards(t *testing.T) {
	for _, tc := range []struct {
		name  string
		start func(*testing.T) setup
	}{{"cluster", clusterSetup}, {"redis", serverSetup}} {
		t.Run(tc.name, func(t *testing.T) {
			su := tc.start(t)
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			st := store.New(su.rdb, store.Options{Retention: time.Hour, RatePerMinute: 1000})
			b := New(su.rdb, slog.New(slog.NewTextHandler(io.Discard, nil)))
			defer b.Close()
			sharded := store.Sharded(su.rdb)

			// Conversations until every master owns the channels of at
			// least three.
			perNode := map[string][]string{}
			nodeOf := map[string]string{}
			for len(perNode) < len(su.nodes) || slices.ContainsFunc(su.nodes, func(n string) bool { return len(perNode[n]) < 3 }) {
				c, _, err := st.Create(ctx)
				if err != nil {
					t.Fatalf("create: %v", err)
				}
				node := su.nodes[0]
				if sharded {
					m, err := su.rdb.(*redis.ClusterClient).MasterForKey(ctx, store.EventsChannel(c.ID))
					if err != nil {
						t.Fatal(err)
					}
					node = m.Options().Addr
				}
				perNode[node] = append(perNode[node], c.ID)
				nodeOf[c.ID] = node
			}
			var convs []string
			for _, n := range su.nodes {
				convs = append(convs, perNode[n]...)
			}
			subs := make([]*Subscription, len(convs))
			for i, conv := range convs {
				s, err := b.Subscribe(ctx, store.EventsChannel(conv), 64)
				if err != nil {
					t.Fatalf("subscribe: %v", err)
				}
				subs[i] = s
			}
			defer func() {
				for _, s := range subs {
					s.Close()
				}
			}()
			if n := b.shardCount(); n != len(su.nodes) {
				t.Errorf("%d subscription connections, want one per master: %d", n, len(su.nodes))
			}

			// deliverAll has each conversation hear a reply (a script's
			// publication), unless a node lost the conversations, and a
			// place in line (the store's own).
			deliverAll := func(when string, stored bool) {
				t.Helper()
				for i, conv := range convs {
					if stored {
						await(t, subs[i], conv, when+": reply", func() error {
							_, err := st.AddReply(ctx, conv, conversation.Reply{From: conversation.FromBot, Text: conv})
							return err
						}, func(ev *conversation.Event) bool { return ev.Type == "msg" })
					}
					await(t, subs[i], conv, when+": place in line", func() error {
						return st.Publish(ctx, conv, false, conversation.Event{Type: "queue", Position: i + 1})
					}, func(ev *conversation.Event) bool { return ev.Type == "queue" && ev.Position == i+1 })
				}
			}
			deliverAll("at first", true)

			// Churn: on every shard at once, conversations' last
			// subscribers leave and come back, and second tabs open and
			// close, so that shards lose their last channel and are opened
			// again while others subscribe on them.
			var wg sync.WaitGroup
			var mu sync.Mutex
			for i, conv := range convs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for round := 0; round < 15; round++ {
						if (i+round)%2 == 0 {
							tab, err := b.Subscribe(ctx, store.EventsChannel(conv), 4)
							if err != nil {
								t.Errorf("second tab: %v", err)
								return
							}
							tab.Close()
							continue
						}
						mu.Lock()
						s := subs[i]
						mu.Unlock()
						s.Close()
						s, err := b.Subscribe(ctx, store.EventsChannel(conv), 64)
						if err != nil {
							t.Errorf("subscribe again: %v", err)
							return
						}
						mu.Lock()
						subs[i] = s
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			if t.Failed() {
				t.FailNow()
			}
			deliverAll("after churn", true)
			for _, conv := range convs {
				if n := subscribers(t, su, nodeOf[conv], store.EventsChannel(conv)); n != 1 {
					t.Errorf("after churn, %d subscriptions to a channel on its node, want 1", n)
				}
			}

			// Every subscription connection killed: everyone resyncs.
			killed := time.Now()
			for _, n := range su.nodes {
				node := redis.NewClient(&redis.Options{Addr: n})
				if err := node.ClientKillByFilter(ctx, "TYPE", "pubsub").Err(); err != nil {
					t.Fatalf("client kill: %v", err)
				}
				node.Close()
			}
			for i, conv := range convs {
				await(t, subs[i], conv, "after the connections were killed", nil, func(ev *conversation.Event) bool { return ev.Type == Resync })
			}
			t.Logf("%d subscriptions resynced %v after their connections were killed", len(convs), time.Since(killed).Round(time.Millisecond))
			deliverAll("after the connections were killed", true)

			// The first master crashes and comes back: its conversations
			// resync; all hear their events again.
			restarted := time.Now()
			su.restart()
			for i, conv := range convs {
				if nodeOf[conv] == su.nodes[0] {
					await(t, subs[i], conv, "after a restart", nil, func(ev *conversation.Event) bool { return ev.Type == Resync })
				}
			}
			t.Logf("%d subscriptions on the restarted node resynced %v after the crash", len(perNode[su.nodes[0]]), time.Since(restarted).Round(time.Millisecond))
			// A restarted cluster node comes back empty (nothing is
			// persisted), its conversations with it: only the store's
			// own publications are tried.
			deliverAll("after a restart", !sharded)

			// The last subscribers leave: no connection is kept.
			for _, s := range subs {
				s.Close()
			}
			if n := b.shardCount(); n != 0 {
				t.Errorf("%d subscription connections with no subscriber, want 0", n)
			}
			for _, n := range su.nodes {
				waitNoPubSub(t, n)
			}
		})
	}
}

// await calls send (if any) every 200 ms until s receives an event of conv
// that want accepts. A message of another conversation on s fails the test
// at once; other events are skipped.
func await(t *testing.T, s *Subscription, conv, what string, send func() error, want func(*conversation.Event) bool) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		if send != nil {
			if err := send(); err != nil {
				t.Logf("%s: publish: %v (trying again)", what, err)
			}
		}
		for waiting := true; waiting; {
			select {
			case ev, ok := <-s.C:
				if !ok {
					t.Fatalf("%s: the subscription was closed", what)
				}
				if ev.Type == "msg" && ev.Message.Text != conv {
					t.Fatalf("%s: a message of another conversation arrived", what)
				}
				if want(ev) {
					return
				}
			case <-tick.C:
				waiting = false
			case <-deadline:
				t.Fatalf("%s: nothing arrived in 30 s", what)
			}
		}
	}
}

// subscribers counts the connections subscribed to channel on node.
func subscribers(t *testing.T, su setup, node, channel string) int64 {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: node})
	defer rdb.Close()
	var counts map[string]int64
	var err error
	if store.Sharded(su.rdb) {
		counts, err = rdb.PubSubShardNumSub(context.Background(), channel).Result()
	} else {
		counts, err = rdb.PubSubNumSub(context.Background(), channel).Result()
	}
	if err != nil {
		t.Fatalf("numsub: %v", err)
	}
	return counts[channel]
}

// waitNoPubSub waits until node has no subscription connection left.
func waitNoPubSub(t *testing.T, node string) {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: node})
	defer rdb.Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		list, err := rdb.ClientList(context.Background()).Result()
		if err != nil {
			t.Fatalf("client list: %v", err)
		}
		n := 0
		for _, line := range strings.Split(list, "\n") {
			for _, f := range strings.Fields(line) {
				if k, v, _ := strings.Cut(f, "="); (k == "sub" || k == "ssub") && v != "0" {
					n++
				}
			}
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d subscribed connections left on %s with no subscriber", n, node)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// shardCount is how many subscription connections the broker holds.
func (b *Broker) shardCount() int {
	b.redisMu.Lock()
	defer b.redisMu.Unlock()
	return len(b.shards)
}

// TestSlotMoves moves the slot of a followed conversation's channel to
// another master of a real cluster, as resharding does: the old node ends
// the subscription by itself, and the broker subscribes again on the new
// owner, tells the subscriber to resynchronise, and delivery resumes.
func TestSlotMoves(t *testing.T) {
	cl := storetest.StartCluster(t, 3)
	rdb := cl.Client()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st := store.New(rdb, store.Options{Retention: time.Hour, RatePerMinute: 1000})
	b := New(rdb, slog.New(slog.NewTextHandler(io.Discard, nil)))
	defer b.Close()

	// A conversation with no keys (its slot is empty and may move as it
	// is), and one more on the same master that stays.
	conv := "moving" + strings.ReplaceAll(t.Name(), "/", "")
	channel := store.EventsChannel(conv)
	src, err := rdb.MasterForKey(ctx, channel)
	if err != nil {
		t.Fatal(err)
	}
	var stay string
	for i := 0; stay == ""; i++ {
		c := "staying" + strings.Repeat("x", i)
		if m, err := rdb.MasterForKey(ctx, store.EventsChannel(c)); err == nil && m.Options().Addr == src.Options().Addr {
			if mustSlot(t, rdb, store.EventsChannel(c)) != mustSlot(t, rdb, channel) {
				stay = c
			}
		}
	}
	moving, err := b.Subscribe(ctx, channel, 64)
	if err != nil {
		t.Fatal(err)
	}
	defer moving.Close()
	staying, err := b.Subscribe(ctx, store.EventsChannel(stay), 64)
	if err != nil {
		t.Fatal(err)
	}
	defer staying.Close()
	queue := func(c string) func() error {
		return func() error { return st.Publish(ctx, c, false, conversation.Event{Type: "queue", Position: 1}) }
	}
	isQueue := func(ev *conversation.Event) bool { return ev.Type == "queue" }
	await(t, moving, conv, "before the move", queue(conv), isQueue)

	var dst string
	for _, a := range cl.Addrs {
		if a != src.Options().Addr {
			dst = a
			break
		}
	}
	slot := mustSlot(t, rdb, channel)
	dstID := nodeID(t, dst)
	// The new owner first, then the old one and the rest, as redis-cli
	// --cluster reshard does for a slot with no keys.
	for _, a := range append([]string{dst, src.Options().Addr}, cl.Addrs...) {
		node := redis.NewClient(&redis.Options{Addr: a})
		if err := node.Do(ctx, "cluster", "setslot", slot, "node", dstID).Err(); err != nil {
			t.Fatalf("cluster setslot on %s: %v", a, err)
		}
		node.Close()
	}
	await(t, moving, conv, "after the move", nil, func(ev *conversation.Event) bool { return ev.Type == Resync })
	await(t, moving, conv, "after the move", queue(conv), isQueue)
	if n := subscribers(t, setup{rdb: rdb}, dst, channel); n != 1 {
		t.Errorf("%d subscriptions on the slot's new owner, want 1", n)
	}
	await(t, staying, stay, "for the conversation that stayed", queue(stay), isQueue)
}

func mustSlot(t *testing.T, rdb *redis.ClusterClient, key string) int {
	t.Helper()
	slot, err := rdb.ClusterKeySlot(context.Background(), key).Result()
	if err != nil {
		t.Fatal(err)
	}
	return int(slot)
}

func nodeID(t *testing.T, addr string) string {
	t.Helper()
	node := redis.NewClient(&redis.Options{Addr: addr})
	defer node.Close()
	id, err := node.Do(context.Background(), "cluster", "myid").Text()
	if err != nil {
		t.Fatalf("cluster myid: %v", err)
	}
	return id
}

// TestSlowNodeHoldsBackNoOther dials one master of a real cluster slowly,
// as a host that is gone or a failover under way does: a subscription to
// a channel of another master is made and confirmed at once meanwhile,
// rather than after the slow dial (subscriptions were ordered under one
// lock, the dial included), and the slow one is made when its node
// answers.
func TestSlowNodeHoldsBackNoOther(t *testing.T) {
	cl := storetest.StartCluster(t, 3)
	const delay = 3 * time.Second
	var slow atomic.Bool
	slowAddr := cl.Addrs[0]
	rdb := redis.NewClusterClient(&redis.ClusterOptions{Addrs: cl.Addrs, DialTimeout: 2 * delay,
		Dialer: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if slow.Load() && addr == slowAddr {
				select {
				case <-time.After(delay):
				case <-ctx.Done():
					return nil, ctx.Err()
				}
			}
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		}})
	t.Cleanup(func() { rdb.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := rdb.ForEachShard(ctx, func(ctx context.Context, c *redis.Client) error { return c.Ping(ctx).Err() }); err != nil {
		t.Fatal(err)
	}
	// A channel on the slow master, and one on another.
	channelOn := func(onSlow bool) string {
		for i := 0; ; i++ {
			name := store.EventsChannel("slow-node-" + strings.Repeat("x", i))
			if m, err := rdb.MasterForKey(ctx, name); err == nil && (m.Options().Addr == slowAddr) == onSlow {
				return name
			}
		}
	}
	onSlow, onOther := channelOn(true), channelOn(false)
	b := New(rdb, slog.New(slog.NewTextHandler(io.Discard, nil)))
	defer b.Close()
	slow.Store(true)

	slowDone := make(chan error, 1)
	slowStart := time.Now()
	go func() {
		s, err := b.Subscribe(ctx, onSlow, 4)
		if err == nil {
			defer s.Close()
		}
		slowDone <- err
	}()
	time.Sleep(200 * time.Millisecond) // the slow dial is under way
	start := time.Now()
	s, err := b.Subscribe(ctx, onOther, 4)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if took := time.Since(start); took > delay/3 {
		t.Errorf("a subscription on a healthy master took %v while another master was slow to dial, want well under %v", took.Round(time.Millisecond), delay)
	}
	if err := <-slowDone; err != nil {
		t.Errorf("the subscription on the slow master: %v", err)
	} else if took := time.Since(slowStart); took < delay {
		t.Errorf("the slow master's subscription took %v, less than its dial: the test did not slow it", took)
	}
}
