package sdk

import (
	"sort"
	"strings"
)

// The spellings ParseCredentials accepts, case-sensitively (the public API):
// the seed documents' {NS, DB, SC}, the 2.x/3.x {ns, db, ac}, the Python
// SDK's {namespace, database, access, variables, username, password}.
var credentialAliases = map[string]string{
	"NS": "ns", "ns": "ns", "namespace": "ns",
	"DB": "db", "db": "db", "database": "db",
	"AC": "ac", "ac": "ac", "SC": "ac", "sc": "ac", "access": "ac", "scope": "ac",
	"user": "user", "username": "user",
	"pass": "pass", "password": "pass",
	"key": "key", "refresh": "refresh",
}

// maxCredentialString bounds every text value, so a runaway input is refused
// here instead of being hashed by the server.
const maxCredentialString = 64 << 10

// ParseCredentials reads a JS-style object. With an access method (AC, SC,
// access, …) every other key is a record variable and passes through
// untouched, password included; without one, user/username and
// pass/password are a system user's. Mistakes are refused with
// CodeInvalidParams before anything is sent: non-string names, two spellings
// with different values, keys that look like a misspelling of ours ("Ns",
// "USER"), and variables without an access method.
func ParseCredentials(m map[string]any) (Credentials, error) {
	var c Credentials
	named := map[string]string{}   // canonical name -> value
	spelled := map[string]string{} // canonical name -> the key used
	userPass := map[string]any{}   // user/pass keys as spelled, in case they are record variables
	vars := map[string]any{}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys) // deterministic error messages
	for _, k := range keys {
		v := m[k]
		if k == "variables" {
			if err := mergeVariables(vars, v); err != nil {
				return Credentials{}, err
			}
			continue
		}
		canon, ok := credentialAliases[k]
		if !ok {
			if err := checkNotTypo(k); err != nil {
				return Credentials{}, err
			}
			if err := checkValueSize(k, v); err != nil {
				return Credentials{}, err
			}
			if err := putVariable(vars, k, v); err != nil {
				return Credentials{}, err
			}
			continue
		}
		if canon == "user" || canon == "pass" {
			userPass[k] = v // read once we know whether an access method is named
			continue
		}
		if err := setNamed(named, spelled, canon, k, v); err != nil {
			return Credentials{}, err
		}
	}
	c.Namespace, c.Database, c.Access = named["ns"], named["db"], named["ac"]
	c.Key, c.Refresh = named["key"], named["refresh"]
	if c.Access != "" {
		for k, v := range userPass {
			if err := checkValueSize(k, v); err != nil {
				return Credentials{}, err
			}
			if err := putVariable(vars, k, v); err != nil {
				return Credentials{}, err
			}
		}
	} else {
		for _, k := range sortedKeys(userPass) {
			if err := setNamed(named, spelled, credentialAliases[k], k, userPass[k]); err != nil {
				return Credentials{}, err
			}
		}
		c.Username, c.Password = named["user"], named["pass"]
		if len(vars) > 0 {
			return Credentials{}, newError(CodeInvalidParams,
				"record variables ("+strings.Join(sortedKeys(vars), ", ")+") need an access method: add AC (or SC)")
		}
	}
	if len(vars) > 0 {
		c.Variables = vars
	}
	return c, nil
}

// setNamed records one of our names, refusing a second spelling that disagrees.
func setNamed(named, spelled map[string]string, canon, k string, v any) error {
	s, err := credentialString(k, v)
	if err != nil {
		return err
	}
	if prev, ok := named[canon]; ok && prev != s {
		return newError(CodeInvalidParams, quote(spelled[canon])+" and "+quote(k)+" disagree")
	}
	named[canon], spelled[canon] = s, k
	return nil
}

func credentialString(k string, v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", newError(CodeInvalidParams, quote(k)+" must be a string")
	}
	if s == "" {
		return "", newError(CodeInvalidParams, quote(k)+" is empty")
	}
	if len(s) > maxCredentialString {
		return "", newError(CodeInvalidParams, quote(k)+" is too long")
	}
	return s, nil
}

func mergeVariables(vars map[string]any, v any) error {
	inner, ok := v.(map[string]any)
	if !ok {
		return newError(CodeInvalidParams, `"variables" must be an object`)
	}
	for k, val := range inner {
		if reservedWire[k] {
			return newError(CodeInvalidParams, "variable "+quote(k)+" is a key the server reads itself; put it outside variables")
		}
		if err := checkValueSize(k, val); err != nil {
			return err
		}
		if err := putVariable(vars, k, val); err != nil {
			return err
		}
	}
	return nil
}

func putVariable(vars map[string]any, k string, v any) error {
	if prev, ok := vars[k]; ok && !sameScalar(prev, v) {
		return newError(CodeInvalidParams, "variable "+quote(k)+" is given twice with different values")
	}
	vars[k] = v
	return nil
}

func sameScalar(a, b any) bool {
	switch a.(type) {
	case string, bool, float64, int, int64, nil:
		return a == b
	}
	return false
}

// checkNotTypo refuses keys that differ from one of ours only by case:
// "Ns", "USER", "Access". The server would ignore them and sign in as
// someone else (a root or database user) with a confusing error.
func checkNotTypo(k string) error {
	for alias := range credentialAliases {
		if strings.EqualFold(k, alias) {
			return newError(CodeInvalidParams, "unknown key "+quote(k)+": did you mean "+quote(suggest(k))+"?")
		}
	}
	if strings.EqualFold(k, "variables") {
		return newError(CodeInvalidParams, "unknown key "+quote(k)+`: did you mean "variables"?`)
	}
	return nil
}

func suggest(k string) string {
	switch l := strings.ToLower(k); l {
	case "ns", "db", "ac", "sc":
		return strings.ToUpper(l)
	default:
		return l
	}
}

// checkValueSize refuses oversized strings anywhere in a variable, nested
// objects and arrays included.
func checkValueSize(k string, v any) error {
	return walkSize(k, v, 0)
}

func walkSize(k string, v any, depth int) error {
	if depth > 32 {
		return newError(CodeInvalidParams, "variable "+quote(k)+" is nested too deeply")
	}
	switch x := v.(type) {
	case string:
		if len(x) > maxCredentialString {
			return newError(CodeInvalidParams, "variable "+quote(k)+" is too long")
		}
	case map[string]any:
		for _, e := range x {
			if err := walkSize(k, e, depth+1); err != nil {
				return err
			}
		}
	case []any:
		for _, e := range x {
			if err := walkSize(k, e, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}
