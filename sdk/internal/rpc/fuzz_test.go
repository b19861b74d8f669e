package rpc

import (
	"bytes"
	"errors"
	"math"
	"math/big"
	"testing"

	"github.com/fxamacker/cbor/v2"
)

// corpus is what SurrealDB sends and what a broken peer might: the seeds of
// the fuzz targets and the cases of TestDifferentialCorpus.
func corpus(t testing.TB) [][]byte {
	values := []any{
		map[string]any{"id": "1", "result": "eyJ0eXAiOiJKV1QifQ.e30.sig"},
		map[string]any{"id": "2", "result": map[string]any{"access": "a", "refresh": "surreal-refresh-x"}},
		map[string]any{"id": "3", "error": map[string]any{"code": -32002, "kind": "NotAllowed", "message": "m",
			"details": map[string]any{"kind": "Auth", "details": map[string]any{"kind": "InvalidAuth"}}, "cause": cbor.Tag{Number: 6}}},
		map[string]any{"id": "4", "result": map[string]any{"id": cbor.Tag{Number: 8, Content: []any{"user", "abc"}},
			"created": cbor.Tag{Number: 12, Content: []int64{1, 2}}, "ttl": cbor.Tag{Number: 14, Content: []int64{5}},
			"uid": cbor.Tag{Number: 37, Content: make([]byte, 16)}, "t": cbor.Tag{Number: 7, Content: "user"},
			"d": cbor.Tag{Number: 10, Content: "1.50"}, "u": cbor.Tag{Number: 9, Content: "018f3a2b-c4d5-7e6f-8091-a2b3c4d5e6f7"},
			"s": cbor.Tag{Number: 0, Content: "2024-01-02T03:04:05.5+01:00"}, "txt": cbor.Tag{Number: 13, Content: "1w2d"},
			"geo": cbor.Tag{Number: 88, Content: []float64{1.5, -2}}, "key": cbor.Tag{Number: 8, Content: "user:x"}}},
		map[string]any{"result": map[string]any{"action": "CREATE", "id": cbor.Tag{Number: 37, Content: make([]byte, 16)}}},
		[]any{uint64(math.MaxUint64), int64(math.MinInt64), new(big.Int).Lsh(big.NewInt(1), 70), new(big.Int).Neg(new(big.Int).Lsh(big.NewInt(1), 70))},
		[]any{math.NaN(), math.Inf(1), float32(1.5), 0.1, -0.0, true, false, nil, []byte{}, ""},
		cbor.Tag{Number: 14, Content: []int64{math.MinInt64, 0}},
		cbor.Tag{Number: 12, Content: []int64{math.MaxInt64, 0}},
	}
	var out [][]byte
	for _, v := range values {
		b, err := cbor.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	for _, h := range []string{
		"c6f6", "f7", "f93c00", "f97e00", "fa7f800000", "f0", "f820", "7f616161 62ff", "5f4101 4102ff", "9f0102ff", "bf616101ff",
		"d9d9f7 a16161d9d9f701", "c1 1a5f5e1000", "c1 fb41d7f0a6c0000000", "c1 6161", "c0 6161", "c2 40", "c3 4101", "c3 6161",
		"a2616101616102", "a1f601", "a1c66161 01", "a1 d9d9f7 6161 01", "a10101", "a1 7f6161ff 01", "81 81 81 81 01", "ff", "1c",
		"9bffffffffffffffff00", "c7 d9d9f7 6161", "d8 58 d9d9f7 6161", "cc 82 00 3a3b9ac9ff", "ce 82 3b7fffffffffffffff 00",
		"cc 81 1b7fffffffffffffff", "ce 80", "cc 80", "c8 82 6161 c8 82 6162 01", "c4 82 00 00",
	} {
		out = append(out, mustHexTB(t, h))
	}
	return out
}

func mustHexTB(t testing.TB, s string) []byte {
	b, err := hexBytes(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDifferentialCorpus: the new decoder against the oracle on the corpus,
// and every accepted value through an encode/decode round trip.
func TestDifferentialCorpus(t *testing.T) {
	for _, data := range corpus(t) {
		if d := differ(data); d != "" {
			t.Errorf("%x: %s", data, d)
		}
		if v, err := Unmarshal(data); err == nil {
			if d := roundTrip(v); d != "" {
				t.Errorf("%x: %s", data, d)
			}
		}
	}
}

// FuzzUnmarshal: on any input the decoder agrees with the oracle
// (fxamacker/cbor as this package configured it) as differ says, never
// panics, and whatever it accepts round-trips through Marshal.
func FuzzUnmarshal(f *testing.F) {
	for _, b := range corpus(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if d := differ(data); d != "" {
			t.Fatalf("%x: %s", data, d)
		}
		if v, err := Unmarshal(data); err == nil {
			if d := roundTrip(v); d != "" {
				t.Fatalf("%x: %s", data, d)
			}
		}
	})
}

// FuzzBudget: whatever the scan pass accepts, decoding allocates no more
// than it estimated (the budget is a real bound), and what it refuses
// allocates nothing.
func FuzzBudget(f *testing.F) {
	for _, b := range corpus(f) {
		f.Add(b, uint16(1))
	}
	f.Add([]byte{0xa0}, uint16(5000))
	f.Add([]byte{0xa1, 0x61, 0x61, 0x80}, uint16(3000))
	f.Fuzz(func(t *testing.T, unit []byte, n uint16) {
		// n copies of unit in an array: fuzzed shapes, at sizes that matter.
		data := appendHead(nil, majorArray, uint64(n))
		data = append(data, bytes.Repeat(unit, int(n))...)
		est, err := estimate(data)
		if err != nil {
			est = 0
		}
		// The least of three runs: other goroutines of the fuzzing engine
		// allocate too, and their noise only adds.
		var out any
		act := uint64(math.MaxUint64)
		for range 3 {
			act = min(act, allocated(func() { out, _ = Unmarshal(data) }))
		}
		const slack = 2 << 10 // the runtime's own noise, error values
		if act > uint64(est)+slack {
			t.Fatalf("%d × %x: estimated %d bytes, allocated %d (%#v)", n, unit, est, act, out)
		}
	})
}

// FuzzDispatch: any frame, for a call that waits and for none, is routed
// without panicking: the waiting call gets exactly one answer or the frame
// is refused as unroutable, and an unknown id never reaches a call.
func FuzzDispatch(f *testing.F) {
	for _, b := range corpus(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, frame []byte) {
		ch := make(chan reply, 1)
		c := &Conn{pending: map[string]chan reply{"1": ch, "2": make(chan reply, 1)}, done: make(chan struct{})}
		err := c.dispatch(frame)
		env, envErr := parseEnvelope(frame)
		switch {
		case err != nil:
			if env.id != "" || envErr == nil {
				t.Fatalf("%x: refused a routable frame: %v", frame, err)
			}
		case env.id == "1":
			r := <-ch
			if (r.err == nil) == (r.result == nil) {
				t.Fatalf("%x: answer %+v", frame, r)
			}
			var se *ServerError
			if r.err != nil && !errors.Is(r.err, ErrMalformedReply) && !errors.As(r.err, &se) {
				t.Fatalf("%x: untyped error %v", frame, r.err)
			}
		default:
			if len(ch) != 0 {
				t.Fatalf("%x: a frame for %q reached call 1", frame, env.id)
			}
		}
	})
}
