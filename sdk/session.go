package sdk

import (
	"strconv"
	"strings"
	"time"
)

// Tokens are what signin, signup and refresh return: an access token (a JWT)
// and, for a 3.x record access WITH REFRESH, a single-use refresh token.
type Tokens struct {
	Access  string
	Refresh string
}

// String never shows the tokens themselves.
func (t Tokens) String() string {
	return "Tokens{access=" + redacted(t.Access) + " refresh=" + redacted(t.Refresh) + "}"
}

// GoString keeps %#v as safe as %v.
func (t Tokens) GoString() string { return t.String() }

// Session is the signed-in identity as the client knows it: the tokens and
// what their claims say. It is a value; the client hands out copies.
type Session struct {
	Token        string
	RefreshToken string
	Namespace    string
	Database     string
	Access       string // empty for system users
	ID           string // record id of a record user, or the system user's name
	// Subject is the token's sub claim: whom an identity provider's token
	// names. A database JWT access (TYPE JWT) has no ID, so two of its
	// tokens are the same principal only when their subjects agree.
	Subject   string
	ExpiresAt time.Time
	IssuedAt  time.Time
	// Verified is true when the token's signature was checked by the
	// client's Verifier (WithVerifier, verify.WithKey); only then may the
	// claims above be trusted client-side.
	Verified bool
}

// ExpiresIn is the time left before the access token expires at now; zero
// when it has expired or carries no expiry.
func (s *Session) ExpiresIn(now time.Time) time.Duration {
	if s == nil || s.ExpiresAt.IsZero() || !now.Before(s.ExpiresAt) {
		return 0
	}
	return s.ExpiresAt.Sub(now)
}

// IsRecordUser tells a record-access user from a system user.
func (s *Session) IsRecordUser() bool {
	return s != nil && s.Access != "" && strings.Contains(s.ID, ":")
}

// String never shows the tokens.
func (s Session) String() string {
	var b strings.Builder
	b.WriteString("Session{")
	b.WriteString("id=" + s.ID)
	b.WriteString(" ns=" + s.Namespace + " db=" + s.Database + " ac=" + s.Access)
	if !s.ExpiresAt.IsZero() {
		b.WriteString(" exp=" + s.ExpiresAt.UTC().Format(time.RFC3339))
	}
	b.WriteString(" token=" + redacted(s.Token) + " refresh=" + redacted(s.RefreshToken) + "}")
	return b.String()
}

// GoString keeps %#v as safe as %v.
func (s Session) GoString() string { return s.String() }

// sessionFromTokens decodes the access token's claims into a Session.
func sessionFromTokens(t Tokens) (*Session, error) { return sessionVerified(t, nil) }

// sessionVerified is sessionFromTokens that, given a verifier, refuses a
// token whose signature does not verify.
func sessionVerified(t Tokens, v Verifier) (*Session, error) {
	var c Claims
	var err error
	if v != nil {
		c, err = v.Verify(t.Access)
	} else {
		c, err = ParseClaims(t.Access)
	}
	if err != nil {
		return nil, err
	}
	return &Session{
		Token:        t.Access,
		RefreshToken: t.Refresh,
		Namespace:    c.Namespace,
		Database:     c.Database,
		Access:       c.Access,
		ID:           c.ID,
		Subject:      c.Subject,
		ExpiresAt:    c.ExpiresAt,
		IssuedAt:     c.IssuedAt,
		Verified:     v != nil,
	}, nil
}

// sameIdentity is true when two sessions name the same principal, so a new
// sign-in needs no server-side clean-up first.
func sameIdentity(a, b *Session) bool {
	return a.Namespace == b.Namespace && a.Database == b.Database && a.Access == b.Access && a.ID == b.ID && a.Subject == b.Subject
}

// MarshalJSON keeps tokens out of JSON logs: they are redacted. Persisting
// a session is the Store's job, which writes its own record.
func (s Session) MarshalJSON() ([]byte, error) {
	return []byte(strconv.Quote(s.String())), nil
}

// MarshalJSON keeps tokens out of JSON logs.
func (t Tokens) MarshalJSON() ([]byte, error) { return []byte(strconv.Quote(t.String())), nil }
