package jsvalue

import (
	"strconv"
	"time"
)

// durationUnits are SurrealQL's, largest first (a year is 365 days there).
var durationUnits = [...]struct {
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

// DurationText writes d as SurrealQL does ("1w2d3h", "1m30s", "0ns"), a
// text a query can read back; Go's "1h0m0s" it could not. SurrealDB's
// durations are never negative: a negative d is written as "0ns".
func DurationText(d time.Duration) string {
	if d <= 0 {
		return "0ns"
	}
	b := make([]byte, 0, 24)
	for _, u := range durationUnits {
		if n := d / u.size; n > 0 {
			b = strconv.AppendInt(b, int64(n), 10)
			b = append(b, u.suffix...)
			d -= n * u.size
		}
	}
	return string(b)
}
