package sdk

import (
	"bytes"
	"context"
	"strconv"
	"sync"

	"github.com/surrealauth/surrealauth/sdk/internal/jsonx"
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
// never credentials (see docs/architecture.md#storage).
type storedSession struct {
	V       int    `json:"v"`
	Token   string `json:"token"`
	Refresh string `json:"refresh,omitempty"`
	NS      string `json:"ns"`
	DB      string `json:"db"`
	AC      string `json:"ac,omitempty"`
	Exp     int64  `json:"exp"` // access token expiry, Unix seconds; 0 = none
}

// encodeStored writes the record as encoding/json wrote it from the struct
// above: fields in that order, refresh and ac left out when empty.
func encodeStored(s *Session) string {
	b := make([]byte, 0, 64+len(s.Token)+len(s.RefreshToken))
	b = append(b, `{"v":`...)
	b = strconv.AppendInt(b, storedVersion, 10)
	b = appendField(b, "token", s.Token)
	if s.RefreshToken != "" {
		b = appendField(b, "refresh", s.RefreshToken)
	}
	b = appendField(b, "ns", s.Namespace)
	b = appendField(b, "db", s.Database)
	if s.Access != "" {
		b = appendField(b, "ac", s.Access)
	}
	var exp int64
	if !s.ExpiresAt.IsZero() {
		exp = s.ExpiresAt.Unix()
	}
	b = append(b, `,"exp":`...)
	b = strconv.AppendInt(b, exp, 10)
	return string(append(b, '}'))
}

func appendField(b []byte, name, value string) []byte {
	b = append(append(append(b, `,"`...), name...), `":`...)
	return jsonx.AppendString(b, value)
}

// errCorruptStored means the stored record is unusable and must be removed.
var errCorruptStored = newError(CodeStorageUnavailable, "the stored session is corrupt")

// decodeStored reads a record as encoding/json read it into the struct: keys
// matched exactly or else without regard to case, the last one winning,
// null leaving a field as it was, unknown members ignored, and any value of
// the wrong type making the whole record corrupt. The record is untrusted
// input (any script on the origin can write it).
func decodeStored(v string) (storedSession, error) {
	var rec storedSession
	r, err := jsonx.NewReader([]byte(v))
	if err != nil {
		return storedSession{}, errCorruptStored
	}
	switch r.Kind() {
	case jsonx.Null:
	case jsonx.Object:
		err = r.Members(func(key []byte) error { return rec.read(key, r) })
	default:
		err = errCorruptStored
	}
	if err != nil || rec.V != storedVersion || rec.Token == "" {
		return storedSession{}, errCorruptStored
	}
	return rec, nil
}

// storedFields are the record's members, as the struct tags name them.
var storedFields = [...]string{"v", "token", "refresh", "ns", "db", "ac", "exp"}

// storedField is the index of the field key names: no two names are equal
// without regard to case, so an exact match and a folded one cannot
// disagree.
func storedField(key []byte) int {
	for i, name := range storedFields {
		if bytes.EqualFold(key, []byte(name)) {
			return i
		}
	}
	return -1
}

// read sets the field key names from the next value.
func (rec *storedSession) read(key []byte, r *jsonx.Reader) error {
	field := storedField(key)
	switch {
	case field < 0:
		r.Skip()
		return nil
	case r.Kind() == jsonx.Null:
		r.SkipNull()
		return nil
	case storedFields[field] == "v" || storedFields[field] == "exp":
		if r.Kind() != jsonx.Number {
			return errCorruptStored
		}
		n, err := r.Int()
		if storedFields[field] == "v" {
			rec.V = int(n)
		} else {
			rec.Exp = n
		}
		return err
	case r.Kind() != jsonx.String:
		return errCorruptStored
	}
	s := r.String()
	switch storedFields[field] {
	case "token":
		rec.Token = s
	case "refresh":
		rec.Refresh = s
	case "ns":
		rec.NS = s
	case "db":
		rec.DB = s
	case "ac":
		rec.AC = s
	}
	return nil
}
