package rpc

import (
	"math"
	"unicode/utf8"
)

// Unmarshal decodes one CBOR data item into plain Go values:
//
//   - maps with text keys → map[string]any (duplicate keys are refused),
//     arrays → []any, text → string (valid UTF-8 only), bytes → []byte;
//   - integers → int64, or BigInt outside int64; floats of 16, 32 and 64
//     bits → float64; false/true → bool; null and undefined → nil;
//   - SurrealDB's tags → None, Table, RecordID, UUID, Decimal, Duration,
//     time.Time (UTC), or string for a duration in text (tag 13);
//     bignums (tags 2, 3) → BigInt; any other tag → Tag.
//
// Indefinite lengths are accepted. Nesting is bounded, and so is the total
// a message may decode into (see scan.go); a message over either is refused
// before anything is built.
func Unmarshal(data []byte) (any, error) {
	if err := scanOne(data); err != nil {
		return nil, err
	}
	b := builder{data: data}
	return b.value(true)
}

// scanOne checks that data is exactly one well-formed item within budget.
func scanOne(data []byte) error {
	s := newScanner(data, 0, true)
	if err := s.item(0); err != nil {
		return err
	}
	if s.pos != len(data) {
		return errTrailing
	}
	return nil
}

// builder turns scanned (well-formed, budgeted) data into values. It still
// checks bounds: it never trusts its input more than readHead does.
type builder struct {
	data []byte
	pos  int
}

// value decodes the next item. strip skips self-describe tags (55799) in
// front of it, as fxamacker/cbor does everywhere but inside a tag.
func (b *builder) value(strip bool) (any, error) {
	major, ai, arg, next, err := readHead(b.data, b.pos)
	for err == nil && strip && major == majorTag && arg == tagSelfDescribe {
		major, ai, arg, next, err = readHead(b.data, next)
	}
	if err != nil {
		return nil, err
	}
	b.pos = next
	switch major {
	case majorUint:
		if arg <= math.MaxInt64 {
			return int64(arg), nil
		}
		return BigInt{Abs: uint64Bytes(arg)}, nil
	case majorNint:
		if arg <= math.MaxInt64 {
			return -1 - int64(arg), nil
		}
		return BigInt{Neg: true, Abs: addOne(uint64Bytes(arg))}, nil
	case majorBytes:
		return b.bytes(ai, arg)
	case majorText:
		return b.text(ai, arg)
	case majorArray:
		return b.array(ai, arg)
	case majorMap:
		return b.object(ai, arg)
	case majorTag:
		return b.tagged(arg)
	}
	return simple(ai, arg)
}

// chunk returns the n bytes at pos.
func (b *builder) chunk(n uint64) ([]byte, error) {
	if n > uint64(len(b.data)-b.pos) {
		return nil, errTruncated
	}
	c := b.data[b.pos : b.pos+int(n)]
	b.pos += int(n)
	return c, nil
}

// str reads a string whose head was just read; every chunk of an
// indefinite-length text must be valid UTF-8 on its own (RFC 8949 §3.2.3).
func (b *builder) str(major, ai byte, arg uint64) ([]byte, error) {
	if ai != aiIndefinite {
		c, err := b.chunk(arg)
		if err == nil && major == majorText && !utf8.Valid(c) {
			err = errUTF8
		}
		return c, err
	}
	out := make([]byte, 0, b.indefinite(true))
	for {
		m, cai, n, next, err := readHead(b.data, b.pos)
		if err != nil {
			return nil, err
		}
		if m == majorSimple && cai == aiIndefinite {
			b.pos = next
			return out, nil
		}
		if m != major || cai == aiIndefinite {
			return nil, errSyntax
		}
		b.pos = next
		c, err := b.chunk(n)
		if err != nil {
			return nil, err
		}
		if major == majorText && !utf8.Valid(c) {
			return nil, errUTF8
		}
		out = append(out, c...)
	}
}

func (b *builder) bytes(ai byte, arg uint64) (any, error) {
	c, err := b.str(majorBytes, ai, arg)
	if err != nil {
		return nil, err
	}
	if ai == aiIndefinite {
		return c, nil // already a copy
	}
	return append(make([]byte, 0, len(c)), c...), nil
}

func (b *builder) text(ai byte, arg uint64) (any, error) {
	c, err := b.str(majorText, ai, arg)
	if err != nil {
		return nil, err
	}
	return string(c), nil
}

// atBreak consumes a break code if one is next.
func (b *builder) atBreak() bool {
	if b.pos < len(b.data) && b.data[b.pos] == breakCode {
		b.pos++
		return true
	}
	return false
}

// indefinite looks ahead to the break code of the indefinite-length item
// whose head was just read and returns how many items it holds (for a
// string: the total length of its chunks), so that its Go value is
// allocated once, at its size.
func (b *builder) indefinite(str bool) int {
	s := newScanner(b.data, b.pos, false)
	n := 0
	for s.pos < len(s.data) && s.data[s.pos] != breakCode {
		if str {
			_, _, arg, next, err := readHead(s.data, s.pos)
			if err != nil || arg > uint64(len(s.data)-next) {
				break
			}
			s.pos = next + int(arg)
			n += int(arg)
			continue
		}
		if s.item(0) != nil {
			break
		}
		n++
	}
	return n
}

func (b *builder) array(ai byte, arg uint64) (any, error) {
	if ai == aiIndefinite {
		out := make([]any, 0, b.indefinite(false))
		for !b.atBreak() {
			v, err := b.value(true)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	}
	if arg > uint64(len(b.data)-b.pos) {
		return nil, errTruncated
	}
	out := make([]any, int(arg))
	for i := range out {
		v, err := b.value(true)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func (b *builder) object(ai byte, arg uint64) (any, error) {
	n := 0
	if ai != aiIndefinite {
		if arg > uint64(len(b.data)-b.pos)/2 {
			return nil, errTruncated
		}
		n = int(arg)
	}
	hint := n
	if ai == aiIndefinite {
		hint = b.indefinite(false) / 2
	}
	m := make(map[string]any, hint)
	for i := 0; ai == aiIndefinite || i < n; i++ {
		if ai == aiIndefinite && b.atBreak() {
			break
		}
		k, err := b.key()
		if err != nil {
			return nil, err
		}
		v, err := b.value(true)
		if err != nil {
			return nil, err
		}
		if _, dup := m[k]; dup {
			return nil, errDupKey
		}
		m[k] = v
	}
	return m, nil
}

// key reads a map key: text only. SurrealDB's maps (objects, records,
// errors) have text keys, and a key of another type is a broken peer.
func (b *builder) key() (string, error) {
	major, ai, arg, next, err := readHead(b.data, b.pos)
	for err == nil && major == majorTag && arg == tagSelfDescribe {
		major, ai, arg, next, err = readHead(b.data, next)
	}
	if err != nil {
		return "", err
	}
	if major != majorText {
		return "", errKey
	}
	b.pos = next
	c, err := b.str(majorText, ai, arg)
	return string(c), err
}

func simple(ai byte, arg uint64) (any, error) {
	switch ai {
	case 20, 21:
		return ai == 21, nil
	case 22, 23: // null, undefined
		return nil, nil
	case 25:
		return float16(uint16(arg)), nil
	case 26:
		return float64(math.Float32frombits(uint32(arg))), nil
	case 27:
		return math.Float64frombits(arg), nil
	}
	return nil, errSimple
}

// float16 widens an IEEE 754 half-precision float exactly.
func float16(h uint16) float64 {
	exp, mant := int(h>>10)&0x1f, float64(h&0x3ff)
	var f float64
	switch exp {
	case 0:
		f = math.Ldexp(mant, -24)
	case 31:
		f = math.Inf(1)
		if mant != 0 {
			f = math.NaN()
		}
	default:
		f = math.Ldexp(mant+1024, exp-25)
	}
	if h&0x8000 != 0 {
		f = -f
	}
	return f
}
