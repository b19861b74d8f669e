package sdk

import "github.com/surrealauth/surrealauth/sdk/internal/rpc"

// The SurrealQL values that Info records can hold besides plain Go values
// (string, int64, float64, bool, nil, []any, map[string]any, []byte,
// time.Time for datetimes).
type (
	// RecordID is a record id; String gives "table:id".
	RecordID = rpc.RecordID
	// None is SurrealQL NONE, distinct from null (nil).
	None = rpc.None
	// UUID is a 16-byte UUID.
	UUID = rpc.UUID
	// Table is a table name.
	Table = rpc.Table
	// Decimal is a decimal number kept as text.
	Decimal = rpc.Decimal
	// Duration is a SurrealQL duration.
	Duration = rpc.Duration
	// Tag is a CBOR tag the sdk has no type for (geometries, ranges, …):
	// its number and decoded content.
	Tag = rpc.Tag
	// BigInt is an integer beyond int64 (never from SurrealDB itself, whose
	// integers are 64-bit); String gives its decimal text.
	BigInt = rpc.BigInt
)
