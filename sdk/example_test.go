package sdk_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/surrealauth/surrealauth/sdk"
)

// A record user signs up with the object of the SurrealDB docs, and the
// session survives in the store for the next Dial.
func Example() {
	ctx := context.Background()
	db, err := sdk.Dial(ctx, "ws://127.0.0.1:8000/rpc", sdk.WithStore(sdk.NewMemoryStore()))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	creds, err := sdk.ParseCredentials(map[string]any{
		"NS": "surrealauth", "DB": "demo", "SC": "allusers",
		"email": "test@acme.com", "password": "some password",
	})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := db.Signup(ctx, creds); errors.Is(err, sdk.ErrInvalidCredentials) {
		_, err = db.Signin(ctx, creds) // already signed up
	}
	if err != nil {
		log.Fatal(err)
	}
	user, err := db.Info(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(user["email"])
}

func ExampleParseCredentials() {
	_, err := sdk.ParseCredentials(map[string]any{"Ns": "app", "user": "root", "pass": "root"})
	fmt.Println(sdk.CodeOf(err), err)
	// Output: invalid_params surrealauth: invalid_params: unknown key "Ns": did you mean "NS"?
}
