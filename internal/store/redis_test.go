package store

import (
	"slices"
	"testing"
	"time"
)

// TestParseClusterURL: one way to say "cluster" that keeps what the
// comma-separated form drops: the credentials, TLS and options.
func TestParseClusterURL(t *testing.T) {
	o, err := ParseClusterURL("rediss+cluster://app:s3cret@10.0.0.1:7000,10.0.0.2:7001, 10.0.0.3:7002/?dial_timeout=2s&pool_size=20")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(o.Addrs, []string{"10.0.0.1:7000", "10.0.0.2:7001", "10.0.0.3:7002"}) {
		t.Errorf("addrs %q", o.Addrs)
	}
	if o.Username != "app" || o.Password != "s3cret" || o.TLSConfig == nil || o.DialTimeout != 2*time.Second || o.PoolSize != 20 {
		t.Errorf("options lost: user %q password %q tls %v dial %v pool %d", o.Username, o.Password, o.TLSConfig != nil, o.DialTimeout, o.PoolSize)
	}
	o, err = ParseClusterURL("redis+cluster://127.0.0.1:7000")
	if err != nil || len(o.Addrs) != 1 || o.TLSConfig != nil || o.Password != "" {
		t.Errorf("plain: %+v, %v", o, err)
	}
	for _, bad := range []string{
		"redis+cluster://127.0.0.1:7000/2",      // a database: clusters have only 0
		"redis+cluster://127.0.0.1",             // no port
		"redis+cluster://127.0.0.1:7000,",       // an empty node
		"redis+sentinel://127.0.0.1:7000",       // not a cluster scheme
		"redis+cluster://127.0.0.1:7000?nope=1", // an option go-redis does not know
	} {
		if _, err := ParseClusterURL(bad); err == nil {
			t.Errorf("ParseClusterURL(%q) accepted", bad)
		}
	}
}
