//go:build js && wasm

package main

import (
	"context"
	"errors"

	"github.com/surrealauth/surrealauth/sdk"
	"github.com/surrealauth/surrealauth/sdk/jsvalue"
)

// The data methods (docs/protocol.md#query, #use). Their arguments come as
// js/bindings.js checked and wrote them (one owner: the shape is the
// bindings'): query gets {sql, vars?}, use {namespace?, database?}, both in
// the sdk/jsvalue form. The vars are passed on, never logged.

// query resolves to one value per entry of the server's result, converted
// as info's record is.
func (d *database) query(arg string) (string, error) {
	v, err := jsvalue.Parse([]byte(arg))
	m, _ := v.(map[string]any)
	switch {
	case errors.Is(err, jsvalue.ErrUnsupported):
		return "", invalidParams("a BigInt beyond 64 bits cannot be sent: SurrealDB's integers are 64-bit")
	case errors.Is(err, jsvalue.ErrDepth):
		return "", invalidParams("the value is nested too deeply")
	case err != nil || m == nil:
		return "", errInternal("the query did not cross the bridge")
	}
	sql, _ := m["sql"].(string)
	vars, _ := m["vars"].(map[string]any)
	values, err := d.client.Query(context.Background(), sql, vars)
	if err != nil {
		return "", err
	}
	b, err := jsvalue.Append(nil, values)
	if err != nil {
		return "", &sdk.Error{Code: sdk.CodeServerError, Message: "the query result cannot be given to JavaScript", Err: err}
	}
	return string(b), nil
}

// use selects the namespace and database; the sdk replays the selection
// after a reconnect.
func (d *database) use(arg string) (string, error) {
	m, err := object(arg)
	if err != nil {
		return "", err
	}
	ns, _ := m["namespace"].(string)
	db, _ := m["database"].(string)
	return "", d.client.Use(context.Background(), ns, db)
}
