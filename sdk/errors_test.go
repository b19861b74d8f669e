package sdk

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/surrealauth/surrealauth/sdk/internal/rpc"
)

func v3Err(code int64, kind string, inner ...string) *rpc.ServerError {
	var details any
	for i := len(inner) - 1; i >= 0; i-- {
		m := map[string]any{"kind": inner[i]}
		if details != nil {
			m["details"] = details
		}
		details = m
	}
	return &rpc.ServerError{Code: code, Kind: kind, Details: details, Message: "m", Cause: rpc.None{}}
}

// TestClassify covers the 3.x kind chains and the 1.x/2.x {code, message}
// format (docs/protocol.md#errors), as observed from the engines.
func TestClassify(t *testing.T) {
	cases := []struct {
		name string
		err  *rpc.ServerError
		op   op
		want Code
	}{
		{"3.x wrong password", v3Err(-32002, "NotAllowed", "Auth", "InvalidAuth"), opSignin, CodeInvalidCredentials},
		{"3.x bad signature on authenticate", v3Err(-32002, "NotAllowed", "Auth", "InvalidAuth"), opAuthenticate, CodeTokenInvalid},
		{"3.x reused refresh token", v3Err(-32002, "NotAllowed", "Auth", "InvalidAuth"), opRefresh, CodeTokenInvalid},
		{"3.x missing user or pass", v3Err(-32002, "NotAllowed", "Auth", "MissingUserOrPass"), opSignin, CodeInvalidParams},
		{"3.x no signin target", v3Err(-32002, "NotAllowed", "Auth", "NoSigninTarget"), opSignin, CodeInvalidParams},
		{"3.x token expired", v3Err(-32002, "NotAllowed", "Auth", "TokenExpired"), opAuthenticate, CodeTokenExpired},
		{"3.x session expired", v3Err(-32000, "NotAllowed", "Auth", "SessionExpired"), opOther, CodeSessionExpired},
		{"3.x invalid params", v3Err(-32603, "Validation", "InvalidParams"), opSignin, CodeInvalidParams},
		{"3.x namespace empty", v3Err(-32600, "Validation", "NamespaceEmpty"), opOther, CodeMissingNamespace},
		{"3.x method not found", v3Err(-32601, "NotFound", "Method"), opOther, CodeUnsupported},
		{"3.x thrown in SIGNIN", v3Err(-32006, "Thrown"), opSignin, CodeInvalidCredentials},
		{"3.x session not found", v3Err(-32000, "NotFound", "Session"), opOther, CodeServerError},
		{"3.x method not allowed", &rpc.ServerError{Code: -32602, Kind: "NotAllowed", Message: "Method not allowed"}, opOther, CodeNotAllowed},
		{"3.x internal: no record", &rpc.ServerError{Code: -32000, Kind: "Internal", Message: "No record was returned"}, opSignin, CodeInvalidCredentials},
		{"3.x internal: signin query failed", &rpc.ServerError{Code: -32000, Kind: "Internal", Message: "The record access signin query failed"}, opSignin, CodeInvalidCredentials},
		{"3.x internal: unknown access", &rpc.ServerError{Code: -32000, Kind: "Internal", Message: "The access method does not exist"}, opSignin, CodeAccessNotFound},
		{"3.x internal: no signup clause", &rpc.ServerError{Code: -32000, Kind: "Internal", Message: "This record access method does not allow signup"}, opSignup, CodeSignupNotAllowed},
		{"3.x internal: not a JWT", &rpc.ServerError{Code: -32000, Kind: "Internal", Message: "InvalidToken"}, opAuthenticate, CodeTokenInvalid},
		{"3.x internal: number as ns", &rpc.ServerError{Code: -32000, Kind: "Internal", Message: "Expected string, got number"}, opSignin, CodeInvalidParams},
		{"3.x refresh with a string", &rpc.ServerError{Code: -32000, Kind: "Internal", Message: "Incorrect arguments for function refresh(). Token is an access token, cannot refresh"}, opRefresh, CodeTokenInvalid},
		{"2.x auth failure", &rpc.ServerError{Code: -32000, Message: "There was a problem with authentication"}, opSignin, CodeInvalidCredentials},
		{"2.x auth failure on authenticate", &rpc.ServerError{Code: -32000, Message: "There was a problem with authentication"}, opAuthenticate, CodeTokenInvalid},
		{"2.x expired token", &rpc.ServerError{Code: -32000, Message: "The token has expired"}, opAuthenticate, CodeTokenExpired},
		{"2.x method not found", &rpc.ServerError{Code: -32601, Message: "Method not found"}, opRefresh, CodeUnsupported},
		{"2.x invalid params", &rpc.ServerError{Code: -32602, Message: "Invalid params"}, opSignin, CodeInvalidParams},
		{"2.x internal error", &rpc.ServerError{Code: -32603, Message: "Internal error"}, opOther, CodeServerError},
		{"1.x scope signin failed", &rpc.ServerError{Code: -32000, Message: "There was a problem with authentication"}, opSignin, CodeInvalidCredentials},
		{"unknown", &rpc.ServerError{Code: -1, Message: "something else"}, opOther, CodeServerError},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := wrapCallError(tc.err, tc.op)
			if got := CodeOf(err); got != tc.want {
				t.Fatalf("code %q, want %q", got, tc.want)
			}
			var e *Error
			errors.As(err, &e)
			if e.ServerCode != tc.err.Code || e.ServerMessage != tc.err.Message || e.Message == "" {
				t.Fatalf("server code/message lost: %+v", e)
			}
			var se *rpc.ServerError
			if !errors.As(err, &se) {
				t.Fatalf("server error not unwrappable")
			}
		})
	}
}

func TestTransportErrors(t *testing.T) {
	cases := []struct {
		err  error
		want Code
	}{
		{context.DeadlineExceeded, CodeTimeout},
		{fmt.Errorf("x: %w", rpc.ErrClosed), CodeConnectionClosed},
		{errors.New("odd"), CodeServerError},
	}
	for _, tc := range cases {
		if got := CodeOf(wrapCallError(tc.err, opOther)); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.err, got, tc.want)
		}
	}
}

func TestSentinels(t *testing.T) {
	err := fmt.Errorf("wrapped: %w", &Error{Code: CodeTokenExpired, Message: "The token has expired"})
	if !errors.Is(err, ErrTokenExpired) || errors.Is(err, ErrTokenInvalid) {
		t.Fatal("errors.Is must match on the code only")
	}
}

// TestReadableMessages pins the message people read for server errors the
// engines send (docs/protocol.md#errors); the server's text stays in
// ServerMessage.
func TestReadableMessages(t *testing.T) {
	const v2 = "There was a problem with the database: "
	cases := []struct {
		err          *rpc.ServerError
		op           op
		code         Code
		reason, want string
	}{
		{&rpc.ServerError{Code: -32000, Kind: "Internal", Message: "No record was returned"}, opSignin, CodeInvalidCredentials, ReasonNoRecord, "No user matches these credentials"},
		{&rpc.ServerError{Code: -32000, Message: v2 + "No record was returned"}, opSignin, CodeInvalidCredentials, ReasonNoRecord, "No user matches these credentials"},
		{&rpc.ServerError{Code: -32002, Kind: "NotAllowed", Details: map[string]any{"kind": "Auth", "details": map[string]any{"kind": "InvalidAuth"}},
			Message: "There was a problem with authentication"}, opSignin, CodeInvalidCredentials, "", "No user matches these credentials"},
		{&rpc.ServerError{Code: -32000, Message: v2 + "The record access signup query failed"}, opSignup, CodeInvalidCredentials, ReasonAccessQueryFailed,
			"Sign-up was refused; the server does not say why (often the e-mail is already registered, or a value is not valid)"},
		{&rpc.ServerError{Code: -32000, Message: v2 + "The record access signin query failed"}, opSignin, CodeInvalidCredentials, ReasonAccessQueryFailed,
			"Sign-in failed: the access method's SIGNIN query failed, and the server does not say why"},
		{&rpc.ServerError{Code: -32006, Kind: "Thrown", Message: "An error occurred: closed for maintenance"}, opSignin, CodeInvalidCredentials, ReasonThrown, "Sign-in was refused: closed for maintenance"},
		{&rpc.ServerError{Code: -32000, Message: v2 + "An error occurred: closed"}, opSignup, CodeInvalidCredentials, ReasonThrown, "Sign-up was refused: closed"},
		{&rpc.ServerError{Code: -32000, Message: v2 + "The token has expired"}, opAuthenticate, CodeTokenExpired, "", "The token has expired"},
		{v3Err(-32002, "NotAllowed", "Auth", "InvalidAuth"), opRefresh, CodeTokenInvalid, "", "The server refused the refresh token: it was already used, revoked, or has expired"},
		{&rpc.ServerError{Code: -32000, Message: v2 + "Specify a namespace to use"}, opOther, CodeMissingNamespace, "", "No namespace is selected: name one in the credentials, or call Use"},
		{&rpc.ServerError{Code: -32000, Kind: "Internal", Message: "The access method cannot be used in the requested operation"}, opSignin, CodeNotAllowed, "",
			"The server does not allow this: the access method cannot be used in the requested operation"},
		{&rpc.ServerError{Code: -32601, Message: "Method not found"}, opRefresh, CodeUnsupported, "", "The server does not support this call: method not found"},
		{&rpc.ServerError{Code: -32000, Kind: "Validation", Message: "Parse error: Unexpected end of file, expected an expression\n --> [1:9]\n  |\n1 | RETURN (\n  |         ^"}, opQuery,
			CodeQueryFailed, ReasonParseError, "The query could not be parsed: Unexpected end of file, expected an expression at [1:9]"},
		{&rpc.ServerError{Code: -1, Message: "something else"}, opOther, CodeServerError, "", "The server reported an error: something else"},
	}
	for _, tc := range cases {
		e := classify(tc.err, tc.op)
		if e.Code != tc.code || e.Reason != tc.reason || e.Message != tc.want || e.ServerMessage != tc.err.Message {
			t.Errorf("%q (op %d):\n got %s/%s %q\nwant %s/%s %q", tc.err.Message, tc.op, e.Code, e.Reason, e.Message, tc.code, tc.reason, tc.want)
		}
	}
}
