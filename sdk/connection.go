package sdk

import (
	"context"
	"sync"
	"time"

	"github.com/surrealauth/surrealauth/sdk/internal/rpc"
)

// connState is where the connection is in its life. Every change goes
// through move, which refuses a transition not in the table and announces
// the new state in the same critical section that stores it, so what
// ConnState reports and what listeners hear cannot disagree, repeat or skip
// (see docs/architecture.md#connection).
type connState uint8

const (
	stateDialing      connState = iota // inside Dial; nobody can see it
	stateConnected                     // a replayed socket is live
	stateReconnecting                  // the socket died; the loop is dialling
	stateClosed                        // Close, or death with reconnect off; final
)

var transitions = [4][4]bool{
	stateDialing:      {stateConnected: true, stateClosed: true},
	stateConnected:    {stateReconnecting: true, stateClosed: true},
	stateReconnecting: {stateConnected: true, stateClosed: true},
}

func (s connState) public() ConnState {
	switch s {
	case stateConnected:
		return ConnConnected
	case stateReconnecting:
		return ConnReconnecting
	default:
		return ConnClosed
	}
}

// connection owns the socket: dialling it, its state, noticing its death
// and reconnecting. What a new socket must be told (the namespace, the
// identity) is the Client's business: replay does it, in the auth section.
type connection struct {
	url         string
	dialTimeout time.Duration
	policy      ReconnectPolicy
	replay      func(*rpc.Conn) error // tells a new socket who we are, then publishes it
	listeners   *dispatcher

	mu     sync.Mutex // guards the fields below
	state  connState
	sock   *rpc.Conn     // the live socket while connected
	up     chan struct{} // closed while connected or closed: wakes waiters
	ns, db string        // from Use: replayed on a new socket
}

func newConnection(url string, o *options) *connection {
	return &connection{url: url, dialTimeout: o.dialTimeout, policy: o.reconnect,
		listeners: newDispatcher(), up: make(chan struct{})}
}

// move makes a checked transition and announces it. cn.mu is held.
func (cn *connection) move(to connState) bool {
	if !transitions[cn.state][to] {
		return false
	}
	cn.state = to
	if to == stateReconnecting {
		cn.up = make(chan struct{})
	} else {
		select {
		case <-cn.up:
		default:
			close(cn.up)
		}
	}
	cn.listeners.emit(Event(to.public()), nil)
	return true
}

// open dials and reads the server version, within the dial timeout.
func (cn *connection) open(ctx context.Context) (*rpc.Conn, Version, error) {
	ctx, cancel := context.WithTimeout(ctx, cn.dialTimeout)
	defer cancel()
	sock, err := rpc.Dial(ctx, cn.url, rpc.Options{})
	if err != nil {
		return nil, Version{}, dialError(cn.url, err)
	}
	raw, err := callOn(ctx, sock, "version", opOther)
	var v Version
	if err == nil {
		s, _ := raw.(string)
		v, err = ParseVersion(s)
	}
	if err != nil {
		sock.Close()
		return nil, Version{}, err
	}
	return sock, v, nil
}

// publish makes sock the live socket. It fails (and closes sock) once the
// client is closed.
func (cn *connection) publish(sock *rpc.Conn) bool {
	cn.mu.Lock()
	ok := cn.move(stateConnected)
	if ok {
		cn.sock = sock
	}
	cn.mu.Unlock()
	if !ok {
		sock.Close()
		return false
	}
	go func() {
		<-sock.Done()
		cn.lost(sock)
	}()
	return true
}

// lost retires sock after it died, or was reset: reconnecting, or closed
// when the policy says not to reconnect. A socket already retired is ignored.
func (cn *connection) lost(sock *rpc.Conn) {
	cn.mu.Lock()
	if cn.sock != sock || cn.state != stateConnected {
		cn.mu.Unlock()
		return
	}
	cn.sock = nil
	to := stateReconnecting
	if cn.policy.Disabled {
		to = stateClosed
	}
	cn.move(to)
	cn.mu.Unlock()
	if to == stateReconnecting {
		go cn.reconnect()
	}
}

// reset drops sock because its server session is no longer known: a reply
// to an identity change was lost or came too late, so the server may have
// applied it or not. A fresh socket is replayed with the client's identity
// (see docs/architecture.md#session).
func (cn *connection) reset(sock *rpc.Conn) {
	go sock.Close() // fails its pending calls at once; the close handshake may take a while
	cn.lost(sock)
}

// noticeDeath retires the live socket if it has died and its watcher has
// not run yet, so that no caller is handed, or told of, a dead socket as
// live. The transition is the watcher's own (lost), not a second opinion.
func (cn *connection) noticeDeath() {
	cn.mu.Lock()
	sock := cn.sock
	cn.mu.Unlock()
	if sock != nil && sock.Err() != nil {
		cn.lost(sock)
	}
}

// live is the socket now, or why there is none.
func (cn *connection) live() (*rpc.Conn, error) {
	cn.noticeDeath()
	cn.mu.Lock()
	defer cn.mu.Unlock()
	switch cn.state {
	case stateConnected:
		return cn.sock, nil
	case stateReconnecting:
		return nil, newError(CodeConnectionClosed, "the connection is down; reconnecting")
	default:
		return nil, newError(CodeConnectionClosed, "the connection is closed")
	}
}

// wait is live, but while reconnecting it waits for the new socket, within
// ctx and the policy's Wait.
func (cn *connection) wait(ctx context.Context) (*rpc.Conn, error) {
	cn.noticeDeath()
	cn.mu.Lock()
	up, state := cn.up, cn.state
	cn.mu.Unlock()
	if state != stateReconnecting {
		return cn.live()
	}
	timer := time.NewTimer(cn.policy.Wait)
	defer timer.Stop()
	select {
	case <-up:
		return cn.live()
	case <-ctx.Done():
		return nil, &Error{Code: CodeConnectionClosed, Message: "the connection is down; still reconnecting", Err: ctx.Err()}
	case <-timer.C:
		return nil, newError(CodeConnectionClosed, "the connection is down; still reconnecting")
	}
}

func (cn *connection) closed() bool {
	cn.mu.Lock()
	defer cn.mu.Unlock()
	return cn.state == stateClosed
}

func (cn *connection) current() ConnState {
	cn.noticeDeath()
	cn.mu.Lock()
	defer cn.mu.Unlock()
	return cn.state.public()
}

// close ends the connection for good; the reconnect loop stops.
func (cn *connection) close() {
	cn.mu.Lock()
	sock := cn.sock
	cn.sock = nil
	cn.move(stateClosed)
	cn.mu.Unlock()
	if sock != nil {
		sock.Close()
	}
	cn.listeners.close()
}

// selection is the namespace and database to replay.
func (cn *connection) selection() (ns, db string) {
	cn.mu.Lock()
	defer cn.mu.Unlock()
	return cn.ns, cn.db
}

// selected records a successful use; empty keeps the current value.
func (cn *connection) selected(ns, db string) {
	cn.mu.Lock()
	defer cn.mu.Unlock()
	if ns != "" {
		cn.ns = ns
	}
	if db != "" {
		cn.db = db
	}
}

// subscribe adds fn for every transition after it returns. It holds cn.mu
// so that no transition is half seen.
func (cn *connection) subscribe(fn func(ConnState)) func() {
	cn.mu.Lock()
	defer cn.mu.Unlock()
	return cn.listeners.subscribeRaw(func(ev Event, _ *Session) { fn(ConnState(ev)) })
}
