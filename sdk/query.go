package sdk

import (
	"context"
	"strconv"
	"strings"

	"github.com/surrealauth/surrealauth/sdk/internal/rpc"
)

// Query runs SurrealQL as the signed-in identity (or as a guest) and returns
// one value per entry of the server's result, each decoded as Info's values
// are (RecordID, None, time.Time, …). vars are bound as $name; they are
// never logged, and names the server sets itself ($auth, $access, $token,
// $session) are refused with invalid_params before sending.
//
// Rows that table PERMISSIONS hide are simply absent: a SELECT the identity
// may not see is an empty array, not an error.
//
// A failed statement makes Query return an *Error with CodeQueryFailed,
// the server's message in ServerMessage, and in Statement the index of the
// entry that failed. When several failed, it is the first one that failed
// of its own accord: inside a failed transaction the other statements fail
// too ("not executed"), and those are reported only if nothing else is.
// The values are returned alongside that error (nil for each failed entry),
// because statements outside a transaction run and are kept regardless. A
// query that does not parse runs nothing: query_failed with Reason
// parse_error and Statement -1.
//
// Entries are what the server returns, which is one per statement as
// written only for statements outside transactions: 3.x gives BEGIN and
// COMMIT entries of their own (NONE; no COMMIT entry when the transaction
// failed), 2.x gives none; and a RETURN inside a transaction ends it early
// (3.x leaves out the entries after it, 2.x returns the whole transaction
// as one entry). See docs/protocol.md#query.
//
// Queries share the connection: any number run at once, pipelined, but
// never during an auth change (a sign-in waits for the queries in flight;
// queries arriving meanwhile wait for it), so a query never runs as an
// identity other than one the client held. Query waits for a reconnect
// like the other calls, and a server session that expired silently is
// revived once, as for Info. A query in flight when the socket dies fails
// with connection_closed and is not retried: it may have run.
func (c *Client) Query(ctx context.Context, sql string, vars map[string]any) ([]any, error) {
	if err := c.checkVars(vars); err != nil {
		return nil, err
	}
	params := []any{sql}
	if len(vars) > 0 {
		params = append(params, vars)
	}
	raw, err := c.callRecovering(ctx, "query", opQuery, params...)
	if err != nil {
		return nil, err
	}
	return queryValues(raw)
}

// checkVars refuses variables the server would refuse for their name
// (docs/protocol.md#query).
func (c *Client) checkVars(vars map[string]any) error {
	for k := range vars {
		switch k {
		case "auth", "access", "token", "session":
		case "scope":
			if c.version.Major >= 2 {
				continue
			}
		default:
			continue
		}
		return &Error{Code: CodeInvalidParams, Reason: ReasonProtectedVariable,
			Message: "$" + k + " is set by the server itself; give the variable another name"}
	}
	return nil
}

// queryValues reads the query result: an array of {status, result, …},
// one per entry (docs/protocol.md#query).
func queryValues(raw any) ([]any, error) {
	entries, ok := raw.([]any)
	if !ok {
		return nil, newError(CodeServerError, "The query result is not a list of statement results")
	}
	values := make([]any, len(entries))
	var failed *Error
	for i, e := range entries {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, newError(CodeServerError, "Query result entry "+strconv.Itoa(i)+" is not a statement result")
		}
		status, _ := m["status"].(string)
		if status == "OK" {
			values[i] = m["result"]
			continue
		}
		if se := statementError(i, m); failed == nil || (failed.Reason == ReasonNotExecuted && se.Reason != ReasonNotExecuted) {
			failed = se
		}
	}
	if failed != nil {
		return values, failed
	}
	return values, nil
}

// statementError is the error of entry i, which is not OK.
func statementError(i int, m map[string]any) *Error {
	msg, _ := m["result"].(string)
	kind, _ := m["kind"].(string)
	se := &rpc.ServerError{Kind: kind, Details: m["details"], Message: msg}
	e := &Error{Code: CodeQueryFailed, Statement: i, ServerMessage: msg}
	if kinds := se.DetailKinds(); len(kinds) > 0 {
		e.ServerKind = kinds[len(kinds)-1]
	}
	reason, clause := reasonOf(msg)
	e.Reason = reason
	if clause == "" {
		clause = firstLine(msg)
	}
	if clause == "" {
		clause = "the server gives no message"
	}
	e.Message = "Statement " + strconv.Itoa(i) + " failed: " + clause
	return e
}

// queryCallError adjusts the error of a query refused as a whole: a parse
// error is the query's failure, not the call's; Statement is -1 as no
// statement ran.
func queryCallError(e *Error, text string) {
	e.Statement = -1
	if strings.HasPrefix(text, "Parse error") {
		e.Code = CodeQueryFailed
	}
}
