package sdk

import "sync"

// Event names an auth state change. The names are public contract.
type Event string

// The events, in the spelling of the JS API.
const (
	EventInitialSession Event = "INITIAL_SESSION"
	EventSignedIn       Event = "SIGNED_IN"
	EventSignedOut      Event = "SIGNED_OUT"
	EventTokenRefreshed Event = "TOKEN_REFRESHED"
	EventSessionExpired Event = "SESSION_EXPIRED"
)

// Listener receives auth state changes. It runs on the client's event
// goroutine after the change is complete, never while the client holds a
// lock, so it may call the client back.
type Listener func(Event, *Session)

type listener struct {
	fn   Listener
	from uint64 // sees broadcast events after this sequence number
}

type eventItem struct {
	seq  uint64
	only int // a listener id, or -1 for everyone
	ev   Event
	sess *Session
}

// dispatcher delivers events in order on one goroutine. Its queue is
// unbounded so that an emitter never waits for a listener, even a listener
// that itself signs in and so emits.
type dispatcher struct {
	mu        sync.Mutex
	listeners map[int]listener
	nextID    int
	seq       uint64
	queue     []eventItem
	wake      chan struct{}
	closing   bool
}

func newDispatcher() *dispatcher {
	d := &dispatcher{listeners: map[int]listener{}, wake: make(chan struct{}, 1)}
	go d.run()
	return d
}

// subscribe adds fn. Its first event is EventInitialSession with current,
// the session at the moment it subscribed; then it sees every later event.
func (d *dispatcher) subscribe(fn Listener, current *Session) func() {
	return d.add(fn, &eventItem{ev: EventInitialSession, sess: current})
}

// subscribeRaw adds fn without an initial event.
func (d *dispatcher) subscribeRaw(fn Listener) func() { return d.add(fn, nil) }

func (d *dispatcher) add(fn Listener, first *eventItem) func() {
	d.mu.Lock()
	id := d.nextID
	d.nextID++
	d.listeners[id] = listener{fn: fn, from: d.seq}
	if first != nil {
		first.only = id
		d.queue = append(d.queue, *first)
	}
	d.mu.Unlock()
	d.signal()
	var once sync.Once
	return func() {
		once.Do(func() {
			d.mu.Lock()
			delete(d.listeners, id)
			d.mu.Unlock()
		})
	}
}

func (d *dispatcher) emit(ev Event, s *Session) {
	if s != nil {
		cp := *s
		s = &cp
	}
	d.mu.Lock()
	if d.closing {
		d.mu.Unlock()
		return
	}
	d.seq++
	d.queue = append(d.queue, eventItem{seq: d.seq, only: -1, ev: ev, sess: s})
	d.mu.Unlock()
	d.signal()
}

func (d *dispatcher) signal() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

func (d *dispatcher) run() {
	for {
		d.mu.Lock()
		if len(d.queue) == 0 {
			closing := d.closing
			d.mu.Unlock()
			if closing {
				return
			}
			<-d.wake
			continue
		}
		item := d.queue[0]
		d.queue = d.queue[1:]
		fns := d.receivers(item)
		d.mu.Unlock()
		for _, fn := range fns {
			fn(item.ev, item.sess)
		}
	}
}

// receivers lists, in subscription order, who gets item. d.mu is held.
func (d *dispatcher) receivers(item eventItem) []Listener {
	if item.only >= 0 {
		if l, ok := d.listeners[item.only]; ok {
			return []Listener{l.fn}
		}
		return nil
	}
	var fns []Listener
	for i := 0; i < d.nextID; i++ {
		if l, ok := d.listeners[i]; ok && item.seq > l.from {
			fns = append(fns, l.fn)
		}
	}
	return fns
}

// close lets the queue drain, then ends the goroutine. It does not wait, so
// a listener may close the client.
func (d *dispatcher) close() {
	d.mu.Lock()
	d.closing = true
	d.mu.Unlock()
	d.signal()
}
