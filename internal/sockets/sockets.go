// Package sockets holds what the service's two websocket endpoints, the
// visitors' and the representatives' consoles', share: the set of live
// connections that a shutdown closes and waits for, and the client's
// address behind a load balancer.
package sockets

import (
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
)

// Set tracks the connections of one endpoint. The zero value is ready.
type Set struct {
	mu      sync.Mutex
	closing bool
	stops   map[*func()]struct{}
	wg      sync.WaitGroup
}

// Closing reports whether Shutdown has begun: new connections should be
// refused before they are upgraded.
func (s *Set) Closing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closing
}

// Go runs serve in a goroutine of its own and tracks it until serve
// returns; Shutdown calls stop to end it. Once Shutdown has begun it runs
// nothing and returns false, and the caller closes the connection.
func (s *Set) Go(stop, serve func()) bool {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		return false
	}
	if s.stops == nil {
		s.stops = map[*func()]struct{}{}
	}
	key := &stop
	s.stops[key] = struct{}{}
	s.wg.Add(1)
	s.mu.Unlock()
	go func() {
		defer s.wg.Done()
		defer func() {
			s.mu.Lock()
			delete(s.stops, key)
			s.mu.Unlock()
		}()
		serve()
	}()
	return true
}

// Shutdown refuses new connections, stops every live one and waits for
// them until ctx ends.
func (s *Set) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	for stop := range s.stops {
		(*stop)()
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ClientAddr is the address of the client. Behind proxies proxies that
// each append the address they were reached from to X-Forwarded-For, it is
// the entry the outermost proxy wrote: counted from the right, since
// everything to its left came from the client and may be made up (a client
// sending "X-Forwarded-For: 1.2.3.4" must not pass for 1.2.3.4). With no
// proxies, or a header shorter than the proxies would write, it is the
// peer's address.
func ClientAddr(r *http.Request, proxies int) string {
	if proxies > 0 {
		var hops []string
		for _, h := range r.Header.Values("X-Forwarded-For") {
			for _, a := range strings.Split(h, ",") {
				hops = append(hops, strings.TrimSpace(a))
			}
		}
		if len(hops) >= proxies {
			if a := hops[len(hops)-proxies]; a != "" {
				return a
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
