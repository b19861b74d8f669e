package sdk

import (
	"math"
	"strings"
	"time"

	"github.com/surrealauth/surrealauth/sdk/internal/jsonx"
)

// A token's claims are read in one pass over its JSON, straight into the
// slots below (no map of claims is built); ClaimsFromMap fills the same
// slots from a decoded map. Either way one function turns them into Claims,
// so the rule "which of the accepted names wins" is written once.

// claimSlots are the names ParseClaims reads: claimNames' aliases in their
// order, then the standard claims.
var claimSlots, claimSlot = func() ([]string, map[string]int) {
	var names []string
	for _, group := range []string{"ns", "db", "ac", "id", "rl"} {
		names = append(names, claimNames[group]...)
	}
	names = append(names, "iss", "sub", "jti", "exp", "iat", "nbf")
	index := make(map[string]int, len(names))
	for i, n := range names {
		index[n] = i
	}
	return names, index
}()

// claimKind is the type a claim's value had, as far as Claims cares.
type claimKind byte

const (
	claimAbsent claimKind = iota
	claimNull
	claimString
	claimNumber
	claimArray // its string elements are kept, the others dropped
	claimOther
)

type claimValue struct {
	kind claimKind
	str  string
	num  float64
	strs []string
}

// nClaimSlots is len(claimSlots), checked by TestClaimSlots: a constant, so
// that a claimSet lives on the stack.
const nClaimSlots = 29

// claimSet holds the last value of each name in claimSlots, as decoding the
// claims into a map would leave it.
type claimSet [nClaimSlots]claimValue

// fromMap fills the set from decoded claims.
func (cs *claimSet) fromMap(mc map[string]any) {
	for i, name := range claimSlots {
		v, ok := mc[name]
		if !ok {
			continue
		}
		switch x := v.(type) {
		case nil:
			cs[i] = claimValue{kind: claimNull}
		case string:
			cs[i] = claimValue{kind: claimString, str: x}
		case float64:
			cs[i] = claimValue{kind: claimNumber, num: x}
		case []any:
			strs := make([]string, 0, len(x))
			for _, e := range x {
				if s, ok := e.(string); ok {
					strs = append(strs, s)
				}
			}
			cs[i] = claimValue{kind: claimArray, strs: strs}
		default:
			cs[i] = claimValue{kind: claimOther}
		}
	}
}

// fromJSON fills the set from a claims object. Every value is read as
// decoding into a map would read it, so a number beyond float64 anywhere
// is refused (jsonx.ErrRange) as encoding/json refused it.
func (cs *claimSet) fromJSON(r *jsonx.Reader) error {
	return r.Members(func(key []byte) error {
		i, known := claimSlot[string(key)]
		if !known {
			return r.SkipAny()
		}
		v, err := readClaim(r)
		cs[i] = v
		return err
	})
}

func readClaim(r *jsonx.Reader) (claimValue, error) {
	switch r.Kind() {
	case jsonx.Null:
		r.SkipNull()
		return claimValue{kind: claimNull}, nil
	case jsonx.String:
		return claimValue{kind: claimString, str: r.String()}, nil
	case jsonx.Number:
		f, err := r.Float()
		return claimValue{kind: claimNumber, num: f}, err
	case jsonx.Array:
		v := claimValue{kind: claimArray, strs: []string{}}
		err := r.Elements(func() error {
			if r.Kind() == jsonx.String {
				v.strs = append(v.strs, r.String())
				return nil
			}
			return r.SkipAny()
		})
		return v, err
	}
	return claimValue{kind: claimOther}, r.SkipAny()
}

// get is the value of name.
func (cs *claimSet) get(name string) claimValue { return cs[claimSlot[name]] }

// claims reads SurrealDB's claims from the set: for each, the first of its
// accepted names that holds a usable value (see docs/protocol.md#tokens).
func (cs *claimSet) claims() (Claims, error) {
	var c Claims
	c.Namespace = cs.text("ns")
	c.Database = cs.text("db")
	c.Access = cs.text("ac")
	c.ID = cs.text("id")
	c.Roles = cs.roles()
	if v := cs.get("iss"); v.kind == claimString {
		c.Issuer = v.str
	}
	if v := cs.get("sub"); v.kind == claimString {
		c.Subject = v.str
	}
	if v := cs.get("jti"); v.kind == claimString {
		c.TokenID = v.str
	}
	for _, t := range []struct {
		name string
		dst  *time.Time
	}{{"exp", &c.ExpiresAt}, {"iat", &c.IssuedAt}, {"nbf", &c.NotBefore}} {
		v := cs.get(t.name)
		if v.kind == claimAbsent || v.kind == claimNull {
			continue
		}
		if v.kind != claimNumber || math.IsNaN(v.num) || math.IsInf(v.num, 0) || math.Abs(v.num) > 1e15 {
			return Claims{}, newError(CodeTokenInvalid, "the "+t.name+" claim is not a number of seconds")
		}
		*t.dst = time.Unix(int64(v.num), 0) // whole seconds, as the server compares them
	}
	return c, nil
}

func (cs *claimSet) text(group string) string {
	for _, name := range claimNames[group] {
		if v := cs.get(name); v.kind == claimString && v.str != "" {
			return v.str
		}
	}
	return ""
}

func (cs *claimSet) roles() []string {
	for _, name := range claimNames["rl"] {
		switch v := cs.get(name); v.kind {
		case claimArray:
			return v.strs
		case claimString:
			return strings.Split(v.str, ",")
		}
	}
	return nil
}

// headerAlg reads a JWT header: the last "alg" member if it is a string.
func headerAlg(r *jsonx.Reader) (string, error) {
	alg := ""
	err := r.Members(func(key []byte) error {
		if string(key) != "alg" {
			return r.SkipAny()
		}
		alg = ""
		if r.Kind() == jsonx.String {
			alg = r.String()
			return nil
		}
		return r.SkipAny()
	})
	return alg, err
}
