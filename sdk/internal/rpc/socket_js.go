//go:build js

package rpc

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"sync"
	"syscall/js"
	"time"
)

// jsSocket is the page's WebSocket. Callbacks from JS only queue data and
// signal; they never block, since they run on the event loop.
type jsSocket struct {
	ws    js.Value
	u8    js.Value // the Uint8Array constructor, looked up once
	funcs []js.Func
	limit int

	mu       sync.Mutex
	queue    [][]byte
	signal   chan struct{}
	closed   chan struct{}
	closeErr error
	once     sync.Once

	// sent is the request the page already sent on an adopted socket (see
	// adopt); held, set before the socket is handed out and never changed,
	// is closed at the client's first Write: until then Read hands nothing
	// over, so that the reply to that request finds its call waiting.
	sent  []byte
	held  chan struct{}
	wrote bool
}

// CloseError is how the browser reported the close.
type CloseError struct {
	Code   int
	Reason string
}

func (e CloseError) Error() string {
	return "websocket closed: status " + strconv.Itoa(e.Code) + ", reason " + strconv.Quote(e.Reason)
}

// Close codes of the browser side. Script may only send 1000 or
// 3000–4999 (WebSocket.close throws otherwise), so a refused message is
// closed with 4009, the private-use twin of 1009 "message too big", while
// the error the calls see says 1009, as the native build's does.
const (
	statusMessageTooBig = 1009
	jsStatusTooBig      = 4009
)

// errEarlyMismatch: the first request on an adopted socket is not the one
// the page sent. js/bindings.js sends exactly what the client's first call
// (version, id "1") encodes to; a test holds the two together.
var errEarlyMismatch = errors.New("rpc: the page's early request differs from the client's first call")

func dialSocket(ctx context.Context, url string, limit int) (sock socket, err error) {
	if e, ok := earlyFrom(ctx).(js.Value); ok && e.Type() == js.TypeObject && e.Get("url").Equal(js.ValueOf(url)) {
		return adopt(ctx, e, limit)
	}
	ctor := js.Global().Get("WebSocket")
	if ctor.Type() != js.TypeFunction {
		return nil, ErrUnsupported
	}
	defer func() {
		if r := recover(); r != nil { // new WebSocket throws SyntaxError on a bad URL
			sock, err = nil, errors.New("rpc: cannot open "+strconv.Quote(url)+": "+describe(r))
		}
	}()
	s := newJSSocket(ctor.New(url, js.ValueOf([]any{Subprotocol})), limit)
	s.ws.Set("binaryType", "arraybuffer")
	return s.open(ctx, s.listen())
}

func newJSSocket(ws js.Value, limit int) *jsSocket {
	return &jsSocket{ws: ws, signal: make(chan struct{}, 1), closed: make(chan struct{}), limit: limit,
		u8: js.Global().Get("Uint8Array")}
}

// listen installs the socket's handlers; the channel is closed on "open".
func (s *jsSocket) listen() chan struct{} {
	opened := make(chan struct{})
	s.on("open", func(js.Value) { close(opened) })
	s.on("message", func(e js.Value) { s.receive(e.Get("data")) })
	s.on("error", func(js.Value) {})
	s.on("close", func(e js.Value) {
		s.finish(CloseError{Code: e.Get("code").Int(), Reason: e.Get("reason").String()})
	})
	return opened
}

// open waits for the socket to open, close, or ctx.
func (s *jsSocket) open(ctx context.Context, opened chan struct{}) (socket, error) {
	select {
	case <-opened:
		return s, nil
	case <-s.closed:
		return nil, s.closeErr
	case <-ctx.Done():
		s.CloseNow()
		return nil, ctx.Err()
	}
}

// adopt takes over the WebSocket js/bindings.js opened early, as the JS
// object {url, ws, sent, queue, closed}: sent is the request bytes it sent
// once the socket opened (or null), queue the messages that arrived since,
// closed the close event's {code, reason} if it closed. From here on the
// socket is this one's: its handlers replace the page's, the queued
// messages are received as if they had just arrived, and a close that
// already happened fails the dial as any close would.
func adopt(ctx context.Context, e js.Value, limit int) (socket, error) {
	s := newJSSocket(e.Get("ws"), limit)
	opened := s.listen()
	if sent := e.Get("sent"); sent.Type() == js.TypeObject {
		s.sent = make([]byte, sent.Get("length").Int())
		js.CopyBytesToGo(s.sent, sent)
		s.held = make(chan struct{})
	}
	queue := e.Get("queue")
	for i, n := 0, queue.Length(); i < n; i++ {
		s.receive(queue.Index(i))
	}
	if c := e.Get("closed"); c.Type() == js.TypeObject {
		s.finish(CloseError{Code: c.Get("code").Int(), Reason: c.Get("reason").String()})
	} else if s.ws.Get("readyState").Int() == 1 { // OPEN
		close(opened)
	}
	return s.open(ctx, opened)
}

func (s *jsSocket) on(event string, fn func(js.Value)) {
	f := js.FuncOf(func(this js.Value, args []js.Value) any {
		fn(args[0])
		return nil
	})
	s.funcs = append(s.funcs, f)
	s.ws.Set("on"+event, f)
}

func describe(r any) string {
	switch x := r.(type) {
	case error:
		return x.Error()
	case string:
		return x
	}
	return "the browser refused the URL"
}

// receive copies one binary message into Go, unless it is over the limit:
// its size is read on the JS side first, so a huge message is refused
// without a byte of it in Go memory (a 28 MiB reply once took the wasm heap
// to 2 GiB), the socket is closed and the pending calls fail.
func (s *jsSocket) receive(data js.Value) {
	size := data.Get("byteLength")
	if size.Type() != js.TypeNumber {
		return // text: a CBOR server never sends text frames
	}
	if n := size.Int(); n > s.limit {
		s.ws.Call("close", jsStatusTooBig, "message too big")
		s.finish(CloseError{Code: statusMessageTooBig, Reason: "message too big: " + strconv.Itoa(n) +
			" bytes, the limit is " + strconv.Itoa(s.limit)})
		return
	}
	arr := s.u8.New(data)
	msg := make([]byte, size.Int())
	js.CopyBytesToGo(msg, arr)
	s.mu.Lock()
	s.queue = append(s.queue, msg)
	s.mu.Unlock()
	select {
	case s.signal <- struct{}{}:
	default:
	}
}

// finish records why the socket closed and releases the callbacks.
func (s *jsSocket) finish(err error) {
	s.once.Do(func() {
		s.mu.Lock()
		s.closeErr = err
		s.mu.Unlock()
		close(s.closed)
		for _, ev := range []string{"open", "message", "error", "close"} {
			s.ws.Set("on"+ev, js.Null())
		}
		for _, f := range s.funcs {
			f.Release()
		}
	})
}

func (s *jsSocket) Read(ctx context.Context) ([]byte, error) {
	if s.held != nil {
		select {
		case <-s.held:
		case <-s.closed:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	for {
		s.mu.Lock()
		if len(s.queue) > 0 {
			msg := s.queue[0]
			s.queue = s.queue[1:]
			s.mu.Unlock()
			return msg, nil
		}
		err := s.closeErr
		s.mu.Unlock()
		if err != nil {
			return nil, err
		}
		select {
		case <-s.signal:
		case <-s.closed:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

func (s *jsSocket) Write(_ context.Context, msg []byte) error {
	select {
	case <-s.closed:
		return s.closeErr
	default:
	}
	if sent, first := s.firstWrite(); first && sent != nil {
		if bytes.Equal(sent, msg) {
			return nil // the page sent it already; its reply is queued or on its way
		}
		s.CloseNow()
		return errEarlyMismatch
	}
	if s.ws.Get("readyState").Int() != 1 { // OPEN
		return errors.New("rpc: websocket is not open")
	}
	arr := s.u8.New(len(msg))
	js.CopyBytesToJS(arr, msg)
	s.ws.Call("send", arr)
	return nil
}

// firstWrite reports, once, the request the page already sent (nil if it
// sent none) and lets Read hand messages over from now on.
func (s *jsSocket) firstWrite() (sent []byte, first bool) {
	if s.held == nil {
		return nil, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.wrote {
		return nil, false
	}
	s.wrote = true
	sent, s.sent = s.sent, nil
	close(s.held)
	return sent, true
}

// Close starts the close handshake and waits a moment for it. Codes script
// may not send (1002, …) go out as 1000 with the reason.
func (s *jsSocket) Close(code int, reason string) error {
	if code != statusNormal && (code < 3000 || code > 4999) {
		code = statusNormal
	}
	s.ws.Call("close", code, reason)
	select {
	case <-s.closed:
	case <-time.After(time.Second):
		s.finish(CloseError{Code: code, Reason: "closed by the client"})
	}
	return nil
}

// CloseNow closes without waiting: the browser finishes the handshake.
func (s *jsSocket) CloseNow() {
	s.ws.Call("close", 1000)
	s.finish(CloseError{Code: 1000, Reason: "closed by the client"})
}

func (s *jsSocket) Subprotocol() string { return s.ws.Get("protocol").String() }
