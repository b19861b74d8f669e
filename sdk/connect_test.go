//go:build !js

package sdk

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/surrealauth/surrealauth/internal/testserver"
)

// A URL that is not ws:// or wss:// is refused before anything is dialled,
// with the form to write instead. http:// would otherwise connect: the
// WebSocket library takes it for ws://.
func TestDialRefusesNonWebSocketURLs(t *testing.T) {
	srv := server(t, testserver.Engines()[0])
	hostPort := strings.TrimSuffix(strings.TrimPrefix(srv.URL, "ws://"), "/rpc")
	cases := []struct{ url, suggest string }{
		{hostPort + "/rpc", "write ws://" + hostPort + "/rpc"},
		{"http://" + hostPort + "/rpc", "write ws://" + hostPort + "/rpc"},
		{"https://db.example.com/rpc", "write wss://db.example.com/rpc"},
		{"localhost:8000/rpc", "write ws://localhost:8000/rpc"},
		{"//" + hostPort + "/rpc", "write ws://" + hostPort + "/rpc"},
		{"ws:///rpc", "names no host"},
		{"", "is not a WebSocket URL"},
		{"ftp://db.example.com/rpc", "write ws://db.example.com/rpc"},
		{"ws://me@/rpc", "names no host"},
		{"ws://db example.com/rpc", "holds a space"},
		{"ws://db.example.com/rpc\n", "control character"},
	}
	for _, tc := range cases {
		c, err := Dial(bg, tc.url)
		if c != nil {
			c.Close()
			t.Fatalf("%q: dialled", tc.url)
		}
		var e *Error
		if !errors.As(err, &e) || e.Code != CodeInvalidParams || e.Reason != ReasonBadURL || !strings.Contains(e.Message, tc.suggest) {
			t.Fatalf("%q: %v, want invalid_params/bad_url suggesting %q", tc.url, err, tc.suggest)
		}
	}
}

// dialFails dials url and returns the connection_failed error, checking
// that its message names the URL.
func dialFails(t *testing.T, url, reason string) *Error {
	t.Helper()
	ctx, cancel := context.WithTimeout(bg, 20*time.Second)
	defer cancel()
	c, err := Dial(ctx, url, WithDialTimeout(15*time.Second))
	if c != nil {
		c.Close()
		t.Fatalf("%s: connected", url)
	}
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeConnectionFailed || e.Reason != reason {
		t.Fatalf("%s: %#v, want connection_failed/%s", url, err, reason)
	}
	t.Log(e.Message)
	if !strings.HasPrefix(e.Message, "Cannot connect to "+url+": ") {
		t.Fatalf("the message does not name the URL: %q", e.Message)
	}
	return e
}

func TestDialFailureCauses(t *testing.T) {
	srv := server(t, testserver.Engines()[0])
	t.Run("wrong path", func(t *testing.T) {
		url := strings.TrimSuffix(srv.URL, "/rpc") + "/nope"
		if e := dialFails(t, url, ReasonWrongPath); !strings.Contains(e.Message, "HTTP 404") || !strings.Contains(e.Message, "/rpc") {
			t.Fatalf("message %q", e.Message)
		}
	})
	t.Run("no server", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close() // a port nothing listens on
		if e := dialFails(t, "ws://"+addr+"/rpc", ReasonConnectionRefused); !strings.Contains(e.Message, "connection refused") {
			t.Fatalf("message %q", e.Message)
		}
	})
	t.Run("TLS to a plain server", func(t *testing.T) {
		url := "wss://" + strings.TrimPrefix(srv.URL, "ws://")
		if e := dialFails(t, url, ReasonNotTLS); !strings.Contains(e.Message, "write "+srv.URL) {
			t.Fatalf("message %q", e.Message)
		}
	})
	t.Run("unresolvable host", func(t *testing.T) {
		if e := dialFails(t, "ws://surrealauth-test.invalid/rpc", ReasonHostNotFound); !strings.Contains(e.Message, `"surrealauth-test.invalid" does not resolve`) {
			t.Fatalf("message %q", e.Message)
		}
	})
}
