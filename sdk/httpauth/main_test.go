package httpauth_test

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/surrealauth/surrealauth/sdk"
	"github.com/surrealauth/surrealauth/sdk/internal/testserver"
)

var (
	serversMu sync.Mutex
	servers   = map[string]*testserver.Server{}
)

func TestMain(m *testing.M) {
	code := m.Run()
	serversMu.Lock()
	for _, s := range servers {
		s.Stop()
	}
	serversMu.Unlock()
	os.Exit(code)
}

// eachEngine runs fn per engine of the matrix (SURREAL_ENGINES) against
// SURREAL_URL's server, or a dev server started once per engine. A missing
// engine fails the test; it is never a skip.
func eachEngine(t *testing.T, fn func(t *testing.T, url string)) {
	for _, e := range testserver.Engines() {
		t.Run("engine="+e, func(t *testing.T) {
			serversMu.Lock()
			s, ok := servers[e]
			if !ok {
				if url := testserver.External(); url != "" {
					s = &testserver.Server{URL: url, Engine: e}
				} else {
					var err error
					if s, err = testserver.Start(e, 0); err != nil {
						serversMu.Unlock()
						t.Fatalf("no SurrealDB engine: %v", err)
					}
				}
				servers[e] = s
			}
			serversMu.Unlock()
			fn(t, s.URL)
		})
	}
}

func dial(t *testing.T, url string, opts ...sdk.Option) *sdk.Client {
	t.Helper()
	c, err := sdk.Dial(context.Background(), url, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// fixedClock is a clock that stands still at a chosen time.
type fixedClock time.Time

func (c fixedClock) Now() time.Time { return time.Time(c) }
func (fixedClock) AfterFunc(d time.Duration, f func()) func() bool {
	return time.AfterFunc(d, f).Stop
}
