//go:build js && wasm

package main

import (
	"context"

	"github.com/hack-pad/safejs"
	"github.com/surrealauth/surrealauth/sdk"
)

// The auth methods. Each reads its arguments at once and leaves the round
// trip to a goroutine. Calls use the sdk's default timeout.

func (d *database) signup(args []safejs.Value) any {
	creds, err := credentialsArg(args)
	if err != nil {
		return rejected(err)
	}
	return newPromise(func() (any, error) {
		t, err := d.client.Signup(context.Background(), creds)
		return t.Access, err
	})
}

func (d *database) signin(args []safejs.Value) any {
	creds, err := credentialsArg(args)
	if err != nil {
		return rejected(err)
	}
	return newPromise(func() (any, error) {
		t, err := d.client.Signin(context.Background(), creds)
		return t.Access, err
	})
}

func (d *database) authenticate(args []safejs.Value) any {
	if len(args) == 0 || args[0].Type() != safejs.TypeString {
		return rejected(invalidParams("authenticate needs the token as a string"))
	}
	token, _ := args[0].String()
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
