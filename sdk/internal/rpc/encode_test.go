package rpc

import (
	"bytes"
	"errors"
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"
)

// In test builds only: the oracle encodes the types that replaced its own.
func (t Tag) MarshalCBOR() ([]byte, error) {
	return encMode.Marshal(cbor.Tag{Number: t.Number, Content: t.Content})
}

func (b BigInt) MarshalCBOR() ([]byte, error) {
	n := new(big.Int).SetBytes(b.Abs)
	if b.Neg {
		n.Neg(n)
	}
	return encMode.Marshal(n)
}

// TestEncoderMatchesOld: for every parameter type the sdk sends, the bytes
// are those the old encoder wrote. Maps have one key here: the old encoder
// wrote keys in Go's random map order, the new one sorts them.
func TestEncoderMatchesOld(t *testing.T) {
	u := UUID{0x01, 0x8f, 0x3a, 0x2b, 0xc4, 0xd5, 0x7e, 0x6f, 0x80, 0x91, 0xa2, 0xb3, 0xc4, 0xd5, 0xe6, 0xf7}
	values := []any{
		"", "root", "José ✓", int64(0), int64(23), int64(24), int64(-25), int64(1 << 40), int64(math.MinInt64), int64(math.MaxInt64),
		0, 42, -1, int8(-5), int16(300), int32(-70000), uint(7), uint8(255), uint16(65535), uint32(1 << 31), uint64(math.MaxUint64),
		1.5, 0.1, -0.0, math.NaN(), math.Inf(1), math.Inf(-1), float32(1.5), float32(math.NaN()), true, false, nil,
		[]any{}, []any{"a", int64(1), nil}, []any(nil), map[string]any{}, map[string]any{"email": "a@b.c"}, map[string]any(nil),
		[]byte{}, []byte{1, 2, 3}, []byte(nil), []string{"a", "b"}, []string(nil), map[string]string{"k": "v"},
		None{}, Table("user"), RecordID{"user", "abc"}, RecordID{"user", int64(1)}, RecordID{"user", []any{"a", int64(1)}},
		RecordID{"user", u}, u, Decimal("1.50"), Duration(90*time.Minute + 5), Duration(0),
		Tag{Number: 88, Content: []any{1.5, 2.5}}, BigInt{Abs: []byte{1, 0, 0, 0, 0, 0, 0, 0, 0}},
		BigInt{Neg: true, Abs: []byte{1, 0, 0, 0, 0, 0, 0, 0, 0}}, BigInt{Neg: true, Abs: []byte{1, 0, 0, 0, 0, 0, 0, 0, 1}},
		BigInt{Abs: []byte{5}}, BigInt{}, time.Time{},
	}
	for _, v := range values {
		got, err := Marshal(v)
		if err != nil {
			t.Errorf("%#v: %v", v, err)
			continue
		}
		want, err := oldMarshal(v)
		if err != nil {
			t.Fatalf("the old encoder: %#v: %v", v, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%#v: got %x, the old encoder wrote %x", v, got, want)
		}
	}
}

// TestEncoderTime: a datetime goes as SurrealDB's own form, tag 12
// [seconds, nanoseconds], where the old encoder wrote tag 0 RFC 3339 text
// in the value's zone (and failed outside years 0–9999). Both decoders read
// it back as the same instant.
func TestEncoderTime(t *testing.T) {
	at := time.Date(2024, 1, 2, 3, 4, 5, 6, time.FixedZone("x", 3600))
	got, err := Marshal(at)
	if err != nil {
		t.Fatal(err)
	}
	want := mustHex(t, "cc 82 1a65936f15 06")
	if !bytes.Equal(got, want) {
		t.Fatalf("got %x want %x", got, want)
	}
	for name, dec := range map[string]func([]byte) (any, error){"new": Unmarshal, "old": oldUnmarshal} {
		back, err := dec(got)
		if tm, ok := back.(time.Time); err != nil || !ok || !tm.Equal(at) {
			t.Errorf("%s decoder: %v, %v", name, back, err)
		}
	}
	far := time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC)
	if b, err := Marshal(far); err != nil {
		t.Fatalf("year 12000: %v", err)
	} else if back, _ := Unmarshal(b); !back.(time.Time).Equal(far) {
		t.Fatalf("year 12000 came back as %v", back)
	}
}

// TestSigninRequest: a whole request, decoded by the oracle, is what the old
// encoder sent; its bytes are stable from one call to the next.
func TestSigninRequest(t *testing.T) {
	params := []any{map[string]any{"NS": "surrealauth", "DB": "demo", "AC": "allusers", "email": "a@b.c", "password": "p", "age": int64(3)}}
	got, err := encodeRequest("7", "signin", params)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := encodeRequest("7", "signin", params)
	if !bytes.Equal(got, again) {
		t.Fatal("the same request encoded to different bytes")
	}
	old, _ := oldMarshal(oldRequest{ID: "7", Method: "signin", Params: params})
	a, err := oldUnmarshal(got)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := oldUnmarshal(old)
	if !same(fromOracle(a), fromOracle(b)) {
		t.Fatalf("got %#v\nold %#v", a, b)
	}
}

// TestEncoderRefuses: what the server cannot read, or cannot be written,
// fails with ErrUnsupportedValue and says where.
func TestEncoderRefuses(t *testing.T) {
	type custom struct{ A int }
	loop := []any{nil}
	loop[0] = loop
	for name, tc := range map[string]struct {
		params []any
		where  string
	}{
		"a struct":                      {[]any{map[string]any{"variables": map[string]any{"x": custom{}}}}, `params[0]["variables"]["x"]`},
		"a pointer":                     {[]any{"a", []any{new(string)}}, "params[1][0]"},
		"a negative duration":           {[]any{Duration(-time.Second)}, "params[0]"},
		"a value that refers to itself": {[]any{loop}, "params[0]"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := encodeRequest("1", "signin", tc.params)
			if !errors.Is(err, ErrUnsupportedValue) || !bytes.Contains([]byte(err.Error()), []byte("cannot encode "+tc.where)) {
				t.Fatalf("got %v, want ErrUnsupportedValue at %s", err, tc.where)
			}
		})
	}
}
