package loadtest

import (
	"context"
	"net"
	"net/http"
	"time"

	"github.com/gorilla/websocket"

	"helpline/internal/sockets"
)

// echoServer is the baseline: a bare gorilla/websocket server on loopback
// that writes every frame back as it came, with nothing between, so the
// services' figures can be read as a fraction of what the transport alone
// does on the same machine in the same run. It runs in the tool's process,
// which shares the machine's cores with the services as well.
type echoServer struct {
	srv    *http.Server
	ln     net.Listener
	served chan struct{} // closed when Serve has returned
	conns  sockets.Set   // the connections, as the service keeps its own
}

// startEcho starts the echo server on a free loopback port.
func startEcho() (*echoServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	e := &echoServer{ln: ln, served: make(chan struct{})}
	up := websocket.Upgrader{ReadBufferSize: 4096, WriteBufferSize: 4096}
	e.srv = &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		// One goroutine both reads and writes: an echo has nothing to
		// write but what it just read. It ends when the client or Close
		// closes the connection; one upgraded as Close runs is closed at
		// once.
		if !e.conns.Go(func() { ws.Close() }, func() { echo(ws) }) {
			ws.Close()
		}
	})}
	go func() { // ends when Close closes the listener
		defer close(e.served)
		e.srv.Serve(ln)
	}()
	return e, nil
}

// echo writes every frame of ws back until the connection ends.
func echo(ws *websocket.Conn) {
	defer ws.Close()
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
	e.conns.Shutdown(context.Background())
}
