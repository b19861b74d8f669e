package sdk

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The stored record has two readers: the sdk (decodeStored, then the
// token's claims) and js/bindings.js's storedSession, which shows the
// stored session before the wasm is loaded (docs/architecture.md#storage).
// testdata/stored-records.json holds records and what the sdk makes of
// them; this test keeps it true to the sdk, and e2e/stored-session.test.mjs
// holds storedSession to the same answers. UPDATE_CORPUS=1 rewrites it.

type corpusSession struct {
	Token        string  `json:"token"`
	RefreshToken *string `json:"refreshToken"`
	Namespace    *string `json:"namespace"`
	Database     *string `json:"database"`
	Access       *string `json:"access"`
	ID           *string `json:"id"`
	ExpiresAt    *int64  `json:"expiresAt"`
}

type corpusCase struct {
	Name   string         `json:"name"`
	Record string         `json:"record"`
	Want   *corpusSession `json:"want"`
}

// restorable is what the sdk would restore from record v at now, before
// asking the server: nil when the record is corrupt, its token unreadable,
// or the token expired with no refresh token to renew it.
func restorable(v string, now time.Time) *corpusSession {
	rec, err := decodeStored(v)
	if err != nil {
		return nil
	}
	s, err := sessionFromTokens(Tokens{Access: rec.Token, Refresh: rec.Refresh})
	if err != nil {
		return nil
	}
	if !s.ExpiresAt.IsZero() && now.Unix() > s.ExpiresAt.Unix() && s.RefreshToken == "" {
		return nil
	}
	opt := func(x string) *string {
		if x == "" {
			return nil
		}
		return &x
	}
	out := &corpusSession{Token: s.Token, RefreshToken: opt(s.RefreshToken), Namespace: opt(s.Namespace),
		Database: opt(s.Database), Access: opt(s.Access), ID: opt(s.ID)}
	if !s.ExpiresAt.IsZero() {
		ms := s.ExpiresAt.UnixMilli()
		out.ExpiresAt = &ms
	}
	return out
}

func jwtOf(header, claims string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(header)) + "." + enc([]byte(claims)) + ".c2lnbmF0dXJl"
}

// corpusRecords are the cases: what the sdk writes, and what it must refuse.
func corpusRecords() [][2]string {
	hs := `{"typ":"JWT","alg":"HS512"}`
	user := jwtOf(hs, `{"iat":1700000000,"nbf":1700000000,"exp":4102444800,"iss":"SurrealDB","NS":"surrealauth","DB":"demo","AC":"allusers","ID":"user:ada"}`)
	root := jwtOf(hs, `{"iat":1700000000,"exp":4102444800,"iss":"SurrealDB","ID":"root"}`)
	old := jwtOf(hs, `{"iat":1700000000,"exp":1700003600,"NS":"surrealauth","DB":"demo","AC":"refreshing","ID":"user:old"}`)
	forever := jwtOf(hs, `{"iat":1700000000,"NS":"surrealauth","DB":"demo","AC":"allusers","ID":"user:forever"}`)
	long := jwtOf(hs, `{"exp":4102444800,"https://surrealdb.com/ns":"n","https://surrealdb.com/database":"d","https://surrealdb.com/access":"a","ID":"","https://surrealdb.com/id":"user:long"}`)
	written := func(token, refresh string) string {
		s, err := sessionFromTokens(Tokens{Access: token, Refresh: refresh})
		if err != nil {
			panic(err)
		}
		return encodeStored(s)
	}
	return [][2]string{
		{"a record user, as the client writes it", written(user, "")},
		{"with a refresh token", written(user, "surreal-refresh-abc")},
		{"a system user (root): no namespace, database or access", written(root, "")},
		{"expired, no refresh token: nothing can renew it", written(old, "")},
		{"expired, with a refresh token: connect would refresh it", written(old, "surreal-refresh-old")},
		{"a token without exp", written(forever, "")},
		{"the long claim names, and an empty ID", written(long, "")},
		{"keys in another case, and members it does not know", `{"V":1,"TOKEN":"` + user + `","Refresh":"r","extra":[1,{"x":2}]}`},
		{"null members leave the field as it was", `{"v":1,"token":"` + user + `","refresh":null,"ac":null}`},
		{"the last of two tokens wins", `{"v":1,"token":"junk","token":"` + user + `"}`},
		{"not JSON", `{"v":1,"token":`},
		{"JSON null", `null`},
		{"an array", `[1]`},
		{"version 2", `{"v":2,"token":"` + user + `"}`},
		{"version as a string", `{"v":"1","token":"` + user + `"}`},
		{"no token", `{"v":1,"ns":"x"}`},
		{"an empty token", `{"v":1,"token":""}`},
		{"exp as a string", `{"v":1,"token":"` + user + `","exp":"soon"}`},
		{"a token of two segments", `{"v":1,"token":"eyJhbGciOiJIUzUxMiJ9.eyJleHAiOjF9"}`},
		{"a token whose algorithm is none", `{"v":1,"token":"` + jwtOf(`{"alg":"none"}`, `{"exp":4102444800,"ID":"user:x"}`) + `"}`},
		{"a token whose claims are not JSON", `{"v":1,"token":"eyJhbGciOiJIUzUxMiJ9.bm90IGpzb24.c2ln"}`},
		{"a token whose exp is not a number", `{"v":1,"token":"` + jwtOf(hs, `{"exp":"tomorrow","ID":"user:x"}`) + `"}`},
		{"standard base64 in the claims", `{"v":1,"token":"eyJhbGciOiJIUzUxMiJ9.e+/=.c2ln"}`},
	}
}

func TestStoredRecordCorpus(t *testing.T) {
	now := time.Unix(1800000000, 0) // 2027: "fresh" tokens expire in 2100, "old" ones in 2023
	var cases []corpusCase
	for _, c := range corpusRecords() {
		cases = append(cases, corpusCase{Name: c[0], Record: c[1], Want: restorable(c[1], now)})
	}
	got, err := json.MarshalIndent(map[string]any{
		"about": "Stored records and the session the sdk would restore from each (null: none), at now. Kept by sdk/stored_corpus_test.go (UPDATE_CORPUS=1 rewrites it); js/bindings.js's storedSession must agree (e2e/stored-session.test.mjs).",
		"now":   now.UnixMilli(),
		"cases": cases,
	}, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	file := filepath.Join("testdata", "stored-records.json")
	if os.Getenv("UPDATE_CORPUS") == "1" {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != string(got) {
		t.Fatalf("%s is not what the sdk makes of its records: run UPDATE_CORPUS=1 go test -run TestStoredRecordCorpus ./sdk/", file)
	}
	var restored int
	for _, c := range cases {
		if c.Want != nil {
			restored++
		}
	}
	if restored < 7 || len(cases)-restored < 12 {
		t.Fatalf("%d restorable, %d refused: the corpus lost its cases", restored, len(cases)-restored)
	}
}
