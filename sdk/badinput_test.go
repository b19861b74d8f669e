package sdk

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/surrealauth/surrealauth/internal/testserver"
)

// TestBadInputMatrix drives every wrong credential shape and every wrong
// token through a signed-in client against the engine. Each must fail with
// its code, leave the session as it was and write nothing to the store.
func TestBadInputMatrix(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testserver.Server) {
		store := &countingStore{MemoryStore: NewMemoryStore()}
		c := dial(t, srv.URL, WithStore(store))
		email := newEmail("matrix")
		good, err := c.Signup(bg, record("allusers", email, "pw"))
		if err != nil {
			t.Fatal(err)
		}
		before, writes := c.Session(), store.writes()

		credCases := badCredentials()
		tokCases := badTokens(t, good.Access)
		n := 0
		for _, tc := range credCases {
			n++
			t.Run("credentials/"+tc.name, func(t *testing.T) {
				creds, err := ParseCredentials(tc.in)
				if err == nil {
					_, err = c.Signin(bg, creds)
				}
				mustCode(t, err, tc.code)
				checkUnchanged(t, c, store, before, writes)
			})
		}
		for _, tc := range tokCases {
			n++
			t.Run("token/"+tc.name, func(t *testing.T) {
				mustCode(t, c.Authenticate(bg, tc.token), tc.code)
				checkUnchanged(t, c, store, before, writes)
			})
		}
		t.Logf("bad-input matrix (Go): %d credential cases, %d token cases, %d in all", len(credCases), len(tokCases), n)
	})
}

type credCase struct {
	name string
	in   map[string]any
	code Code
}

func badCredentials() []credCase {
	huge := strings.Repeat("x", maxCredentialString+1)
	rec := func(extra map[string]any) map[string]any {
		m := map[string]any{"NS": testNS, "DB": testDB, "AC": "allusers", "email": "a@b.c", "password": "pw"}
		for k, v := range extra {
			if v == nil {
				delete(m, k)
			} else {
				m[k] = v
			}
		}
		return m
	}
	return []credCase{
		{"missing NS", rec(map[string]any{"NS": nil}), CodeMissingNamespace},
		{"missing DB", rec(map[string]any{"DB": nil}), CodeMissingDatabase},
		{"empty NS", rec(map[string]any{"NS": ""}), CodeInvalidParams},
		{"empty DB", rec(map[string]any{"DB": ""}), CodeInvalidParams},
		{"empty AC", rec(map[string]any{"AC": ""}), CodeInvalidParams},
		{"number NS", rec(map[string]any{"NS": 5.0}), CodeInvalidParams},
		{"bool DB", rec(map[string]any{"DB": true}), CodeInvalidParams},
		{"object AC", rec(map[string]any{"AC": map[string]any{"x": 1.0}}), CodeInvalidParams},
		{"array SC", map[string]any{"NS": testNS, "DB": testDB, "SC": []any{"allusers"}}, CodeInvalidParams},
		{"SC and AC disagree", rec(map[string]any{"SC": "other"}), CodeInvalidParams},
		{"scope and SC disagree", map[string]any{"NS": testNS, "DB": testDB, "scope": "a", "SC": "b"}, CodeInvalidParams},
		{"typo Ns", rec(map[string]any{"NS": nil, "Ns": testNS}), CodeInvalidParams},
		{"typo Db", rec(map[string]any{"DB": nil, "Db": testDB}), CodeInvalidParams},
		{"typo Sc", map[string]any{"NS": testNS, "DB": testDB, "Sc": "allusers"}, CodeInvalidParams},
		{"typo USER/PASS", map[string]any{"USER": "root", "PASS": "root"}, CodeInvalidParams},
		{"db without ns", map[string]any{"DB": testDB, "user": "dbuser", "pass": "dbpass"}, CodeMissingNamespace},
		{"missing user", map[string]any{"pass": "root"}, CodeInvalidParams},
		{"missing pass", map[string]any{"user": "root"}, CodeInvalidParams},
		{"empty user", map[string]any{"user": "", "pass": "root"}, CodeInvalidParams},
		{"number pass", map[string]any{"user": "root", "pass": 1234.0}, CodeInvalidParams},
		{"null user", map[string]any{"user": nil, "pass": "root"}, CodeInvalidParams},
		{"huge NS", rec(map[string]any{"NS": huge}), CodeInvalidParams},
		{"huge password", rec(map[string]any{"password": huge}), CodeInvalidParams},
		{"nested junk", rec(map[string]any{"profile": nest(40)}), CodeInvalidParams},
		{"variables not an object", rec(map[string]any{"variables": []any{1.0}}), CodeInvalidParams},
		{"reserved name in variables", rec(map[string]any{"variables": map[string]any{"AC": "x"}}), CodeInvalidParams},
		{"record variables without access", map[string]any{"NS": testNS, "DB": testDB, "email": "a@b.c", "password": "pw"}, CodeInvalidParams},
		{"key and refresh", rec(map[string]any{"key": "k", "refresh": "r"}), CodeInvalidParams},
		{"unknown access", rec(map[string]any{"AC": "nosuch"}), CodeAccessNotFound},
		{"wrong password", rec(map[string]any{"password": "wrong"}), CodeInvalidCredentials},
		{"wrong root password", map[string]any{"user": "root", "pass": "wrong"}, CodeInvalidCredentials},
	}
}

func nest(depth int) any {
	var v any = "leaf"
	for range depth {
		v = map[string]any{"n": v}
	}
	return v
}

type tokCase struct {
	name  string
	token string
	code  Code
}

func badTokens(t *testing.T, good string) []tokCase {
	parts := strings.Split(good, ".")
	claims := func(edit func(map[string]any)) string {
		raw, _ := base64.RawURLEncoding.DecodeString(parts[1])
		var m map[string]any
		json.Unmarshal(raw, &m)
		edit(m)
		b, _ := json.Marshal(m)
		return parts[0] + "." + base64.RawURLEncoding.EncodeToString(b) + "." + parts[2]
	}
	now := time.Now().Unix()
	return []tokCase{
		{"empty", "", CodeTokenInvalid},
		{"not a JWT", "not-a-jwt", CodeTokenInvalid},
		{"two segments", parts[0] + "." + parts[1], CodeTokenInvalid},
		{"bad base64url", parts[0] + ".@@@." + parts[2], CodeTokenInvalid},
		{"payload not JSON", parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte("{nope")) + "." + parts[2], CodeTokenInvalid},
		{"a refresh token", "surreal-refresh-abcdefghijkl-abcdefghijklmnopqrstuvwx", CodeTokenInvalid},
		{"no exp", claims(func(m map[string]any) { delete(m, "exp") }), CodeTokenInvalid},
		{"expired (re-signed claims)", claims(func(m map[string]any) { m["exp"] = now - 3600 }), CodeTokenExpired},
		{"not yet valid", claims(func(m map[string]any) { m["nbf"] = now + 3600 }), CodeTokenInvalid},
		{"tampered claims", claims(func(m map[string]any) { m["ID"] = "user:someoneelse" }), CodeTokenInvalid},
		{"tampered signature", parts[0] + "." + parts[1] + "." + flip(parts[2]), CodeTokenInvalid},
		{"another server's token", makeToken(t, map[string]any{"exp": now + 3600, "NS": testNS, "DB": testDB, "AC": "allusers", "ID": "user:x"}), CodeTokenInvalid},
	}
}

func flip(sig string) string {
	b := []byte(sig)
	if b[5] == 'A' {
		b[5] = 'B'
	} else {
		b[5] = 'A'
	}
	return string(b)
}

func checkUnchanged(t *testing.T, c *Client, store *countingStore, before *Session, writes int) {
	t.Helper()
	if s := c.Session(); s == nil || s.Token != before.Token {
		t.Fatalf("the session changed: %v", s)
	}
	if store.writes() != writes {
		t.Fatalf("the store was written")
	}
	info, err := c.Info(bg)
	if err != nil || recordIDOf(t, info) != before.ID {
		t.Fatalf("the server identity changed: %v %v", info, err)
	}
}

// countingStore counts writes and removals.
type countingStore struct {
	*MemoryStore
	mu sync.Mutex
	n  int
}

func (s *countingStore) Set(k, v string) error {
	s.mu.Lock()
	s.n++
	s.mu.Unlock()
	return s.MemoryStore.Set(k, v)
}

func (s *countingStore) Remove(k string) error {
	s.mu.Lock()
	s.n++
	s.mu.Unlock()
	return s.MemoryStore.Remove(k)
}

func (s *countingStore) writes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

// TestNoSecretsInOutput formats every SDK type that holds a secret through
// every path a program might log it.
func TestNoSecretsInOutput(t *testing.T) {
	secrets := []string{"hunter2", "eyJhbGciOiJIUzUxMiJ9.e30.c2lnbmF0dXJl", "surreal-refresh-abcdefghijkl-abcdefghijklmnopqrstuvwx", "surreal-bearer-key"}
	sess := &Session{Token: secrets[1], RefreshToken: secrets[2], ID: "user:x", ExpiresAt: time.Unix(1, 0)}
	tok := Tokens{Access: secrets[1], Refresh: secrets[2]}
	creds := Credentials{Namespace: "n", Database: "d", Access: "a", Variables: map[string]any{"password": secrets[0]}}
	sys := Credentials{Username: "root", Password: secrets[0], Key: secrets[3]}
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	for _, v := range []any{sess, *sess, tok, creds, sys} {
		fmt.Fprintf(&buf, "%v %+v %#v %s\n", v, v, v, v)
		b, _ := json.Marshal(v)
		buf.Write(b)
		log.Info("x", "v", v)
	}
	for _, s := range secrets {
		if strings.Contains(buf.String(), s) {
			t.Fatalf("output shows %q:\n%s", s, buf.String())
		}
	}
}
