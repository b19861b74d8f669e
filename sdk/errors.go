package sdk

import (
	"context"
	"errors"
	"strings"

	"github.com/surrealauth/surrealauth/sdk/internal/rpc"
)

// Code is the stable name of a failure. Programs branch on it; messages are
// for people and may change.
type Code string

// The codes. They are public contract: the JS face carries them as error.code.
const (
	CodeInvalidCredentials Code = "invalid_credentials"
	CodeInvalidParams      Code = "invalid_params"
	CodeMissingNamespace   Code = "missing_namespace"
	CodeMissingDatabase    Code = "missing_database"
	CodeAccessNotFound     Code = "access_not_found"
	CodeSignupNotAllowed   Code = "signup_not_allowed"
	CodeTokenExpired       Code = "token_expired"
	CodeTokenInvalid       Code = "token_invalid"
	CodeSessionExpired     Code = "session_expired"
	CodeNotAllowed         Code = "not_allowed"
	CodeConnectionFailed   Code = "connection_failed"
	CodeConnectionClosed   Code = "connection_closed"
	CodeTimeout            Code = "timeout"
	CodeStorageUnavailable Code = "storage_unavailable"
	CodeUnsupported        Code = "unsupported"
	CodeServerError        Code = "server_error"
	// CodeQueryFailed is a Query whose statement failed (Error.Statement
	// says which), or that the server refused as a whole (a parse error).
	CodeQueryFailed Code = "query_failed"
)

// Error is every error the sdk returns. Test it with errors.Is against the
// sentinels below, or read Code; Reason, where set, says more.
type Error struct {
	Code Code
	// Reason refines Code where the server said more, or where the client
	// found out more: a stable snake_case name from the Reason* list ("" when
	// there is nothing more to say). Programs may branch on it.
	Reason string
	// Message is a sentence for people (an app may show it); it may change.
	Message string
	// ServerMessage is the server's own text, verbatim, when the server
	// produced the error (docs/protocol.md#errors says what each means).
	ServerMessage string
	// ServerCode and ServerKind are the server's own code and innermost kind,
	// when the server produced the error.
	ServerCode int64
	ServerKind string
	// Statement is meaningful only for CodeQueryFailed: the index, in the
	// values Query returns, of the entry that failed, or -1 when the server
	// refused the whole query (a parse error) and nothing ran. See Query for
	// how entries relate to the statements written.
	Statement int
	Err       error // the underlying cause, if any
}

func (e *Error) Error() string {
	if e.Message == "" {
		return "surrealauth: " + string(e.Code)
	}
	return "surrealauth: " + string(e.Code) + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, sdk.ErrInvalidCredentials) match on the code
// alone; a target that also names a Reason matches only that reason.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code && t.Message == "" && t.Err == nil && (t.Reason == "" || t.Reason == e.Reason)
}

// Sentinels, one per code.
var (
	ErrInvalidCredentials = &Error{Code: CodeInvalidCredentials}
	ErrInvalidParams      = &Error{Code: CodeInvalidParams}
	ErrMissingNamespace   = &Error{Code: CodeMissingNamespace}
	ErrMissingDatabase    = &Error{Code: CodeMissingDatabase}
	ErrAccessNotFound     = &Error{Code: CodeAccessNotFound}
	ErrSignupNotAllowed   = &Error{Code: CodeSignupNotAllowed}
	ErrTokenExpired       = &Error{Code: CodeTokenExpired}
	ErrTokenInvalid       = &Error{Code: CodeTokenInvalid}
	ErrSessionExpired     = &Error{Code: CodeSessionExpired}
	ErrNotAllowed         = &Error{Code: CodeNotAllowed}
	ErrConnectionFailed   = &Error{Code: CodeConnectionFailed}
	ErrConnectionClosed   = &Error{Code: CodeConnectionClosed}
	ErrTimeout            = &Error{Code: CodeTimeout}
	ErrStorageUnavailable = &Error{Code: CodeStorageUnavailable}
	ErrUnsupported        = &Error{Code: CodeUnsupported}
	ErrServerError        = &Error{Code: CodeServerError}
	ErrQueryFailed        = &Error{Code: CodeQueryFailed}
)

func newError(code Code, msg string) *Error { return &Error{Code: code, Message: msg} }

// CodeOf returns the code of an sdk error, or "" for any other error.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// op names the call an error came from; a few server answers mean different
// things per call (InvalidAuth on authenticate is a bad token, not a bad
// password).
type op int

const (
	opOther op = iota
	opSignin
	opSignup
	opAuthenticate
	opRefresh
	opQuery
)

// wrapCallError turns whatever a Conn.Call returned into an *Error.
func wrapCallError(err error, o op) error {
	if err == nil {
		return nil
	}
	var se *rpc.ServerError
	switch {
	case errors.As(err, &se):
		return classify(se, o)
	case errors.Is(err, context.DeadlineExceeded):
		return &Error{Code: CodeTimeout, Message: "the server did not answer in time", Err: err}
	case errors.Is(err, context.Canceled):
		return &Error{Code: CodeTimeout, Message: "the call was cancelled", Err: err}
	case errors.Is(err, rpc.ErrProtocol): // the connection was dropped because the server broke the protocol
		return &Error{Code: CodeServerError, Message: "the server sent a frame that is not a SurrealDB reply", Err: err}
	case errors.Is(err, rpc.ErrClosed):
		return &Error{Code: CodeConnectionClosed, Message: "the connection to the server closed", Err: err}
	default:
		return &Error{Code: CodeServerError, Message: err.Error(), Err: err}
	}
}

// classify maps a server error to a Code, a Reason where the server's
// text says more, and a readable Message; the server's own text stays in
// ServerMessage. 3.x errors carry a kind chain and are read by kind first;
// 1.x/2.x errors (and 3.x's generic "Internal" ones) only have a code and a
// message (docs/protocol.md#errors).
func classify(se *rpc.ServerError, o op) *Error {
	e := &Error{ServerMessage: se.Message, ServerCode: se.Code, Err: se}
	kinds := se.DetailKinds()
	if len(kinds) > 0 {
		e.ServerKind = kinds[len(kinds)-1]
	}
	text := serverText(se.Message)
	e.Code = codeFromKinds(kinds, se.Kind != "", se.Code)
	if e.Code == "" {
		e.Code = codeFromMessage(se.Message)
	}
	if e.Code == "" {
		e.Code = CodeServerError
		// An access's SIGNIN, SIGNUP or AUTHENTICATE that failed in SurrealQL
		// (a THROW; with forwarded access errors also an index or ASSERT)
		// refused the credentials: 2.x says so only in its message, and 3.x
		// instead of "… query failed" when it forwards access errors.
		if reason, _ := reasonOf(text); o != opOther && o != opQuery && forwardedAccess[reason] {
			e.Code = CodeInvalidCredentials
		}
	}
	// The server says InvalidAuth both for a wrong password and for a token
	// it will not accept; for token calls it is the token that is wrong.
	if e.Code == CodeInvalidCredentials && (o == opAuthenticate || o == opRefresh) {
		e.Code = CodeTokenInvalid
	}
	if o == opQuery {
		queryCallError(e, text)
	}
	e.Reason, e.Message = explain(e.Code, o, text)
	return e
}

// forwardedAccess are the reasons of an access clause failing in SurrealQL.
var forwardedAccess = map[string]bool{ReasonUniqueIndex: true, ReasonAssertFailed: true, ReasonFieldType: true, ReasonThrown: true}

func codeFromKinds(kinds []string, v3 bool, code int64) Code {
	for i := len(kinds) - 1; i >= 0; i-- {
		if c, ok := kindCodes[kinds[i]]; ok {
			return c
		}
	}
	if v3 {
		switch code {
		case -32601:
			return CodeUnsupported
		case -32602:
			return CodeNotAllowed // 3.x: method not allowed
		case -32603:
			return CodeInvalidParams // 3.x: invalid params
		case -32002:
			return CodeInvalidCredentials
		case -32006:
			return CodeInvalidCredentials // THROW inside SIGNIN/SIGNUP: the access refused these credentials
		}
		return ""
	}
	switch code {
	case -32601:
		return CodeUnsupported
	case -32602:
		return CodeInvalidParams // 1.x/2.x: invalid params
	}
	return ""
}

var kindCodes = map[string]Code{
	"InvalidAuth":       CodeInvalidCredentials,
	"MissingUserOrPass": CodeInvalidParams,
	"NoSigninTarget":    CodeInvalidParams,
	"InvalidSignup":     CodeInvalidCredentials,
	"TokenExpired":      CodeTokenExpired,
	"ExpiredToken":      CodeTokenExpired,
	"SessionExpired":    CodeSessionExpired,
	"InvalidParams":     CodeInvalidParams,
	"InvalidParameter":  CodeInvalidParams,
	"NamespaceEmpty":    CodeMissingNamespace,
	"DatabaseEmpty":     CodeMissingDatabase,
	"Method":            CodeUnsupported,
	"Thrown":            CodeInvalidCredentials,
	// Outer kinds, reached only when no inner kind is known.
	"Auth":       CodeInvalidCredentials,
	"NotAllowed": CodeNotAllowed,
}

// messageCodes is checked in order; the first substring that matches wins.
// These are the messages of errors that arrive as a bare {code, message}
// (1.x, 2.x) or as a 3.x "Internal" error with no details.
var messageCodes = []struct {
	substr string
	code   Code
}{
	{"token has expired", CodeTokenExpired},
	{"session has expired", CodeSessionExpired},
	{"access method does not exist", CodeAccessNotFound},
	{"scope does not exist", CodeAccessNotFound}, // 1.x
	{"does not allow signup", CodeSignupNotAllowed},
	{"InvalidToken", CodeTokenInvalid},
	{"Token is an access token", CodeTokenInvalid},
	{"cannot refresh", CodeTokenInvalid},
	{"No record was returned", CodeInvalidCredentials},
	{"signin query failed", CodeInvalidCredentials},
	{"signup query failed", CodeInvalidCredentials},
	{"problem with authentication", CodeInvalidCredentials},
	{"problem with signing up", CodeInvalidCredentials},
	{"bearer access grant", CodeInvalidCredentials},
	{"requires a key", CodeInvalidParams},
	{"Username or Password was not provided", CodeInvalidParams},
	{"No signin target", CodeInvalidParams},
	{"Expected string", CodeInvalidParams},
	{"Expected (", CodeInvalidParams},
	{"Incorrect arguments", CodeInvalidParams},
	{"Specify a namespace", CodeMissingNamespace},
	{"Specify a database", CodeMissingDatabase},
	{"cannot be used in the requested operation", CodeNotAllowed},
	{"Not enough permissions", CodeNotAllowed},
	{"don't have permission", CodeNotAllowed},
	{"Method not found", CodeUnsupported},
	{"is a protected variable", CodeInvalidParams},
}

func codeFromMessage(msg string) Code {
	for _, m := range messageCodes {
		if strings.Contains(msg, m.substr) {
			return m.code
		}
	}
	return ""
}
