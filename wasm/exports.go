//go:build js && wasm

package main

import "github.com/hack-pad/safejs"

// newExports builds the object handed to the loader. Its functions live as
// long as the page, so they are never released.
func newExports() (safejs.Value, error) {
	obj, err := newObject()
	if err != nil {
		return safejs.Value{}, err
	}
	connectFn, err := safejs.FuncOf(newPage().connect)
	if err != nil {
		return safejs.Value{}, err
	}
	if err := obj.Set("connect", connectFn); err != nil {
		return safejs.Value{}, err
	}
	return obj, nil
}
