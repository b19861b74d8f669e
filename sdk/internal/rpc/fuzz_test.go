package rpc

import (
	"testing"

	"github.com/fxamacker/cbor/v2"
)

// FuzzUnmarshal feeds the response decoder arbitrary bytes: it must return
// a value or an error, never panic or hang, and whatever it accepts must
// encode again.
func FuzzUnmarshal(f *testing.F) {
	seeds := []any{
		map[string]any{"id": "1", "result": "eyJ0eXAiOiJKV1QifQ.e30.sig"},
		map[string]any{"id": "2", "result": map[string]any{"access": "a", "refresh": "surreal-refresh-x"}},
		map[string]any{"id": "3", "error": map[string]any{"code": -32002, "kind": "NotAllowed", "message": "m",
			"details": map[string]any{"kind": "Auth", "details": map[string]any{"kind": "InvalidAuth"}}, "cause": cbor.Tag{Number: 6}}},
		map[string]any{"id": "4", "result": map[string]any{"id": cbor.Tag{Number: 8, Content: []any{"user", "abc"}},
			"created": cbor.Tag{Number: 12, Content: []int64{1, 2}}, "ttl": cbor.Tag{Number: 14, Content: []int64{5}},
			"uid": cbor.Tag{Number: 37, Content: make([]byte, 16)}, "t": cbor.Tag{Number: 7, Content: "user"}}},
	}
	for _, s := range seeds {
		b, err := cbor.Marshal(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte{0xc6, 0xf6})
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Unmarshal(data)
		if err != nil {
			return
		}
		if _, err := Marshal(v); err != nil {
			t.Fatalf("decoded %#v but cannot encode it: %v", v, err)
		}
		var res response
		_ = decMode.Unmarshal(data, &res)
		_ = idString(res.ID)
		if res.Error != nil {
			_ = res.Error.DetailKinds()
		}
	})
}
