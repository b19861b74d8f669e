package rpc

import "strconv"

// ServerError is an error object as the server sent it. 1.x and 2.x send only
// code and message; 3.x adds kind, details (which may nest {kind, details})
// and cause (PROTOCOL.md §1.4).
type ServerError struct {
	Code    int64  `cbor:"code"`
	Message string `cbor:"message"`
	Kind    string `cbor:"kind"`
	Details any    `cbor:"details"`
	Cause   any    `cbor:"cause"`
}

func (e *ServerError) Error() string {
	s := "surrealdb error " + strconv.FormatInt(e.Code, 10)
	if e.Kind != "" {
		s += " (" + e.Kind + ")"
	}
	return s + ": " + e.Message
}

// DetailKinds lists the kinds from the outside in: kind, details.kind,
// details.details.kind, … Classification reads the innermost one first.
func (e *ServerError) DetailKinds() []string {
	var kinds []string
	if e.Kind != "" {
		kinds = append(kinds, e.Kind)
	}
	d := e.Details
	for depth := 0; depth < 8; depth++ {
		m, ok := d.(map[string]any)
		if !ok {
			break
		}
		if k, ok := m["kind"].(string); ok {
			kinds = append(kinds, k)
		}
		d = m["details"]
	}
	return kinds
}
