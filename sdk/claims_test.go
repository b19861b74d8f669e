package sdk

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"math"
	"strings"
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

// The oracle: ParseClaims and ClaimsFromMap as they were with encoding/json
// and maps, for differential tests and fuzzing.

func oldParseClaims(token string) (Claims, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return Claims{}, newError(CodeTokenInvalid, "not a JWT: want three dot-separated segments")
	}
	var header map[string]any
	if err := oldDecodeSegment(parts[0], &header); err != nil {
		return Claims{}, &Error{Code: CodeTokenInvalid, Message: "not a JWT: bad header", Err: err}
	}
	if alg, _ := header["alg"].(string); !surrealAlgs[alg] {
		return Claims{}, newError(CodeTokenInvalid, "not a SurrealDB token: algorithm "+quote(alg))
	}
	var mc map[string]any
	if err := oldDecodeSegment(parts[1], &mc); err != nil {
		return Claims{}, &Error{Code: CodeTokenInvalid, Message: "not a JWT: bad claims", Err: err}
	}
	return oldClaimsFromMap(mc)
}

func oldDecodeSegment(seg string, dst *map[string]any) error {
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

func oldClaimsFromMap(mc map[string]any) (Claims, error) {
	var c Claims
	str := func(name string) string {
		for _, k := range claimNames[name] {
			if s, ok := mc[k].(string); ok && s != "" {
				return s
			}
		}
		return ""
	}
	c.Namespace, c.Database, c.Access, c.ID = str("ns"), str("db"), str("ac"), str("id")
	for _, k := range claimNames["rl"] {
		if v, ok := mc[k].([]any); ok {
			c.Roles = make([]string, 0, len(v))
			for _, r := range v {
				if s, ok := r.(string); ok {
					c.Roles = append(c.Roles, s)
				}
			}
			break
		}
		if v, ok := mc[k].(string); ok {
			c.Roles = strings.Split(v, ",")
			break
		}
	}
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
		*dst = time.Unix(int64(f), 0)
	}
	return c, nil
}

// sameClaimsResult compares two ParseClaims outcomes: equal claims, or
// errors of the same code and message (when two time claims are bad, the
// old code named either at random).
func sameClaimsResult(a Claims, errA error, b Claims, errB error) bool {
	if (errA == nil) != (errB == nil) {
		return false
	}
	if errA != nil {
		var ea, eb *Error
		if !errors.As(errA, &ea) || !errors.As(errB, &eb) || ea.Code != eb.Code {
			return false
		}
		return ea.Message == eb.Message || strings.HasSuffix(ea.Message, "claim is not a number of seconds")
	}
	return claimsEqual(a, b) && (a.Roles == nil) == (b.Roles == nil)
}

// tokenOf is a token with these header and claims bytes.
func tokenOf(header, claims []byte) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString(header) + "." + enc.EncodeToString(claims) + ".c2ln"
}

var claimsCorpus = [][2]string{
	{`{"typ":"JWT","alg":"HS512"}`, `{"iat":1700000000,"nbf":1700000000,"exp":1700003600,"iss":"SurrealDB","jti":"j","NS":"n","DB":"d","AC":"allusers","ID":"user:abc"}`},
	{`{"alg":"HS512","alg":"none"}`, `{}`},
	{`{"alg":"none","alg":"HS256"}`, `{"exp":null,"ns":"","NS":"n","rl":"a,b","RL":5,"https://surrealdb.com/roles":["x",1,"y"]}`},
	{`{"alg":1}`, `{}`},
	{`{"alg":"EdDSA","x":1e400}`, `{}`},
	{`{"alg":"RS256"}`, `{"x":[1e400]}`},
	{`{"alg":"RS256"}`, `{"exp":"tomorrow"}`},
	{`{"alg":"RS256"}`, `{"exp":1e16}`},
	{`{"alg":"RS256"}`, `{"exp":-1e15,"iat":1.5,"nbf":0}`},
	{`{"alg":"RS256"}`, `{"exp":true,"iat":[]}`},
	{`{"alg":"RS256"}`, `null`},
	{`null`, `{}`},
	{`{"alg":"RS256"}`, `[]`},
	{`{"alg":"RS256"}`, `{"ID":"user:\u00e9\ud83d\ude00","id":"x","DB":"\ud800"}`},
	{`{"alg":"RS256"}`, "{\"AC\":\"\xff\",\"SC\":\"s\",\"ac\":\"\"}"},
	{`{"alg":"RS256"}`, `{"RL":[],"rl":["z"]}`},
	{`{"alg":"RS256"}`, `{"NS":"a","NS":"b","NS":1}`},
	{`{"alg":"HS256"} `, ` {"https://surrealdb.com/scope":"s"} `},
}

// TestClaimsMatchOld: ParseClaims and ClaimsFromMap against the
// encoding/json and map-based code they replace.
func TestClaimsMatchOld(t *testing.T) {
	for _, c := range claimsCorpus {
		tok := tokenOf([]byte(c[0]), []byte(c[1]))
		got, err := ParseClaims(tok)
		want, errWant := oldParseClaims(tok)
		if !sameClaimsResult(got, err, want, errWant) {
			t.Errorf("%s %s:\n got %+v, %v\nwant %+v, %v", c[0], c[1], got, err, want, errWant)
		}
		var mc map[string]any
		if json.Unmarshal([]byte(c[1]), &mc) == nil && mc != nil {
			got, err := ClaimsFromMap(mc)
			want, errWant := oldClaimsFromMap(mc)
			if !sameClaimsResult(got, err, want, errWant) {
				t.Errorf("ClaimsFromMap %s:\n got %+v, %v\nwant %+v, %v", c[1], got, err, want, errWant)
			}
		}
	}
	for _, tok := range []string{"", "a", "a.b", "a.b.c.d", "..", "e30.e30.", "eyJhbGciOiJIUzUxMiJ9.e30.x", "eyJhbGciOiJIUzUxMiJ9==.e30=.x"} {
		got, err := ParseClaims(tok)
		want, errWant := oldParseClaims(tok)
		if !sameClaimsResult(got, err, want, errWant) {
			t.Errorf("%q: got %+v, %v; want %+v, %v", tok, got, err, want, errWant)
		}
	}
}

// BenchmarkParseClaims: a 3.x record user's token, the old encoding/json
// and map code against the scan.
func BenchmarkParseClaims(b *testing.B) {
	tok := makeToken(b, map[string]any{"iat": 1700000000, "nbf": 1700000000, "exp": 1700003600, "iss": "SurrealDB",
		"jti": "0d4b1e5c-7a2f-4c38-9e61-3f2a7c9b8d10", "NS": "surrealauth", "DB": "demo", "AC": "allusers", "ID": "user:or0gi2axjl7pils72v3w"})
	for name, parse := range map[string]func(string) (Claims, error){"new": ParseClaims, "old": oldParseClaims} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if _, err := parse(tok); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestClaimSlots(t *testing.T) {
	if len(claimSlots) != nClaimSlots {
		t.Fatalf("nClaimSlots is %d, claimSlots has %d names", nClaimSlots, len(claimSlots))
	}
}
