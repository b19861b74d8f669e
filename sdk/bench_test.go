package sdk

import (
	"context"
	"slices"
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
