package semantic

import (
	"context"
	"encoding/binary"
	"errors"
	"math"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Memory is a Cache in memory, for one process (kb eval, tests).
type Memory struct {
	mu sync.Mutex
	m  map[string][]float32
}

// Get returns the vectors held for keys, nil where there is none.
func (c *Memory) Get(_ context.Context, keys []string) ([][]float32, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([][]float32, len(keys))
	for i, k := range keys {
		out[i] = c.m[k]
	}
	return out, nil
}

// Put keeps vecs under keys.
func (c *Memory) Put(_ context.Context, keys []string, vecs [][]float32) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string][]float32{}
	}
	for i, k := range keys {
		c.m[k] = vecs[i]
	}
	return nil
}

// Redis is a Cache in Redis, shared by every instance: one string key per
// text, "hl:emb:<model>:<hash>". The keys carry no hash tag, so that on a
// Redis Cluster the vectors (tens of megabytes for a large model) spread
// over the masters like any keys, rather than fill one; they are read and
// written in pipelines, which the cluster client splits by node. Each
// vector is kept for TTL from its last use: reading renews it (GETEX), so
// the vectors in use never expire together, and an entry whose text
// changed is embedded again under a new key while the old one expires.
type Redis struct {
	Client redis.UniversalClient
	// TTL is how long a vector is kept after its last use (default 30
	// days).
	TTL time.Duration
	// Model names the model in the keys.
	Model string
}

// chunk bounds one pipeline: the shipped base has about 7,500 texts.
const chunk = 500

func (c *Redis) key(k string) string { return "hl:emb:" + c.Model + ":" + k }

func (c *Redis) ttl() time.Duration {
	if c.TTL <= 0 {
		return 30 * 24 * time.Hour
	}
	return c.TTL
}

// Get returns the vectors held for keys, nil where there is none, and
// keeps each one found for another TTL.
func (c *Redis) Get(ctx context.Context, keys []string) ([][]float32, error) {
	out := make([][]float32, len(keys))
	ttl := c.ttl()
	for start := 0; start < len(keys); start += chunk {
		part := keys[start:min(start+chunk, len(keys))]
		cmds := make([]*redis.StringCmd, len(part))
		_, err := c.Client.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i, k := range part {
				cmds[i] = p.GetEx(ctx, c.key(k), ttl)
			}
			return nil
		})
		if err != nil && !errors.Is(err, redis.Nil) {
			return nil, err
		}
		for i, cmd := range cmds {
			s, err := cmd.Result()
			switch {
			case errors.Is(err, redis.Nil):
				continue // none held
			case err != nil:
				// The pipeline reports its first error, which may be a
				// miss ahead of a real failure.
				return nil, err
			}
			vec, err := decode(s)
			if err != nil {
				continue // a damaged value is embedded again
			}
			out[start+i] = vec
		}
	}
	return out, nil
}

// Put keeps vecs under keys.
func (c *Redis) Put(ctx context.Context, keys []string, vecs [][]float32) error {
	ttl := c.ttl()
	for start := 0; start < len(keys); start += chunk {
		end := min(start+chunk, len(keys))
		_, err := c.Client.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i := start; i < end; i++ {
				p.Set(ctx, c.key(keys[i]), encode(vecs[i]), ttl)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func encode(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

func decode(s string) ([]float32, error) {
	if len(s) == 0 || len(s)%4 != 0 {
		return nil, errors.New("not a vector")
	}
	v := make([]float32, len(s)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32([]byte(s[4*i : 4*i+4])))
	}
	return v, nil
}
