//go:build js && wasm

package main

import (
	"errors"

	"github.com/surrealauth/surrealauth/sdk"
	"github.com/surrealauth/surrealauth/sdk/jsvalue"
)

// errorJSON is how an error crosses to JS: {code, message, reason?,
// statement? (query_failed only), serverMessage?, serverCode?, serverKind?},
// plain data; js/bindings.js makes the SurrealAuthError of
// it, so that instanceof works and the stack is the caller's. The message
// is the sdk's (or the server's) own words, without the Go-side
// "surrealauth: code:" prefix.
func errorJSON(err error) string {
	e := asSDKError(err)
	m := map[string]any{"code": string(e.Code), "message": e.Message}
	if e.Message == "" {
		m["message"] = string(e.Code)
	}
	if e.Reason != "" {
		m["reason"] = e.Reason
	}
	if e.Code == sdk.CodeQueryFailed {
		m["statement"] = int64(e.Statement)
	}
	if e.ServerMessage != "" {
		m["serverMessage"] = e.ServerMessage
	}
	if e.ServerCode != 0 {
		m["serverCode"] = e.ServerCode
	}
	if e.ServerKind != "" {
		m["serverKind"] = e.ServerKind
	}
	b, _ := jsvalue.Append(nil, m) // strings and int64s: cannot fail
	return string(b)
}

// asSDKError finds the sdk error in err; anything else (a JS exception, say)
// is a server_error carrying its own text.
func asSDKError(err error) *sdk.Error {
	var e *sdk.Error
	if errors.As(err, &e) {
		return e
	}
	return &sdk.Error{Code: sdk.CodeServerError, Message: describe(err), Err: err}
}

// invalidParams is the error for a value from JS of the wrong shape.
func invalidParams(msg string) error {
	return &sdk.Error{Code: sdk.CodeInvalidParams, Message: msg}
}
