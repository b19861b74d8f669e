//go:build js && wasm

package main

import (
	"errors"
	"syscall/js"

	"github.com/hack-pad/safejs"
)

// Globals are looked up when needed, never at init: startup stays cheap and a
// page that replaces one (a test's fake WebSocket, say) is seen.

// get reads v[key] through Reflect.get. safejs's Get only turns Go panics
// into errors: wasm_exec.js runs property reads (valueGet, valueIndex)
// without a try/catch, so a getter that throws (window.localStorage in a
// sandboxed frame, a Proxy, a user's getter) would unwind straight through
// the Go runtime. Calls (valueCall) are guarded, so the read goes through one.
func get(v safejs.Value, key any) (safejs.Value, error) {
	reflect, err := safejs.Global().Get("Reflect") // a data property of the global: cannot throw
	if err != nil {
		return safejs.Value{}, err
	}
	return reflect.Call("get", v, key)
}

// global returns globalThis[name]; undefined when absent.
func global(name string) (safejs.Value, error) {
	return get(safejs.Global(), name)
}

// constructor returns the global constructor name, or an error when the
// platform lacks it.
func constructor(name string) (safejs.Value, error) {
	v, err := global(name)
	if err != nil {
		return safejs.Value{}, err
	}
	if v.Type() != safejs.TypeFunction {
		return safejs.Value{}, errors.New("this platform has no " + name)
	}
	return v, nil
}

// newObject returns a fresh empty JS object.
func newObject() (safejs.Value, error) {
	ctor, err := constructor("Object")
	if err != nil {
		return safejs.Value{}, err
	}
	return ctor.New()
}

// describe says what err is in a JS programmer's words: "QuotaExceededError:
// the quota has been exceeded" rather than "JavaScript error: …".
func describe(err error) string {
	var jsErr js.Error
	if !errors.As(err, &jsErr) {
		return err.Error()
	}
	v := safejs.Safe(jsErr.Value)
	name, _ := stringProp(v, "name")
	msg, _ := stringProp(v, "message")
	switch {
	case name != "" && msg != "":
		return name + ": " + msg
	case msg != "":
		return msg
	default:
		return err.Error()
	}
}

// stringProp reads v[name] when it is a string.
func stringProp(v safejs.Value, name string) (string, bool) {
	p, err := get(v, name)
	if err != nil || p.Type() != safejs.TypeString {
		return "", false
	}
	s, err := p.String()
	return s, err == nil
}
