package sdk

import (
	"context"
	"io"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"
)

// Latency benchmarks against the engine. They report the median (p50-ms)
// and p95 besides Go's mean ns/op: a few slow calls should not hide the
// typical one. Run: make bench-go (or go test -run ^$ -bench . ./sdk/).

func BenchmarkVersionRoundTrip(b *testing.B) {
	c := dial(b, server(b, "3").URL)
	measure(b, func() error { _, err := c.ServerVersion(context.Background()); return err })
}

func BenchmarkSigninPlain(b *testing.B) {
	c := dial(b, server(b, "3").URL)
	creds := record("plain", newEmail("bench"), "pw")
	if _, err := c.Signup(bg, creds); err != nil {
		b.Fatal(err)
	}
	measure(b, func() error { _, err := c.Signin(bg, creds); return err })
}

func BenchmarkSigninArgon2(b *testing.B) {
	c := dial(b, server(b, "3").URL)
	creds := record("allusers", newEmail("bench"), "pw")
	if _, err := c.Signup(bg, creds); err != nil {
		b.Fatal(err)
	}
	measure(b, func() error { _, err := c.Signin(bg, creds); return err })
}

func measure(b *testing.B, fn func() error) {
	b.ReportAllocs()
	for range 20 { // warm-up
		if err := fn(); err != nil {
			b.Fatal(err)
		}
	}
	durations := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		if err := fn(); err != nil {
			b.Fatal(err)
		}
		durations = append(durations, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(durations)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(durations[len(durations)/2]), "p50-ms")
	b.ReportMetric(ms(durations[len(durations)*95/100]), "p95-ms")
}

func BenchmarkAuthenticate(b *testing.B) {
	c := dial(b, server(b, "3").URL)
	tok, err := c.Signup(bg, record("plain", newEmail("bench"), "pw"))
	if err != nil {
		b.Fatal(err)
	}
	measure(b, func() error { return c.Authenticate(bg, tok.Access) })
}

// BenchmarkQuery is one `SELECT * FROM $auth` as a signed-in record user.
func BenchmarkQuery(b *testing.B) {
	c := dial(b, server(b, "3").URL)
	if _, err := c.Signup(bg, record("plain", newEmail("bench"), "pw")); err != nil {
		b.Fatal(err)
	}
	measure(b, func() error { _, err := c.Query(bg, "SELECT * FROM $auth", nil); return err })
}

// BenchmarkQuery1000Concurrent is 1000 queries at once on one connection:
// one op is the whole batch (its wall time), so p50-ms is the batch's.
func BenchmarkQuery1000Concurrent(b *testing.B) {
	c := dial(b, server(b, "3").URL)
	if _, err := c.Signup(bg, record("plain", newEmail("bench"), "pw")); err != nil {
		b.Fatal(err)
	}
	measure(b, func() error {
		errs := make(chan error, 1000)
		for range 1000 {
			go func() { _, err := c.Query(bg, "SELECT * FROM $auth", nil); errs <- err }()
		}
		var first error
		for range 1000 {
			if err := <-errs; err != nil && first == nil {
				first = err
			}
		}
		return first
	})
}

// BenchmarkPerRequest1000 is a Go server giving each request an identity
// of its own, with 1000 requests in flight at once; one op is one request
// (ns/op is the wall time over all of them, the inverse of throughput), and
// p50-ms/p95-ms are single requests' latencies. sessions: a RequestSession
// on one shared socket (attach + authenticate + query + detach); sockets: a
// Client per request (dial + authenticate + query + close). B/session and
// goroutines/session are what each open one holds in this process, signed
// in, measured with 1000 open (runtime.MemStats HeapAlloc + StackInuse
// after GC).
// Run: make bench-go.
func BenchmarkPerRequest1000(b *testing.B) { perRequest(b, 1000) }

// BenchmarkPerRequest1 is the same one request at a time: the cost of a
// request without queueing behind 999 others.
func BenchmarkPerRequest1(b *testing.B) { perRequest(b, 1) }

func perRequest(b *testing.B, inflight int) {
	srv := server(b, "3")
	owner := dial(b, srv.URL)
	tok, err := owner.Signup(bg, record("plain", newEmail("bench"), "pw"))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("sessions", func(b *testing.B) {
		shared := dial(b, srv.URL)
		open := func() (io.Closer, error) {
			s, err := shared.NewSession()
			if err == nil {
				err = s.Authenticate(bg, tok.Access)
			}
			return s, err
		}
		held := perOpen(b, 1000, open)
		flows(b, inflight, func() error {
			s, err := open()
			if err != nil {
				return err
			}
			defer s.Close()
			_, err = s.(*RequestSession).Query(bg, "SELECT * FROM $auth", nil)
			return err
		})
		held.report(b)
	})
	b.Run("sockets", func(b *testing.B) {
		open := func() (io.Closer, error) {
			// 1000 dials at once queue at the server: wait for them.
			c, err := Dial(bg, srv.URL, WithDialTimeout(2*time.Minute))
			if err != nil {
				return nil, err
			}
			if err := c.Authenticate(bg, tok.Access); err != nil {
				c.Close()
				return nil, err
			}
			return c, nil
		}
		held := perOpen(b, 1000, open)
		flows(b, inflight, func() error {
			c, err := open()
			if err != nil {
				return err
			}
			defer c.Close()
			_, err = c.(*Client).Query(bg, "SELECT * FROM $auth", nil)
			return err
		})
		held.report(b)
	})
}

// flows runs b.N calls of fn, at most inflight at once, after a warm-up,
// and reports their latencies.
func flows(b *testing.B, inflight int, fn func() error) {
	run := func(n int) []time.Duration {
		durations := make([]time.Duration, n)
		sem := make(chan struct{}, inflight)
		var wg sync.WaitGroup
		for i := range n {
			sem <- struct{}{}
			wg.Go(func() {
				defer func() { <-sem }()
				start := time.Now()
				if err := fn(); err != nil {
					b.Error(err)
				}
				durations[i] = time.Since(start)
			})
		}
		wg.Wait()
		return durations
	}
	run(max(inflight, 20)) // warm-up
	b.ResetTimer()
	durations := run(b.N)
	b.StopTimer()
	slices.Sort(durations)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(durations[len(durations)/2]), "p50-ms")
	b.ReportMetric(ms(durations[len(durations)*95/100]), "p95-ms")
}

// held is what each open session (or socket) holds in this process.
type held struct{ bytes, goroutines float64 }

func (h held) report(b *testing.B) {
	b.ReportMetric(h.bytes, "B/session")
	b.ReportMetric(h.goroutines, "goroutines/session")
}

// perOpen opens n with open, all at once, measures what each holds, and
// closes them.
func perOpen(b *testing.B, n int, open func() (io.Closer, error)) held {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	g0 := runtime.NumGoroutine()
	opened := make([]io.Closer, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			c, err := open()
			if err != nil {
				b.Error(err)
				return
			}
			opened[i] = c
		})
	}
	wg.Wait()
	runtime.GC()
	runtime.ReadMemStats(&after)
	g1 := runtime.NumGoroutine()
	for _, c := range opened {
		if c != nil {
			c.Close()
		}
	}
	inUse := func(m *runtime.MemStats) int64 { return int64(m.HeapAlloc + m.StackInuse) } // goroutine stacks are not heap
	return held{bytes: float64(inUse(&after)-inUse(&before)) / float64(n),
		goroutines: float64(g1-g0) / float64(n)}
}
