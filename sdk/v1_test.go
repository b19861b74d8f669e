//go:build !js

package sdk

import (
	"context"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/coder/websocket"
	"github.com/surrealauth/surrealauth/sdk/internal/rpc"
)

// No 1.x engine can be had here, so 1.x is covered by recorded exchanges
// (testdata/v1-fixtures.json): the fake server answers a request only if it
// is exactly what a 1.x server must receive — SC, never AC.
type v1Fixtures struct {
	Version   string            `json:"version"`
	Tokens    map[string]string `json:"tokens"`
	Exchanges map[string]struct {
		Method string          `json:"method"`
		Params json.RawMessage `json:"params"`
		Result json.RawMessage `json:"result"`
		Error  *struct {
			Code    int64  `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	} `json:"exchanges"`
}

func loadV1(t *testing.T) v1Fixtures {
	t.Helper()
	b, err := os.ReadFile("testdata/v1-fixtures.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx v1Fixtures
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	return fx
}

// v1Server replays the fixtures; unexpected requests are recorded.
func v1Server(t *testing.T, fx v1Fixtures) (url string, unexpected func() []string) {
	var mu sync.Mutex
	var bad []string
	url = fakeSurrealVersion(t, fx.Version, func(ctx context.Context, ws *websocket.Conn, req map[string]any) {
		reply := map[string]any{"id": req["id"]}
		got, _ := json.Marshal(req["params"])
		matched := false
		for _, ex := range fx.Exchanges {
			if ex.Method != req["method"] || !jsonEqual(got, ex.Params) {
				continue
			}
			matched = true
			if ex.Error != nil {
				reply["error"] = map[string]any{"code": ex.Error.Code, "message": ex.Error.Message}
			} else {
				var v any
				json.Unmarshal(ex.Result, &v)
				reply["result"] = v1Value(v)
			}
			break
		}
		if !matched {
			mu.Lock()
			bad = append(bad, req["method"].(string)+" "+string(got))
			mu.Unlock()
			reply["error"] = map[string]any{"code": int64(-32602), "message": "Invalid params"}
		}
		b, _ := rpc.Marshal(reply)
		ws.Write(ctx, websocket.MessageBinary, b)
	})
	return url, func() []string { mu.Lock(); defer mu.Unlock(); return bad }
}

// v1Value encodes a recorded result as 1.x did: a JSON null is NONE, and a
// record's "id" is a record id (tag 8) in text form.
func v1Value(v any) any {
	switch x := v.(type) {
	case nil:
		return rpc.None{}
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			if s, ok := e.(string); ok && k == "id" {
				out[k] = rpc.Tag{Number: 8, Content: s}
			} else {
				out[k] = e
			}
		}
		return out
	}
	return v
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}

func TestV1WireForms(t *testing.T) {
	fx := loadV1(t)
	url, unexpected := v1Server(t, fx)
	defer func() {
		if u := unexpected(); len(u) > 0 {
			t.Errorf("requests a 1.x server would not understand:\n%s", strings.Join(u, "\n"))
		}
	}()
	c := dial(t, url)
	if c.Version().Major != 1 {
		t.Fatalf("version %v", c.Version())
	}
	seed, _ := ParseCredentials(map[string]any{"NS": "my_ns", "DB": "my_db", "SC": "allusers", "email": "test@acme.com", "password": "some password"})
	tok, err := c.Signup(bg, seed)
	if err != nil || tok.Access != fx.Tokens["record"] {
		t.Fatalf("signup: %v %v", tok, err)
	}
	if s := c.Session(); s.Access != "allusers" || s.ID != "user:tobie" || s.Namespace != "my_ns" {
		t.Fatalf("SC claim not read: %v", s)
	}
	// The Python shape, with access/variables, goes out as SC too.
	py, _ := ParseCredentials(map[string]any{"namespace": "my_ns", "database": "my_db", "access": "allusers",
		"variables": map[string]any{"email": "test@acme.com", "password": "some password"}})
	if _, err := c.Signin(bg, py); err != nil {
		t.Fatalf("signin: %v", err)
	}
	info, err := c.Info(bg)
	if err != nil || recordIDOf(t, info) != "user:tobie" {
		t.Fatalf("info: %v %v", info, err)
	}
	wrong, _ := ParseCredentials(map[string]any{"NS": "my_ns", "DB": "my_db", "SC": "allusers", "email": "test@acme.com", "password": "wrong"})
	_, err = c.Signin(bg, wrong)
	mustCode(t, err, CodeInvalidCredentials)
	if c.Session().Token != fx.Tokens["record"] {
		t.Fatal("a failed 1.x signin changed the session")
	}
	_, err = c.Signin(bg, Credentials{Namespace: "my_ns", Database: "my_db", Access: "nosuch", Variables: map[string]any{"email": "x"}})
	mustCode(t, err, CodeAccessNotFound)

	other := dial(t, url)
	mustCode(t, other.Authenticate(bg, fx.Tokens["expired"]), CodeTokenExpired)
	if err := other.Authenticate(bg, fx.Tokens["record"]); err != nil {
		t.Fatal(err)
	}
	// 1.x has no refresh tokens and no bearer keys: refused before sending.
	_, err = other.Refresh(bg)
	mustCode(t, err, CodeUnsupported)
	_, err = other.Signin(bg, Credentials{Namespace: "my_ns", Database: "my_db", Access: "api", Key: "k"})
	mustCode(t, err, CodeUnsupported)

	if err := c.Invalidate(bg); err != nil || c.Session() != nil {
		t.Fatalf("invalidate: %v %v", err, c.Session())
	}
	if _, err := c.Signin(bg, Credentials{Username: "root", Password: "root"}); err != nil {
		t.Fatal(err)
	}
	_, err = c.Signin(bg, Credentials{Username: "root", Password: "nope"})
	mustCode(t, err, CodeInvalidCredentials)
}
