//go:build js && wasm

package main

import (
	"sync"

	"github.com/surrealauth/surrealauth/sdk"
)

// page is what the clients of one page share: the lock that serialises
// their refreshes when the browser has no navigator.locks, and the list of
// clients following their storage, so that a write by one reaches the
// others that share its storage and key (storage events never fire in the
// tab that wrote).
type page struct {
	locks sdk.Locker

	mu    sync.Mutex
	peers map[*browserStore]peer
}

type peer struct {
	key   string
	heard func()
}

func newPage() *page { return &page{locks: sdk.NewMemoryStore(), peers: map[*browserStore]peer{}} }

// join adds store's client, which follows key, and returns what removes it.
func (p *page) join(store *browserStore, key string, heard func()) func() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.peers[store] = peer{key: key, heard: heard}
	return func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		delete(p.peers, store)
	}
}

// wrote tells the other clients whose storage is from's, and whose key is
// key, that from wrote it.
func (p *page) wrote(from *browserStore, key string) {
	backend, live := from.live()
	if !live {
		return
	}
	p.mu.Lock()
	var tell []func()
	for s, pe := range p.peers {
		if s == from || pe.key != key {
			continue
		}
		if other, ok := s.live(); ok && other.Equal(backend) {
			tell = append(tell, pe.heard)
		}
	}
	p.mu.Unlock()
	for _, heard := range tell {
		heard()
	}
}
