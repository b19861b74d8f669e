package sdk

import (
	"context"
	"errors"
	"net/url"
	"strings"

	"github.com/surrealauth/surrealauth/sdk/internal/rpc"
)

// checkURL refuses, before anything is dialled, a URL that is not ws:// or
// wss:// with a host, and says what to write instead. It is not rewritten:
// a missing scheme would otherwise end up as a path, or http:// be quietly
// taken for ws://.
func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err == nil && (u.Scheme == "ws" || u.Scheme == "wss") {
		if u.Host != "" {
			return nil
		}
		return &Error{Code: CodeInvalidParams, Reason: ReasonBadURL,
			Message: quote(raw) + " names no host: write e.g. ws://127.0.0.1:8000/rpc"}
	}
	want := "ws://" + strings.TrimPrefix(raw, "//")
	if err == nil {
		switch u.Scheme {
		case "http":
			want = "ws://" + strings.TrimPrefix(raw, u.Scheme+"://")
		case "https":
			want = "wss://" + strings.TrimPrefix(raw, u.Scheme+"://")
		}
	}
	return &Error{Code: CodeInvalidParams, Reason: ReasonBadURL,
		Message: quote(raw) + " is not a WebSocket URL: write " + want + " (wss:// for a server with TLS)"}
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
