//go:build js && wasm

package main

import (
	"testing"
	"time"

	"github.com/hack-pad/safejs"
	"github.com/surrealauth/surrealauth/sdk"
)

func TestReconnectPolicy(t *testing.T) {
	tests := []struct {
		js   string
		want sdk.ReconnectPolicy
		set  bool
	}{
		{"undefined", sdk.ReconnectPolicy{}, false},
		{"true", sdk.ReconnectPolicy{}, true},
		{"false", sdk.ReconnectPolicy{Disabled: true}, true},
		{"({})", sdk.ReconnectPolicy{}, true},
		{"({ enabled: false })", sdk.ReconnectPolicy{Disabled: true}, true},
		{"({ minDelay: 50, maxDelay: 2000, wait: 1500.5 })", sdk.ReconnectPolicy{
			MinDelay: 50 * time.Millisecond, MaxDelay: 2 * time.Second, Wait: 1500500 * time.Microsecond}, true},
	}
	for _, tt := range tests {
		got, set, err := reconnectPolicy(evalJS(t, tt.js))
		if err != nil || set != tt.set || got != tt.want {
			t.Errorf("%s: got %+v %v %v, want %+v %v", tt.js, got, set, err, tt.want, tt.set)
		}
	}
	for _, bad := range []string{`"yes"`, `1`, `({ enabled: "no" })`, `({ minDelayMs: 1 })`, `({ minDelay: 0 })`,
		`({ wait: -1 })`, `({ maxDelay: NaN })`, `({ minDelay: 500, maxDelay: 100 })`, `({ minDelay: "1" })`} {
		if _, _, err := reconnectPolicy(evalJS(t, bad)); sdk.CodeOf(err) != sdk.CodeInvalidParams {
			t.Errorf("%s: err %v, want invalid_params", bad, err)
		}
	}
}

func TestReadConnectArgs(t *testing.T) {
	url, _ := safejs.ValueOf("ws://127.0.0.1:1/rpc")
	cfg, err := readConnectArgs([]safejs.Value{url, evalJS(t, `({ renewMargin: 0.5, reconnect: false, crossTab: true, namespace: "ns" })`)})
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.options) != 3 || cfg.crossTab == nil || !*cfg.crossTab {
		t.Fatalf("options %d, crossTab %v", len(cfg.options), cfg.crossTab)
	}
	for _, bad := range []string{`({ renewMargin: -1 })`, `({ renewMargin: "60" })`, `({ renewMargin: Infinity })`,
		`({ crossTab: 1 })`, `({ storageKey: "" })`, `"local"`} {
		if _, err := readConnectArgs([]safejs.Value{url, evalJS(t, bad)}); sdk.CodeOf(err) != sdk.CodeInvalidParams {
			t.Errorf("%s: err %v, want invalid_params", bad, err)
		}
	}
	for _, storage := range []string{`"session"`, `"memory"`} {
		yes := true
		if err := checkCrossTab(evalJS(t, storage), &yes); sdk.CodeOf(err) != sdk.CodeInvalidParams {
			t.Errorf("crossTab with %s: %v", storage, err)
		}
	}
}

func TestCheckTokenAlg(t *testing.T) {
	for token, ok := range map[string]bool{
		"eyJhbGciOiJub25lIn0.e30.":                false, // {"alg":"none"}
		"eyJhbGciOiJIUzI1NiJ9.e30.x":              true,  // {"alg":"HS256"}
		"eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9.e.": true,  // HS512
		"not a token":                             true,  // left to the sdk
		"@@@.e30.x":                               true,
	} {
		if err := checkTokenAlg(token); (err == nil) != ok {
			t.Errorf("%s: %v", token, err)
		}
	}
}
