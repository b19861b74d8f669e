package httpauth_test

import (
	"context"
	"testing"
	"time"

	"github.com/surrealauth/surrealauth/internal/testserver"
	"github.com/surrealauth/surrealauth/sdk"
)

func TestMain(m *testing.M) { testserver.Main(m) }

// eachEngine runs fn per engine of the matrix against its shared server.
func eachEngine(t *testing.T, fn func(t *testing.T, url string)) {
	testserver.EachEngine(t, func(t *testing.T, s *testserver.Server) { fn(t, s.URL) })
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
