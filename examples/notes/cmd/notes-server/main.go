// Command notes-server serves the notes example (package notes): the
// signed-in user's own notes, from the browser client's cookie.
//
//	go run ./examples/notes/cmd/notes-server -db ws://127.0.0.1:8000/rpc -addr 127.0.0.1:0
//
// When it listens it prints one line to stdout, which tests read:
//
//	notes-server ready http://127.0.0.1:PORT/
//
// SIGINT or SIGTERM stop it (exit 0).
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/surrealauth/surrealauth/examples/notes"
)

func main() {
	dbURL := flag.String("db", "ws://127.0.0.1:8000/rpc", "SurrealDB 3.x /rpc endpoint")
	addr := flag.String("addr", "127.0.0.1:8080", "listen address (port 0 picks a free one)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *dbURL, *addr); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, dbURL, addr string) error {
	app, err := notes.New(ctx, dbURL)
	if err != nil {
		return err
	}
	defer app.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: app, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	fmt.Printf("notes-server ready http://%s/\n", ln.Addr())
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return nil
}
