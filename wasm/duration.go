//go:build js && wasm

package main

import (
	"strconv"
	"strings"
	"time"
)

// durationUnits are SurrealQL's, largest first (a year is 365 days there).
var durationUnits = []struct {
	suffix string
	size   time.Duration
}{
	{"y", 365 * 24 * time.Hour},
	{"w", 7 * 24 * time.Hour},
	{"d", 24 * time.Hour},
	{"h", time.Hour},
	{"m", time.Minute},
	{"s", time.Second},
	{"ms", time.Millisecond},
	{"µs", time.Microsecond},
	{"ns", time.Nanosecond},
}

// surrealDuration writes d the way SurrealQL does ("1w2d3h", "1m30s",
// "0ns"), which a query can read back; Go's "1h0m0s" it could not.
func surrealDuration(d time.Duration) string {
	if d <= 0 {
		return "0ns"
	}
	var b strings.Builder
	for _, u := range durationUnits {
		if n := d / u.size; n > 0 {
			b.WriteString(strconv.FormatInt(int64(n), 10))
			b.WriteString(u.suffix)
			d -= n * u.size
		}
	}
	return b.String()
}
