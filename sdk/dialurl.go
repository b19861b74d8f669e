package sdk

import (
	"context"
	"errors"
	"strings"

	"github.com/surrealauth/surrealauth/sdk/internal/rpc"
)

// checkURL refuses, before anything is dialled, a URL that is not ws:// or
// wss:// with a host, and says what to write instead. It is not rewritten:
// a missing scheme would otherwise end up as a path, or http:// be quietly
// taken for ws://. It reads only the scheme and the host, by hand rather
// than with net/url, which would add 170 KB to the browser build; the
// dialler (the browser's WebSocket, or coder/websocket) parses the rest.
func checkURL(raw string) error {
	scheme, rest, found := strings.Cut(raw, "://")
	if !found || !isScheme(scheme) {
		scheme, rest = "", strings.TrimPrefix(raw, "//")
	}
	if i := strings.IndexFunc(raw, func(r rune) bool { return r <= ' ' || r == 0x7f }); i >= 0 {
		return &Error{Code: CodeInvalidParams, Reason: ReasonBadURL,
			Message: quote(raw) + " holds a space or a control character: write e.g. ws://127.0.0.1:8000/rpc"}
	}
	switch strings.ToLower(scheme) {
	case "ws", "wss":
		if urlHost(rest) != "" {
			return nil
		}
		return &Error{Code: CodeInvalidParams, Reason: ReasonBadURL,
			Message: quote(raw) + " names no host: write e.g. ws://127.0.0.1:8000/rpc"}
	case "https":
		rest = "wss://" + rest
	default:
		rest = "ws://" + rest
	}
	return &Error{Code: CodeInvalidParams, Reason: ReasonBadURL,
		Message: quote(raw) + " is not a WebSocket URL: write " + rest + " (wss:// for a server with TLS)"}
}

// isScheme reports whether s is a URL scheme (RFC 3986: a letter, then
// letters, digits, "+", "-" or ".").
func isScheme(s string) bool {
	for i, r := range s {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !letter && (i == 0 || !(r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.')) {
			return false
		}
	}
	return s != ""
}

// urlHost is the host (and port) of what follows "scheme://": up to the
// path, query or fragment, without a user name.
func urlHost(rest string) string {
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	if i := strings.LastIndexByte(rest, '@'); i >= 0 {
		rest = rest[i+1:]
	}
	return rest
}

// dialError says why dialling url failed: the code, a reason where the
// platform tells (see connectCause), and a message that names the URL.
func dialError(url string, err error) error {
	switch {
	case errors.Is(err, rpc.ErrUnsupported):
		return &Error{Code: CodeUnsupported, Message: "This platform has no WebSocket", Err: err}
	case errors.Is(err, rpc.ErrSubprotocol):
		return &Error{Code: CodeConnectionFailed, Reason: ReasonNoCBOR, Err: err,
			Message: "Cannot connect to " + url + ": the server refused the cbor subprotocol, so it is not a SurrealDB /rpc endpoint"}
	case errors.Is(err, context.DeadlineExceeded):
		return &Error{Code: CodeTimeout, Message: "Connecting to " + url + " timed out", Err: err}
	}
	reason, why := connectCause(url, err)
	return &Error{Code: CodeConnectionFailed, Reason: reason, Message: "Cannot connect to " + url + ": " + why, Err: err}
}
