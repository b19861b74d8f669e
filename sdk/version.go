package sdk

import (
	"strconv"
	"strings"
)

// Version is the server's version as its version method reports it
// ("surrealdb-3.0.2"). The client reads it once at connect; it decides the
// wire keys (SC for 1.x, AC after) and which methods exist.
type Version struct {
	Major, Minor, Patch int
	Raw                 string
}

func (v Version) String() string { return v.Raw }

// ParseVersion reads "surrealdb-3.0.2", "3.0.2" or "surrealdb-2.6.1+build".
func ParseVersion(s string) (Version, error) {
	v := Version{Raw: s}
	t := strings.TrimPrefix(s, "surrealdb-")
	if i := strings.IndexAny(t, "-+ "); i >= 0 {
		t = t[:i]
	}
	parts := strings.Split(t, ".")
	if len(parts) < 2 {
		return v, newError(CodeUnsupported, "unrecognised server version "+quote(s))
	}
	nums := [3]int{}
	for i := 0; i < len(parts) && i < 3; i++ {
		n, err := strconv.Atoi(parts[i])
		if err != nil || n < 0 {
			return v, newError(CodeUnsupported, "unrecognised server version "+quote(s))
		}
		nums[i] = n
	}
	v.Major, v.Minor, v.Patch = nums[0], nums[1], nums[2]
	if v.Major < 1 {
		return v, newError(CodeUnsupported, "unrecognised server version "+quote(s))
	}
	return v, nil
}

// hasRefresh tells whether the refresh and revoke methods exist (3.x).
func (v Version) hasRefresh() bool { return v.Major >= 3 }
