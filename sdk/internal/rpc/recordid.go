package rpc

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// String renders the id as SurrealQL text, "user:abc". Keys that are not plain
// identifiers are escaped with backticks, as the server does in the ID claim;
// array and object keys are written as SurrealQL literals, user:['a', 1].
func (r RecordID) String() string {
	return escapeIdent(r.Table) + ":" + keyString(r.ID)
}

func keyString(k any) string {
	if s, ok := k.(string); ok {
		return escapeIdent(s)
	}
	return literal(k, 0)
}

func escapeIdent(s string) string {
	if s == "" {
		return "``"
	}
	plain, digits := true, true
	for _, r := range s {
		if r > unicode.MaxASCII || !(r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			plain = false
		}
		if !unicode.IsDigit(r) {
			digits = false
		}
	}
	if plain && !digits {
		return s
	}
	return "`" + strings.ReplaceAll(s, "`", "\\`") + "`"
}

// literal writes a decoded value as SurrealQL would print it. It only has
// to be readable and unambiguous for the values a record key holds; the
// depth bound keeps a hand-built cyclic value from running away.
func literal(v any, depth int) string {
	if depth > maxDepth {
		return "…"
	}
	switch x := v.(type) {
	case nil:
		return "NULL"
	case None:
		return "NONE"
	case bool:
		return strconv.FormatBool(x)
	case string:
		return quoteText(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case uint64:
		return strconv.FormatUint(x, 10)
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64) + "f"
	case BigInt:
		return x.String()
	case UUID:
		return "u'" + x.String() + "'"
	case RecordID:
		return x.String()
	case Decimal:
		return string(x) + "dec"
	case time.Time:
		return "d'" + x.UTC().Format(time.RFC3339Nano) + "'"
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = literal(e, depth+1)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		return objectLiteral(x, depth)
	case interface{ String() string }:
		return x.String()
	}
	return "?"
}

func objectLiteral(m map[string]any, depth int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = escapeIdent(k) + ": " + literal(m[k], depth+1)
	}
	if len(parts) == 0 {
		return "{}"
	}
	return "{ " + strings.Join(parts, ", ") + " }"
}

func quoteText(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
