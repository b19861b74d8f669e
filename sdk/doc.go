// Package sdk is a SurrealDB authentication client: sign up, sign in,
// authenticate, refresh, revoke and invalidate over SurrealDB's WebSocket
// RPC in its CBOR format, with the session kept in a Store so a restart
// stays signed in.
//
// It takes the credential objects SurrealDB users already write, from the
// 1.x scope object {NS, DB, SC, email, password} to the 2.x/3.x
// {namespace, database, access, variables}, and sends the keys the server
// in front of it reads: SC to 1.x, AC to 2.x and 3.x (which silently treat
// SC as a database-user sign-in). Mistakes are refused before anything is
// sent, with an *Error whose Code is stable.
//
// Token claims are decoded, never trusted: they drive expiry and display
// only. The server checks every token.
//
// The same package builds natively and for GOOS=js GOARCH=wasm, where the
// project's wasm/ package gives it a JavaScript face.
package sdk
