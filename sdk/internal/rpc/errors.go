package rpc

import (
	"errors"
	"strconv"
)

var (
	// ErrClosed is returned by calls on a connection that is closed or died.
	ErrClosed = errors.New("rpc: connection closed")
	// ErrSubprotocol means the server did not agree to the cbor subprotocol.
	ErrSubprotocol = errors.New("rpc: server did not accept the cbor subprotocol")
	// ErrUnsupported means the platform cannot open a WebSocket (no global WebSocket in js/wasm).
	ErrUnsupported = errors.New("rpc: WebSocket is not available on this platform")
	// ErrMalformedReply is the error of a call whose reply arrived but could
	// not be read: an error object whose code is not an integer, a duplicate
	// key, a reply with neither result nor error, bytes that are not CBOR.
	// The call fails at once; the connection lives on.
	ErrMalformedReply = errors.New("rpc: the server's reply is malformed")
	// ErrProtocol is why a connection is closed when a frame cannot even be
	// matched to a call (see Conn's read loop): the connection's error wraps
	// both it and ErrClosed.
	ErrProtocol = errors.New("rpc: the server broke the protocol")
)

// maxMessage bounds one WebSocket message, in the browser as natively.
// coder/websocket's default of 32 KiB is too small for an info() record with
// a few large fields; more than this is no reply an auth client needs.
const maxMessage = 8 << 20

// ServerError is an error object as the server sent it. 1.x and 2.x send only
// code and message; 3.x adds kind, details (which may nest {kind, details})
// and cause (see docs/protocol.md#errors). Details and Cause hold values as
// Unmarshal decodes them.
type ServerError struct {
	Code    int64
	Message string
	Kind    string
	Details any
	Cause   any
}

func (e *ServerError) Error() string {
	s := "surrealdb error " + strconv.FormatInt(e.Code, 10)
	if e.Kind != "" {
		s += " (" + e.Kind + ")"
	}
	return s + ": " + e.Message
}

// DetailKinds lists the kinds from the outside in: kind, details.kind,
// details.details.kind, … Classification reads the innermost one first.
func (e *ServerError) DetailKinds() []string {
	var kinds []string
	if e.Kind != "" {
		kinds = append(kinds, e.Kind)
	}
	d := e.Details
	for depth := 0; depth < 8; depth++ {
		m, ok := d.(map[string]any)
		if !ok {
			break
		}
		if k, ok := m["kind"].(string); ok {
			kinds = append(kinds, k)
		}
		d = m["details"]
	}
	return kinds
}

// wrapped is an error that is both a sentinel and a cause: errors.Is finds
// either, and the text reads "sentinel: cause".
type wrapped struct {
	sentinel error
	cause    error
}

func (e *wrapped) Error() string {
	if e.cause == nil {
		return e.sentinel.Error()
	}
	return e.sentinel.Error() + ": " + e.cause.Error()
}

func (e *wrapped) Is(target error) bool { return target == e.sentinel }
func (e *wrapped) Unwrap() error        { return e.cause }

func wrap(sentinel, cause error) error { return &wrapped{sentinel: sentinel, cause: cause} }

// malformed is the error of a call whose reply cannot be read.
func malformed(cause error) error { return wrap(ErrMalformedReply, cause) }

// reason is an error that is only text.
type reason string

func (r reason) Error() string { return string(r) }
