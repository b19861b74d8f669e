//go:build js

package sdk

import "syscall/js"

// randomBytes fills b from the browser's CSPRNG, crypto.getRandomValues:
// what crypto/rand itself calls on js/wasm, without the 156 KB (raw) of
// the FIPS module, big integers and DRBG that importing crypto/rand links
// into the browser build.
func randomBytes(b []byte) {
	a := js.Global().Get("Uint8Array").New(len(b))
	js.Global().Get("crypto").Call("getRandomValues", a)
	js.CopyBytesToGo(b, a)
}
