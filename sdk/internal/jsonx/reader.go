package jsonx

import (
	"errors"
	"strconv"
)

// ErrRange is the error of a number encoding/json would refuse to decode
// into an any (it overflows float64) or into an int64.
var ErrRange = errors.New("jsonx: number out of range")

// Kind is the type of a JSON value.
type Kind byte

// The kinds of JSON values.
const (
	Null Kind = iota + 1
	Bool
	Number
	String
	Array
	Object
)

// Reader walks a value that NewReader checked. Each value must be consumed
// by exactly one of its methods (Members and Elements for containers).
type Reader struct {
	data []byte
	pos  int
	buf  []byte // scratch for keys with escapes
}

// NewReader checks data as encoding/json checks a text before decoding it:
// one value with only whitespace around it, strings without control
// characters, nesting at most 10000 deep.
func NewReader(data []byte) (*Reader, error) {
	if err := check(data); err != nil {
		return nil, err
	}
	return &Reader{data: data}, nil
}

func (r *Reader) ws() {
	for r.pos < len(r.data) && isWS(r.data[r.pos]) {
		r.pos++
	}
}

// Kind is the kind of the next value.
func (r *Reader) Kind() Kind {
	r.ws()
	switch r.data[r.pos] {
	case 'n':
		return Null
	case 't', 'f':
		return Bool
	case '"':
		return String
	case '[':
		return Array
	case '{':
		return Object
	}
	return Number
}

// Members calls fn with the key of each member of the next value, an
// object, in order; fn must consume the member's value. The key is
// unquoted as encoding/json unquotes it and is valid until fn reads the
// value.
func (r *Reader) Members(fn func(key []byte) error) error {
	r.ws()
	r.pos++ // {
	for {
		r.ws()
		switch r.data[r.pos] {
		case '}':
			r.pos++
			return nil
		case ',':
			r.pos++
			r.ws()
		}
		raw := r.rawString()
		key := unquote(r.buf, raw)
		if len(raw) > 0 && len(key) > 0 && &key[0] != &raw[0] {
			r.buf = key
		}
		r.ws()
		r.pos++ // :
		if err := fn(key); err != nil {
			return err
		}
	}
}

// Elements calls fn once for each element of the next value, an array;
// fn must consume the element.
func (r *Reader) Elements(fn func() error) error {
	r.ws()
	r.pos++ // [
	for {
		r.ws()
		switch r.data[r.pos] {
		case ']':
			r.pos++
			return nil
		case ',':
			r.pos++
		}
		if err := fn(); err != nil {
			return err
		}
	}
}

// rawString consumes a string and returns the bytes between its quotes.
func (r *Reader) rawString() []byte {
	r.ws()
	start := r.pos + 1
	i := start
	for r.data[i] != '"' {
		if r.data[i] == '\\' {
			i++
		}
		i++
	}
	r.pos = i + 1
	return r.data[start:i]
}

// String consumes the next value, a string, unquoted as encoding/json does
// (invalid UTF-8 and lone surrogates become U+FFFD).
func (r *Reader) String() string {
	raw := r.rawString()
	return string(unquote(nil, raw))
}

// rawNumber consumes the next value, a number, and returns its text.
func (r *Reader) rawNumber() []byte {
	r.ws()
	start := r.pos
	for r.pos < len(r.data) && !isWS(r.data[r.pos]) && r.data[r.pos] != ',' && r.data[r.pos] != '}' && r.data[r.pos] != ']' {
		r.pos++
	}
	return r.data[start:r.pos]
}

// Float consumes the next value, a number, as encoding/json decodes a
// number into an any: ErrRange beyond float64.
func (r *Reader) Float() (float64, error) {
	f, err := strconv.ParseFloat(string(r.rawNumber()), 64)
	if err != nil {
		return 0, ErrRange
	}
	return f, nil
}

// Int consumes the next value, a number, as encoding/json decodes it into
// an int64 field: an integer literal only ("1.0" and "1e3" are refused).
func (r *Reader) Int() (int64, error) {
	n, err := strconv.ParseInt(string(r.rawNumber()), 10, 64)
	if err != nil {
		return 0, ErrRange
	}
	return n, nil
}

// Skip consumes the next value without looking at it, as encoding/json
// skips a member no struct field wants.
func (r *Reader) Skip() {
	_ = r.skip(false)
}

// SkipAny consumes the next value as decoding it into an any would, which
// refuses numbers beyond float64 anywhere in it (ErrRange).
func (r *Reader) SkipAny() error { return r.skip(true) }

func (r *Reader) skip(numbers bool) error {
	switch r.Kind() {
	case String:
		r.rawString()
	case Number:
		if numbers {
			if _, err := r.Float(); err != nil {
				return err
			}
		} else {
			r.rawNumber()
		}
	case Null, Bool:
		r.literal()
	case Array:
		return r.Elements(func() error { return r.skip(numbers) })
	case Object:
		return r.Members(func([]byte) error { return r.skip(numbers) })
	}
	return nil
}

// literal consumes true, false or null.
func (r *Reader) literal() {
	r.ws()
	switch r.data[r.pos] {
	case 'f':
		r.pos += 5
	default:
		r.pos += 4
	}
}

// Bool consumes the next value, true or false.
func (r *Reader) Bool() bool {
	v := r.data[r.pos] == 't'
	r.literal()
	return v
}

// SkipNull consumes the next value, null.
func (r *Reader) SkipNull() { r.literal() }
