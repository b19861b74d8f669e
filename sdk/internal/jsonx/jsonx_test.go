package jsonx

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// decodeAny builds what encoding/json's Unmarshal into an any builds, from a
// Reader: the Reader's methods under test, encoding/json the oracle.
func decodeAny(r *Reader) (any, error) {
	switch r.Kind() {
	case Null:
		r.SkipNull()
		return nil, nil
	case Bool:
		return r.Bool(), nil
	case Number:
		return r.Float()
	case String:
		return r.String(), nil
	case Array:
		out := []any{}
		err := r.Elements(func() error {
			v, err := decodeAny(r)
			out = append(out, v)
			return err
		})
		return out, err
	}
	out := map[string]any{}
	err := r.Members(func(key []byte) error {
		k := string(key)
		v, err := decodeAny(r)
		out[k] = v
		return err
	})
	return out, err
}

func readAny(data []byte) (any, error) {
	r, err := NewReader(data)
	if err != nil {
		return nil, err
	}
	return decodeAny(r)
}

// differs returns "" when the Reader and encoding/json agree on data.
func differs(data []byte) string {
	var want any
	errWant := json.Unmarshal(data, &want)
	got, err := readAny(data)
	switch {
	case (err == nil) != (errWant == nil):
		return "accepted " + boolText(err == nil) + ", encoding/json " + boolText(errWant == nil)
	case err == nil && !reflect.DeepEqual(got, want):
		return "decoded differently"
	}
	// Skipping as an any fails exactly where decoding does.
	if r, err := NewReader(data); err == nil && (r.SkipAny() == nil) != (errWant == nil) {
		return "SkipAny disagrees"
	}
	return ""
}

func boolText(b bool) string {
	if b {
		return "it"
	}
	return "nothing"
}

var corpus = []string{
	`{"typ":"JWT","alg":"HS512"}`, `{"exp":1700003600,"NS":"n","DB":"d","AC":"a","ID":"user:abc","RL":["Viewer"]}`,
	`null`, ` {"a" : [1, 2.5e3, -0, true, false, null, {"b":"c"}]} `, `"x"`, `1e400`, `[1e400]`, `{"a":1e-400}`,
	`{"a":1,"a":2}`, `"\u00e9\ud83d\ude00\ud800\udc00"`, `"\ud800"`, `"\udc00x"`, `"\ud800\u0041"`, "\"\xff\xfe\"", "\"\xed\xa0\x80\"",
	`"\/\b\f\n\r\t\"\\"`, `"\'"`, `"\x"`, "\"\x01\"", `01`, `1.`, `.5`, `-`, `1e`, `1e+`, `+1`, `tru`, `nul`, `[1,]`, `{"a":1,}`,
	`{"a"}`, `{1:2}`, `[1 2]`, ``, ` `, `{} {}`, `{}x`, "\ufeff{}", `[` + strings.Repeat("[", 10000) + strings.Repeat("]", 10001),
	strings.Repeat("[", 10000) + strings.Repeat("]", 10000), `{"k\u0000":1}`, `{"Kelvin":"K"}`, `-0.0e-0`, `123456789012345678901234567890`,
}

func TestReaderMatchesEncodingJSON(t *testing.T) {
	for _, s := range corpus {
		if d := differs([]byte(s)); d != "" {
			t.Errorf("%.60q: %s", s, d)
		}
	}
}

func FuzzReader(f *testing.F) {
	for _, s := range corpus {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if d := differs(data); d != "" {
			t.Fatalf("%q: %s", data, d)
		}
	})
}

// TestInt: integer fields take integer literals only, as encoding/json's.
func TestInt(t *testing.T) {
	for _, s := range []string{"0", "-0", "17", "-9223372036854775808", "9223372036854775807", "9223372036854775808", "1.0", "1e3", "-1"} {
		var want struct{ N int64 }
		errWant := json.Unmarshal([]byte(`{"N":`+s+`}`), &want)
		r, _ := NewReader([]byte(s))
		got, err := r.Int()
		if (err == nil) != (errWant == nil) || err == nil && got != want.N {
			t.Errorf("%s: got %d, %v; encoding/json %d, %v", s, got, err, want.N, errWant)
		}
	}
}

var strs = []string{"", "plain", `quote " back \ slash`, "<script>&amp;</script>", "\u2028\u2029", "\x00\x01\x1f\x7f",
	"\b\f\n\r\t", "José ✓ 😀", "\xff\xfe bad", "\xed\xa0\x80", "eyJhbGciOiJIUzUxMiJ9.eyJleHAiOjF9.c2ln", strings.Repeat("ab", 300)}

func TestAppendString(t *testing.T) {
	for _, s := range strs {
		want, _ := json.Marshal(s)
		if got := AppendString(nil, s); string(got) != string(want) {
			t.Errorf("%q: got %s want %s", s, got, want)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range strs {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		got := AppendString(nil, s)
		if string(got) != string(want) {
			t.Fatalf("%q: got %s want %s", s, got, want)
		}
		// And it reads back as encoding/json reads it.
		r, err := NewReader(got)
		var back string
		if err != nil || json.Unmarshal(got, &back) != nil || r.String() != back {
			t.Fatalf("%q does not read back", s)
		}
	})
}
