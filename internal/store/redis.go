package store

import (
	"context"
	"errors"
	"fmt"
	"net"
	neturl "net/url"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Connect opens the Redis the service keeps its state in: url is a
// redis:// or rediss:// URL of one Redis; a redis+cluster:// or
// rediss+cluster:// URL of a Redis Cluster, with any number of its nodes
// (see ParseClusterURL); or comma-separated host:port addresses of a Redis
// Cluster or (with master) of Sentinels, without credentials or TLS. (The
// embedded Redis, for a run with none configured, is the command's to
// start: see package embedredis.)
func Connect(ctx context.Context, url, master string) (client redis.UniversalClient, closeFn func(), err error) {
	if url == "" {
		return nil, nil, errors.New("no Redis URL")
	}
	if IsClusterURL(url) {
		o, err := ParseClusterURL(url)
		if err != nil {
			return nil, nil, fmt.Errorf("parse redis cluster url: %w", err)
		}
		if o.ClusterStateReloadInterval == 0 {
			o.ClusterStateReloadInterval = clusterStateReload
		}
		client = redis.NewClusterClient(o)
		if err := client.Ping(ctx).Err(); err != nil {
			client.Close()
			return nil, nil, fmt.Errorf("reach redis cluster: %w", err)
		}
		return client, func() { client.Close() }, nil
	}
	var opts redis.UniversalOptions
	if strings.Contains(url, "://") {
		o, err := redis.ParseURL(url)
		if err != nil {
			return nil, nil, fmt.Errorf("parse redis url: %w", err)
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
	if opts.MasterName == "" && len(opts.Addrs) > 1 {
		// Several addresses and no Sentinel master: a cluster.
		o := opts.Cluster()
		o.ClusterStateReloadInterval = clusterStateReload
		client = redis.NewClusterClient(o)
	} else {
		client = redis.NewUniversalClient(&opts)
	}
	if err := client.Ping(ctx).Err(); err != nil {
		client.Close()
		return nil, nil, fmt.Errorf("reach redis: %w", err)
	}
	return client, func() { client.Close() }, nil
}

// clusterStateReload is how old the cluster client's map of slots may get
// before it is read again. When a master dies and its replica takes its
// slots, go-redis reloads the map on a MOVED reply, but not on the network
// errors the dead master gives: an instance with no other reason to look
// went on sending those slots' commands to the dead master until the next
// reload, 60 s by default (TestClusterFailover). A reload is one CLUSTER
// SLOTS to one node, at most this often, and only while commands flow.
const clusterStateReload = 2 * time.Second

// IsClusterURL reports whether url names a Redis Cluster by its scheme.
func IsClusterURL(url string) bool {
	return strings.HasPrefix(url, "redis+cluster://") || strings.HasPrefix(url, "rediss+cluster://")
}

// ParseClusterURL reads redis+cluster://[user:password@]host:port[,host:port...][?option=value&...]
// (rediss+cluster:// for TLS): the nodes to start from (the client finds
// the others), the credentials and TLS they share, and go-redis's cluster
// options (dial_timeout, read_timeout, pool_size...). A cluster has only
// database 0, so a path is refused.
func ParseClusterURL(s string) (*redis.ClusterOptions, error) {
	scheme, rest, _ := strings.Cut(s, "://")
	base, ok := strings.CutSuffix(scheme, "+cluster")
	if !ok || (base != "redis" && base != "rediss") {
		return nil, fmt.Errorf("scheme %q: use redis+cluster:// or rediss+cluster://", scheme)
	}
	end := strings.IndexAny(rest, "/?")
	if end < 0 {
		end = len(rest)
	}
	authority, tail := rest[:end], rest[end:]
	userinfo, hosts := "", authority
	if i := strings.LastIndex(authority, "@"); i >= 0 {
		userinfo, hosts = authority[:i+1], authority[i+1:]
	}
	path, query, _ := strings.Cut(tail, "?")
	if path != "" && path != "/" {
		return nil, fmt.Errorf("path %q: a Redis Cluster has only database 0", path)
	}
	q, err := neturl.ParseQuery(query)
	if err != nil {
		return nil, fmt.Errorf("options: %w", err)
	}
	var addrs []string
	for _, a := range strings.Split(hosts, ",") {
		a = strings.TrimSpace(a)
		if _, _, err := net.SplitHostPort(a); err != nil {
			return nil, fmt.Errorf("node %q: %w", a, err)
		}
		addrs = append(addrs, a)
	}
	for _, a := range addrs[1:] {
		q.Add("addr", a)
	}
	u := base + "://" + userinfo + addrs[0]
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return redis.ParseClusterURL(u)
}

// Counter is what Instrument counts with (a Prometheus counter fits).
type Counter interface{ Inc() }

// Instrument counts every command the client sends (a pipeline counts
// once: it is one round trip) and every failed one.
func Instrument(rdb redis.UniversalClient, calls, failures Counter) {
	rdb.AddHook(countHook{calls: calls, failures: failures})
}

type countHook struct{ calls, failures Counter }

func (h countHook) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h countHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		h.calls.Inc()
		err := next(ctx, cmd)
		if err != nil && err != redis.Nil && !isScriptMiss(err) {
			h.failures.Inc()
		}
		return err
	}
}

func (h countHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		h.calls.Inc()
		err := next(ctx, cmds)
		if err != nil && err != redis.Nil {
			h.failures.Inc()
		}
		return err
	}
}

// isScriptMiss reports the NOSCRIPT answer to EVALSHA, which go-redis
// follows with EVAL: expected once per script, not a failure.
func isScriptMiss(err error) bool { return strings.HasPrefix(err.Error(), "NOSCRIPT") }
