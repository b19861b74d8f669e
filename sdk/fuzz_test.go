package sdk

import (
	"encoding/json"
	"testing"
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

// FuzzParseClaims: any string is a token or ErrTokenInvalid, never a panic.
func FuzzParseClaims(f *testing.F) {
	f.Add("eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzUxMiJ9.eyJleHAiOjE3MDAwMDAwMDAsIk5TIjoibiIsIkRCIjoiZCIsIkFDIjoiYSIsIklEIjoidXNlcjphYmMifQ.c2ln")
	f.Add("not-a-jwt")
	f.Add("a.b.c")
	f.Fuzz(func(t *testing.T, tok string) {
		if _, err := ParseClaims(tok); err != nil && CodeOf(err) != CodeTokenInvalid {
			t.Fatalf("%q: %v", tok, err)
		}
	})
}

// FuzzDecodeStored: a stored record is accepted whole or refused, never
// half-read.
func FuzzDecodeStored(f *testing.F) {
	f.Add(`{"v":1,"token":"eyJ.x.y","refresh":"surreal-refresh-x","ns":"n","db":"d","ac":"a","exp":1700000000}`)
	f.Add(`{"v":2,"token":"t"}`)
	f.Add(`null`)
	f.Fuzz(func(t *testing.T, s string) {
		rec, err := decodeStored(s)
		if err != nil {
			return
		}
		if rec.V != storedVersion || rec.Token == "" {
			t.Fatalf("accepted an unusable record: %+v", rec)
		}
	})
}
