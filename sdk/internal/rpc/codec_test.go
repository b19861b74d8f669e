package rpc

import (
	"bytes"
	"encoding/hex"
	"reflect"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"
)

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPingBytes checks the wire bytes PROTOCOL.md §1.2 recorded from 3.0.2.
func TestPingBytes(t *testing.T) {
	// A struct, not a map: Go maps have no order, the recorded bytes do.
	got, err := Marshal(struct {
		ID     string `cbor:"id"`
		Method string `cbor:"method"`
	}{"1", "ping"})
	if err != nil {
		t.Fatal(err)
	}
	want := mustHex(t, "a2626964613166"+"6d6574686f64"+"6470696e67")
	if !bytes.Equal(got, want) {
		t.Fatalf("got %x want %x", got, want)
	}
	v, err := Unmarshal([]byte{0xc6, 0xf6})
	if err != nil || v != (None{}) {
		t.Fatalf("NONE decoded as %#v, %v", v, err)
	}
	v, err = Unmarshal([]byte{0xf6})
	if err != nil || v != nil {
		t.Fatalf("null decoded as %#v, %v", v, err)
	}
}

// TestTagsRoundTrip encodes each SurrealDB value, decodes it back and also
// decodes the forms the 3.0.2 engine emits.
func TestTagsRoundTrip(t *testing.T) {
	u := UUID{0x01, 0x8f, 0x3a, 0x2b, 0xc4, 0xd5, 0x7e, 0x6f, 0x80, 0x91, 0xa2, 0xb3, 0xc4, 0xd5, 0xe6, 0xf7}
	values := []any{
		None{},
		Table("user"),
		RecordID{Table: "user", ID: "or0gi2axjl7pils72v3w"},
		RecordID{Table: "user", ID: int64(1)},
		RecordID{Table: "user", ID: []any{"a", int64(1)}},
		RecordID{Table: "user", ID: u},
		u,
		Decimal("1.5"),
		Duration(90*time.Minute + 5),
	}
	for _, v := range values {
		b, err := Marshal(v)
		if err != nil {
			t.Fatalf("%#v: %v", v, err)
		}
		got, err := Unmarshal(b)
		if err != nil {
			t.Fatalf("%#v: %v", v, err)
		}
		if !reflect.DeepEqual(got, v) {
			t.Errorf("round trip %#v -> %x -> %#v", v, b, got)
		}
	}
}

func TestEngineForms(t *testing.T) {
	enc := func(v any) []byte {
		b, err := cbor.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cases := []struct {
		name string
		in   []byte
		want any
	}{
		{"datetime tag 12", enc(cbor.Tag{Number: 12, Content: []int64{1704164645, 500000000}}), time.Unix(1704164645, 500000000).UTC()},
		{"datetime tag 12 seconds only", enc(cbor.Tag{Number: 12, Content: []int64{1704164645}}), time.Unix(1704164645, 0).UTC()},
		{"datetime tag 0", enc(cbor.Tag{Number: 0, Content: "2024-01-02T03:04:05.5Z"}), time.Date(2024, 1, 2, 3, 4, 5, 500000000, time.UTC)},
		{"duration tag 14 seconds", enc(cbor.Tag{Number: 14, Content: []int64{5400}}), Duration(90 * time.Minute)},
		{"duration tag 14 empty", enc(cbor.Tag{Number: 14, Content: []int64{}}), Duration(0)},
		{"uuid text tag 9", enc(cbor.Tag{Number: 9, Content: "018f3a2b-c4d5-7e6f-8091-a2b3c4d5e6f7"}), UUID{0x01, 0x8f, 0x3a, 0x2b, 0xc4, 0xd5, 0x7e, 0x6f, 0x80, 0x91, 0xa2, 0xb3, 0xc4, 0xd5, 0xe6, 0xf7}},
		{"record id as text", enc(cbor.Tag{Number: 8, Content: "user:abc"}), RecordID{Table: "user", ID: "abc"}},
		{"unknown tag kept", enc(cbor.Tag{Number: 88, Content: []float64{1, 2}}), cbor.Tag{Number: 88, Content: []any{1.0, 2.0}}},
		{
			"info record",
			enc(map[string]any{"email": "a@b.c", "id": cbor.Tag{Number: 8, Content: []any{"user", "or0gi"}}, "created": cbor.Tag{Number: 12, Content: []int64{1, 0}}, "gone": cbor.Tag{Number: 6, Content: nil}}),
			map[string]any{"email": "a@b.c", "id": RecordID{Table: "user", ID: "or0gi"}, "created": time.Unix(1, 0).UTC(), "gone": None{}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Unmarshal(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %#v want %#v", got, tc.want)
			}
		})
	}
}

func TestMalformedTags(t *testing.T) {
	enc := func(v any) []byte { b, _ := cbor.Marshal(v); return b }
	for name, in := range map[string][]byte{
		"uuid of 3 bytes":    enc(cbor.Tag{Number: 37, Content: []byte{1, 2, 3}}),
		"record id no colon": enc(cbor.Tag{Number: 8, Content: "user"}),
		"record id 3 parts":  enc(cbor.Tag{Number: 8, Content: []any{"a", "b", "c"}}),
		"datetime as text":   enc(cbor.Tag{Number: 12, Content: "yesterday"}),
		"duration overflow":  enc(cbor.Tag{Number: 14, Content: []int64{1 << 62}}),
		"table not text":     enc(cbor.Tag{Number: 7, Content: 5}),
		"truncated":          {0xa2, 0x62},
		"invalid utf8":       {0x62, 0xff, 0xfe},
		"duplicate map keys": mustHex(t, "a2616101616102"),
	} {
		t.Run(name, func(t *testing.T) {
			if v, err := Unmarshal(in); err == nil {
				t.Fatalf("accepted as %#v", v)
			}
		})
	}
}

func TestRecordIDString(t *testing.T) {
	for _, tc := range []struct {
		r    RecordID
		want string
	}{
		{RecordID{"user", "abc"}, "user:abc"},
		{RecordID{"user", int64(42)}, "user:42"},
		{RecordID{"user", "a b"}, "user:`a b`"},
		{RecordID{"user", "José"}, "user:`José`"},
		{RecordID{"user", "123"}, "user:`123`"},
	} {
		if got := tc.r.String(); got != tc.want {
			t.Errorf("%#v: %q want %q", tc.r, got, tc.want)
		}
	}
}
