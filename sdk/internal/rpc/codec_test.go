package rpc

import (
	"bytes"
	"encoding/hex"
	"math"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"
)

// enc is Marshal for tests: the value must encode.
func enc(t testing.TB, v any) []byte {
	t.Helper()
	b, err := Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rawMap writes a definite map from encoded keys and values, duplicates
// and all.
func rawMap(pairs ...[]byte) []byte {
	b := appendHead(nil, majorMap, uint64(len(pairs)/2))
	for _, p := range pairs {
		b = append(b, p...)
	}
	return b
}

// hexBytes reads hex with spaces between items.
func hexBytes(s string) ([]byte, error) { return hex.DecodeString(strings.ReplaceAll(s, " ", "")) }

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hexBytes(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPingBytes checks the request bytes against those recorded from 3.0.2
// ({id:"1", method:"ping"}, see docs/protocol.md#transport) plus the empty
// params array every request carries, and against the old encoder.
func TestPingBytes(t *testing.T) {
	got, err := encodeRequest("1", "ping", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := mustHex(t, "a3626964613166"+"6d6574686f64"+"6470696e67"+"66706172616d73"+"80")
	if !bytes.Equal(got, want) {
		t.Fatalf("got %x want %x", got, want)
	}
	old, _ := oldMarshal(oldRequest{ID: "1", Method: "ping", Params: []any{}})
	if !bytes.Equal(got, old) {
		t.Fatalf("got %x, the old encoder wrote %x", got, old)
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
		{"unknown tag kept", enc(cbor.Tag{Number: 88, Content: []float64{1, 2}}), Tag{Number: 88, Content: []any{1.0, 2.0}}},
		{"epoch tag 1 is not SurrealDB's: kept", enc(cbor.Tag{Number: 1, Content: 5}), Tag{Number: 1, Content: int64(5)}},
		{"duration at time.Duration's end", enc(cbor.Tag{Number: 14, Content: []int64{math.MaxInt64 / int64(time.Second), math.MaxInt64 % int64(time.Second)}}), Duration(math.MaxInt64)},
		{"datetime at chrono's start", enc(cbor.Tag{Number: 12, Content: []int64{minDatetime}}), time.Date(-262144, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"datetime at chrono's end", enc(cbor.Tag{Number: 12, Content: []int64{maxDatetime, 999999999}}), time.Date(262143, 12, 31, 23, 59, 59, 999999999, time.UTC)},
		{"datetime text with an offset, in UTC", enc(cbor.Tag{Number: 0, Content: "2024-01-02T05:04:05+02:00"}), time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)},
		{"uint beyond int64", mustHex(t, "1bffffffffffffffff"), BigInt{Abs: []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}},
		{"nint beyond int64", mustHex(t, "3bffffffffffffffff"), BigInt{Neg: true, Abs: []byte{1, 0, 0, 0, 0, 0, 0, 0, 0}}},
		{"bignum", mustHex(t, "c2490100000000000000ff"), BigInt{Abs: []byte{1, 0, 0, 0, 0, 0, 0, 0, 0xff}}},
		{"float16", mustHex(t, "f93e00"), 1.5},
		{"float32", mustHex(t, "fa3fc00000"), 1.5},
		{"undefined is null", mustHex(t, "f7"), nil},
		{"indefinite text", mustHex(t, "7f 626162 6163 ff"), "abc"},
		{"indefinite map and array", mustHex(t, "bf6161 9f01ff ff"), map[string]any{"a": []any{int64(1)}}},
		{"self-describe tag skipped", mustHex(t, "d9d9f7 6161"), "a"},
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
		"uuid of 3 bytes":                           enc(cbor.Tag{Number: 37, Content: []byte{1, 2, 3}}),
		"record id no colon":                        enc(cbor.Tag{Number: 8, Content: "user"}),
		"record id 3 parts":                         enc(cbor.Tag{Number: 8, Content: []any{"a", "b", "c"}}),
		"datetime as text":                          enc(cbor.Tag{Number: 12, Content: "yesterday"}),
		"duration overflow":                         enc(cbor.Tag{Number: 14, Content: []int64{1 << 62}}),
		"duration past time.Duration's end":         enc(cbor.Tag{Number: 14, Content: []int64{math.MaxInt64 / int64(time.Second), math.MaxInt64%int64(time.Second) + 1}}),
		"duration MinInt64 seconds (wrapped to 0s)": enc(cbor.Tag{Number: 14, Content: []int64{math.MinInt64, 0}}),
		"duration negative seconds":                 enc(cbor.Tag{Number: 14, Content: []int64{-1}}),
		"duration negative nanoseconds":             enc(cbor.Tag{Number: 14, Content: []int64{1, -1}}),
		"duration nanoseconds of a second":          enc(cbor.Tag{Number: 14, Content: []int64{0, 1e9}}),
		"duration seconds beyond uint64":            enc(cbor.Tag{Number: 14, Content: []any{new(big.Int).Lsh(big.NewInt(1), 64)}}),
		"datetime before chrono":                    enc(cbor.Tag{Number: 12, Content: []int64{minDatetime - 1}}),
		"datetime after chrono":                     enc(cbor.Tag{Number: 12, Content: []int64{maxDatetime + 1}}),
		"datetime MaxInt64 seconds":                 enc(cbor.Tag{Number: 12, Content: []int64{math.MaxInt64}}),
		"datetime negative nanoseconds":             enc(cbor.Tag{Number: 12, Content: []int64{5, -1}}),
		"datetime nanoseconds of a second":          enc(cbor.Tag{Number: 12, Content: []int64{5, 1e9}}),
		"datetime text not RFC 3339":                enc(cbor.Tag{Number: 0, Content: "2024-01-02"}),
		"datetime tag 0 over a number":              enc(cbor.Tag{Number: 0, Content: 5}),
		"bignum over text":                          enc(cbor.Tag{Number: 2, Content: "1"}),
		"map key not text":                          mustHex(t, "a10101"),
		"map key null":                              mustHex(t, "a1f601"),
		"simple value 16":                           mustHex(t, "f0"),
		"reserved ai":                               mustHex(t, "1c"),
		"break outside":                             mustHex(t, "ff"),
		"trailing bytes":                            mustHex(t, "0101"),
		"indefinite int":                            mustHex(t, "1f"),
		"mixed chunks":                              mustHex(t, "7f4161ff"),
		"nested chunk":                              mustHex(t, "7f7f6161ffff"),
		"odd indefinite map":                        mustHex(t, "bf6161ff"),
		"array count lies":                          mustHex(t, "9bffffffffffffffff00"),
		"65 levels":                                 append(bytes.Repeat([]byte{0x81}, 65), 0x01),
		"empty":                                     {},
		"table not text":                            enc(cbor.Tag{Number: 7, Content: 5}),
		"truncated":                                 {0xa2, 0x62},
		"invalid utf8":                              {0x62, 0xff, 0xfe},
		"duplicate map keys":                        mustHex(t, "a2616101616102"),
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
		{RecordID{"user", []any{"a", int64(1)}}, "user:['a', 1]"},
		{RecordID{"user", map[string]any{"b": "x'y", "a": int64(2)}}, `user:{ a: 2, b: 'x\'y' }`},
		{RecordID{"user", UUID{0x01, 0x8f}}, "user:u'018f0000-0000-0000-0000-000000000000'"},
		{RecordID{"user", BigInt{Abs: []byte{1, 0, 0, 0, 0, 0, 0, 0, 0}}}, "user:18446744073709551616"},
	} {
		if got := tc.r.String(); got != tc.want {
			t.Errorf("%#v: %q want %q", tc.r, got, tc.want)
		}
	}
}
