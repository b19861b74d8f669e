package sdk

import (
	"encoding/base64"
	"encoding/json"
	"testing"
	"time"
)

// makeToken builds an unsigned-looking JWT with the given claims; the sdk
// never checks signatures, so any signature bytes will do.
func makeToken(t testing.TB, claims map[string]any) string {
	t.Helper()
	enc := base64.RawURLEncoding
	hdr := enc.EncodeToString([]byte(`{"typ":"JWT","alg":"HS512"}`))
	body, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	return hdr + "." + enc.EncodeToString(body) + "." + enc.EncodeToString([]byte("signature"))
}

func TestParseClaims(t *testing.T) {
	cases := []struct {
		name   string
		claims map[string]any
		want   Claims
	}{
		{
			name:   "record user (3.x)",
			claims: map[string]any{"iat": 1700000000, "nbf": 1700000000, "exp": 1700003600, "iss": "SurrealDB", "jti": "j", "NS": "n", "DB": "d", "AC": "allusers", "ID": "user:abc"},
			want:   Claims{Namespace: "n", Database: "d", Access: "allusers", ID: "user:abc", Issuer: "SurrealDB", TokenID: "j", IssuedAt: time.Unix(1700000000, 0), NotBefore: time.Unix(1700000000, 0), ExpiresAt: time.Unix(1700003600, 0)},
		},
		{
			name:   "1.x scope claim",
			claims: map[string]any{"exp": 1700003600, "NS": "n", "DB": "d", "SC": "allusers", "ID": "user:abc"},
			want:   Claims{Namespace: "n", Database: "d", Access: "allusers", ID: "user:abc", ExpiresAt: time.Unix(1700003600, 0)},
		},
		{
			name:   "root user",
			claims: map[string]any{"exp": 1700003600, "ID": "root"},
			want:   Claims{ID: "root", ExpiresAt: time.Unix(1700003600, 0)},
		},
		{
			name:   "lowercase and URL claim names, roles",
			claims: map[string]any{"ns": "n", "https://surrealdb.com/database": "d", "https://surrealdb.com/ac": "api", "id": "dbu", "RL": []any{"Viewer"}},
			want:   Claims{Namespace: "n", Database: "d", Access: "api", ID: "dbu", Roles: []string{"Viewer"}},
		},
		{
			// atob() in the official JS SDK throws on these (docs/protocol.md#tokens).
			name:   "record id whose payload base64url holds - and _",
			claims: map[string]any{"exp": 1700003600, "NS": "n", "DB": "d", "AC": "a", "ID": "user:`x~y?z>`"},
			want:   Claims{Namespace: "n", Database: "d", Access: "a", ID: "user:`x~y?z>`", ExpiresAt: time.Unix(1700003600, 0)},
		},
		{
			name:   "fractional exp",
			claims: map[string]any{"exp": 1700003600.5},
			want:   Claims{ExpiresAt: time.Unix(1700003600, 0)}, // seconds, as the server compares them
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseClaims(makeToken(t, tc.claims))
			if err != nil {
				t.Fatal(err)
			}
			if !claimsEqual(got, tc.want) {
				t.Fatalf("\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func claimsEqual(a, b Claims) bool {
	if len(a.Roles) != len(b.Roles) {
		return false
	}
	for i := range a.Roles {
		if a.Roles[i] != b.Roles[i] {
			return false
		}
	}
	a.Roles, b.Roles = nil, nil
	return a.ExpiresAt.Equal(b.ExpiresAt) && a.IssuedAt.Equal(b.IssuedAt) && a.NotBefore.Equal(b.NotBefore) &&
		a.Namespace == b.Namespace && a.Database == b.Database && a.Access == b.Access && a.ID == b.ID &&
		a.Issuer == b.Issuer && a.TokenID == b.TokenID
}

func TestParseClaimsRefuses(t *testing.T) {
	for name, tok := range map[string]string{
		"empty":            "",
		"not a JWT":        "not-a-jwt",
		"two parts":        "eyJhbGciOiJIUzUxMiJ9.eyJleHAiOjF9",
		"bad base64":       "eyJhbGciOiJIUzUxMiJ9.!!!.sig",
		"payload not JSON": "eyJhbGciOiJIUzUxMiJ9." + base64.RawURLEncoding.EncodeToString([]byte("nope")) + ".sig",
		"exp not a number": makeToken(t, map[string]any{"exp": "tomorrow"}),
		"refresh token":    "surreal-refresh-abcdefghijkl-abcdefghijklmnopqrstuvwx",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := ParseClaims(tok); CodeOf(err) != CodeTokenInvalid {
				t.Fatalf("got %v, want token_invalid", err)
			}
		})
	}
}

func TestSessionExpiresIn(t *testing.T) {
	now := time.Unix(1000, 0)
	s := &Session{ExpiresAt: now.Add(90 * time.Second)}
	if got := s.ExpiresIn(now); got != 90*time.Second {
		t.Fatalf("ExpiresIn = %v", got)
	}
	if got := s.ExpiresIn(now.Add(time.Hour)); got != 0 {
		t.Fatalf("expired ExpiresIn = %v", got)
	}
	if got := (&Session{}).ExpiresIn(now); got != 0 {
		t.Fatalf("no exp ExpiresIn = %v", got)
	}
}
