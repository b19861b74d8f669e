package sdk

import (
	"encoding/base64"
	"strings"
	"time"

	"github.com/surrealauth/surrealauth/sdk/internal/jsonx"
)

// Claims are what a SurrealDB token says about itself. They are decoded
// without checking the signature: the server checks it on every use, and the
// client only needs them to schedule renewal and to show who is signed in.
// Never base an authorisation decision on them (see the verify package for
// tokens signed with a public-key algorithm).
type Claims struct {
	Namespace string
	Database  string
	Access    string // AC (2.x/3.x) or SC (1.x scope)
	ID        string // the record id of a record user ("user:abc"), or a system user's name
	Roles     []string
	Issuer    string
	Subject   string // sub: whom an identity provider's token names (TYPE JWT accesses carry no ID)
	TokenID   string
	IssuedAt  time.Time
	NotBefore time.Time
	ExpiresAt time.Time // zero when the token has no exp
}

// The claim names the server accepts, short form first (see
// docs/protocol.md#tokens).
var claimNames = map[string][]string{
	"ns": {"NS", "ns", "https://surrealdb.com/ns", "https://surrealdb.com/namespace"},
	"db": {"DB", "db", "https://surrealdb.com/db", "https://surrealdb.com/database"},
	"ac": {"AC", "ac", "https://surrealdb.com/ac", "https://surrealdb.com/access", "SC", "sc", "https://surrealdb.com/sc", "https://surrealdb.com/scope"},
	"id": {"ID", "id", "https://surrealdb.com/id"},
	"rl": {"RL", "rl", "https://surrealdb.com/rl", "https://surrealdb.com/roles"},
}

// surrealAlgs are the algorithms SurrealDB signs with (DEFINE ACCESS … WITH
// JWT ALGORITHM). Anything else, "none" above all, is refused before it is
// sent: the server answers those with a bare "JSON error".
var surrealAlgs = map[string]bool{
	"HS256": true, "HS384": true, "HS512": true, "RS256": true, "RS384": true, "RS512": true,
	"PS256": true, "PS384": true, "PS512": true, "ES256": true, "ES384": true, "ES512": true, "EdDSA": true,
}

// ParseClaims decodes a token's header and claims with a real base64url
// decoder (the official JS SDK's atob() throws on some record ids). A string
// that is not a JWT gives ErrTokenInvalid.
//
// This is hand-written rather than golang-jwt's ParseUnverified, which does
// the same base64url + JSON: importing golang-jwt registers every signing
// method and links RSA, ECDSA and Ed25519 into the browser build. The verify
// package uses golang-jwt where signatures are actually checked.
func ParseClaims(token string) (Claims, error) {
	header, claims, ok := segments(token)
	if !ok {
		return Claims{}, newError(CodeTokenInvalid, "not a JWT: want three dot-separated segments")
	}
	r, err := decodeSegment(header)
	if err != nil {
		return Claims{}, &Error{Code: CodeTokenInvalid, Message: "not a JWT: bad header", Err: err}
	}
	alg, err := headerAlg(r)
	if err != nil {
		return Claims{}, &Error{Code: CodeTokenInvalid, Message: "not a JWT: bad header", Err: err}
	}
	if !surrealAlgs[alg] {
		return Claims{}, newError(CodeTokenInvalid, "not a SurrealDB token: algorithm "+quote(alg))
	}
	if r, err = decodeSegment(claims); err == nil {
		var cs claimSet
		if err = cs.fromJSON(r); err == nil {
			return cs.claims()
		}
	}
	return Claims{}, &Error{Code: CodeTokenInvalid, Message: "not a JWT: bad claims", Err: err}
}

// segments splits a JWT into its header and claims; the signature is the
// server's business.
func segments(token string) (header, claims string, ok bool) {
	header, rest, ok1 := strings.Cut(token, ".")
	claims, sig, ok2 := strings.Cut(rest, ".")
	return header, claims, ok1 && ok2 && !strings.Contains(sig, ".")
}

// decodeSegment reads a base64url segment holding a JSON object. A segment
// that is JSON but not an object (null included) is refused, as decoding
// it into a map refused it.
func decodeSegment(seg string) (*jsonx.Reader, error) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(seg, "="))
	if err != nil {
		return nil, err
	}
	r, err := jsonx.NewReader(b)
	if err != nil {
		return nil, err
	}
	if r.Kind() != jsonx.Object {
		return nil, errSegmentNotObject
	}
	return r, nil
}

var errSegmentNotObject = newError(CodeTokenInvalid, "a JWT segment is not a JSON object")

// ClaimsFromMap reads SurrealDB's claims from a decoded claims object
// (numbers as float64, as encoding/json decodes them).
func ClaimsFromMap(mc map[string]any) (Claims, error) {
	var cs claimSet
	cs.fromMap(mc)
	return cs.claims()
}

// Verifier checks a token's signature before the client accepts it. The
// verify package has one for public-key algorithms.
type Verifier interface {
	// Verify returns the token's claims if its signature is good.
	Verify(token string) (Claims, error)
}
