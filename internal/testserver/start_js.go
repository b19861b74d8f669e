//go:build js

package testserver

import "errors"

type process struct{}

// Start cannot run a child process under js/wasm: the Makefile starts the
// dev server and passes SURREAL_URL instead.
func Start(engine string, port int) (*Server, error) {
	return nil, errors.New("testserver: under js/wasm set SURREAL_URL (the Makefile starts the dev server)")
}

// Kill is not possible under js/wasm.
func (s *Server) Kill() {}

// Stop is not possible under js/wasm.
func (s *Server) Stop() {}

// Port is unknown under js/wasm.
func (s *Server) Port() int { return 0 }

// StartPersistent is not possible under js/wasm.
func StartPersistent(engine string, port int, dir string) (*Server, error) {
	return Start(engine, port)
}

// StartWith is not possible under js/wasm.
func StartWith(engine string, flags ...string) (*Server, error) {
	return Start(engine, 0)
}
