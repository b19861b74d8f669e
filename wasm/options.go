//go:build js && wasm

package main

import (
	"math"
	"strconv"
	"time"

	"github.com/hack-pad/safejs"
	"github.com/surrealauth/surrealauth/sdk"
)

// connectConfig is connect's arguments, checked.
type connectConfig struct {
	url     string
	storage safejs.Value
	// crossTab is the crossTab option: nil when not given, so the storage
	// kind decides (on for "local", off otherwise).
	crossTab *bool
	options  []sdk.Option
}

// readConnectArgs checks connect's arguments. wasmURL is the loader's and is
// not read here.
func readConnectArgs(args []safejs.Value) (connectConfig, error) {
	cfg := connectConfig{storage: safejs.Undefined()}
	if len(args) == 0 || args[0].Type() != safejs.TypeString {
		return cfg, invalidParams("connect needs the endpoint URL, for example ws://127.0.0.1:8000/rpc")
	}
	cfg.url, _ = args[0].String()
	opts := safejs.Undefined()
	if len(args) > 1 {
		opts = args[1]
	}
	switch opts.Type() {
	case safejs.TypeUndefined, safejs.TypeNull:
		return cfg, nil
	case safejs.TypeObject:
	default:
		return cfg, invalidParams("connect's options must be an object")
	}
	var err error
	if cfg.storage, err = get(opts, "storage"); err != nil {
		return cfg, err
	}
	if err := readStringOptions(opts, &cfg); err != nil {
		return cfg, err
	}
	if err := readLifecycleOptions(opts, &cfg); err != nil {
		return cfg, err
	}
	cfg.crossTab, err = optionalBool(opts, "crossTab", "crossTab")
	return cfg, err
}

func readStringOptions(opts safejs.Value, cfg *connectConfig) error {
	strings := []struct {
		name string
		opt  func(string) sdk.Option
	}{
		{"namespace", sdk.WithNamespace},
		{"database", sdk.WithDatabase},
		{"storageKey", sdk.WithStorageKey},
	}
	for _, s := range strings {
		v, err := optionalString(opts, s.name)
		if err != nil {
			return err
		}
		if v != "" {
			cfg.options = append(cfg.options, s.opt(v))
		}
	}
	return nil
}

// readLifecycleOptions reads renewMargin (seconds) and reconnect.
func readLifecycleOptions(opts safejs.Value, cfg *connectConfig) error {
	margin, ok, err := optionalNumber(opts, "renewMargin", "renewMargin", 0)
	if err != nil {
		return err
	}
	if ok {
		cfg.options = append(cfg.options, sdk.WithRenewMargin(seconds(margin)))
	}
	v, err := get(opts, "reconnect")
	if err != nil {
		return err
	}
	policy, ok, err := reconnectPolicy(v)
	if ok {
		cfg.options = append(cfg.options, sdk.WithReconnect(policy))
	}
	return err
}

// reconnectPolicy reads the reconnect option: true/false, or
// {enabled, minDelay, maxDelay, wait} in milliseconds. Unknown keys are
// refused: a misspelt delay would otherwise be silently ignored.
func reconnectPolicy(v safejs.Value) (sdk.ReconnectPolicy, bool, error) {
	var p sdk.ReconnectPolicy
	switch v.Type() {
	case safejs.TypeUndefined, safejs.TypeNull:
		return p, false, nil
	case safejs.TypeBoolean:
		on, _ := v.Bool()
		p.Disabled = !on
		return p, true, nil
	case safejs.TypeObject:
	default:
		return p, false, invalidParams("option reconnect must be a boolean or {enabled, minDelay, maxDelay, wait}")
	}
	if err := onlyKeys(v, "reconnect", "enabled", "minDelay", "maxDelay", "wait"); err != nil {
		return p, false, err
	}
	enabled, err := optionalBool(v, "enabled", "reconnect.enabled")
	if err != nil {
		return p, false, err
	}
	p.Disabled = enabled != nil && !*enabled
	delays := []struct {
		name string
		dst  *time.Duration
	}{{"minDelay", &p.MinDelay}, {"maxDelay", &p.MaxDelay}, {"wait", &p.Wait}}
	for _, d := range delays {
		ms, ok, err := optionalNumber(v, d.name, "reconnect."+d.name, 1)
		if err != nil {
			return p, false, err
		}
		if ok {
			*d.dst = time.Duration(ms * float64(time.Millisecond))
		}
	}
	if p.MinDelay > 0 && p.MaxDelay > 0 && p.MinDelay > p.MaxDelay {
		return p, false, invalidParams("reconnect.minDelay is longer than reconnect.maxDelay")
	}
	return p, true, nil
}

// maxOptionSeconds bounds durations so they stay far inside time.Duration.
const maxOptionSeconds = 100 * 365 * 24 * 3600

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// optionalNumber reads obj[name]: a finite number ≥ min, or absent. label
// names it in errors.
func optionalNumber(obj safejs.Value, name, label string, min float64) (float64, bool, error) {
	v, err := get(obj, name)
	if err != nil {
		return 0, false, err
	}
	switch v.Type() {
	case safejs.TypeUndefined, safejs.TypeNull:
		return 0, false, nil
	case safejs.TypeNumber:
		f, err := v.Float()
		if err != nil || math.IsNaN(f) || f < min || f > maxOptionSeconds*1000 {
			return 0, false, invalidParams("option " + label + " must be a finite number, at least " + strconv.FormatFloat(min, 'g', -1, 64))
		}
		return f, true, nil
	default:
		return 0, false, invalidParams("option " + label + " must be a number")
	}
}

// optionalBool reads obj[name]: a boolean, or absent (nil). label names it
// in errors.
func optionalBool(obj safejs.Value, name, label string) (*bool, error) {
	v, err := get(obj, name)
	if err != nil {
		return nil, err
	}
	switch v.Type() {
	case safejs.TypeUndefined, safejs.TypeNull:
		return nil, nil
	case safejs.TypeBoolean:
		b, _ := v.Bool()
		return &b, nil
	default:
		return nil, invalidParams("option " + label + " must be a boolean")
	}
}

// optionalString reads obj[name]: a non-empty string, or absent.
func optionalString(obj safejs.Value, name string) (string, error) {
	v, err := get(obj, name)
	if err != nil {
		return "", err
	}
	switch v.Type() {
	case safejs.TypeUndefined, safejs.TypeNull:
		return "", nil
	case safejs.TypeString:
		s, err := v.String()
		if err == nil && s == "" {
			err = invalidParams("option " + name + " is empty")
		}
		return s, err
	default:
		return "", invalidParams("option " + name + " must be a string")
	}
}

// onlyKeys refuses an object with keys other than allowed.
func onlyKeys(obj safejs.Value, label string, allowed ...string) error {
	keys, err := objectKeys(obj)
	if err != nil {
		return err
	}
	for _, k := range keys {
		known := false
		for _, a := range allowed {
			known = known || k == a
		}
		if !known {
			return invalidParams("unknown key " + quote(k) + " in option " + label)
		}
	}
	return nil
}

func quote(s string) string { return `"` + s + `"` }
