package sdk

import (
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Claims are what a SurrealDB token says about itself. They are decoded
// without checking the signature: the server checks it on every use, and the
// client only needs them to schedule renewal and to show who is signed in.
// Never base an authorisation decision on them.
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

var unverified = jwt.NewParser()

// ParseClaims decodes a token's claims with a real base64url decoder. A
// string that is not a JWT gives ErrTokenInvalid.
func ParseClaims(token string) (Claims, error) {
	mc := jwt.MapClaims{}
	if _, _, err := unverified.ParseUnverified(token, mc); err != nil {
		return Claims{}, &Error{Code: CodeTokenInvalid, Message: "not a JWT", Err: err}
	}
	return claimsFromMap(mc)
}

func claimsFromMap(mc jwt.MapClaims) (Claims, error) {
	var c Claims
	c.Namespace = stringClaim(mc, "ns")
	c.Database = stringClaim(mc, "db")
	c.Access = stringClaim(mc, "ac")
	c.ID = stringClaim(mc, "id")
	c.Roles = rolesClaim(mc)
	c.Issuer, _ = mc["iss"].(string)
	c.TokenID, _ = mc["jti"].(string)
	if err := numericTimes(mc, &c); err != nil {
		return Claims{}, err
	}
	return c, nil
}

func numericTimes(mc jwt.MapClaims, c *Claims) error {
	get := map[string]func() (*jwt.NumericDate, error){
		"exp": mc.GetExpirationTime, "iat": mc.GetIssuedAt, "nbf": mc.GetNotBefore,
	}
	dst := map[string]*time.Time{"exp": &c.ExpiresAt, "iat": &c.IssuedAt, "nbf": &c.NotBefore}
	for name, fn := range get {
		nd, err := fn()
		if err != nil {
			return &Error{Code: CodeTokenInvalid, Message: "the " + name + " claim is not a number", Err: err}
		}
		if nd != nil {
			*dst[name] = nd.Time
		}
	}
	return nil
}

func stringClaim(mc jwt.MapClaims, name string) string {
	for _, k := range claimNames[name] {
		if s, ok := mc[k].(string); ok && s != "" {
			return s
		}
	}
	return ""
}

func rolesClaim(mc jwt.MapClaims) []string {
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

// asymmetric are the algorithms whose signature a client can check with a
// public key. SurrealDB's default, HS512, is symmetric: only the server
// holds its key.
var asymmetric = []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}

// VerifyClaims checks the token's signature with key (an *rsa.PublicKey,
// *ecdsa.PublicKey or ed25519.PublicKey) and returns its claims. Only
// asymmetric algorithms are accepted, so a token cannot downgrade itself
// to HS256 signed with the public key as secret. Expiry is not checked
// here: the server and the renewal timer own that.
func VerifyClaims(token string, key any) (Claims, error) {
	mc := jwt.MapClaims{}
	p := jwt.NewParser(jwt.WithValidMethods(asymmetric), jwt.WithoutClaimsValidation())
	if _, err := p.ParseWithClaims(token, mc, func(*jwt.Token) (any, error) { return key, nil }); err != nil {
		return Claims{}, &Error{Code: CodeTokenInvalid, Message: "the token's signature does not verify", Err: err}
	}
	return claimsFromMap(mc)
}
