//go:build js && wasm

package main

import (
	"time"

	"github.com/surrealauth/surrealauth/sdk"
	"github.com/surrealauth/surrealauth/sdk/jsvalue"
)

// config is connect's options as js/bindings.js checked and wrote them
// (JSON): {url, namespace?, database?, storageKey?, storage, crossTab?,
// renewMargin? (s), reconnect? {enabled, minDelay?, maxDelay?, wait?} (ms),
// getToken? (true: the token source is connect's fifth argument), cookie?
// {name, path, domain?, sameSite, secure}}.
// Checking them is the bindings' (one owner): this only maps them onto sdk
// options, and a field of another type than that is taken as absent.
type config struct {
	url     string
	storage string // "local", "session", "memory" or "custom"
	// crossTab is the crossTab option: nil when not given, so the storage
	// kind decides (on for "local", off otherwise).
	crossTab *bool
	// getToken is set when the page gave a token source (tokensource.go).
	getToken bool
	// cookie is the cookie option, nil when off (cookie.go).
	cookie  *cookieConfig
	options []sdk.Option
}

func parseConfig(text string) (config, error) {
	v, err := jsvalue.Parse([]byte(text))
	m, ok := v.(map[string]any)
	if err != nil || !ok {
		return config{}, errInternal("connect's options did not cross the bridge")
	}
	cfg := config{storage: storageLocal}
	cfg.url, _ = m["url"].(string)
	if s, ok := m["storage"].(string); ok {
		cfg.storage = s
	}
	if b, ok := m["crossTab"].(bool); ok {
		cfg.crossTab = &b
	}
	for name, opt := range map[string]func(string) sdk.Option{
		"namespace": sdk.WithNamespace, "database": sdk.WithDatabase, "storageKey": sdk.WithStorageKey,
	} {
		if s, ok := m[name].(string); ok && s != "" {
			cfg.options = append(cfg.options, opt(s))
		}
	}
	if s, ok := number(m["renewMargin"]); ok {
		cfg.options = append(cfg.options, sdk.WithRenewMargin(time.Duration(s*float64(time.Second))))
	}
	if r, ok := m["reconnect"].(map[string]any); ok {
		cfg.options = append(cfg.options, sdk.WithReconnect(reconnectPolicy(r)))
	}
	cfg.getToken, _ = m["getToken"].(bool)
	if c, ok := m["cookie"].(map[string]any); ok {
		cfg.cookie = parseCookieConfig(c)
	}
	return cfg, nil
}

func reconnectPolicy(r map[string]any) sdk.ReconnectPolicy {
	var p sdk.ReconnectPolicy
	if on, ok := r["enabled"].(bool); ok {
		p.Disabled = !on
	}
	for name, dst := range map[string]*time.Duration{"minDelay": &p.MinDelay, "maxDelay": &p.MaxDelay, "wait": &p.Wait} {
		if ms, ok := number(r[name]); ok {
			*dst = time.Duration(ms * float64(time.Millisecond))
		}
	}
	return p
}

// number reads a JSON number, which jsvalue gives as int64 or float64.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}
