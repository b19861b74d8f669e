package rpc

import (
	"strings"
	"testing"
	"time"
)

// The codec's cost per call, new against old (fxamacker/cbor as this
// package configured it): `go test -run '^$' -bench . -benchmem ./sdk/internal/rpc`.

var signinParams = []any{map[string]any{
	"NS": "surrealauth", "DB": "demo", "AC": "allusers", "email": "someone@example.com", "password": "correct horse battery staple",
}}

func BenchmarkEncodeSignin(b *testing.B) {
	b.Run("new", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if _, err := encodeRequest("17", "signin", signinParams); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("old", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if _, err := oldMarshal(oldRequest{ID: "17", Method: "signin", Params: signinParams}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// token is the size of a 3.x record-access token.
var token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzUxMiJ9." + strings.Repeat("eyJpYXQiOjE3MDAwMDAwMDAsIm5iZiI6MTcwMDAwMDAwMCwiZXhwIjoxNzAwMDAzNjAw", 6) + ".c2lnbmF0dXJl"

// benchReply decodes one reply frame as the read loop and the sdk do: the
// envelope, then the result.
func benchReply(b *testing.B, frame []byte) {
	b.Run("new", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			env, err := parseEnvelope(frame)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := Unmarshal(env.result); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("old", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			var res oldResponse
			if err := decMode.Unmarshal(frame, &res); err != nil {
				b.Fatal(err)
			}
			if _, err := oldUnmarshal(res.Result); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkDecodeSigninReply(b *testing.B) {
	frame, _ := Marshal(map[string]any{"id": "17", "result": token})
	benchReply(b, frame)
}

func BenchmarkDecodeRefreshPair(b *testing.B) {
	frame, _ := Marshal(map[string]any{"id": "17", "result": map[string]any{"access": token, "refresh": "surreal-refresh-abcdefghijkl-abcdefghijklmnopqrstuvwx"}})
	benchReply(b, frame)
}

func BenchmarkDecodeInfoRecord(b *testing.B) {
	frame, _ := Marshal(map[string]any{"id": "17", "result": map[string]any{
		"id": RecordID{"user", "or0gi2axjl7pils72v3w"}, "email": "someone@example.com",
		"created": time.Date(2024, 1, 2, 3, 4, 5, 500000000, time.UTC), "roles": []any{"viewer", "editor"},
		"settings": map[string]any{"theme": "dark", "lang": "fr"}, "visits": int64(1234), "gone": None{},
	}})
	benchReply(b, frame)
}
