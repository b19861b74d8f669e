//go:build js && wasm

package main

import (
	"context"
	"errors"

	"github.com/surrealauth/surrealauth/sdk"
	"github.com/surrealauth/surrealauth/sdk/jsvalue"
)

// The async methods. Each gets its argument as the bindings sent it (the
// credentials as JSON, the token as it is), runs with the sdk's default
// timeout, and returns its result as JSON ("" for undefined).

func (d *database) signup(arg string) (string, error) { return withCredentials(arg, d.client.Signup) }

func (d *database) signin(arg string) (string, error) { return withCredentials(arg, d.client.Signin) }

// withCredentials reads a credentials object (sdk.ParseCredentials checks
// it) and resolves to the access token.
func withCredentials(arg string, call func(context.Context, sdk.Credentials) (sdk.Tokens, error)) (string, error) {
	m, err := object(arg)
	if err != nil {
		return "", err
	}
	creds, err := sdk.ParseCredentials(m)
	if err != nil {
		return "", err
	}
	t, err := call(context.Background(), creds)
	if err != nil {
		return "", err
	}
	return jsonText(t.Access), nil
}

// object reads the JSON of an object the page passed.
func object(arg string) (map[string]any, error) {
	v, err := jsvalue.Parse([]byte(arg))
	if errors.Is(err, jsvalue.ErrDepth) {
		return nil, invalidParams("the value is nested too deeply")
	}
	m, ok := v.(map[string]any)
	if err != nil || !ok {
		return nil, invalidParams("credentials must be an object, for example {user, pass} or {NS, DB, AC, email, password}")
	}
	return m, nil
}

func (d *database) authenticate(token string) (string, error) {
	return "", d.client.Authenticate(context.Background(), token)
}

func (d *database) invalidate(string) (string, error) {
	return "", d.client.Invalidate(context.Background())
}

// info resolves to the signed-in record, or null.
func (d *database) info(string) (string, error) {
	rec, err := d.client.Info(context.Background())
	if err != nil || rec == nil {
		return "null", err
	}
	b, err := jsvalue.Append(nil, rec)
	if err != nil {
		return "", &sdk.Error{Code: sdk.CodeServerError, Message: "the record cannot be given to JavaScript", Err: err}
	}
	return string(b), nil
}

// refresh resolves to the new access token.
func (d *database) refresh(string) (string, error) {
	t, err := d.client.Refresh(context.Background())
	if err != nil {
		return "", err
	}
	return jsonText(t.Access), nil
}

func jsonText(s string) string {
	b, _ := jsvalue.Append(nil, s)
	return string(b)
}
