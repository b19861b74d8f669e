package sdk

import (
	"context"
	"time"
)

// Option configures Dial.
type Option func(*options)

type options struct {
	namespace, database string
	store               Store
	storageKey          string
	callTimeout         time.Duration
	dialTimeout         time.Duration
	clock               Clock
	onStorageError      func(error)
	renewMargin         time.Duration
	reconnect           ReconnectPolicy
	verifier            Verifier
	tokenSource         func(ctx context.Context) (string, error)
}

// ReconnectPolicy says how the client gets its connection back after the
// socket dies. The zero value of a field means its default.
type ReconnectPolicy struct {
	// Disabled fails calls with ErrConnectionClosed instead. The client
	// then also closes when it resets its socket because a reply to an
	// identity change was lost or late (docs/architecture.md#connection).
	Disabled bool
	MinDelay time.Duration // first wait (default 100 ms), doubled per failed attempt
	MaxDelay time.Duration // longest wait (default 1 s); each wait has up to 20 % jitter taken off
	// Wait bounds how long a call made while reconnecting waits for the
	// connection before it fails with ErrConnectionClosed (default 10 s).
	Wait time.Duration
}

func defaultOptions() options {
	return options{
		store:       NewMemoryStore(),
		callTimeout: 30 * time.Second,
		dialTimeout: 10 * time.Second,
		clock:       wallClock{},
		renewMargin: 60 * time.Second,
		reconnect:   ReconnectPolicy{MinDelay: 100 * time.Millisecond, MaxDelay: time.Second, Wait: 10 * time.Second},
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

// WithClock replaces the wall clock and its timers, so expiry logic can be
// tested without sleeping.
func WithClock(c Clock) Option { return func(o *options) { o.clock = c } }

// WithVerifier makes the client check every token with v and refuse those
// that do not verify; sessions are then marked Verified. verify.WithKey is
// the usual way in. SurrealDB's default HS512 cannot be checked by a client.
func WithVerifier(v Verifier) Option { return func(o *options) { o.verifier = v } }

// WithRenewMargin sets how long before the access token expires the client
// renews it (default 60 s; never more than a third of the token's life).
func WithRenewMargin(d time.Duration) Option { return func(o *options) { o.renewMargin = d } }

// WithReconnect sets the reconnect policy; zero fields keep their defaults.
func WithReconnect(p ReconnectPolicy) Option {
	return func(o *options) {
		def := defaultOptions().reconnect
		if p.MinDelay <= 0 {
			p.MinDelay = def.MinDelay
		}
		if p.MaxDelay <= 0 {
			p.MaxDelay = def.MaxDelay
		}
		if p.Wait <= 0 {
			p.Wait = def.Wait
		}
		o.reconnect = p
	}
}

// WithStorageErrorHandler is told when the store fails to write or remove.
// The session then lives on in memory; the error is not returned by the
// auth call that caused it, which did succeed.
func WithStorageErrorHandler(fn func(error)) Option {
	return func(o *options) { o.onStorageError = fn }
}

// DefaultStorageKey is the key a client for url stores its session under.
func DefaultStorageKey(url string) string { return "surrealauth:" + url }
