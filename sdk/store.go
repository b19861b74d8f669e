package sdk

import (
	"context"
	"encoding/json"
	"sync"
)

// Store keeps the signed-in session across restarts: browser storage in the
// wasm build, memory by default. It has the shape of the Web Storage API so
// that any key-value store fits. Implementations must be safe for
// concurrent use.
type Store interface {
	Get(key string) (value string, ok bool, err error)
	Set(key, value string) error
	Remove(key string) error
}

// MemoryStore is a Store that forgets when the process ends. It is also a
// Locker, so clients sharing one serialise their refreshes.
type MemoryStore struct {
	mu    sync.Mutex
	m     map[string]string
	locks map[string]chan struct{}
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{m: map[string]string{}, locks: map[string]chan struct{}{}}
}

// Lock implements Locker.
func (s *MemoryStore) Lock(ctx context.Context, name string, fn func() error) error {
	s.mu.Lock()
	l, ok := s.locks[name]
	if !ok {
		l = make(chan struct{}, 1)
		s.locks[name] = l
	}
	s.mu.Unlock()
	select {
	case l <- struct{}{}:
	case <-ctx.Done():
		return &Error{Code: CodeTimeout, Message: "waiting for the refresh lock", Err: ctx.Err()}
	}
	defer func() { <-l }()
	return fn()
}

// Get implements Store.
func (s *MemoryStore) Get(key string) (string, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[key]
	return v, ok, nil
}

// Set implements Store.
func (s *MemoryStore) Set(key, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[key] = value
	return nil
}

// Remove implements Store.
func (s *MemoryStore) Remove(key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, key)
	return nil
}

// storedVersion is the version of the stored record's format.
const storedVersion = 1

// storedSession is what the client writes: tokens and where they belong,
// never credentials (DESIGN.md §4).
type storedSession struct {
	V       int    `json:"v"`
	Token   string `json:"token"`
	Refresh string `json:"refresh,omitempty"`
	NS      string `json:"ns"`
	DB      string `json:"db"`
	AC      string `json:"ac,omitempty"`
	Exp     int64  `json:"exp"` // access token expiry, Unix seconds; 0 = none
}

func encodeStored(s *Session) string {
	rec := storedSession{V: storedVersion, Token: s.Token, Refresh: s.RefreshToken, NS: s.Namespace, DB: s.Database, AC: s.Access}
	if !s.ExpiresAt.IsZero() {
		rec.Exp = s.ExpiresAt.Unix()
	}
	b, _ := json.Marshal(rec) // only strings and ints: cannot fail
	return string(b)
}

// errCorruptStored means the stored record is unusable and must be removed.
var errCorruptStored = newError(CodeStorageUnavailable, "the stored session is corrupt")

func decodeStored(v string) (storedSession, error) {
	var rec storedSession
	if err := json.Unmarshal([]byte(v), &rec); err != nil || rec.V != storedVersion || rec.Token == "" {
		return storedSession{}, errCorruptStored
	}
	return rec, nil
}
