package sdk

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

var (
	v1 = Version{Major: 1, Minor: 5, Patch: 6, Raw: "surrealdb-1.5.6"}
	v2 = Version{Major: 2, Minor: 6, Patch: 1, Raw: "surrealdb-2.6.1"}
	v3 = Version{Major: 3, Minor: 0, Patch: 2, Raw: "surrealdb-3.0.2"}
)

// TestCredentialsWire drives every accepted shape through ParseCredentials,
// resolve and wire, for each server generation.
func TestCredentialsWire(t *testing.T) {
	seed := map[string]any{"NS": "my_ns", "DB": "my_db", "SC": "allusers", "email": "test@acme.com", "password": "some password"}
	cases := []struct {
		name   string
		in     map[string]any
		defNS  string
		defDB  string
		v1, v3 map[string]any // v2 equals v3 on the wire
	}{
		{
			name: "root",
			in:   map[string]any{"user": "root", "pass": "root"},
			v1:   map[string]any{"user": "root", "pass": "root"},
			v3:   map[string]any{"user": "root", "pass": "root"},
		},
		{
			name:  "root ignores connect defaults",
			in:    map[string]any{"username": "root", "password": "root"},
			defNS: "n", defDB: "d",
			v1: map[string]any{"user": "root", "pass": "root"},
			v3: map[string]any{"user": "root", "pass": "root"},
		},
		{
			name: "namespace user",
			in:   map[string]any{"NS": "n", "user": "u", "pass": "p"},
			v1:   map[string]any{"NS": "n", "user": "u", "pass": "p"},
			v3:   map[string]any{"NS": "n", "user": "u", "pass": "p"},
		},
		{
			name: "database user, python shape",
			in:   map[string]any{"namespace": "n", "database": "d", "username": "u", "password": "p"},
			v1:   map[string]any{"NS": "n", "DB": "d", "user": "u", "pass": "p"},
			v3:   map[string]any{"NS": "n", "DB": "d", "user": "u", "pass": "p"},
		},
		{
			name: "seed 000 scope object",
			in:   seed,
			v1:   map[string]any{"NS": "my_ns", "DB": "my_db", "SC": "allusers", "email": "test@acme.com", "password": "some password"},
			v3:   map[string]any{"NS": "my_ns", "DB": "my_db", "AC": "allusers", "email": "test@acme.com", "password": "some password"},
		},
		{
			name: "lowercase ac with user/pass as record variables",
			in:   map[string]any{"ns": "n", "db": "d", "ac": "acc", "user": "x", "pass": "y"},
			v1:   map[string]any{"NS": "n", "DB": "d", "SC": "acc", "user": "x", "pass": "y"},
			v3:   map[string]any{"NS": "n", "DB": "d", "AC": "acc", "user": "x", "pass": "y"},
		},
		{
			name: "python record shape with variables",
			in:   map[string]any{"namespace": "n", "database": "d", "access": "acc", "variables": map[string]any{"email": "e", "password": "p", "age": int64(3)}},
			v1:   map[string]any{"NS": "n", "DB": "d", "SC": "acc", "email": "e", "password": "p", "age": int64(3)},
			v3:   map[string]any{"NS": "n", "DB": "d", "AC": "acc", "email": "e", "password": "p", "age": int64(3)},
		},
		{
			name:  "record access takes connect defaults",
			in:    map[string]any{"AC": "acc", "email": "e"},
			defNS: "n", defDB: "d",
			v1: map[string]any{"NS": "n", "DB": "d", "SC": "acc", "email": "e"},
			v3: map[string]any{"NS": "n", "DB": "d", "AC": "acc", "email": "e"},
		},
		{
			name:  "scope alias and same value twice",
			in:    map[string]any{"NS": "n", "ns": "n", "DB": "d", "scope": "acc", "SC": "acc"},
			v1:    map[string]any{"NS": "n", "DB": "d", "SC": "acc"},
			v3:    map[string]any{"NS": "n", "DB": "d", "AC": "acc"},
			defNS: "", defDB: "",
		},
		{
			name: "bearer key at namespace level",
			in:   map[string]any{"NS": "n", "AC": "api", "key": "surreal-bearer-x"},
			v3:   map[string]any{"NS": "n", "AC": "api", "key": "surreal-bearer-x"},
		},
		{
			name:  "bearer key keeps namespace level despite a default database",
			in:    map[string]any{"AC": "api", "key": "k"},
			defNS: "n", defDB: "d",
			v3: map[string]any{"NS": "n", "AC": "api", "key": "k"},
		},
		{
			name: "refresh grant",
			in:   map[string]any{"NS": "n", "DB": "d", "AC": "acc", "refresh": "surreal-refresh-x"},
			v3:   map[string]any{"NS": "n", "DB": "d", "AC": "acc", "refresh": "surreal-refresh-x"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseCredentials(tc.in)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			r, err := c.resolve(tc.defNS, tc.defDB)
			if err != nil {
				t.Fatalf("resolve: %v", err)
			}
			for _, v := range []struct {
				ver  Version
				want map[string]any
			}{{v1, tc.v1}, {v2, tc.v3}, {v3, tc.v3}} {
				got, err := r.wire(v.ver)
				if v.want == nil {
					if CodeOf(err) != CodeUnsupported {
						t.Errorf("%s: want unsupported, got %v %v", v.ver, got, err)
					}
					continue
				}
				if err != nil {
					t.Fatalf("%s: wire: %v", v.ver, err)
				}
				if !reflect.DeepEqual(got, v.want) {
					t.Errorf("%s:\n got %v\nwant %v", v.ver, got, v.want)
				}
				if v.ver.Major >= 2 {
					if _, ok := got["SC"]; ok {
						t.Errorf("%s: SC sent to a 2.x/3.x server", v.ver)
					}
				}
			}
		})
	}
}

// TestCredentialsRefused lists every shape refused before sending.
func TestCredentialsRefused(t *testing.T) {
	cases := []struct {
		name string
		in   map[string]any
		code Code
	}{
		{"empty object", map[string]any{}, CodeInvalidParams},
		{"user without pass", map[string]any{"user": "root"}, CodeInvalidParams},
		{"pass without user", map[string]any{"pass": "root"}, CodeInvalidParams},
		{"db without ns", map[string]any{"DB": "d", "user": "u", "pass": "p"}, CodeMissingNamespace},
		{"record access without ns", map[string]any{"DB": "d", "SC": "acc", "email": "e"}, CodeMissingNamespace},
		{"record access without db", map[string]any{"NS": "n", "AC": "acc", "email": "e"}, CodeMissingDatabase},
		{"non-string NS", map[string]any{"NS": 5.0, "user": "u", "pass": "p"}, CodeInvalidParams},
		{"non-string DB", map[string]any{"NS": "n", "DB": true, "user": "u", "pass": "p"}, CodeInvalidParams},
		{"non-string AC", map[string]any{"NS": "n", "DB": "d", "AC": nil}, CodeInvalidParams},
		{"non-string user", map[string]any{"user": int64(1), "pass": "p"}, CodeInvalidParams},
		{"non-string pass", map[string]any{"user": "u", "pass": nil}, CodeInvalidParams},
		{"empty NS", map[string]any{"NS": "", "user": "u", "pass": "p"}, CodeInvalidParams},
		{"empty pass", map[string]any{"user": "u", "pass": ""}, CodeInvalidParams},
		{"NS and namespace disagree", map[string]any{"NS": "a", "namespace": "b", "user": "u", "pass": "p"}, CodeInvalidParams},
		{"SC and AC disagree", map[string]any{"NS": "n", "DB": "d", "SC": "a", "AC": "b"}, CodeInvalidParams},
		{"scope and SC disagree", map[string]any{"NS": "n", "DB": "d", "scope": "a", "SC": "b"}, CodeInvalidParams},
		{"typo Ns", map[string]any{"Ns": "n", "user": "u", "pass": "p"}, CodeInvalidParams},
		{"typo USER", map[string]any{"USER": "root", "PASS": "root"}, CodeInvalidParams},
		{"typo Access", map[string]any{"NS": "n", "DB": "d", "Access": "acc"}, CodeInvalidParams},
		{"typo Variables", map[string]any{"NS": "n", "DB": "d", "AC": "acc", "Variables": map[string]any{}}, CodeInvalidParams},
		{"variables without access", map[string]any{"NS": "n", "DB": "d", "email": "e", "password": "p"}, CodeInvalidParams},
		{"variables not an object", map[string]any{"NS": "n", "DB": "d", "AC": "acc", "variables": "x"}, CodeInvalidParams},
		{"reserved key inside variables", map[string]any{"NS": "n", "DB": "d", "AC": "acc", "variables": map[string]any{"ns": "x"}}, CodeInvalidParams},
		{"variable twice, different values", map[string]any{"NS": "n", "DB": "d", "AC": "acc", "email": "a", "variables": map[string]any{"email": "b"}}, CodeInvalidParams},
		{"key and refresh together", map[string]any{"NS": "n", "DB": "d", "AC": "acc", "key": "k", "refresh": "r"}, CodeInvalidParams},
		{"key without access", map[string]any{"NS": "n", "key": "k"}, CodeInvalidParams},
		{"huge NS", map[string]any{"NS": strings.Repeat("n", maxCredentialString+1), "user": "u", "pass": "p"}, CodeInvalidParams},
		{"huge variable", map[string]any{"NS": "n", "DB": "d", "AC": "acc", "email": strings.Repeat("e", maxCredentialString+1)}, CodeInvalidParams},
		{"huge nested variable", map[string]any{"NS": "n", "DB": "d", "AC": "acc", "profile": map[string]any{"bio": []any{strings.Repeat("b", maxCredentialString+1)}}}, CodeInvalidParams},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseCredentials(tc.in)
			if err == nil {
				_, err = c.resolve("", "")
			}
			if err == nil {
				t.Fatalf("accepted %v", c)
			}
			if CodeOf(err) != tc.code {
				t.Fatalf("code %q, want %q (%v)", CodeOf(err), tc.code, err)
			}
			if !errors.Is(err, &Error{Code: tc.code}) {
				t.Fatalf("errors.Is does not match its code")
			}
		})
	}
	t.Logf("%d refused shapes", len(cases))
}

func TestStructCredentialsRefused(t *testing.T) {
	cases := []struct {
		name   string
		c      Credentials
		signup bool
		code   Code
	}{
		{"username with access", Credentials{Namespace: "n", Database: "d", Access: "a", Username: "u"}, false, CodeInvalidParams},
		{"reserved variable", Credentials{Namespace: "n", Database: "d", Access: "a", Variables: map[string]any{"AC": "x"}}, false, CodeInvalidParams},
		{"signup as system user", Credentials{Username: "root", Password: "root"}, true, CodeInvalidParams},
		{"signup with a key", Credentials{Namespace: "n", Access: "a", Key: "k"}, true, CodeInvalidParams},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := tc.c.resolve("", "")
			if err == nil && tc.signup {
				err = r.checkSignup()
			}
			if CodeOf(err) != tc.code {
				t.Fatalf("code %q, want %q (%v)", CodeOf(err), tc.code, err)
			}
		})
	}
}

func TestCredentialsStringHidesSecrets(t *testing.T) {
	c, err := ParseCredentials(map[string]any{"NS": "n", "DB": "d", "AC": "acc", "email": "e@x", "password": "hunter2", "refresh": "surreal-refresh-abc"})
	if err != nil {
		t.Fatal(err)
	}
	sys := Credentials{Username: "root", Password: "hunter2", Key: "bearer-secret"}
	for _, s := range []string{c.String(), sys.String(), Tokens{Access: "eyJ.secret", Refresh: "surreal-refresh-abc"}.String()} {
		for _, secret := range []string{"hunter2", "surreal-refresh-abc", "bearer-secret", "e@x", "eyJ.secret"} {
			if strings.Contains(s, secret) {
				t.Errorf("%q shows %q", s, secret)
			}
		}
	}
}
