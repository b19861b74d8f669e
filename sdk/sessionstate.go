package sdk

import (
	"sync"
	"time"
)

// sessionState is the identity the client holds: the current session, what
// the store held when the client last looked, and the renewal timer. It
// stores and announces each change; deciding the changes (the revival rule,
// sign-in, sign-out) is the Client's, in the auth section, which is also
// where every set and drop is called from (docs/architecture.md#session).
type sessionState struct {
	store          Store
	key            string
	clock          Clock
	margin         time.Duration
	onStorageError func(error)
	events         *dispatcher
	due            func() // the renewal timer's work
	// bound is told the namespace and database of every session set: the
	// server selects a token's NS and DB claims at each sign-in and
	// authenticate (docs/protocol.md#query), so the connection records them.
	bound func(ns, db string)

	mu    sync.Mutex // guards the fields below; never held while calling the store
	cur   *Session
	seen  string // the stored record as last written or read; "" for none
	blind bool   // the store failed: it may not hold what we think
	timer renewal
}

func newSessionState(o *options, key string, due func()) *sessionState {
	return &sessionState{store: o.store, key: key, clock: o.clock, margin: o.renewMargin,
		onStorageError: o.onStorageError, events: newDispatcher(), due: due}
}

// get returns a copy of the current session, or nil.
func (s *sessionState) get() *Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return nil
	}
	cp := *s.cur
	return &cp
}

// subscribe adds fn; its first event is INITIAL_SESSION with the session
// at that moment. Changes are announced under s.mu, so none slips between.
func (s *sessionState) subscribe(fn Listener) func() {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.events.subscribe(fn, s.cur)
}

// set makes sess current: stored first (nothing may use a pair a reload
// would not find), then kept, renewal armed if its time changed, and ev
// announced ("" for none). A record already stored is not written again.
func (s *sessionState) set(sess *Session, ev Event) {
	v := encodeStored(sess)
	s.write(v, func() error { return s.store.Set(s.key, v) })
	if s.bound != nil {
		s.bound(sess.Namespace, sess.Database)
	}
	cp := *sess
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cur = &cp
	s.armFor(&cp)
	if ev != "" {
		s.events.emit(ev, &cp)
	}
}

// drop forgets the session here and in the store; ev is announced if there
// was one.
func (s *sessionState) drop(ev Event) {
	s.write("", func() error { return s.store.Remove(s.key) })
	s.mu.Lock()
	defer s.mu.Unlock()
	had := s.cur != nil
	s.cur = nil
	s.timer.stop()
	if had && ev != "" {
		s.events.emit(ev, nil)
	}
}

// write stores v ("" removes) unless the store already holds it.
func (s *sessionState) write(v string, op func() error) {
	s.mu.Lock()
	same := !s.blind && s.seen == v
	s.mu.Unlock()
	if same {
		return
	}
	err := op()
	s.mu.Lock()
	s.seen, s.blind = v, err != nil
	s.mu.Unlock()
	if err != nil {
		s.storageFailed(err)
	}
}

// read returns the stored record ("" for none) and notes it as seen.
// changed tells whether it differs from what the client last wrote or
// read; never after a store failure, when the store says nothing reliable.
func (s *sessionState) read() (v string, changed bool, err error) {
	v, ok, err := s.store.Get(s.key)
	if err != nil {
		s.mu.Lock()
		s.blind = true
		s.mu.Unlock()
		return "", false, err
	}
	if !ok {
		v = ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	changed = !s.blind && v != s.seen
	s.seen, s.blind = v, false
	return v, changed, nil
}

func (s *sessionState) storageFailed(err error) {
	if s.onStorageError != nil {
		s.onStorageError(&Error{Code: CodeStorageUnavailable, Message: "the session store failed: " + err.Error(), Err: err})
	}
}

// close stops renewal and lets the listeners drain.
func (s *sessionState) close() {
	s.mu.Lock()
	s.timer.stop()
	s.mu.Unlock()
	s.events.close()
}
