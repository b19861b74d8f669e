// Package jsonx reads and writes the little JSON the sdk handles, a JWT's
// header and claims and the stored session record, exactly as
// encoding/json reads and writes those shapes, but without reflect and
// without decoding into maps: the browser build links neither
// encoding/json nor fmt, and a token is scanned once, straight into the
// fields its reader wants.
//
// Reading is two steps: NewReader checks the whole text as encoding/json
// does before it decodes anything (syntax, nesting, trailing bytes), and the
// Reader then walks the checked value.
package jsonx

import "errors"

// ErrSyntax is the error of a text that is not one JSON value.
var ErrSyntax = errors.New("jsonx: invalid JSON")

// maxDepth is encoding/json's bound on nesting.
const maxDepth = 10000

// check validates data: one value, whitespace around it.
func check(data []byte) error {
	c := checker{data: data}
	c.ws()
	if err := c.value(0); err != nil {
		return err
	}
	c.ws()
	if c.pos != len(data) {
		return ErrSyntax
	}
	return nil
}

type checker struct {
	data []byte
	pos  int
}

func isWS(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

func (c *checker) ws() {
	for c.pos < len(c.data) && isWS(c.data[c.pos]) {
		c.pos++
	}
}

// next returns the next byte, or 0 at the end (never valid JSON there).
func (c *checker) next() byte {
	if c.pos < len(c.data) {
		return c.data[c.pos]
	}
	return 0
}

func (c *checker) value(depth int) error {
	switch b := c.next(); {
	case b == '{' || b == '[':
		if depth++; depth > maxDepth {
			return ErrSyntax
		}
		return c.container(b, depth)
	case b == '"':
		return c.str()
	case b == 't':
		return c.literal("true")
	case b == 'f':
		return c.literal("false")
	case b == 'n':
		return c.literal("null")
	case b == '-' || '0' <= b && b <= '9':
		return c.number()
	}
	return ErrSyntax
}

func (c *checker) container(open byte, depth int) error {
	closing := byte(']')
	if open == '{' {
		closing = '}'
	}
	c.pos++
	c.ws()
	if c.next() == closing {
		c.pos++
		return nil
	}
	for {
		if open == '{' {
			if c.next() != '"' {
				return ErrSyntax
			}
			if err := c.str(); err != nil {
				return err
			}
			c.ws()
			if c.next() != ':' {
				return ErrSyntax
			}
			c.pos++
			c.ws()
		}
		if err := c.value(depth); err != nil {
			return err
		}
		c.ws()
		switch c.next() {
		case ',':
			c.pos++
			c.ws()
		case closing:
			c.pos++
			return nil
		default:
			return ErrSyntax
		}
	}
}

func (c *checker) literal(word string) error {
	if len(c.data)-c.pos < len(word) || string(c.data[c.pos:c.pos+len(word)]) != word {
		return ErrSyntax
	}
	c.pos += len(word)
	return nil
}

// str checks a string: no control characters, only JSON's escapes. Bytes
// that are not UTF-8 pass, as in encoding/json (they decode to U+FFFD).
func (c *checker) str() error {
	c.pos++ // the opening quote
	for c.pos < len(c.data) {
		b := c.data[c.pos]
		switch {
		case b == '"':
			c.pos++
			return nil
		case b < 0x20:
			return ErrSyntax
		case b == '\\':
			if c.pos+1 >= len(c.data) {
				return ErrSyntax
			}
			switch c.data[c.pos+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				c.pos += 2
			case 'u':
				if hex4(c.data[c.pos+2:]) < 0 {
					return ErrSyntax
				}
				c.pos += 6
			default:
				return ErrSyntax
			}
		default:
			c.pos++
		}
	}
	return ErrSyntax
}

func digits(data []byte, pos int) int {
	for pos < len(data) && '0' <= data[pos] && data[pos] <= '9' {
		pos++
	}
	return pos
}

// number checks -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (c *checker) number() error {
	if c.next() == '-' {
		c.pos++
	}
	switch b := c.next(); {
	case b == '0':
		c.pos++
	case '1' <= b && b <= '9':
		c.pos = digits(c.data, c.pos)
	default:
		return ErrSyntax
	}
	if c.next() == '.' {
		end := digits(c.data, c.pos+1)
		if end == c.pos+1 {
			return ErrSyntax
		}
		c.pos = end
	}
	if b := c.next(); b == 'e' || b == 'E' {
		c.pos++
		if b := c.next(); b == '+' || b == '-' {
			c.pos++
		}
		end := digits(c.data, c.pos)
		if end == c.pos {
			return ErrSyntax
		}
		c.pos = end
	}
	return nil
}

// hex4 reads four hex digits, or returns -1.
func hex4(b []byte) rune {
	if len(b) < 4 {
		return -1
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}
