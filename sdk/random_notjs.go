//go:build !js

package sdk

import "crypto/rand"

// randomBytes fills b from the system's CSPRNG.
func randomBytes(b []byte) {
	rand.Read(b) // never fails (crypto/rand)
}
