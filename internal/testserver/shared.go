package testserver

import (
	"os"
	"strings"
	"sync"
	"testing"
)

// The servers a test binary shares: one dev server per engine (and per set
// of extra flags), started on first use and stopped by Main once the tests
// are done. Against SURREAL_URL that server is used and never stopped.
var (
	sharedMu sync.Mutex
	shared   = map[string]*Server{}
)

// Main runs the package's tests, then stops the servers they shared. A
// package's TestMain is `func TestMain(m *testing.M) { testserver.Main(m) }`.
func Main(m *testing.M) {
	code := m.Run()
	sharedMu.Lock()
	for _, s := range shared {
		s.Stop()
	}
	sharedMu.Unlock()
	os.Exit(code)
}

// Shared is the binary's server for engine: SURREAL_URL if set, else a dev
// server started once. A missing engine fails the test; it is never a skip.
func Shared(t testing.TB, engine string) *Server {
	t.Helper()
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if s, ok := shared[engine]; ok {
		return s
	}
	s := &Server{URL: External(), Engine: engine}
	if s.URL == "" {
		var err error
		if s, err = Start(engine, 0); err != nil {
			t.Fatalf("no SurrealDB engine %s: %v", engine, err)
		}
	}
	shared[engine] = s
	return s
}

// SharedWith is Shared for a dev server started with extra flags (e.g.
// --forward-access-errors), shared by the tests that ask for the same ones.
// Against SURREAL_URL (and under js/wasm, which cannot start one) the test
// is skipped: that server's flags are not ours to choose.
func SharedWith(t testing.TB, engine string, flags ...string) *Server {
	t.Helper()
	if External() != "" {
		t.Skipf("needs a dev server started with %v; SURREAL_URL names one these tests did not start", flags)
	}
	key := engine + " " + strings.Join(flags, " ")
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if s, ok := shared[key]; ok {
		return s
	}
	s, err := StartWith(engine, flags...)
	if err != nil {
		t.Fatalf("no SurrealDB engine %s with %v: %v", engine, flags, err)
	}
	shared[key] = s
	return s
}

// EachEngine runs fn once per engine of the matrix (Engines), as the
// subtest "engine=N", against that engine's shared server.
func EachEngine(t *testing.T, fn func(t *testing.T, s *Server)) {
	for _, e := range Engines() {
		t.Run("engine="+e, func(t *testing.T) { fn(t, Shared(t, e)) })
	}
}
