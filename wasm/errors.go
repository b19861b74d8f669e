//go:build js && wasm

package main

import (
	"errors"

	"github.com/hack-pad/safejs"
	"github.com/surrealauth/surrealauth/sdk"
)

// errorName is the name every rejection's Error carries: part of the public
// contract in js/bindings.d.ts (see docs/architecture.md#bridge).
const errorName = "SurrealAuthError"

// invalidParams is the error for a JS argument of the wrong shape.
func invalidParams(msg string) error {
	return &sdk.Error{Code: sdk.CodeInvalidParams, Message: msg}
}

// jsError turns err into a JS Error with name, code and, when the server
// produced it, serverCode and serverKind. The message is the sdk's (or the
// server's) own words, without the Go-side "surrealauth: code:" prefix.
func jsError(err error) safejs.Value {
	e := asSDKError(err)
	msg := e.Message
	if msg == "" {
		msg = string(e.Code)
	}
	ctor, cerr := constructor("Error")
	if cerr != nil {
		v, _ := safejs.ValueOf(msg)
		return v
	}
	obj, cerr := ctor.New(msg)
	if cerr != nil {
		v, _ := safejs.ValueOf(msg)
		return v
	}
	_ = obj.Set("name", errorName)
	_ = obj.Set("code", string(e.Code))
	if e.ServerCode != 0 {
		_ = obj.Set("serverCode", float64(e.ServerCode))
	}
	if e.ServerKind != "" {
		_ = obj.Set("serverKind", e.ServerKind)
	}
	return obj
}

// asSDKError finds the sdk error in err; anything else (a JS exception while
// converting, say) is a server_error carrying its own text.
func asSDKError(err error) *sdk.Error {
	var e *sdk.Error
	if errors.As(err, &e) {
		return e
	}
	return &sdk.Error{Code: sdk.CodeServerError, Message: describe(err), Err: err}
}
