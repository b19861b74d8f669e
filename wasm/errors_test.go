//go:build js && wasm

package main

import (
	"errors"
	"testing"

	"github.com/surrealauth/surrealauth/sdk"
)

// TestErrorJSON: the fields an error crosses with; statement only for
// query_failed (where 0 and -1 are meaningful), the others only when set.
func TestErrorJSON(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"query_failed", &sdk.Error{Code: sdk.CodeQueryFailed, Reason: sdk.ReasonThrown, Message: "Statement 0 failed: no",
			ServerMessage: "An error occurred: no", Statement: 0},
			`{"code":"query_failed","message":"Statement 0 failed: no","reason":"thrown","serverMessage":"An error occurred: no","statement":0}`},
		{"parse error", &sdk.Error{Code: sdk.CodeQueryFailed, Reason: sdk.ReasonParseError, Message: "m", Statement: -1},
			`{"code":"query_failed","message":"m","reason":"parse_error","statement":-1}`},
		{"server fields", &sdk.Error{Code: sdk.CodeInvalidCredentials, Reason: sdk.ReasonNoRecord, Message: "No user matches these credentials",
			ServerMessage: "No record was returned", ServerCode: -32000, ServerKind: "Internal"},
			`{"code":"invalid_credentials","message":"No user matches these credentials","reason":"no_record","serverCode":-32000,"serverKind":"Internal","serverMessage":"No record was returned"}`},
		{"no statement outside query_failed", &sdk.Error{Code: sdk.CodeInvalidParams, Statement: 3},
			`{"code":"invalid_params","message":"invalid_params"}`},
		{"not an sdk error", errors.New("boom"), `{"code":"server_error","message":"boom"}`},
	} {
		if got := errorJSON(c.err); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}
