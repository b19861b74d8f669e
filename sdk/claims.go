package sdk

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"strings"
	"time"
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
	TokenID   string
	IssuedAt  time.Time
	NotBefore time.Time
	ExpiresAt time.Time // zero when the token has no exp
}

// The claim names the server accepts, short form first (PROTOCOL.md §4.1).
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
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return Claims{}, newError(CodeTokenInvalid, "not a JWT: want three dot-separated segments")
	}
	var header map[string]any
	if err := decodeSegment(parts[0], &header); err != nil {
		return Claims{}, &Error{Code: CodeTokenInvalid, Message: "not a JWT: bad header", Err: err}
	}
	if alg, _ := header["alg"].(string); !surrealAlgs[alg] {
		return Claims{}, newError(CodeTokenInvalid, "not a SurrealDB token: algorithm "+quote(alg))
	}
	var mc map[string]any
	if err := decodeSegment(parts[1], &mc); err != nil {
		return Claims{}, &Error{Code: CodeTokenInvalid, Message: "not a JWT: bad claims", Err: err}
	}
	return ClaimsFromMap(mc)
}

func decodeSegment(seg string, dst *map[string]any) error {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(seg, "="))
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, dst); err != nil {
		return err
	}
	if *dst == nil {
		return errSegmentNotObject
	}
	return nil
}

var errSegmentNotObject = newError(CodeTokenInvalid, "a JWT segment is not a JSON object")

// ClaimsFromMap reads SurrealDB's claims from a decoded claims object.
func ClaimsFromMap(mc map[string]any) (Claims, error) {
	var c Claims
	c.Namespace = stringClaim(mc, "ns")
	c.Database = stringClaim(mc, "db")
	c.Access = stringClaim(mc, "ac")
	c.ID = stringClaim(mc, "id")
	c.Roles = rolesClaim(mc)
	c.Issuer, _ = mc["iss"].(string)
	c.TokenID, _ = mc["jti"].(string)
	for name, dst := range map[string]*time.Time{"exp": &c.ExpiresAt, "iat": &c.IssuedAt, "nbf": &c.NotBefore} {
		v, present := mc[name]
		if !present || v == nil {
			continue
		}
		f, ok := v.(float64)
		if !ok || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e15 {
			return Claims{}, newError(CodeTokenInvalid, "the "+name+" claim is not a number of seconds")
		}
		*dst = time.Unix(int64(f), 0) // whole seconds, as the server compares them
	}
	return c, nil
}

func stringClaim(mc map[string]any, name string) string {
	for _, k := range claimNames[name] {
		if s, ok := mc[k].(string); ok && s != "" {
			return s
		}
	}
	return ""
}

func rolesClaim(mc map[string]any) []string {
	for _, k := range claimNames["rl"] {
		switch v := mc[k].(type) {
		case []any:
			roles := make([]string, 0, len(v))
			for _, r := range v {
				if s, ok := r.(string); ok {
					roles = append(roles, s)
				}
			}
			return roles
		case string:
			return strings.Split(v, ",")
		}
	}
	return nil
}

// Verifier checks a token's signature before the client accepts it. The
// verify package has one for public-key algorithms.
type Verifier interface {
	// Verify returns the token's claims if its signature is good.
	Verify(token string) (Claims, error)
}
