package sdk

import (
	"sort"
	"strconv"
	"strings"
)

// Credentials say who signs in. Fill the struct directly, or build it with
// ParseCredentials from the JS-style objects SurrealDB users already write.
//
// Without Access it is a system user: root ({Username, Password}), namespace
// ({Namespace, Username, Password}) or database ({Namespace, Database,
// Username, Password}). With Access it is an access method: a record access
// whose SIGNIN/SIGNUP clause reads Variables, a bearer Key, or a Refresh
// token. Access is the 2.x/3.x name; 1.x called it a scope (SC) and the
// client sends the right key for the server it is talking to.
type Credentials struct {
	Namespace string
	Database  string
	Access    string
	Username  string
	Password  string
	Key       string         // bearer access key
	Refresh   string         // refresh token of a WITH REFRESH access (3.x)
	Variables map[string]any // record access variables: email, password, ...
}

// String never shows secrets: passwords, keys, refresh tokens and the values
// of record variables (which hold passwords too) are left out.
func (c Credentials) String() string {
	var b strings.Builder
	b.WriteString("Credentials{")
	field := func(name, v string) {
		if v != "" {
			if b.Len() > len("Credentials{") {
				b.WriteString(" ")
			}
			b.WriteString(name + "=" + v)
		}
	}
	field("ns", c.Namespace)
	field("db", c.Database)
	field("ac", c.Access)
	field("user", c.Username)
	field("pass", redacted(c.Password))
	field("key", redacted(c.Key))
	field("refresh", redacted(c.Refresh))
	if len(c.Variables) > 0 {
		field("vars", "["+strings.Join(sortedKeys(c.Variables), " ")+"]")
	}
	b.WriteString("}")
	return b.String()
}

// GoString keeps %#v as safe as %v.
func (c Credentials) GoString() string { return c.String() }

func redacted(s string) string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// reservedWire are the keys the server reads itself (docs/protocol.md#signin);
// a record variable with one of these names would change what it does.
var reservedWire = map[string]bool{
	"NS": true, "ns": true, "DB": true, "db": true, "AC": true, "ac": true,
	"SC": true, "sc": true, "key": true, "refresh": true,
}

// resolve applies the connect-time defaults and checks the combination
// before anything is sent. Defaults apply to access methods only: adding a
// default namespace to {user, pass} would turn a root sign-in into a
// namespace sign-in. The default database is not added to a bearer key,
// which may name a namespace-level access on purpose.
func (c Credentials) resolve(defNS, defDB string) (Credentials, error) {
	if c.Access == "" {
		return c, c.checkSystemUser()
	}
	if c.Namespace == "" {
		c.Namespace = defNS
	}
	if c.Database == "" && c.Namespace == defNS && c.Key == "" {
		c.Database = defDB
	}
	return c, c.checkAccess()
}

func (c Credentials) checkSystemUser() error {
	switch {
	case c.Key != "" || c.Refresh != "" || len(c.Variables) > 0:
		return newError(CodeInvalidParams, "record variables, key and refresh need an access method (AC or SC)")
	case c.Database != "" && c.Namespace == "":
		return newError(CodeMissingNamespace, "a database was given without a namespace")
	case c.Username == "" || c.Password == "":
		return newError(CodeInvalidParams, "a system user needs both user and pass")
	}
	return nil
}

func (c Credentials) checkAccess() error {
	switch {
	case c.Username != "" || c.Password != "":
		return newError(CodeInvalidParams, "Username and Password are for system users; an access method reads Variables")
	case c.Key != "" && c.Refresh != "":
		return newError(CodeInvalidParams, "give either a bearer key or a refresh token, not both")
	case c.Namespace == "":
		return newError(CodeMissingNamespace, "an access method needs a namespace")
	case c.Database == "" && c.Key == "":
		return newError(CodeMissingDatabase, "a record access needs a database (only a bearer key may use a namespace access)")
	}
	for k := range c.Variables {
		if reservedWire[k] {
			return newError(CodeInvalidParams, "record variable "+quote(k)+" is a key the server reads itself")
		}
	}
	return nil
}

// checkSignup checks what signup additionally needs: a record access.
func (c Credentials) checkSignup() error {
	if c.Access == "" {
		return newError(CodeInvalidParams, "signup needs a record access method (AC or SC)")
	}
	if c.Key != "" || c.Refresh != "" {
		return newError(CodeInvalidParams, "signup takes record variables, not a key or refresh token")
	}
	if c.Database == "" {
		return newError(CodeMissingDatabase, "signup needs a database")
	}
	return nil
}

// wire builds the params object in the keys this server version reads:
// SC for 1.x, AC for 2.x/3.x. Never SC to 2.x/3.x: they ignore it and the
// call silently becomes a database-user sign-in (docs/protocol.md#versions).
func (c Credentials) wire(v Version) (map[string]any, error) {
	m := make(map[string]any, len(c.Variables)+5)
	if c.Access == "" {
		m["user"], m["pass"] = c.Username, c.Password
	} else {
		if v.Major == 1 && (c.Key != "" || c.Refresh != "") {
			return nil, newError(CodeUnsupported, "SurrealDB 1.x has no bearer keys or refresh tokens")
		}
		for k, val := range c.Variables {
			m[k] = val
		}
		if v.Major == 1 {
			m["SC"] = c.Access
		} else {
			m["AC"] = c.Access
		}
		if c.Key != "" {
			m["key"] = c.Key
		}
		if c.Refresh != "" {
			m["refresh"] = c.Refresh
		}
	}
	if c.Namespace != "" {
		m["NS"] = c.Namespace
	}
	if c.Database != "" {
		m["DB"] = c.Database
	}
	return m, nil
}

func quote(s string) string { return `"` + s + `"` }

// MarshalJSON keeps secrets out of JSON logs.
func (c Credentials) MarshalJSON() ([]byte, error) { return []byte(strconv.Quote(c.String())), nil }
