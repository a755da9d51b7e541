// Command helpline runs the helpline chat service and its tools: ask the
// bot a question, check and evaluate the knowledge base, and serve chats.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // the time-zone setting must work in any image
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "helpline:", err)
		os.Exit(1)
	}
}
