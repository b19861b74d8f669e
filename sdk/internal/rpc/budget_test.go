package rpc

import (
	"bytes"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/fxamacker/cbor/v2"
)

// hostile is the reply of the finding: 7 MiB of empty maps, in arrays of a
// million each, within every per-item limit the old decoder had.
func hostile() []byte {
	const n = 1 << 20
	b := appendHead(nil, majorArray, 7)
	for range 7 {
		b = append(appendHead(b, majorArray, n), bytes.Repeat([]byte{0xa0}, n)...)
	}
	return b
}

// allocated runs fn and returns the bytes the heap gave out meanwhile
// (TotalAlloc counts every allocation, collected or not).
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestHostileReplyRefused: the 7 MiB reply of empty maps, which raised the
// native heap by 471 MiB through the old decoder, is refused before
// anything is built.
func TestHostileReplyRefused(t *testing.T) {
	data := hostile()
	var err error
	got := allocated(func() { _, err = Unmarshal(data) })
	if !errors.Is(err, errBudget) {
		t.Fatalf("got %v, want the budget error", err)
	}
	if got > 64<<10 {
		t.Fatalf("refusing it allocated %d bytes", got)
	}
	var heap runtime.MemStats
	runtime.ReadMemStats(&heap)
	t.Logf("refused after allocating %d bytes (heap in use %d MiB)", got, heap.HeapInuse>>20)
}

// TestBudgetEdges: what a budget allows and refuses, by items and bytes.
func TestBudgetEdges(t *testing.T) {
	ints := func(n int) []byte {
		b := appendHead(nil, majorArray, uint64(n))
		return append(b, bytes.Repeat([]byte{0x01}, n)...)
	}
	for name, tc := range map[string]struct {
		data []byte
		ok   bool
	}{
		"an array of 200k small ints":   {ints(200000), true},
		"an array of maxItems-1 ints":   {ints(maxItems - 1), true},
		"an array of maxItems ints":     {ints(maxItems), false},
		"a text of 8 MiB":               {appendText(nil, strings.Repeat("x", 8<<20)), true},
		"100k empty maps":               {append(appendHead(nil, majorArray, 100000), bytes.Repeat([]byte{0xa0}, 100000)...), true},
		"50k one-entry maps (by bytes)": {append(appendHead(nil, majorArray, 50000), bytes.Repeat([]byte{0xa1, 0x60, 0x01}, 50000)...), false},
		"a record of ordinary size":     {enc(t, map[string]any{"id": RecordID{"user", "abc"}, "email": "a@b.c", "roles": []any{"x"}}), true},
		"an indefinite flood of maps":   {append(append([]byte{0x9f}, bytes.Repeat([]byte{0xa0}, maxItems)...), 0xff), false},
		"a deep nest within the limit":  {append(bytes.Repeat([]byte{0x81}, maxDepth), 0x01), true},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Unmarshal(tc.data)
			if tc.ok && err != nil {
				t.Fatalf("refused: %v", err)
			}
			if !tc.ok && !errors.Is(err, errBudget) {
				t.Fatalf("got %v, want the budget error", err)
			}
		})
	}
}

// estimate is the scan pass's cost of data, and its verdict.
func estimate(data []byte) (int, error) {
	s := newScanner(data, 0, true)
	start := s.bytes
	err := s.item(0)
	if err == nil && s.pos != len(data) {
		err = errTrailing
	}
	return start - s.bytes, err
}

// TestBudgetCoversAllocation: for each shape SurrealDB sends, the scan's
// estimate is at least what decoding really allocates.
func TestBudgetCoversAllocation(t *testing.T) {
	const n = 1000
	many := func(e any) []any {
		a := make([]any, n)
		for i := range a {
			a[i] = e
		}
		return a
	}
	big := map[string]any{}
	for i := range 20 {
		big[strings.Repeat("k", i+1)] = i
	}
	shapes := map[string]any{
		"empty maps": many(map[string]any{}), "maps of one": many(map[string]any{"a": 1}), "maps of 20": many(big),
		"empty arrays": many([]any{}), "small ints": many(1), "ints": many(300), "big ints": many(uint64(1) << 63),
		"floats": many(1.5), "empty texts": many(""), "short texts": many("abcdefghij"), "a long text": strings.Repeat("x", 40000),
		"bytes": many([]byte("abcdefghij")), "NONE": many(cbor.Tag{Number: 6}), "tables": many(cbor.Tag{Number: 7, Content: "user"}),
		"record ids": many(cbor.Tag{Number: 8, Content: []any{"user", "abc"}}), "uuids": many(cbor.Tag{Number: 37, Content: make([]byte, 16)}),
		"datetimes": many(cbor.Tag{Number: 12, Content: []any{1700000000, 5}}), "durations": many(cbor.Tag{Number: 14, Content: []any{5, 1}}),
		"unknown tags": many(cbor.Tag{Number: 88, Content: []any{1, 2}}), "bignums": many(cbor.Tag{Number: 2, Content: make([]byte, 20)}),
		"decimals": many(cbor.Tag{Number: 10, Content: "1.5"}), "datetime texts": many(cbor.Tag{Number: 0, Content: "2024-01-01T00:00:00+02:00"}),
	}
	for name, v := range shapes {
		data, err := cbor.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		est, err := estimate(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var out any
		act := allocated(func() { out, err = Unmarshal(data) })
		runtime.KeepAlive(out)
		if err != nil || uint64(est) < act {
			t.Errorf("%s: estimated %d bytes, allocated %d (%v)", name, est, act, err)
		}
	}
}
