package sdk

import "time"

// Option configures Dial.
type Option func(*options)

type options struct {
	namespace, database string
	store               Store
	storageKey          string
	callTimeout         time.Duration
	dialTimeout         time.Duration
	now                 func() time.Time
	onStorageError      func(error)
}

func defaultOptions() options {
	return options{
		store:       NewMemoryStore(),
		callTimeout: 30 * time.Second,
		dialTimeout: 10 * time.Second,
		now:         time.Now,
	}
}

// WithNamespace sets the namespace used by access-method credentials that
// name none. System-user credentials never get it: {user, pass} stays root.
func WithNamespace(ns string) Option { return func(o *options) { o.namespace = ns } }

// WithDatabase sets the database used by record-access credentials that
// name none (with the default namespace only).
func WithDatabase(db string) Option { return func(o *options) { o.database = db } }

// WithStore keeps the session in s (default: a MemoryStore). The client
// writes the stored record on every auth change and reads it at Dial.
func WithStore(s Store) Option { return func(o *options) { o.store = s } }

// WithStorageKey names the stored record (default: derived from the URL).
func WithStorageKey(k string) Option { return func(o *options) { o.storageKey = k } }

// WithCallTimeout bounds each call whose context has no deadline (default 30 s).
func WithCallTimeout(d time.Duration) Option { return func(o *options) { o.callTimeout = d } }

// WithDialTimeout bounds the connect and version handshake (default 10 s).
func WithDialTimeout(d time.Duration) Option { return func(o *options) { o.dialTimeout = d } }

// WithClock replaces time.Now, so expiry logic can be tested without sleeping.
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithStorageErrorHandler is told when the store fails to write or remove.
// The session then lives on in memory; the error is not returned by the
// auth call that caused it, which did succeed.
func WithStorageErrorHandler(fn func(error)) Option {
	return func(o *options) { o.onStorageError = fn }
}

// DefaultStorageKey is the key a client for url stores its session under.
func DefaultStorageKey(url string) string { return "surrealauth:" + url }
