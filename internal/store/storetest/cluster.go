package storetest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Cluster is a real Redis Cluster of masters (with a replica each, from
// StartReplicatedCluster) started by the test from Debian's redis-server,
// on loopback, gone when the test ends.
type Cluster struct {
	// Addrs are the nodes' host:port addresses: the masters', then (with
	// replicas) the replicas'.
	Addrs []string
	// URL reaches the cluster the way an operator configures it.
	URL    string
	nodes  []*exec.Cmd
	server string
	dir    string
	t      testing.TB
	// persist keeps every write on disk before it is acknowledged
	// (append-only, fsync always), so a restarted master has its data.
	persist bool
	// replicas is how many replicas each master has.
	replicas int
}

// StartCluster starts a cluster of n masters (no replicas) and waits until
// every slot is served. Without redis-server the test is skipped, unless
// HELPLINE_CLUSTER_TESTS=required (as in CI), which fails it.
func StartCluster(t testing.TB, n int) *Cluster {
	t.Helper()
	return startCluster(t, n, false, 0)
}

// StartReplicatedCluster starts a cluster of n masters with a replica
// each, as a production cluster that must ride through a lost master has:
// when a master dies, the cluster promotes its replica (within a few
// seconds: the nodes' timeout is 2 s).
func StartReplicatedCluster(t testing.TB, n int) *Cluster {
	t.Helper()
	return startCluster(t, n, false, 1)
}

// StartPersistentCluster is StartCluster with every master writing its
// append-only file before it acknowledges a write, as a production
// cluster that must survive a restart does.
func StartPersistentCluster(t testing.TB, n int) *Cluster {
	t.Helper()
	return startCluster(t, n, true, 0)
}

func startCluster(t testing.TB, n int, persist bool, replicas int) *Cluster {
	t.Helper()
	server, err := exec.LookPath("redis-server")
	cli, err2 := exec.LookPath("redis-cli")
	if err != nil || err2 != nil {
		if os.Getenv("HELPLINE_CLUSTER_TESTS") == "required" {
			t.Fatal("redis-server and redis-cli are needed for the cluster tests (apt-get install redis-server)")
		}
		t.Skip("redis-server is not installed; .ci/run installs it")
	}
	c := &Cluster{server: server, dir: t.TempDir(), t: t, persist: persist, replicas: replicas}
	t.Cleanup(c.stop)
	for i := 0; i < n*(1+replicas); i++ {
		port := freeClusterPort(t)
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		c.Addrs = append(c.Addrs, addr)
		c.nodes = append(c.nodes, c.startNode(port))
	}
	for _, a := range c.Addrs {
		waitPing(t, a)
	}
	args := append([]string{"--cluster", "create"}, c.Addrs...)
	args = append(args, "--cluster-replicas", strconv.Itoa(replicas), "--cluster-yes")
	if out, err := exec.Command(cli, args...).CombinedOutput(); err != nil {
		t.Fatalf("redis-cli --cluster create: %v\n%s", err, out)
	}
	c.waitReady()
	if replicas > 0 {
		c.waitReplicas(n * replicas)
	}
	c.URL = "redis+cluster://" + strings.Join(c.Addrs, ",")
	return c
}

// waitReplicas waits until n replicas are in sync with their masters, so
// that a master killed from then on has a replica to take its place.
func (c *Cluster) waitReplicas(n int) {
	c.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		synced := 0
		for _, a := range c.Addrs {
			rdb := redis.NewClient(&redis.Options{Addr: a})
			info, _ := rdb.Info(context.Background(), "replication").Result()
			rdb.Close()
			if strings.Contains(info, "role:slave") && strings.Contains(info, "master_link_status:up") {
				synced++
			}
		}
		if synced >= n {
			return
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("%d of %d replicas in sync", synced, n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (c *Cluster) startNode(port int) *exec.Cmd {
	c.t.Helper()
	p := strconv.Itoa(port)
	aof := []string{"--appendonly", "no"}
	if c.persist {
		aof = []string{"--appendonly", "yes", "--appendfsync", "always", "--appendfilename", "appendonly-" + p + ".aof", "--appenddirname", "aof-" + p}
	}
	args := append([]string{"--port", p, "--bind", "127.0.0.1", "--cluster-enabled", "yes",
		"--cluster-config-file", "nodes-" + p + ".conf", "--cluster-node-timeout", "2000",
		"--dir", c.dir, "--save", "", "--protected-mode", "no", "--logfile", "redis-" + p + ".log"}, aof...)
	cmd := exec.Command(c.server, args...)
	if err := cmd.Start(); err != nil {
		c.t.Fatalf("start redis-server on %s: %v", p, err)
	}
	return cmd
}

// Restart kills master i at once, as a crash would, and starts it again on
// its port, then waits until the cluster serves every slot again. The node
// comes back with its place in the cluster (its slots, from its cluster
// configuration file), and with its data only if the cluster persists
// (StartPersistentCluster).
func (c *Cluster) Restart(i int) {
	c.t.Helper()
	c.Kill(i)
	c.Start(i)
}

// Kill stops node i at once, as a crash would: a master's slots are not
// served until Start, or until its replica takes its place.
func (c *Cluster) Kill(i int) {
	if cmd := c.nodes[i]; cmd.Process != nil && cmd.ProcessState == nil {
		cmd.Process.Kill()
		cmd.Wait()
	}
}

// Start starts master i again after Kill and waits until the cluster
// serves every slot.
func (c *Cluster) Start(i int) {
	c.t.Helper()
	_, p, _ := net.SplitHostPort(c.Addrs[i])
	port, _ := strconv.Atoi(p)
	c.nodes[i] = c.startNode(port)
	waitPing(c.t, c.Addrs[i])
	c.waitReady()
}

// MasterOf returns the index in Addrs of the master serving key.
func (c *Cluster) MasterOf(key string) int {
	c.t.Helper()
	cc := redis.NewClusterClient(&redis.ClusterOptions{Addrs: c.Addrs})
	defer cc.Close()
	m, err := cc.MasterForKey(context.Background(), key)
	if err != nil {
		c.t.Fatalf("master for %s: %v", key, err)
	}
	for i, a := range c.Addrs {
		if a == m.Options().Addr {
			return i
		}
	}
	c.t.Fatalf("master %s of %s is not a node of the cluster", m.Options().Addr, key)
	return -1
}

// waitReady waits until every node sees every slot served.
func (c *Cluster) waitReady() {
	c.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for _, a := range c.Addrs {
		rdb := redis.NewClient(&redis.Options{Addr: a})
		for {
			info, err := rdb.ClusterInfo(context.Background()).Result()
			if err == nil && strings.Contains(info, "cluster_state:ok") {
				break
			}
			if time.Now().After(deadline) {
				rdb.Close()
				c.t.Fatalf("cluster node %s not ready: %v %q", a, err, info)
			}
			time.Sleep(100 * time.Millisecond)
		}
		rdb.Close()
	}
	// And a cluster client sees it whole.
	cc := redis.NewClusterClient(&redis.ClusterOptions{Addrs: c.Addrs})
	defer cc.Close()
	for {
		if err := cc.Set(context.Background(), "storetest:ready", "1", time.Minute).Err(); err == nil {
			return
		} else if time.Now().After(deadline) {
			c.t.Fatalf("cluster client: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (c *Cluster) stop() {
	for _, cmd := range c.nodes {
		if cmd.Process != nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	}
}

// Client returns a go-redis cluster client, closed when the test ends.
func (c *Cluster) Client() *redis.ClusterClient {
	cc := redis.NewClusterClient(&redis.ClusterOptions{Addrs: c.Addrs})
	c.t.Cleanup(func() { cc.Close() })
	return cc
}

// freeClusterPort finds a port that is free, with its cluster bus port
// (10000 above it) free too.
func freeClusterPort(t testing.TB) int {
	t.Helper()
	for i := 0; i < 100; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		if port+10000 > 65535 {
			continue
		}
		bus, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port+10000))
		if err != nil {
			continue
		}
		bus.Close()
		return port
	}
	t.Fatal("no free port pair for a cluster node")
	return 0
}

func waitPing(t testing.TB, addr string) {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	defer rdb.Close()
	deadline := time.Now().Add(10 * time.Second)
	for rdb.Ping(context.Background()).Err() != nil {
		if time.Now().After(deadline) {
			t.Fatalf("redis-server at %s did not start", addr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Server is a Redis of the test's own, started from Debian's redis-server
// on loopback, that the test may kill and start again: it keeps its data
// on disk (append-only, fsync always), as a production Redis would.
type Server struct {
	Addr string
	URL  string
	bin  string
	port int
	dir  string
	cmd  *exec.Cmd
	t    testing.TB
}

// StartServer starts a Redis server, skipped or failed like StartCluster
// when redis-server is missing.
func StartServer(t testing.TB) *Server {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("HELPLINE_CLUSTER_TESTS") == "required" {
			t.Fatal("redis-server is needed (apt-get install redis-server)")
		}
		t.Skip("redis-server is not installed; .ci/run installs it")
	}
	s := &Server{bin: bin, port: freeClusterPort(t), dir: t.TempDir(), t: t}
	s.Addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port))
	s.URL = "redis://" + s.Addr + "/0"
	t.Cleanup(s.Kill)
	s.Start()
	return s
}

// Start starts the server (again), with the data it had.
func (s *Server) Start() {
	s.t.Helper()
	p := strconv.Itoa(s.port)
	s.cmd = exec.Command(s.bin, "--port", p, "--bind", "127.0.0.1", "--dir", s.dir, "--save", "",
		"--appendonly", "yes", "--appendfsync", "always", "--protected-mode", "no", "--logfile", "redis.log",
		"--repl-diskless-sync-delay", "0")
	if err := s.cmd.Start(); err != nil {
		s.t.Fatalf("start redis-server: %v", err)
	}
	waitPing(s.t, s.Addr)
}

// Kill stops the server at once, as a crash would.
func (s *Server) Kill() {
	if s.cmd != nil && s.cmd.Process != nil && s.cmd.ProcessState == nil {
		s.cmd.Process.Kill()
		s.cmd.Wait()
	}
}

// Sentinel is a Redis master with one replica and a Sentinel watching
// them, started by the test, so that a failover can be forced.
type Sentinel struct {
	Master, Replica *Server
	// Addr is the Sentinel's address; MasterName the name it watches.
	Addr, MasterName string
	cmd              *exec.Cmd
}

// StartSentinel starts a master, a replica of it, and a Sentinel that
// fails over after two seconds of silence.
func StartSentinel(t testing.TB) *Sentinel {
	t.Helper()
	master := StartServer(t)
	replica := StartServer(t)
	rdb := redis.NewClient(&redis.Options{Addr: replica.Addr})
	defer rdb.Close()
	host, port, _ := net.SplitHostPort(master.Addr)
	if err := rdb.ReplicaOf(context.Background(), host, port).Err(); err != nil {
		t.Fatalf("replicaof: %v", err)
	}
	for deadline := time.Now().Add(20 * time.Second); ; {
		info, _ := rdb.Info(context.Background(), "replication").Result()
		if strings.Contains(info, "master_link_status:up") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the replica never synced: %s", info)
		}
		time.Sleep(100 * time.Millisecond)
	}
	sp := freeClusterPort(t)
	conf := fmt.Sprintf("port %d\nbind 127.0.0.1\nprotected-mode no\ndir %s\nsentinel monitor helpline 127.0.0.1 %s 1\n"+
		"sentinel down-after-milliseconds helpline 2000\nsentinel failover-timeout helpline 10000\n", sp, t.TempDir(), port)
	path := t.TempDir() + "/sentinel.conf"
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(master.bin, path, "--sentinel")
	if err := cmd.Start(); err != nil {
		t.Fatalf("start sentinel: %v", err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	s := &Sentinel{Master: master, Replica: replica, Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(sp)), MasterName: "helpline", cmd: cmd}
	waitPing(t, s.Addr)
	// Until the Sentinel knows the replica, a failover has nowhere to go.
	sc := redis.NewSentinelClient(&redis.Options{Addr: s.Addr})
	defer sc.Close()
	deadline := time.Now().Add(20 * time.Second)
	for {
		rs, err := sc.Replicas(context.Background(), "helpline").Result()
		if err == nil && len(rs) > 0 {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("the sentinel never saw the replica: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
