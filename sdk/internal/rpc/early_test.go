package rpc

import (
	"bytes"
	"os"
	"regexp"
	"strconv"
	"testing"
)

// TestEarlyVersionRequest: js/bridge.js sends VERSION_REQUEST on the socket
// it opens early, and the adopted socket skips the client's first write
// only when it is those bytes (socket_js.go). They must be what the
// client's first call, version with id "1", encodes to.
func TestEarlyVersionRequest(t *testing.T) {
	src, err := os.ReadFile("../../../js/bridge.js")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)const VERSION_REQUEST = new Uint8Array\(\[(.*?)\]\)`).FindSubmatch(src)
	if m == nil {
		t.Fatal("no VERSION_REQUEST in js/bridge.js")
	}
	var js []byte
	for _, h := range regexp.MustCompile(`0x([0-9a-f]{2})`).FindAllSubmatch(m[1], -1) {
		b, _ := strconv.ParseUint(string(h[1]), 16, 8)
		js = append(js, byte(b))
	}
	var c Conn
	want, err := encodeRequest(strconv.FormatUint(c.nextID.Add(1), 10), "version", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(js, want) {
		t.Fatalf("js/bridge.js sends % x\nthe client's first call is % x", js, want)
	}
}
