//go:build js && wasm

package main

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/hack-pad/safejs"
	"github.com/surrealauth/surrealauth/sdk"
)

// The storage kinds db.storage reports.
const (
	storageLocal   = "local"   // window.localStorage: survives reloads, shared by tabs
	storageSession = "session" // window.sessionStorage: this tab only
	storageMemory  = "memory"  // forgotten on reload
	storageCustom  = "custom"  // the caller's {getItem, setItem, removeItem}, sync or async
	// storageIndexedDB is the bindings' IndexedDB adapter (js/idbstore.js),
	// an async storage like a custom one that tabs and workers share.
	storageIndexedDB = "indexeddb"
)

// storeWait bounds one call of an async storage (a Promise that
// settles late counts as a failure: the storage is given up for memory).
var storeWait = 10 * time.Second

// browserStore is the sdk.Store for a page: Web Storage, a caller's object
// of the same shape, or memory. A storage that throws returns the error;
// the sdk hands write failures (and a failed read at restore) to its
// storage error handler, which is failed below: the storage is given up
// for memory for the rest of the page's life, with one console.warn. The
// session then does not survive a reload, but nothing fails.
type browserStore struct {
	page *page

	mu      sync.Mutex
	kind    string
	backend safejs.Value // the JS storage; unused once kind is memory
	mem     *sdk.MemoryStore
	probed  bool
	// last is the value this client last read or wrote ("" for none): what
	// it knows, against which an announced write is recognised (crosstab.go).
	last string
	// onWrite, if set, is told of every write that changed the JS storage;
	// the cross-tab glue tells the other clients of the page, and a
	// custom storage's other tabs.
	onWrite func(key string)
	// changes counts writes made by others, as this client hears of them;
	// changed is closed (and replaced) on each (see sdk.StoreWatcher).
	changes uint64
	changed chan struct{}
	// mirror, if set, is told of every record stored ("" when removed),
	// after the write and before the call that made it returns: the
	// cookie option (cookie.go). Set before the client dials, never
	// changed.
	mirror func(value string)
}

var (
	_ sdk.Store        = (*browserStore)(nil)
	_ sdk.Locker       = (*browserStore)(nil)
	_ sdk.StoreWatcher = (*browserStore)(nil)
)

// newBrowserStore makes the store for kind, as the bindings checked it;
// custom is the page's object for "custom".
func newBrowserStore(kind string, custom safejs.Value, p *page) (*browserStore, error) {
	s := &browserStore{page: p, kind: kind, mem: sdk.NewMemoryStore(), changed: make(chan struct{})}
	switch kind {
	case storageLocal:
		s.useWebStorage("localStorage")
	case storageSession:
		s.useWebStorage("sessionStorage")
	case storageCustom, storageIndexedDB:
		s.backend = custom
	case storageMemory:
	default:
		return nil, errInternal("storage kind " + kind)
	}
	return s, nil
}

// useWebStorage picks window[name]. Its getter throws SecurityError where
// storage is blocked: the store is then memory from the start.
func (s *browserStore) useWebStorage(name string) {
	v, err := global(name)
	if err == nil && v.Type() != safejs.TypeObject {
		err = errors.New("this page has no " + name)
	}
	if err != nil {
		s.failed(&storageError{kind: s.kind, cause: err})
		return
	}
	s.backend = v
}

const probeKey = "surrealauth:probe"

var errNotText = errors.New("storage.getItem gave neither a string nor null")

// call runs backend[method](args…) and, when the storage is async (the
// call returned a Promise), waits for what it settles to, on this
// goroutine (see awaitValue: the sdk never calls its Store from the JS
// event loop).
func call(backend safejs.Value, method string, args ...any) (safejs.Value, error) {
	v, err := backend.Call(method, args...)
	if err != nil {
		return v, err
	}
	return awaitValue(context.Background(), v, storeWait)
}

// getText is backend.getItem(key): the string, or false for null and
// undefined; anything else is an error.
func getText(backend safejs.Value, key string) (string, bool, error) {
	v, err := call(backend, "getItem", key)
	if err != nil {
		return "", false, err
	}
	if t := v.Type(); t != safejs.TypeString && t != safejs.TypeNull && t != safejs.TypeUndefined {
		return "", false, errNotText
	}
	str, found := text(v)
	return str, found, nil
}

// probe checks, once, that Web Storage takes a write (Safari's private
// mode and a full quota refuse them while reads work), so that db.storage
// says "memory" before the first sign-in rather than after it.
func (s *browserStore) probe() {
	s.mu.Lock()
	backend, kind, done := s.backend, s.kind, s.probed
	s.probed = true
	s.mu.Unlock()
	if done || (kind != storageLocal && kind != storageSession) {
		return
	}
	_, err := backend.Call("setItem", probeKey, "1")
	if err == nil {
		_, err = backend.Call("removeItem", probeKey)
	}
	if err != nil {
		s.failed(&storageError{kind: kind, cause: err})
	}
}

// Kind is what db.storage reports.
func (s *browserStore) Kind() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.kind
}

// live returns the JS storage, or false once the store has fallen back.
func (s *browserStore) live() (safejs.Value, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.backend, s.kind != storageMemory
}

// Get implements sdk.Store.
func (s *browserStore) Get(key string) (string, bool, error) {
	backend, ok := s.live()
	if !ok {
		return s.mem.Get(key)
	}
	str, found, err := getText(backend, key)
	if err != nil {
		return "", false, &storageError{kind: s.Kind(), cause: err}
	}
	s.know(str)
	return str, found, nil
}

// Set implements sdk.Store. Writing the value already there is skipped, as
// Web Storage itself would not announce it.
func (s *browserStore) Set(key, value string) error {
	err := s.set(key, value)
	if err == nil && s.mirror != nil {
		s.mirror(value)
	}
	return err
}

func (s *browserStore) set(key, value string) error {
	backend, ok := s.live()
	if !ok {
		return s.mem.Set(key, value)
	}
	cur, found, err := getText(backend, key)
	if err == nil && found && cur == value {
		s.know(value)
		return nil
	}
	if err == nil {
		_, err = call(backend, "setItem", key, value)
	}
	if err != nil {
		return &storageError{kind: s.Kind(), cause: err, key: key, value: value, set: true}
	}
	s.know(value)
	s.wrote(key)
	return nil
}

// Remove implements sdk.Store.
func (s *browserStore) Remove(key string) error {
	if s.mirror != nil {
		defer s.mirror("") // cleared even if the storage failed: the session is gone
	}
	backend, ok := s.live()
	if !ok {
		return s.mem.Remove(key)
	}
	if _, err := call(backend, "removeItem", key); err != nil {
		return &storageError{kind: s.Kind(), cause: err, key: key}
	}
	s.know("")
	s.wrote(key)
	return nil
}

func (s *browserStore) know(v string) {
	s.mu.Lock()
	s.last = v
	s.mu.Unlock()
}

func (s *browserStore) wrote(key string) {
	s.mu.Lock()
	hook := s.onWrite
	s.mu.Unlock()
	if hook != nil {
		hook(key)
	}
}

// noteForeignWrite records that another client changed the store.
func (s *browserStore) noteForeignWrite() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.changes++
	close(s.changed)
	s.changed = make(chan struct{})
}

// Changes implements sdk.StoreWatcher: how many writes of other clients
// were heard of so far, and a channel closed at the next.
func (s *browserStore) Changes() (uint64, <-chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changes, s.changed
}

// differs tells whether the storage now holds another value under key
// than the one this client last read or wrote. It does not count as a
// read: the client still knows what it knew.
func (s *browserStore) differs(key string) bool {
	backend, ok := s.live()
	if !ok {
		return false
	}
	str, _, err := getText(backend, key)
	if err != nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return str != s.last
}

// text is v when it is a string; "" and false for null (no such key) and
// anything else.
func text(v safejs.Value) (string, bool) {
	if v.Type() != safejs.TypeString {
		return "", false
	}
	s, err := v.String()
	return s, err == nil
}
