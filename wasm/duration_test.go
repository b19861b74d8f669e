//go:build js && wasm

package main

import (
	"testing"
	"time"
)

func TestSurrealDuration(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		in   time.Duration
		want string
	}{
		{0, "0ns"},
		{-time.Second, "0ns"},
		{time.Nanosecond, "1ns"},
		{1500 * time.Microsecond, "1ms500µs"},
		{90 * time.Second, "1m30s"},
		{time.Hour, "1h"},
		{day + 2*time.Hour + 3*time.Second, "1d2h3s"},
		{9 * day, "1w2d"},
		{366 * day, "1y1d"},
	}
	for _, tt := range tests {
		if got := surrealDuration(tt.in); got != tt.want {
			t.Errorf("surrealDuration(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
