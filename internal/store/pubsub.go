package store

import (
	"context"

	"github.com/redis/go-redis/v9"
)

// Sharded reports whether events on rdb travel by sharded pub/sub
// (SPUBLISH, SSUBSCRIBE): on a Redis Cluster, where classic PUBLISH is
// carried by the cluster bus to every node, whoever listens, while a
// sharded channel lives on the shard that owns its slot, as a key does.
// Everywhere else (one Redis, Sentinel, the embedded one) it is classic
// pub/sub: a single node gains nothing from shards, and the embedded
// miniredis knows no SPUBLISH. The store and the broker both ask here, so
// publisher and subscriber never disagree; only the command names differ,
// the code around them is one. (A Sentinel client that routes reads to
// replicas is a ClusterClient too, and would take the sharded path, which
// Redis 7 serves on one node as well; Connect never makes one.)
func Sharded(rdb redis.UniversalClient) bool {
	_, ok := rdb.(*redis.ClusterClient)
	return ok
}

// script is one Lua script in the two forms the store may run. In the
// source, PUBLISH is a Lua variable naming the publishing command: PUBLISH,
// or SPUBLISH on a cluster. A script publishes only on a channel of its
// own conversation (KEYS[4] or KEYS[6]), which carries the conversation's
// hash tag and is passed in KEYS, so Redis routes the script and its
// SPUBLISH to the same slot, and the change and its event stay one atomic
// step.
type script struct{ classic, sharded *redis.Script }

func newScript(src string) *script {
	return &script{
		classic: redis.NewScript("local PUBLISH = 'PUBLISH'\n" + src),
		sharded: redis.NewScript("local PUBLISH = 'SPUBLISH'\n" + src),
	}
}

// eval runs sc in the form that suits the store's Redis.
func (s *Store) eval(ctx context.Context, sc *script, keys []string, args ...any) *redis.Cmd {
	if s.sharded {
		return sc.sharded.Run(ctx, s.rdb, keys, args...)
	}
	return sc.classic.Run(ctx, s.rdb, keys, args...)
}

// publish sends payload on channel, the way the store's Redis carries
// events (see Sharded).
func (s *Store) publish(ctx context.Context, channel, payload string) error {
	if s.sharded {
		return s.rdb.SPublish(ctx, channel, payload).Err()
	}
	return s.rdb.Publish(ctx, channel, payload).Err()
}
