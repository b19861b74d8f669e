// Package testserver gives tests a real SurrealDB engine: the project's dev
// server (devserver/, @surrealdb/node behind a WebSocket /rpc) started as a
// child process, or any server named by SURREAL_URL.
package testserver

import (
	"os"
	"path/filepath"
	"strings"
)

// Server is a running SurrealDB endpoint.
type Server struct {
	URL     string // ws://127.0.0.1:port/rpc
	Engine  string // "3" or "2"
	Version string // as the ready line says, e.g. surrealdb-3.0.2
	proc    *process
}

// External is the URL of a server the tests did not start, if any. Tests
// that must kill or restart the server skip themselves when it is set.
func External() string { return os.Getenv("SURREAL_URL") }

// Engines lists the engines to test against: SURREAL_ENGINES ("3 2"), or 3.
func Engines() []string {
	if e := strings.Fields(os.Getenv("SURREAL_ENGINES")); len(e) > 0 {
		return e
	}
	return []string{"3"}
}

// Owned reports whether this process started the server (and so may kill it).
func (s *Server) Owned() bool { return s.proc != nil }

// repoRoot finds the directory holding go.mod, from the test's directory up.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}
