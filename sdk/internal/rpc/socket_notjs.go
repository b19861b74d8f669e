//go:build !js

package rpc

import (
	"context"

	"github.com/coder/websocket"
)

type nativeSocket struct{ ws *websocket.Conn }

func dialSocket(ctx context.Context, url string, limit int) (socket, error) {
	ws, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{Subprotocol}})
	if err != nil {
		return nil, err
	}
	// Past the limit coder/websocket stops reading, closes with 1009
	// (message too big) and Read fails: the message never reaches us whole.
	ws.SetReadLimit(int64(limit))
	return nativeSocket{ws}, nil
}

func (s nativeSocket) Read(ctx context.Context) ([]byte, error) {
	for {
		typ, data, err := s.ws.Read(ctx)
		if err != nil {
			return nil, err
		}
		if typ == websocket.MessageBinary {
			return data, nil
		}
		// A CBOR server never sends text frames; skip rather than die.
	}
}

func (s nativeSocket) Write(ctx context.Context, msg []byte) error {
	return s.ws.Write(ctx, websocket.MessageBinary, msg)
}

func (s nativeSocket) Close(code int, reason string) error {
	return s.ws.Close(websocket.StatusCode(code), reason)
}

func (s nativeSocket) CloseNow()           { s.ws.CloseNow() }
func (s nativeSocket) Subprotocol() string { return s.ws.Subprotocol() }
