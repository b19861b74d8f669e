// Package verify checks the signatures of SurrealDB tokens signed with a
// public-key algorithm, so a client can trust its session's claims:
//
//	db, err := sdk.Dial(ctx, url, verify.WithKey(publicKey))
//
// It is a package of its own because signature checking needs golang-jwt
// and with it RSA, ECDSA and Ed25519; a program that does not verify (the
// browser build, by default) does not carry them.
package verify

import (
	"github.com/golang-jwt/jwt/v5"
	"github.com/surrealauth/surrealauth/sdk"
)

// asymmetric are the algorithms whose signature a client can check with a
// public key. SurrealDB's default, HS512, is symmetric: only the server
// holds its key.
var asymmetric = []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}

// Key verifies with one public key.
type Key struct{ key any }

// NewKey verifies with key: an *rsa.PublicKey, *ecdsa.PublicKey or
// ed25519.PublicKey, the public half of an access method defined WITH JWT
// ALGORITHM RS*/PS*/ES*/EdDSA.
func NewKey(key any) Key { return Key{key} }

// WithKey makes a client refuse every token that does not verify with key,
// and mark its sessions Verified.
func WithKey(key any) sdk.Option { return sdk.WithVerifier(NewKey(key)) }

// Verify implements sdk.Verifier. Only asymmetric algorithms are accepted,
// so a token cannot downgrade itself to HS256 signed with the public key
// as secret. Expiry is not checked here: the server and the client's
// renewal own that.
func (k Key) Verify(token string) (sdk.Claims, error) {
	mc := jwt.MapClaims{}
	p := jwt.NewParser(jwt.WithValidMethods(asymmetric), jwt.WithoutClaimsValidation())
	if _, err := p.ParseWithClaims(token, mc, func(*jwt.Token) (any, error) { return k.key, nil }); err != nil {
		return sdk.Claims{}, &sdk.Error{Code: sdk.CodeTokenInvalid, Message: "the token's signature does not verify", Err: err}
	}
	return sdk.ClaimsFromMap(mc)
}
