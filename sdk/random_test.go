package sdk

import "testing"

// TestSessionIDsAreRandomV4: version 4, RFC 4122 variant, and no two alike
// (crypto/rand natively, crypto.getRandomValues under make test-go-wasm).
func TestSessionIDsAreRandomV4(t *testing.T) {
	seen := map[[16]byte]bool{}
	for range 1000 {
		u := newSessionID()
		if u[6]>>4 != 4 || u[8]>>6 != 2 {
			t.Fatalf("%x: not a version 4 UUID", u)
		}
		if seen[u] {
			t.Fatalf("%x twice in 1000", u)
		}
		seen[u] = true
	}
}
