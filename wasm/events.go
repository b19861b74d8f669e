//go:build js && wasm

package main

import "github.com/hack-pad/safejs"

// listen adds fn as target's listener for events of type typ. The function
// it returns removes the listener and releases fn. fn runs on the event
// loop: it must not block (start a goroutine for anything that waits).
func listen(target safejs.Value, typ string, fn func(event safejs.Value)) (func(), error) {
	f, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		if len(args) > 0 {
			fn(args[0])
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if _, err := target.Call("addEventListener", typ, f); err != nil {
		f.Release()
		return nil, err
	}
	return func() {
		_, _ = target.Call("removeEventListener", typ, f)
		f.Release()
	}, nil
}

// eventTarget returns globalThis[name] when it can take event listeners
// (window, document); false in a worker without a document, say.
func eventTarget(name string) (safejs.Value, bool) {
	var v safejs.Value
	var err error
	if name == "" {
		v = safejs.Global()
	} else if v, err = global(name); err != nil {
		return v, false
	}
	return v, v.Type() == safejs.TypeObject && hasMethods(v, "addEventListener", "removeEventListener")
}

// listeners collects the removers of one client's page listeners.
type listeners []func()

func (l *listeners) add(target safejs.Value, typ string, fn func(event safejs.Value)) error {
	remove, err := listen(target, typ, fn)
	if err == nil {
		*l = append(*l, remove)
	}
	return err
}

func (l *listeners) removeAll() {
	for _, remove := range *l {
		remove()
	}
	*l = nil
}
