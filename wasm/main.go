//go:build js && wasm

// Command surrealauth is the browser face of the sdk: compiled to
// WebAssembly, it answers js/bindings.js through the bridge (bridge.go).
//
// The loader names a one-shot global in argv[1]; main calls it with Go's
// half of the bridge, gets the loader's half back, and blocks, so the
// exported functions stay alive. main does nothing else first: everything
// costly waits for connect.
package main

import (
	"errors"
	"os"

	"github.com/hack-pad/safejs"
)

func main() {
	b := &bridge{page: newPage(), dbs: map[int]*database{}}
	exports, err := b.exports()
	if err == nil {
		err = b.handshake(exports)
	}
	if err != nil {
		println("surrealauth:", err.Error())
		os.Exit(1)
	}
	select {} // the exports are called from JS for the life of the page
}

// handshake passes Go's half of the bridge to the loader through the global
// it named, and keeps the loader's half, {settle, emit}, that it returns.
func (b *bridge) handshake(exports safejs.Value) error {
	if len(os.Args) < 2 {
		return errors.New("started without the loader: argv[1] must name the ready callback (use surrealauth.js)")
	}
	ready, err := global(os.Args[1])
	if err == nil && ready.Type() != safejs.TypeFunction {
		err = errors.New("the ready callback " + os.Args[1] + " is not a function")
	}
	var loader safejs.Value
	if err == nil {
		loader, err = ready.Invoke(exports)
	}
	if err == nil {
		b.settleFn, err = loader.Get("settle")
	}
	if err == nil {
		b.emitFn, err = loader.Get("emit")
	}
	if err == nil && (b.settleFn.Type() != safejs.TypeFunction || b.emitFn.Type() != safejs.TypeFunction) {
		err = errors.New("the loader gave no settle and emit functions: surrealauth.js and surrealauth.wasm are of different builds")
	}
	return err
}
