//go:build !js

// Package faultproxy is a loopback TCP proxy for tests, placed between a
// WebSocket client and the dev server, that makes sockets slow or kills
// them on command: it can hold or delay new connections (a slow reconnect),
// delay or drop single WebSocket frames in either direction (a late or lost
// reply), and close every proxied connection at once (a dead network).
//
// It understands just enough of the protocol to do that: the HTTP upgrade
// is forwarded with its Host rewritten to the target and any
// Sec-WebSocket-Extensions removed (so frames are never compressed), and
// after it the byte stream is cut into frames. Frames are forwarded as the
// bytes that came in; the rule only sees their unmasked payload.
package faultproxy

import (
	"errors"
	"net"
	"net/url"
	"sync"
	"time"
)

// Frame is one WebSocket data frame as the rule sees it. Control frames
// (ping, pong, close) always pass untouched and are not shown.
type Frame struct {
	Conn     int  // which proxied connection, from 1 in accept order
	ToServer bool // direction: client to server, or server to client
	Opcode   byte // 1 text, 2 binary, 0 continuation
	Payload  []byte
}

// Action is what the rule decides for a frame. The zero value forwards it.
type Action struct {
	// Delay holds the frame, and every later frame in the same direction
	// of that connection, for this long before forwarding it.
	Delay time.Duration
	// Drop discards the frame: the other side never sees it.
	Drop bool
	// Kill closes the connection (both sides) instead of forwarding.
	Kill bool
}

// Rule decides per frame. It runs on the connection's pump goroutine: it
// may block, which stalls that direction only.
type Rule func(Frame) Action

// Proxy forwards ws://127.0.0.1:<port>/rpc to a target endpoint.
type Proxy struct {
	URL    string // the client dials this
	target string // host:port of the real server
	ln     net.Listener

	mu       sync.Mutex
	rule     Rule
	delay    time.Duration // before a new connection is forwarded
	gate     chan struct{} // non-nil while new connections are held
	conns    map[int]*pair
	accepted int
	closed   bool
}

// pair is one proxied connection: the client's side and, once dialled,
// the server's.
type pair struct {
	client net.Conn

	mu     sync.Mutex
	server net.Conn
	dead   bool
}

// attach records the server side; false if the pair was killed meanwhile.
func (p *pair) attach(server net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.dead {
		server.Close()
		return false
	}
	p.server = server
	return true
}

func (p *pair) kill() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.dead {
		return
	}
	p.dead = true
	p.client.Close()
	if p.server != nil {
		p.server.Close()
	}
}

// Start listens on a free loopback port and forwards to target, a ws://
// URL such as the dev server's.
func Start(target string) (*Proxy, error) {
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "ws" || u.Host == "" {
		return nil, errors.New("faultproxy: target must be a ws:// URL")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{target: u.Host, ln: ln, conns: map[int]*pair{}}
	p.URL = "ws://" + ln.Addr().String() + u.RequestURI()
	go p.acceptLoop()
	return p, nil
}

// SetRule installs fn for every later frame (nil: forward all).
func (p *Proxy) SetRule(fn Rule) {
	p.mu.Lock()
	p.rule = fn
	p.mu.Unlock()
}

// SetConnectDelay makes every later connection wait d before it is
// forwarded: the upgrade, and so a reconnect, takes d longer.
func (p *Proxy) SetConnectDelay(d time.Duration) {
	p.mu.Lock()
	p.delay = d
	p.mu.Unlock()
}

// Hold makes new connections wait (accepted, not forwarded) until Release.
func (p *Proxy) Hold() {
	p.mu.Lock()
	if p.gate == nil {
		p.gate = make(chan struct{})
	}
	p.mu.Unlock()
}

// Release lets held and later connections through.
func (p *Proxy) Release() {
	p.mu.Lock()
	if p.gate != nil {
		close(p.gate)
		p.gate = nil
	}
	p.mu.Unlock()
}

// KillAll closes every proxied connection now, as a dead network would.
func (p *Proxy) KillAll() {
	p.mu.Lock()
	conns := make([]*pair, 0, len(p.conns))
	for _, c := range p.conns {
		conns = append(conns, c)
	}
	p.mu.Unlock()
	for _, c := range conns {
		c.kill()
	}
}

// Accepted is how many connections the proxy has accepted so far.
func (p *Proxy) Accepted() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.accepted
}

// Close stops listening and kills every connection.
func (p *Proxy) Close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.ln.Close()
	p.Release()
	p.KillAll()
}

func (p *Proxy) acceptLoop() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			c.Close()
			return
		}
		p.accepted++
		id := p.accepted
		pr := &pair{client: c}
		p.conns[id] = pr
		delay, gate := p.delay, p.gate
		p.mu.Unlock()
		go p.serve(id, pr, delay, gate)
	}
}

func (p *Proxy) forget(id int) {
	p.mu.Lock()
	delete(p.conns, id)
	p.mu.Unlock()
}

func (p *Proxy) currentRule() Rule {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rule
}
