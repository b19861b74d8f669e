//go:build js && wasm

package main

import (
	"errors"
	"sync"
	"syscall/js"

	"github.com/hack-pad/safejs"
)

// reflectGet is Reflect.get, looked up once, when first needed: startup
// stays cheap, and no call pays for the lookup again.
var reflectGet = sync.OnceValues(func() (safejs.Value, error) {
	r, err := safejs.Global().Get("Reflect") // a data property of the global: cannot throw
	if err != nil {
		return r, err
	}
	return r.Get("get")
})

// get reads v[key] through Reflect.get. safejs's Get only turns Go panics
// into errors: wasm_exec.js runs property reads (valueGet, valueIndex)
// without a try/catch, so a getter that throws (window.localStorage in a
// sandboxed frame, a Proxy, a user's getter) would unwind straight through
// the Go runtime. Calls (valueInvoke) are guarded, so the read goes through one.
func get(v safejs.Value, key any) (safejs.Value, error) {
	fn, err := reflectGet()
	if err != nil {
		return safejs.Value{}, err
	}
	return fn.Invoke(v, key)
}

// global returns globalThis[name]; undefined when absent. Globals that may
// be replaced or blocked (localStorage, navigator) are read when used.
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

// hasMethods tells whether v has a function under each name.
func hasMethods(v safejs.Value, names ...string) bool {
	for _, n := range names {
		m, err := get(v, n)
		if err != nil || m.Type() != safejs.TypeFunction {
			return false
		}
	}
	return true
}

// warn writes msg with console.warn, if the page has one.
func warn(msg string) {
	console, err := global("console")
	if err == nil && console.Type() == safejs.TypeObject {
		_, _ = console.Call("warn", msg)
	}
}

// objectCtor is the Object constructor, looked up once.
var objectCtor = sync.OnceValues(func() (safejs.Value, error) { return constructor("Object") })

// newObject returns a fresh empty JS object.
func newObject() (safejs.Value, error) {
	ctor, err := objectCtor()
	if err != nil {
		return ctor, err
	}
	return ctor.New()
}
