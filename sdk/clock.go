package sdk

import "time"

// Clock is the client's source of time and timers. The default is the wall
// clock; tests inject a fake one so expiry logic runs without sleeping.
type Clock interface {
	Now() time.Time
	// AfterFunc calls f in its own goroutine after d; stop cancels it.
	AfterFunc(d time.Duration, f func()) (stop func() bool)
}

type wallClock struct{}

func (wallClock) Now() time.Time { return time.Now() }

func (wallClock) AfterFunc(d time.Duration, f func()) func() bool {
	return time.AfterFunc(d, f).Stop
}

// maxTimer is the longest single timer: browsers run setTimeout delays
// above 2^31-1 ms (24.8 days) at once, and the wasm build's timers are
// setTimeout underneath. Longer waits are taken in steps.
const maxTimer = (1<<31 - 1) * time.Millisecond
