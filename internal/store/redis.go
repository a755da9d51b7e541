package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// Connect opens the Redis the service keeps its state in. An empty url
// starts an embedded in-memory Redis on loopback, reached through the same
// go-redis client as a real one, so that one command runs the service on a
// fresh machine; embedded reports that state will be lost on restart.
// Otherwise url is a redis:// or rediss:// URL, or comma-separated
// host:port addresses of a Redis Cluster or (with master) of Sentinels.
func Connect(ctx context.Context, url, master string) (client redis.UniversalClient, closeFn func(), embedded bool, err error) {
	if url == "" {
		mr := miniredis.NewMiniRedis()
		if err := mr.StartAddr("127.0.0.1:0"); err != nil {
			return nil, nil, false, fmt.Errorf("start embedded redis: %w", err)
		}
		client = redis.NewUniversalClient(&redis.UniversalOptions{Addrs: []string{mr.Addr()}})
		stop := make(chan struct{})
		ticking := make(chan struct{})
		go tick(mr, stop, ticking)
		return client, func() { close(stop); <-ticking; client.Close(); mr.Close() }, true, nil
	}
	var opts redis.UniversalOptions
	if strings.Contains(url, "://") {
		o, err := redis.ParseURL(url)
		if err != nil {
			return nil, nil, false, fmt.Errorf("parse redis url: %w", err)
		}
		opts = redis.UniversalOptions{
			Addrs: []string{o.Addr}, Username: o.Username, Password: o.Password, DB: o.DB, TLSConfig: o.TLSConfig,
		}
	} else {
		for _, a := range strings.Split(url, ",") {
			opts.Addrs = append(opts.Addrs, strings.TrimSpace(a))
		}
		opts.MasterName = master
	}
	client = redis.NewUniversalClient(&opts)
	if err := client.Ping(ctx).Err(); err != nil {
		client.Close()
		return nil, nil, false, fmt.Errorf("reach redis: %w", err)
	}
	return client, func() { client.Close() }, false, nil
}

// tick advances the embedded Redis's clock with the wall clock, until stop:
// miniredis expires keys only when its time moves, and retention must hold
// in the embedded mode too.
func tick(mr *miniredis.Miniredis, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	last := time.Now()
	for {
		select {
		case now := <-t.C:
			mr.FastForward(now.Sub(last))
			last = now
		case <-stop:
			return
		}
	}
}
