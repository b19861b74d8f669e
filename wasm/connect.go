//go:build js && wasm

package main

import (
	"context"

	"github.com/hack-pad/safejs"
	"github.com/surrealauth/surrealauth/sdk"
)

// connect is the exported connect(url, options): it dials, restores the
// stored session (sdk.Dial does both) and resolves to the db object.
// Arguments are read now, on the caller's turn of the event loop; the
// network work runs on a goroutine.
func connect(_ safejs.Value, args []safejs.Value) any {
	cfg, err := readConnectArgs(args)
	if err != nil {
		return rejected(err)
	}
	store, err := newBrowserStore(cfg.storage)
	if err != nil {
		return rejected(err)
	}
	return newPromise(func() (any, error) {
		if _, err := constructor("WebSocket"); err != nil {
			return nil, &sdk.Error{Code: sdk.CodeUnsupported, Message: "this platform has no WebSocket"}
		}
		opts := append(cfg.options, sdk.WithStore(store))
		client, err := sdk.Dial(context.Background(), cfg.url, opts...)
		if err != nil {
			return nil, err
		}
		obj, err := newDatabase(client, store).export()
		if err != nil {
			client.Close()
		}
		return obj, err
	})
}

type connectConfig struct {
	url     string
	storage safejs.Value
	options []sdk.Option
}

// readConnectArgs checks connect's arguments. wasmURL is the loader's and is
// not read here.
func readConnectArgs(args []safejs.Value) (connectConfig, error) {
	var cfg connectConfig
	if len(args) == 0 || args[0].Type() != safejs.TypeString {
		return cfg, invalidParams("connect needs the endpoint URL, for example ws://127.0.0.1:8000/rpc")
	}
	cfg.url, _ = args[0].String()
	opts := safejs.Undefined()
	if len(args) > 1 {
		opts = args[1]
	}
	switch opts.Type() {
	case safejs.TypeUndefined, safejs.TypeNull:
		cfg.storage = safejs.Undefined()
		return cfg, nil
	case safejs.TypeObject:
	default:
		return cfg, invalidParams("connect's options must be an object")
	}
	var err error
	if cfg.storage, err = get(opts, "storage"); err != nil {
		return cfg, err
	}
	strings := []struct {
		name string
		opt  func(string) sdk.Option
	}{
		{"namespace", sdk.WithNamespace},
		{"database", sdk.WithDatabase},
		{"storageKey", sdk.WithStorageKey},
	}
	for _, s := range strings {
		v, err := optionalString(opts, s.name)
		if err != nil {
			return cfg, err
		}
		if v != "" {
			cfg.options = append(cfg.options, s.opt(v))
		}
	}
	return cfg, nil
}

// optionalString reads obj[name]: a non-empty string, or absent.
func optionalString(obj safejs.Value, name string) (string, error) {
	v, err := get(obj, name)
	if err != nil {
		return "", err
	}
	switch v.Type() {
	case safejs.TypeUndefined, safejs.TypeNull:
		return "", nil
	case safejs.TypeString:
		s, err := v.String()
		if err == nil && s == "" {
			err = invalidParams("option " + name + " is empty")
		}
		return s, err
	default:
		return "", invalidParams("option " + name + " must be a string")
	}
}
