package sdk

import (
	"regexp"
	"strings"
)

// The reasons. Like codes they are public contract (the JS face carries
// them as error.reason); each refines the codes it is listed under. What
// each server message means is in docs/protocol.md#errors.
const (
	// invalid_credentials from Signin/Signup (record access methods):

	// ReasonNoRecord: the access's SIGNIN (or SIGNUP) returned no record.
	// For a sign-in: no user has these credentials — a wrong password and an
	// unknown user are not told apart.
	ReasonNoRecord = "no_record"
	// ReasonAccessQueryFailed: the access's SIGNUP or SIGNIN query raised an
	// error the server does not show (commonly a taken unique field, such
	// as the e-mail, or a value an ASSERT refuses). A server run with
	// SURREAL_INSECURE_FORWARD_ACCESS_ERRORS=true says which, as one of the
	// reasons below.
	ReasonAccessQueryFailed = "access_query_failed"

	// invalid_credentials from Signup/Signin (forwarded access errors) and
	// query_failed from Query:

	// ReasonUniqueIndex: a unique index already holds the value (an e-mail
	// that is taken).
	ReasonUniqueIndex = "unique_index"
	// ReasonAssertFailed: a field's ASSERT refused the value.
	ReasonAssertFailed = "assert_failed"
	// ReasonFieldType: a field got a value of the wrong type, or none.
	ReasonFieldType = "field_type"
	// ReasonThrown: a THROW in SurrealQL (a statement, or the access's
	// SIGNIN, SIGNUP or AUTHENTICATE clause); Message carries its text.
	ReasonThrown = "thrown"

	// query_failed from Query:

	// ReasonParseError: the query does not parse; nothing ran (Statement -1).
	ReasonParseError = "parse_error"
	// ReasonPermissionDenied: the statement needs rights the identity lacks
	// (e.g. INFO FOR DB as a record user). Rows that table PERMISSIONS hide
	// are no error: they are left out of the result.
	ReasonPermissionDenied = "permission_denied"
	// ReasonNotExecuted: the statement did not run because another one in
	// its transaction failed. Reported only when no other failure is.
	ReasonNotExecuted = "not_executed"

	// invalid_params from Query:

	// ReasonProtectedVariable: a query variable has a name the server sets
	// itself ($auth, $access, $token, $session; $scope on 1.x).
	ReasonProtectedVariable = "protected_variable"

	// invalid_params and connection_failed from Dial:

	// ReasonBadURL: the URL is not a ws:// or wss:// URL; nothing was dialled.
	ReasonBadURL = "bad_url"
	// ReasonWrongPath: the server answered the WebSocket upgrade with HTTP
	// 404: nothing at that path (SurrealDB's endpoint is /rpc).
	ReasonWrongPath = "wrong_path"
	// ReasonUpgradeRefused: the server answered the upgrade with another
	// HTTP status (e.g. 403 for a refused Origin).
	ReasonUpgradeRefused = "upgrade_refused"
	// ReasonConnectionRefused: nothing listens on that host and port.
	ReasonConnectionRefused = "connection_refused"
	// ReasonNotTLS: a wss:// URL, but the server does not speak TLS (it is
	// a plain ws:// server).
	ReasonNotTLS = "not_tls"
	// ReasonHostNotFound: the host name does not resolve.
	ReasonHostNotFound = "host_not_found"
	// ReasonNoCBOR: the server opened a WebSocket but refused the cbor
	// subprotocol: not a SurrealDB /rpc endpoint.
	ReasonNoCBOR = "no_cbor"

	// session_expired, as ExpiryCause reports it:

	// ReasonTokenExpired: the access token expired and nothing could renew
	// it (no refresh token, no token source).
	ReasonTokenExpired = "token_expired"
	// ReasonTokenRefused: the server (or the Verifier) refused what would
	// have renewed the session: a refresh token already spent or revoked,
	// or a token source's token.
	ReasonTokenRefused = "token_refused"
	// ReasonTokenSourceFailed: the WithTokenSource function returned an
	// error; errors.Is/As reach it through Unwrap.
	ReasonTokenSourceFailed = "token_source_failed"
	// ReasonNoToken: the WithTokenSource function returned "" and no error.
	ReasonNoToken = "no_token"
)

// serverText is a server message without 2.x's RpcError prefix.
func serverText(msg string) string {
	return strings.TrimSpace(strings.TrimPrefix(msg, "There was a problem with the database: "))
}

// textReason recognises a server message that says more than its code.
// say turns the regexp's groups into a readable clause ("" keeps none).
type textReason struct {
	reason string
	re     *regexp.Regexp
	say    func(m []string) string
}

// textReasons are checked in order: the ASSERT form comes before 2.x's
// type form, as both start "Found … for field".
var textReasons = []textReason{
	{ReasonNoRecord, regexp.MustCompile(`^No record was returned`), nil},
	{ReasonAccessQueryFailed, regexp.MustCompile(`^The record access (signup|signin) query failed`), nil},
	{ReasonUniqueIndex, regexp.MustCompile("^Database index `([^`]+)` already contains (.+?), with record `"),
		func(m []string) string { return m[2] + " is already taken (unique index " + m[1] + ")" }},
	{ReasonAssertFailed, regexp.MustCompile("^Found (.+?) for field `([^`]+)`, with record `.*`, but field must conform to: "),
		func(m []string) string { return m[1] + " is not a valid " + m[2] }},
	{ReasonFieldType, regexp.MustCompile("^Found (.+?) for field `([^`]+)`, with record `.*`, but expected (.+)$"),
		func(m []string) string { return wrongType(m[2], m[3], m[1]) }},
	{ReasonFieldType, regexp.MustCompile("^Couldn't coerce value for field `([^`]+)` of `.*`: Expected `([^`]+)` but found `(.+)`$"),
		func(m []string) string { return wrongType(m[1], "a "+m[2], m[3]) }},
	{ReasonThrown, regexp.MustCompile(`(?s)^An error occurred: (.*)$`), func(m []string) string { return m[1] }},
	{ReasonPermissionDenied, regexp.MustCompile(`^IAM error: Not enough permissions`),
		func([]string) string { return "not enough permissions" }},
	{ReasonNotExecuted, regexp.MustCompile(`was not executed due to a (failed|cancelled) transaction`),
		func([]string) string { return "not run, because another statement of its transaction failed" }},
	{ReasonParseError, regexp.MustCompile(`(?s)^Parse error: ([^\n]*)(?:\n\s*--> (\[\d+:\d+\]))?`),
		func(m []string) string {
			if m[2] != "" {
				return m[1] + " at " + m[2]
			}
			return m[1]
		}},
}

func wrongType(field, want, got string) string {
	if got == "NONE" {
		return field + " is missing"
	}
	return field + " must be " + want + ", not " + got
}

// reasonOf matches text against textReasons: the reason and a clause
// saying it ("" when the reason has none, or nothing matched).
func reasonOf(text string) (reason, clause string) {
	for _, r := range textReasons {
		if m := r.re.FindStringSubmatch(text); m != nil {
			if r.say != nil {
				clause = r.say(m)
			}
			return r.reason, clause
		}
	}
	return "", ""
}

// explain gives a server error its reason and a message a person can read
// (the server's own words stay in ServerMessage).
func explain(code Code, o op, text string) (reason, msg string) {
	reason, clause := reasonOf(text)
	detail := clause
	if detail == "" {
		detail = firstLine(text)
	}
	switch {
	case code == CodeInvalidCredentials && o == opSignup:
		return reason, signupMessage(reason, clause, text)
	case code == CodeInvalidCredentials && o == opSignin:
		return reason, signinMessage(reason, clause, text)
	case code == CodeTokenInvalid && o == opRefresh:
		return reason, "The server refused the refresh token: it was already used, revoked, or has expired"
	case code == CodeTokenInvalid && reason == ReasonThrown:
		return reason, "The server refused this token: " + clause
	case code == CodeTokenInvalid:
		return reason, "The server refused this token"
	case code == CodeQueryFailed && reason == ReasonParseError:
		return reason, "The query could not be parsed: " + clause
	}
	if s, ok := codeSentences[code]; ok {
		return reason, s
	}
	return reason, genericPrefix(code) + lowerFirst(detail)
}

func signupMessage(reason, clause, text string) string {
	switch {
	case reason == ReasonAccessQueryFailed:
		return "Sign-up was refused; the server does not say why (often the e-mail is already registered, or a value is not valid)"
	case reason == ReasonNoRecord:
		return "Sign-up was refused: the access method created no user"
	case clause != "":
		return "Sign-up was refused: " + clause
	case text != "":
		return "Sign-up was refused: " + lowerFirst(firstLine(text))
	}
	return "Sign-up was refused"
}

func signinMessage(reason, clause, text string) string {
	switch {
	case reason == ReasonNoRecord, strings.Contains(text, "problem with authentication"):
		return "No user matches these credentials"
	case reason == ReasonAccessQueryFailed:
		return "Sign-in failed: the access method's SIGNIN query failed, and the server does not say why"
	case clause != "":
		return "Sign-in was refused: " + clause
	}
	return "Sign-in was refused: " + lowerFirst(firstLine(text))
}

// codeSentences are the messages of codes that mean one thing whatever the
// server's words.
var codeSentences = map[Code]string{
	CodeTokenExpired:     "The token has expired",
	CodeSessionExpired:   "The session has expired; sign in again",
	CodeAccessNotFound:   "No such access method is defined on that namespace and database",
	CodeSignupNotAllowed: "This access method does not allow sign-up",
	CodeMissingNamespace: "No namespace is selected: name one in the credentials, or call Use",
	CodeMissingDatabase:  "No database is selected: name one in the credentials, or call Use",
}

func genericPrefix(code Code) string {
	switch code {
	case CodeInvalidParams:
		return "The server refused the call's parameters: "
	case CodeNotAllowed:
		return "The server does not allow this: "
	case CodeUnsupported:
		return "The server does not support this call: "
	case CodeInvalidCredentials:
		return "The server refused the credentials: "
	case CodeQueryFailed:
		return "The query failed: "
	}
	return "The server reported an error: "
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}
