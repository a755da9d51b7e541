package loadtest

import (
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// echoServer is the baseline: a bare gorilla/websocket server on loopback
// that writes every frame back as it came, with nothing between, so the
// services' figures can be read as a fraction of what the transport alone
// does on the same machine in the same run. It runs in the tool's process,
// which shares the machine's cores with the services as well.
type echoServer struct {
	srv    *http.Server
	ln     net.Listener
	served chan struct{}  // closed when Serve has returned
	wg     sync.WaitGroup // the connections' goroutines
	mu     sync.Mutex
	open   map[*websocket.Conn]struct{}
}

// startEcho starts the echo server on a free loopback port.
func startEcho() (*echoServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	e := &echoServer{ln: ln, served: make(chan struct{}), open: map[*websocket.Conn]struct{}{}}
	up := websocket.Upgrader{ReadBufferSize: 4096, WriteBufferSize: 4096}
	e.srv = &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		e.mu.Lock()
		e.open[ws] = struct{}{}
		e.wg.Add(1)
		e.mu.Unlock()
		// One goroutine both reads and writes: an echo has nothing to
		// write but what it just read. It ends when the client or Close
		// closes the connection.
		go func() {
			defer e.wg.Done()
			defer func() {
				e.mu.Lock()
				delete(e.open, ws)
				e.mu.Unlock()
				ws.Close()
			}()
			ws.SetReadLimit(16 << 10)
			for {
				kind, msg, err := ws.ReadMessage()
				if err != nil {
					return
				}
				ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
				if err := ws.WriteMessage(kind, msg); err != nil {
					return
				}
			}
		}()
	})}
	go func() { // ends when Close closes the listener
		defer close(e.served)
		e.srv.Serve(ln)
	}()
	return e, nil
}

// targets returns the echo server as the one target of a workload.
func (e *echoServer) targets() []target {
	base := "http://" + e.ln.Addr().String() + "/"
	return []target{{base: base, ws: "ws://" + e.ln.Addr().String() + "/ws", echo: true}}
}

// Close stops accepting, closes every connection and waits for their
// goroutines and the server's.
func (e *echoServer) Close() {
	e.srv.Close()
	<-e.served
	e.mu.Lock()
	for ws := range e.open {
		ws.Close()
	}
	e.mu.Unlock()
	e.wg.Wait()
}
