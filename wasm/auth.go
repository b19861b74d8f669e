//go:build js && wasm

package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/hack-pad/safejs"
	"github.com/surrealauth/surrealauth/sdk"
)

// The auth methods. Each reads its arguments at once and leaves the round
// trip to a goroutine. Calls use the sdk's default timeout.

func (d *database) signup(args []safejs.Value) any { return withCredentials(args, d.client.Signup) }

func (d *database) signin(args []safejs.Value) any { return withCredentials(args, d.client.Signin) }

// withCredentials reads a credentials object now and runs call in a
// Promise that resolves to the access token (seed 000: signup resolves to
// the token string).
func withCredentials(args []safejs.Value, call func(context.Context, sdk.Credentials) (sdk.Tokens, error)) any {
	creds, err := credentialsArg(args)
	if err != nil {
		return rejected(err)
	}
	return newPromise(func() (any, error) {
		t, err := call(context.Background(), creds)
		return t.Access, err
	})
}

func (d *database) authenticate(args []safejs.Value) any {
	if len(args) == 0 || args[0].Type() != safejs.TypeString {
		return rejected(invalidParams("authenticate needs the token as a string"))
	}
	token, _ := args[0].String()
	if err := checkTokenAlg(token); err != nil {
		return rejected(err)
	}
	return newPromise(func() (any, error) {
		return safejs.Undefined(), d.client.Authenticate(context.Background(), token)
	})
}

func (d *database) invalidate(_ []safejs.Value) any {
	return newPromise(func() (any, error) {
		return safejs.Undefined(), d.client.Invalidate(context.Background())
	})
}

// info resolves to the signed-in record as a plain object, or null.
func (d *database) info(_ []safejs.Value) any {
	return newPromise(func() (any, error) {
		rec, err := d.client.Info(context.Background())
		if err != nil || rec == nil {
			return nil, err
		}
		return toJS(rec)
	})
}

// refresh resolves to the new access token.
func (d *database) refresh(_ []safejs.Value) any {
	return newPromise(func() (any, error) {
		t, err := d.client.Refresh(context.Background())
		return t.Access, err
	})
}

// credentialsArg reads signin's or signup's object with the sdk's spellings.
func credentialsArg(args []safejs.Value) (sdk.Credentials, error) {
	if len(args) == 0 || args[0].Type() != safejs.TypeObject || brand(args[0]) == "Array" {
		return sdk.Credentials{}, invalidParams("credentials must be an object, for example {user, pass} or {NS, DB, AC, email, password}")
	}
	v, err := fromJS(args[0])
	if err != nil {
		return sdk.Credentials{}, err
	}
	m, _ := v.(map[string]any)
	return sdk.ParseCredentials(m)
}

// serverAlgs are the JWT algorithms SurrealDB signs and checks with.
var serverAlgs = map[string]bool{
	"HS256": true, "HS384": true, "HS512": true, "ES256": true, "ES384": true, "ES512": true,
	"RS256": true, "RS384": true, "RS512": true, "PS256": true, "PS384": true, "PS512": true, "EdDSA": true,
}

// checkTokenAlg refuses, before sending, a token whose header names an
// algorithm SurrealDB never uses ("none", say): the server would answer with
// a bare JSON decoding error that says nothing about the token. A header
// that does not decode is left to the sdk, which refuses it too.
func checkTokenAlg(token string) error {
	head, _, ok := strings.Cut(token, ".")
	if !ok {
		return nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(head)
	if err != nil {
		return nil
	}
	var h struct {
		Alg string `json:"alg"`
	}
	if json.Unmarshal(raw, &h) != nil || serverAlgs[h.Alg] {
		return nil
	}
	return &sdk.Error{Code: sdk.CodeTokenInvalid, Message: "the token's algorithm " + quote(h.Alg) + " is not one SurrealDB signs with"}
}
