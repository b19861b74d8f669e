//go:build !js

package sdk

import (
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"syscall"
)

// upgradeStatus finds the HTTP status of a refused upgrade in
// coder/websocket's error, which carries it only in its text.
var upgradeStatus = regexp.MustCompile(`expected handshake response status code 101 but got (\d+)`)

// connectCause tells the likely cause of a failed dial from what the
// native network stack reports.
func connectCause(raw string, err error) (reason, why string) {
	u, _ := url.Parse(raw)
	var dns *net.DNSError
	var rec tls.RecordHeaderError
	switch {
	case errors.As(err, &dns):
		return ReasonHostNotFound, "the host " + quote(u.Hostname()) + " does not resolve; check its spelling"
	case errors.Is(err, syscall.ECONNREFUSED):
		return ReasonConnectionRefused, "nothing is listening on " + u.Host + " (connection refused); is the server running on that port?"
	case errors.Is(err, http.ErrSchemeMismatch), errors.As(err, &rec):
		return ReasonNotTLS, "the server does not speak TLS; for a plain server write ws://" + u.Host + u.RequestURI()
	}
	if m := upgradeStatus.FindStringSubmatch(err.Error()); m != nil {
		status, _ := strconv.Atoi(m[1])
		if status == http.StatusNotFound {
			return ReasonWrongPath, "the server has nothing at " + u.Path + " (HTTP 404); SurrealDB's endpoint is /rpc"
		}
		return ReasonUpgradeRefused, "the server refused the WebSocket upgrade with HTTP " + m[1] + " " + http.StatusText(status)
	}
	return "", err.Error()
}
