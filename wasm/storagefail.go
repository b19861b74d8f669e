//go:build js && wasm

package main

import "errors"

// storageError is a storage call that threw: which storage, why, and for a
// failed write what it was, so that giving up the storage keeps it.
type storageError struct {
	kind       string
	cause      error
	key, value string
	set        bool // a failed setItem of value; else a removeItem, a read or the probe
}

func (e *storageError) Error() string { return e.kind + " storage: " + describe(e.cause) }

func (e *storageError) Unwrap() error { return e.cause }

// failed is the sdk's storage error handler (sdk.WithStorageErrorHandler),
// also called for what the sdk does not do itself (the probe, a storage the
// page cannot even reach). It gives the storage up for memory, once, and
// says so once: what a failed write meant to store is kept in memory, and
// the value it would have replaced is removed from the storage given up,
// so that a reload cannot bring back a session this page has since
// replaced or signed out of.
func (s *browserStore) failed(err error) {
	var se *storageError
	if !errors.As(err, &se) {
		return // not a failure of this store's storage
	}
	s.mu.Lock()
	if s.kind == storageMemory {
		s.mu.Unlock()
		return
	}
	was, backend := s.kind, s.backend
	s.kind = storageMemory
	s.mu.Unlock()
	stale := false
	if se.key != "" {
		if se.set {
			_ = s.mem.Set(se.key, se.value)
		}
		_, rmErr := call(backend, "removeItem", se.key)
		stale = rmErr != nil
	}
	msg := "surrealauth: " + was + " storage is unavailable (" + describe(se.cause) +
		"); the session is kept in memory and will not survive a reload"
	if stale {
		msg += "; an older session could not be removed from that storage"
	}
	warn(msg)
}
