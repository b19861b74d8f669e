//go:build js

package sdk

// connectCause cannot tell more in a browser: a failed WebSocket reports
// only code 1006, whatever the cause, so the message lists the usual ones.
func connectCause(raw string, err error) (reason, why string) {
	return "", "the browser gives no reason (" + err.Error() + "); check that the server runs, that the path is /rpc, and that ws:// or wss:// matches the server"
}
