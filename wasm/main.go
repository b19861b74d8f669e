//go:build js && wasm

// Command surrealauth is the browser face of the sdk: compiled to
// WebAssembly, it hands js/bindings.js an object whose methods return
// Promises and do their work on goroutines.
//
// The loader names a one-shot global in argv[1]; main calls it with the
// exports and then blocks, so the exported functions stay alive. main does
// nothing else first: everything costly waits for connect.
package main

import (
	"errors"
	"os"

	"github.com/hack-pad/safejs"
)

func main() {
	exports, err := newExports()
	if err != nil {
		println("surrealauth: cannot build the exports:", err.Error())
		os.Exit(1)
	}
	if err := announce(exports); err != nil {
		println("surrealauth:", err.Error())
		os.Exit(1)
	}
	select {} // the exports are called from JS for the life of the page
}

// announce passes the exports to the loader through the global it named.
func announce(exports safejs.Value) error {
	if len(os.Args) < 2 {
		return errors.New("started without the loader: argv[1] must name the ready callback (use surrealauth.js)")
	}
	ready, err := global(os.Args[1])
	if err != nil {
		return err
	}
	if ready.Type() != safejs.TypeFunction {
		return errors.New("the ready callback " + os.Args[1] + " is not a function")
	}
	_, err = ready.Invoke(exports)
	return err
}
