package rpc

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// envelope is where a reply's parts sit in its frame. Routing reads only
// the id; the result and the error stay raw until a waiting call wants
// them, so a reply for a call that gave up is never decoded.
type envelope struct {
	id     string // "" when absent or of a type no request of ours has
	result []byte // the raw result item, nil when absent
	errObj []byte // the raw error item, nil when absent, null or NONE
}

// parseEnvelope reads a frame's top-level map. On error, whatever was read
// before it is still returned: a broken frame whose id came first can still
// fail its call. A second id is an error with no id: it cannot be routed.
func parseEnvelope(frame []byte) (envelope, error) {
	var env envelope
	major, ai, arg, pos, err := readHead(frame, 0)
	if err != nil {
		return env, err
	}
	if major != majorMap {
		return env, reason("rpc: a frame that is not a map")
	}
	var seen [3]bool // id, result, error
	for i := uint64(0); ai == aiIndefinite || i < arg; i++ {
		if ai == aiIndefinite && pos < len(frame) && frame[pos] == breakCode {
			pos++
			break
		}
		key, next, err := envelopeKey(frame, pos)
		if err != nil {
			return env, err
		}
		s := newScanner(frame, next, false)
		if err := s.item(1); err != nil {
			return env, err
		}
		item := frame[next:s.pos]
		pos = s.pos
		k := slot(key)
		if k < 0 {
			continue // "session", or a key a later server adds
		}
		if seen[k] {
			if k == 0 {
				env.id = ""
			}
			return env, errDupKey
		}
		seen[k] = true
		env.set(k, item)
	}
	if pos != len(frame) {
		return env, errTrailing
	}
	return env, nil
}

// envelopeKey reads a top-level key without allocating in the usual case.
func envelopeKey(frame []byte, pos int) ([]byte, int, error) {
	major, ai, arg, next, err := readHead(frame, pos)
	if err == nil && major == majorText && ai != aiIndefinite && arg <= uint64(len(frame)-next) {
		end := next + int(arg)
		if !utf8.Valid(frame[next:end]) {
			return nil, end, errUTF8
		}
		return frame[next:end], end, nil
	}
	b := builder{data: frame, pos: pos}
	key, err := b.key()
	return []byte(key), b.pos, err
}

func slot(key []byte) int {
	switch string(key) {
	case "id":
		return 0
	case "result":
		return 1
	case "error":
		return 2
	}
	return -1
}

func (env *envelope) set(k int, item []byte) {
	switch k {
	case 0:
		env.id = idString(item)
	case 1:
		env.result = item
	case 2:
		if !isNull(item) {
			env.errObj = item
		}
	}
}

// isNull: null, undefined and NONE all mean "no error", as they did when
// the error was decoded into a pointer.
func isNull(item []byte) bool {
	switch string(item) {
	case "\xf6", "\xf7", "\xc6\xf6", "\xc6\xf7":
		return true
	}
	return false
}

// idString reads an id as our requests carry it (text) or as a server
// might echo it (an integer).
func idString(item []byte) string {
	major, ai, arg, next, err := readHead(item, 0)
	if err != nil || ai == aiIndefinite {
		return ""
	}
	switch major {
	case majorText:
		if arg != uint64(len(item)-next) {
			return ""
		}
		return string(item[next:])
	case majorUint:
		return strconv.FormatUint(arg, 10)
	case majorNint:
		if arg <= math.MaxInt64 {
			return strconv.FormatInt(-1-int64(arg), 10)
		}
	}
	return ""
}

// decodeServerError reads an error object: code an integer, message and
// kind text (each may be missing, null or NONE), details and cause any
// value. Anything else is malformed.
func decodeServerError(item []byte) (*ServerError, error) {
	v, err := Unmarshal(item)
	if err != nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, reason("rpc: the error is not a map")
	}
	se := &ServerError{Details: m["details"], Cause: m["cause"]}
	switch c := m["code"].(type) {
	case nil, None:
	case int64:
		se.Code = c
	default:
		return nil, reason("rpc: error.code is not an integer")
	}
	if se.Message, ok = text(m["message"]); !ok {
		return nil, reason("rpc: error.message is not text")
	}
	if se.Kind, ok = text(m["kind"]); !ok {
		return nil, reason("rpc: error.kind is not text")
	}
	return se, nil
}

func text(v any) (string, bool) {
	switch s := v.(type) {
	case nil, None:
		return "", true
	case string:
		return s, true
	}
	return "", false
}
