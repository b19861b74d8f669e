package sdk

import (
	"encoding/json"
	"testing"
	"time"
)

// FuzzParseCredentials: any JSON object, as a page could pass, is either
// refused with an invalid-input code or yields credentials that resolve and
// encode, and whose String shows no secret.
func FuzzParseCredentials(f *testing.F) {
	for _, s := range []string{
		`{"NS":"my_ns","DB":"my_db","SC":"allusers","email":"test@acme.com","password":"some password"}`,
		`{"user":"root","pass":"root"}`,
		`{"namespace":"n","database":"d","access":"a","variables":{"email":"e","password":"p"}}`,
		`{"NS":"n","AC":"api","key":"surreal-bearer-x"}`,
		`{"Ns":"n","USER":"u"}`,
		`{"NS":1,"DB":null}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, js string) {
		var m map[string]any
		if json.Unmarshal([]byte(js), &m) != nil {
			return
		}
		c, err := ParseCredentials(m)
		if err == nil {
			c, err = c.resolve("", "")
		}
		if err != nil {
			switch CodeOf(err) {
			case CodeInvalidParams, CodeMissingNamespace, CodeMissingDatabase:
				return
			}
			t.Fatalf("unexpected error code for %s: %v", js, err)
		}
		for _, v := range []Version{v1, v2, v3} {
			if _, err := c.wire(v); err != nil && CodeOf(err) != CodeUnsupported {
				t.Fatalf("wire %s: %v", v, err)
			}
		}
		// String must not depend on secret values: swap them and compare.
		masked := c
		masked.Password, masked.Key, masked.Refresh = mask(c.Password), mask(c.Key), mask(c.Refresh)
		if len(c.Variables) > 0 {
			masked.Variables = map[string]any{}
			for k := range c.Variables {
				masked.Variables[k] = nil
			}
		}
		if c.String() != masked.String() {
			t.Fatalf("String shows a secret: %s", c.String())
		}
	})
}

func mask(s string) string {
	if s == "" {
		return ""
	}
	return "x"
}

// FuzzParseClaims: any string is a token or ErrTokenInvalid, never a panic,
// and ParseClaims decides as the encoding/json code it replaced did.
func FuzzParseClaims(f *testing.F) {
	f.Add("eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzUxMiJ9.eyJleHAiOjE3MDAwMDAwMDAsIk5TIjoibiIsIkRCIjoiZCIsIkFDIjoiYSIsIklEIjoidXNlcjphYmMifQ.c2ln")
	f.Add("not-a-jwt")
	f.Add("a.b.c")
	for _, c := range claimsCorpus {
		f.Add(tokenOf([]byte(c[0]), []byte(c[1])))
	}
	f.Fuzz(func(t *testing.T, tok string) {
		got, err := ParseClaims(tok)
		if err != nil && CodeOf(err) != CodeTokenInvalid {
			t.Fatalf("%q: %v", tok, err)
		}
		if want, errWant := oldParseClaims(tok); !sameClaimsResult(got, err, want, errWant) {
			t.Fatalf("%q:\n got %+v, %v\nwant %+v, %v", tok, got, err, want, errWant)
		}
	})
}

// FuzzClaimsJSON: header and claims JSON, fuzzed as JSON rather than as
// base64, through ParseClaims and ClaimsFromMap against the old code.
func FuzzClaimsJSON(f *testing.F) {
	for _, c := range claimsCorpus {
		f.Add([]byte(c[0]), []byte(c[1]))
	}
	f.Fuzz(func(t *testing.T, header, claims []byte) {
		tok := tokenOf(header, claims)
		got, err := ParseClaims(tok)
		if want, errWant := oldParseClaims(tok); !sameClaimsResult(got, err, want, errWant) {
			t.Fatalf("%q %q:\n got %+v, %v\nwant %+v, %v", header, claims, got, err, want, errWant)
		}
		var mc map[string]any
		if json.Unmarshal(claims, &mc) == nil {
			got, err := ClaimsFromMap(mc)
			if want, errWant := oldClaimsFromMap(mc); !sameClaimsResult(got, err, want, errWant) {
				t.Fatalf("ClaimsFromMap %q:\n got %+v, %v\nwant %+v, %v", claims, got, err, want, errWant)
			}
		}
	})
}

// oldDecodeStored and oldEncodeStored are the encoding/json code the
// stored record's reader and writer replaced: the oracle.
func oldDecodeStored(v string) (storedSession, error) {
	var rec storedSession
	if err := json.Unmarshal([]byte(v), &rec); err != nil || rec.V != storedVersion || rec.Token == "" {
		return storedSession{}, errCorruptStored
	}
	return rec, nil
}

func oldEncodeStored(s *Session) string {
	rec := storedSession{V: storedVersion, Token: s.Token, Refresh: s.RefreshToken, NS: s.Namespace, DB: s.Database, AC: s.Access}
	if !s.ExpiresAt.IsZero() {
		rec.Exp = s.ExpiresAt.Unix()
	}
	b, _ := json.Marshal(rec)
	return string(b)
}

var storedCorpus = []string{
	`{"v":1,"token":"eyJ.x.y","refresh":"surreal-refresh-x","ns":"n","db":"d","ac":"a","exp":1700000000}`,
	`{"v":2,"token":"t"}`, `null`, `{"v":1,"token":"t","v":null}`, `{"V":1,"TOKEN":"t","Ns":"n"}`,
	"{\"v\":1,\"to\u212aen\":\"t\"}", "{\"v\":1,\"token\":\"t\xff\",\"n\u017f\":\"x\"}", `{"v":1,"token":"t","exp":1.5}`,
	`{"v":1,"token":"t","exp":1e3}`, `{"v":1,"token":"t","exp":"5"}`, `{"v":1,"token":"t","other":1e400}`, `{"v":1,"token":"t","ns":5}`,
	`{"v":1,"token":"t","exp":9223372036854775808}`, `{"v":1.0,"token":"t"}`, `[]`, `"x"`, `{"v":1,"token":"t"} x`, `{"v":1,"token":"\ud800"}`,
	`{"v":1,"token":"t","ac":{"a":[]}}`, `{"v":1,"token":"t","zz":{"a":[}}`,
}

// FuzzDecodeStored: a stored record is accepted whole or refused, never
// half-read, and exactly as encoding/json read it into the struct.
func FuzzDecodeStored(f *testing.F) {
	for _, s := range storedCorpus {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rec, err := decodeStored(s)
		want, errWant := oldDecodeStored(s)
		if (err == nil) != (errWant == nil) || rec != want {
			t.Fatalf("%q: got %+v, %v; encoding/json %+v, %v", s, rec, err, want, errWant)
		}
		if err == nil && (rec.V != storedVersion || rec.Token == "") {
			t.Fatalf("accepted an unusable record: %+v", rec)
		}
	})
}

// FuzzEncodeStored: the record is written byte for byte as encoding/json
// wrote it, and reads back.
func FuzzEncodeStored(f *testing.F) {
	f.Add("eyJ.x.y", "surreal-refresh-x", "n", "d", "a", int64(1700000000))
	f.Add("<tok&>", "", "\u2028", "\xff", "", int64(0))
	f.Fuzz(func(t *testing.T, tok, refresh, ns, db, ac string, exp int64) {
		if exp < -1e12 || exp > 1e12 {
			exp %= 1e12 // within time.Time's Unix range
		}
		s := &Session{Token: tok, RefreshToken: refresh, Namespace: ns, Database: db, Access: ac}
		if exp != 0 {
			s.ExpiresAt = time.Unix(exp, 0)
		}
		got, want := encodeStored(s), oldEncodeStored(s)
		if got != want {
			t.Fatalf("got %s\nwant %s", got, want)
		}
		if tok != "" {
			if _, err := decodeStored(got); err != nil {
				t.Fatalf("%s does not read back: %v", got, err)
			}
		}
	})
}
