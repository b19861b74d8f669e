package httpauth

import (
	"errors"
	"net/http"
	"time"

	"github.com/surrealauth/surrealauth/sdk"
)

// DefaultCookieName is the cookie the browser client writes unless told
// otherwise.
const DefaultCookieName = "surrealauth"

// maxToken bounds the cookie's value: a browser keeps at most 4096 bytes
// of name and value per cookie.
const maxToken = 4096

// ErrSignedOut matches (errors.Is) the error of a request whose cookie held
// a token that was refused: not a JWT, or refused by the server. Such a
// request is served signed out; errors.As reaches the *sdk.Error saying why
// (token_invalid, token_expired, …).
var ErrSignedOut = errors.New("httpauth: the cookie's token was refused; the request is signed out")

// refusal is a refused cookie token: it matches ErrSignedOut and unwraps to
// the sdk's error. Neither ever holds the token.
type refusal struct{ err error }

func (r *refusal) Error() string        { return ErrSignedOut.Error() + ": " + r.err.Error() }
func (r *refusal) Unwrap() error        { return r.err }
func (r *refusal) Is(target error) bool { return target == ErrSignedOut }

func refused(err error) error { return &refusal{err: err} }

// TokenFrom reads the access token from the request's cookie name, in the
// browser client's format (docs/architecture.md#the-cookie): the value is
// the JWT itself, unquoted and unencoded. It returns:
//
//   - "" and nil when there is no such cookie, its value is empty, or the
//     token expired at now (by its exp claim: the server would refuse it);
//   - "" and an error matching ErrSignedOut when the value is not a JWT
//     (quoted, percent-encoded, a refresh token, another algorithm, …):
//     nothing was sent anywhere;
//   - the token and nil otherwise. Its claims are not checked against
//     anything: only the server can tell whether it is good.
//
// With several cookies of that name (set for different paths) the first is
// read: browsers send the one of the longest path first.
func TokenFrom(r *http.Request, name string, now time.Time) (string, error) {
	c, err := r.Cookie(name)
	if err != nil || c.Value == "" {
		return "", nil // http.ErrNoCookie: signed out
	}
	if c.Quoted || !jwtShaped(c.Value) {
		return "", refused(&sdk.Error{Code: sdk.CodeTokenInvalid,
			Message: "the " + name + " cookie does not hold a JWT (want the access token, verbatim)"})
	}
	claims, err := sdk.ParseClaims(c.Value)
	if err != nil {
		return "", refused(err)
	}
	if !claims.ExpiresAt.IsZero() && now.Unix() > claims.ExpiresAt.Unix() {
		return "", nil // accepted through its last second, as the server does
	}
	return c.Value, nil
}

// jwtShaped: three non-empty base64url segments joined by dots, within a
// cookie's size.
func jwtShaped(v string) bool {
	if len(v) > maxToken {
		return false
	}
	dots, seg := 0, 0
	for i := 0; i < len(v); i++ {
		switch b := v[i]; {
		case b == '.':
			if seg == 0 {
				return false
			}
			dots, seg = dots+1, 0
		case b >= 'A' && b <= 'Z', b >= 'a' && b <= 'z', b >= '0' && b <= '9', b == '-', b == '_':
			seg++
		default:
			return false
		}
	}
	return dots == 2 && seg > 0
}
