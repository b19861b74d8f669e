package jsonx

import (
	"unicode/utf16"
	"unicode/utf8"
)

// unquote decodes the checked, still escaped bytes of a string exactly as
// encoding/json decodes strings: escapes resolved, a surrogate pair joined,
// a lone surrogate and every byte that is not UTF-8 replaced by U+FFFD.
// Without escapes or bad bytes it returns raw itself, so that a plain key
// costs nothing; else it decodes into scratch (reusing its memory).
func unquote(scratch, raw []byte) []byte {
	i := 0
	for i < len(raw) {
		c := raw[i]
		if c == '\\' {
			break
		}
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(raw[i:])
		if r == utf8.RuneError && size == 1 {
			break
		}
		i += size
	}
	if i == len(raw) {
		return raw
	}
	dst := append(scratch[:0], raw[:i]...)
	for i < len(raw) {
		switch c := raw[i]; {
		case c == '\\':
			var n int
			dst, n = appendEscape(dst, raw[i:])
			i += n
		case c < utf8.RuneSelf:
			dst = append(dst, c)
			i++
		default:
			r, size := utf8.DecodeRune(raw[i:])
			dst = utf8.AppendRune(dst, r) // RuneError for a bad byte
			i += size
		}
	}
	return dst
}

// appendEscape decodes the escape at the start of s and returns how many
// bytes it took.
func appendEscape(dst, s []byte) ([]byte, int) {
	switch s[1] {
	case 'b':
		return append(dst, '\b'), 2
	case 'f':
		return append(dst, '\f'), 2
	case 'n':
		return append(dst, '\n'), 2
	case 'r':
		return append(dst, '\r'), 2
	case 't':
		return append(dst, '\t'), 2
	case 'u':
	default: // " \ /
		return append(dst, s[1]), 2
	}
	r := hex4(s[2:])
	if utf16.IsSurrogate(r) {
		if len(s) >= 12 && s[6] == '\\' && s[7] == 'u' {
			if pair := utf16.DecodeRune(r, hex4(s[8:])); pair != utf8.RuneError {
				return utf8.AppendRune(dst, pair), 12
			}
		}
		r = utf8.RuneError
	}
	return utf8.AppendRune(dst, r), 6
}
