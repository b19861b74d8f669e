package sdk

import "strings"

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

// textReason recognises a server message that says more than its code:
// match returns a readable clause ("" keeps none) and whether text is of
// its kind. The matchers are written with strings, not regexp, which would
// add 0.5 MB to the browser build (docs/architecture.md#bridge); the
// patterns they implement are kept as regexps in reasons_test.go, which
// holds every matcher to its pattern.
type textReason struct {
	reason string
	match  func(text string) (clause string, ok bool)
}

// textReasons are checked in order: the ASSERT form comes before 2.x's
// type form, as both start "Found … for field".
var textReasons = []textReason{
	{ReasonNoRecord, prefix("No record was returned", "")},
	{ReasonAccessQueryFailed, func(t string) (string, bool) {
		return "", strings.HasPrefix(t, "The record access signup query failed") ||
			strings.HasPrefix(t, "The record access signin query failed")
	}},
	{ReasonUniqueIndex, func(t string) (string, bool) {
		m, ok := between(t, "Database index `", "` already contains ", ", with record `")
		if !ok || strings.Contains(m[0], "`") || strings.Contains(m[1], "\n") {
			return "", false
		}
		return m[1] + " is already taken (unique index " + m[0] + ")", true
	}},
	{ReasonAssertFailed, func(t string) (string, bool) {
		m, ok := foundForField(t, "`, but field must conform to: ")
		if !ok {
			return "", false
		}
		return m[0] + " is not a valid " + m[1], true
	}},
	{ReasonFieldType, func(t string) (string, bool) {
		m, ok := foundForField(t, "`, but expected ")
		if !ok || m[3] == "" || strings.Contains(m[3], "\n") {
			return "", false
		}
		return wrongType(m[1], m[3], m[0]), true
	}},
	{ReasonFieldType, func(t string) (string, bool) {
		m, ok := between(t, "Couldn't coerce value for field `", "` of `", "`: Expected `", "` but found `")
		if !ok || strings.Contains(m[0]+m[2], "`") || strings.Contains(m[1]+m[3], "\n") {
			return "", false
		}
		got, closed := strings.CutSuffix(m[3], "`")
		if !closed || got == "" {
			return "", false
		}
		return wrongType(m[0], "a "+m[2], got), true
	}},
	{ReasonThrown, func(t string) (string, bool) {
		rest, ok := strings.CutPrefix(t, "An error occurred: ")
		return rest, ok
	}},
	{ReasonPermissionDenied, prefix("IAM error: Not enough permissions", "not enough permissions")},
	{ReasonNotExecuted, func(t string) (string, bool) {
		if strings.Contains(t, "was not executed due to a failed transaction") ||
			strings.Contains(t, "was not executed due to a cancelled transaction") {
			return "not run, because another statement of its transaction failed", true
		}
		return "", false
	}},
	{ReasonParseError, parseErrorClause},
}

// prefix matches a message that starts with p; its clause is say.
func prefix(p, say string) func(string) (string, bool) {
	return func(t string) (string, bool) { return say, strings.HasPrefix(t, p) }
}

// between cuts t at parts: t starts with parts[0], and each further part is
// found at its first occurrence after the one before. It returns the text
// between the parts, then the text after the last, one per part; every
// piece between two parts must be non-empty.
func between(t string, parts ...string) ([]string, bool) {
	rest, ok := strings.CutPrefix(t, parts[0])
	if !ok {
		return nil, false
	}
	m := make([]string, len(parts))
	for i, p := range parts[1:] {
		var piece string
		if piece, rest, ok = strings.Cut(rest, p); !ok || piece == "" {
			return nil, false
		}
		m[i] = piece
	}
	m[len(parts)-1] = rest
	return m, true
}

// foundForField matches "Found <value> for field `<field>`, with record
// `<id>` + tail + <rest>": the value, the field, the record id, the rest.
// The record id runs to the last tail on its line, as ids may hold
// backquotes; value and id are one line each.
func foundForField(t, tail string) ([]string, bool) {
	m, ok := between(t, "Found ", " for field `", "`, with record `")
	if !ok || strings.Contains(m[1], "`") || strings.Contains(m[0], "\n") {
		return nil, false
	}
	line, _, _ := strings.Cut(m[2], "\n")
	i := strings.LastIndex(line, tail)
	if i < 0 {
		return nil, false
	}
	return []string{m[0], m[1], m[2][:i], m[2][i+len(tail):]}, true
}

// parseErrorClause matches "Parse error: <line>" and, when the next line
// points at it ("  --> [line:col]"), adds " at [line:col]".
func parseErrorClause(t string) (string, bool) {
	rest, ok := strings.CutPrefix(t, "Parse error: ")
	if !ok {
		return "", false
	}
	line, next, _ := strings.Cut(rest, "\n")
	next = strings.TrimLeft(next, " \t\r\n\f")
	if at, ok := strings.CutPrefix(next, "--> ["); ok {
		if pos, _, ok := strings.Cut(at, "]"); ok && isPosition(pos) {
			return line + " at [" + pos + "]", true
		}
	}
	return line, true
}

// isPosition reports whether s is "<digits>:<digits>".
func isPosition(s string) bool {
	l, c, ok := strings.Cut(s, ":")
	return ok && isDigits(l) && isDigits(c)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
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
		if clause, ok := r.match(text); ok {
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
