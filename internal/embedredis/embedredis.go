// Package embedredis provides the in-memory Redis the service runs on when
// no Redis is configured, so that one command runs it on a fresh machine:
// a miniredis server on loopback, reached through the same go-redis client
// and the same protocol as a real one. Everything in it is lost when the
// process ends.
package embedredis

import (
	"fmt"
	"time"

	"github.com/alicebob/miniredis/v2"
)

// Server is a running embedded Redis.
type Server struct {
	mr      *miniredis.Miniredis
	stop    chan struct{}
	ticking chan struct{}
}

// Start starts an embedded Redis on a free loopback port.
func Start() (*Server, error) {
	mr := miniredis.NewMiniRedis()
	if err := mr.StartAddr("127.0.0.1:0"); err != nil {
		return nil, fmt.Errorf("start embedded redis: %w", err)
	}
	s := &Server{mr: mr, stop: make(chan struct{}), ticking: make(chan struct{})}
	go s.tick()
	return s, nil
}

// URL is where the server is reached.
func (s *Server) URL() string { return "redis://" + s.mr.Addr() + "/0" }

// Close stops the server; its data is gone.
func (s *Server) Close() {
	close(s.stop)
	<-s.ticking
	s.mr.Close()
}

// tick advances the server's clock with the wall clock, until Close:
// miniredis expires keys only when its time moves, and retention must hold
// in the embedded mode too.
func (s *Server) tick() {
	defer close(s.ticking)
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	last := time.Now()
	for {
		select {
		case now := <-t.C:
			s.mr.FastForward(now.Sub(last))
			last = now
		case <-s.stop:
			return
		}
	}
}
