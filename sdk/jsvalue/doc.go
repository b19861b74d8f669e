// Package jsvalue is the JSON form in which the browser build hands values
// between Go and JavaScript (docs/architecture.md#bridge): one string per
// call instead of a JS object built or read one property at a time.
//
// Plain JSON carries what it can. What it cannot is written as an object
// whose only members are "$" (the kind) and "v" (the value):
//
//	{"$":"undefined"}              undefined: NONE inside an array
//	{"$":"bigint","v":"-9007199254740993"}   an integer beyond ±(2^53−1)
//	{"$":"bytes","v":"AAEC"}        a Uint8Array, in standard base64
//	{"$":"number","v":"NaN"}        NaN, Infinity, -Infinity
//	{"$":"date","v":1700000000000}  a Date, in ms since the epoch (JS to Go only)
//
// An object key that starts with "$" gets one more "$" in front, so that
// no object of the page's is ever read as one of these: {"$":1} travels as
// {"$$":1}. js/bindings.js writes and reads the same form (its replacer and
// reviver); the two are tested against each other in the browser.
//
// Towards JavaScript, SurrealQL values that JS has no type for become
// their SurrealQL text (record ids, UUIDs, decimals, durations), datetimes
// RFC 3339 text in UTC, NONE fields are left out of objects, and an
// object's keys are sorted, as SurrealDB orders them.
package jsvalue
