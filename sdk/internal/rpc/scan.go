package rpc

import "math"

// The decoder's budget (a hostile or broken server must not exhaust memory).
// Limits per item are not enough: a 7 MiB reply of empty maps is within any
// per-map limit and cost half a gigabyte once decoded. So the scan pass,
// which allocates nothing, charges every item an upper estimate of the
// memory its Go value takes (FuzzBudget checks it against the runtime's own
// count), and refuses the message before anything is built when it holds
// more than maxItems data items or more than budgetFloor + budgetRatio × its
// size in estimated bytes. A reply an auth client reads (a token, a record,
// an error) has tens of items and a few kilobytes. An absolute floor rather
// than a multiple of the size: small records of small values legitimately
// decode into 50–100 × their CBOR size, and what matters is the total.
const (
	maxItems    = 1 << 18
	budgetFloor = 16 << 20
	budgetRatio = 2 // text and bytes: their length, rounded up to Go's size classes

	// Estimated bytes of each Go value, its slot in the parent (16, plus a
	// quarter for size-class rounding) included.
	costScalar = 40  // a number boxed in an interface (16 bytes with -race)
	costBig    = 80  // an integer beyond int64: a BigInt and its bytes
	costString = 64  // slot, boxed header, rounding; + textCost of the length
	costArray  = 48  // slot and boxed slice header; each element pays for its own slot
	costMap    = 72  // slot and map header
	costGroups = 384 // the first group of slots (or a table's) of a non-empty map
	costPair   = 80  // a pair's share of the slots, at Go's worst load factor
	costTag    = 56  // a Tag, RecordID, time.Time … boxed
	costTag0   = 320 // time.Parse of an offset makes a time.Location
)

// scanner walks one data item, checking it is well-formed and within the
// budget. It allocates nothing.
type scanner struct {
	data  []byte
	pos   int
	items int // items left
	bytes int // estimated bytes left
}

func newScanner(data []byte, pos int, budgeted bool) scanner {
	s := scanner{data: data, pos: pos, items: math.MaxInt, bytes: math.MaxInt}
	if budgeted {
		s.items = maxItems
		s.bytes = budgetFloor + budgetRatio*len(data)
	}
	return s
}

// charge takes n estimated bytes (and one item) from the budget.
func (s *scanner) charge(n int) error {
	s.items--
	s.bytes -= n
	if s.items < 0 || s.bytes < 0 {
		return errBudget
	}
	return nil
}

// chargeBytes takes n estimated bytes without counting an item.
func (s *scanner) chargeBytes(n int) error {
	if s.bytes -= n; s.bytes < 0 {
		return errBudget
	}
	return nil
}

// item scans one data item at nesting depth depth.
func (s *scanner) item(depth int) error {
	major, ai, arg, next, err := readHead(s.data, s.pos)
	if err != nil {
		return err
	}
	s.pos = next
	switch major {
	case majorUint, majorNint:
		if arg > math.MaxInt64 {
			return s.charge(costBig)
		}
	case majorBytes, majorText:
		return s.str(ai, arg)
	case majorArray, majorMap:
		if depth++; depth > maxDepth {
			return errDepth
		}
		return s.container(major, ai, arg, depth)
	case majorTag:
		return s.tag(depth, arg)
	case majorSimple:
		if ai == aiIndefinite {
			return errSyntax // a break code outside an indefinite-length item
		}
	}
	return s.charge(costScalar)
}

// textCost is a string's estimate: Go rounds allocations up to size
// classes (at most a quarter, or 16 bytes for small ones).
func textCost(n int) int { return n + n/4 }

func (s *scanner) str(ai byte, arg uint64) error {
	major := s.data[s.pos-1] >> 5
	if ai != aiIndefinite {
		if arg > uint64(len(s.data)-s.pos) {
			return errTruncated
		}
		s.pos += int(arg)
		return s.charge(costString + textCost(int(arg)))
	}
	if err := s.charge(costString); err != nil {
		return err
	}
	for { // chunks: definite strings of the same major type, then a break
		if s.pos >= len(s.data) {
			return errTruncated
		}
		if s.data[s.pos] == breakCode {
			s.pos++
			return nil
		}
		m, cai, n, next, err := readHead(s.data, s.pos)
		if err != nil {
			return err
		}
		if m != major || cai == aiIndefinite {
			return errSyntax
		}
		if n > uint64(len(s.data)-next) {
			return errTruncated
		}
		s.pos = next + int(n)
		// Chunks are joined, and text is then copied into a string: twice.
		if err := s.chargeBytes(2 * textCost(int(n))); err != nil {
			return err
		}
	}
}

func (s *scanner) container(major, ai byte, arg uint64, depth int) error {
	per, cost := 1, costArray
	if major == majorMap {
		per, cost = 2, costMap
	}
	if err := s.charge(cost); err != nil {
		return err
	}
	n := int(arg)
	if ai != aiIndefinite {
		// Every item takes at least one byte: a count beyond what is left is
		// a lie, refused before it can drive a loop or an allocation.
		if arg > uint64(len(s.data)-s.pos)/uint64(per) {
			return errTruncated
		}
		n *= per
	}
	i := 0
	for ; ai == aiIndefinite || i < n; i++ {
		if ai == aiIndefinite {
			if s.pos >= len(s.data) {
				return errTruncated
			}
			if s.data[s.pos] == breakCode {
				s.pos++
				if i%per != 0 {
					return errSyntax // a map ended between a key and its value
				}
				break
			}
		}
		if per == 2 && i%2 == 0 {
			if err := s.chargeBytes(costPair); err != nil {
				return err
			}
		}
		if err := s.item(depth); err != nil {
			return err
		}
	}
	if per == 2 && i > 0 {
		return s.chargeBytes(costGroups)
	}
	return nil
}

// tag scans a chain of tags and their content. As in fxamacker/cbor, each tag
// directly inside another adds a level of nesting.
func (s *scanner) tag(depth int, num uint64) error {
	for {
		cost := costTag
		if num == tagDatetimeText {
			cost = costTag0
		}
		if err := s.charge(cost); err != nil {
			return err
		}
		if s.pos >= len(s.data) {
			return errTruncated
		}
		if s.data[s.pos]>>5 != majorTag {
			return s.item(depth)
		}
		_, _, arg, next, err := readHead(s.data, s.pos)
		if err != nil {
			return err
		}
		s.pos, num = next, arg
		if depth++; depth > maxDepth {
			return errDepth
		}
	}
}
