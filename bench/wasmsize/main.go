// Command wasmsize says what each Go package costs in a .wasm built by the
// Go toolchain: it sums the code bodies per package from the module's name
// section. Build the wasm without -s (which drops the names), e.g.
//
//	GOOS=js GOARCH=wasm go build -trimpath -o /tmp/a.wasm ./wasm
//	go run ./bench/wasmsize /tmp/a.wasm
//
// With a third argument it lists the functions of the packages whose
// symbol starts with it instead, largest first:
//
//	go run ./bench/wasmsize /tmp/a.wasm 20 github.com_surrealauth_surrealauth_sdk_internal_rpc
package main

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: wasmsize file.wasm [top [package]]")
		os.Exit(2)
	}
	top := 30
	if len(os.Args) > 2 {
		fmt.Sscan(os.Args[2], &top)
	}
	b, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	m, err := parse(b)
	if err != nil {
		fmt.Fprintln(os.Stderr, "wasmsize:", err)
		os.Exit(1)
	}
	if len(m.names) == 0 {
		fmt.Fprintln(os.Stderr, "wasmsize: no name section (built with -ldflags=-s?)")
		os.Exit(1)
	}
	if len(os.Args) > 3 {
		functions(m, top, os.Args[3])
		return
	}
	report(m, top)
}

// functions lists the largest function bodies of the packages matching prefix.
func functions(m *module, top int, prefix string) {
	type fn struct {
		name string
		size int
	}
	var fns []fn
	total := 0
	for k, size := range m.bodies {
		if name := m.names[k+m.imports]; strings.HasPrefix(name, prefix) {
			fns = append(fns, fn{name, size})
			total += size
		}
	}
	sort.Slice(fns, func(i, j int) bool { return fns[i].size > fns[j].size })
	fmt.Printf("%d functions, %d bytes of code\n", len(fns), total)
	for i, f := range fns {
		if i == top {
			break
		}
		fmt.Printf("%9d  %s\n", f.size, f.name)
	}
}

type module struct {
	imports int   // imported functions: they come first in the index space
	bodies  []int // code size of each defined function
	names   map[int]string
	data    int // size of the data section
	size    int
}

// reader reads LEB128 numbers and bytes from a section, failing softly.
type reader struct {
	b   []byte
	i   int
	err error
}

func (r *reader) uleb() int {
	var v uint64
	for shift := uint(0); ; shift += 7 {
		if r.i >= len(r.b) || shift > 63 {
			r.err = errors.New("truncated number")
			return 0
		}
		c := r.b[r.i]
		r.i++
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			return int(v)
		}
	}
}

func (r *reader) bytes(n int) []byte {
	if n < 0 || r.i+n > len(r.b) {
		r.err = errors.New("truncated section")
		return nil
	}
	s := r.b[r.i : r.i+n]
	r.i += n
	return s
}

func parse(b []byte) (*module, error) {
	if len(b) < 8 || string(b[:4]) != "\x00asm" {
		return nil, errors.New("not a wasm module")
	}
	m := &module{names: map[int]string{}, size: len(b)}
	r := &reader{b: b, i: 8}
	for r.i < len(b) && r.err == nil {
		id := r.bytes(1)
		n := r.uleb()
		sec := &reader{b: r.bytes(n)}
		if r.err != nil {
			break
		}
		switch id[0] {
		case 2:
			m.imports = countFuncImports(sec)
		case 10:
			for k, count := 0, sec.uleb(); k < count && sec.err == nil; k++ {
				size := sec.uleb()
				m.bodies = append(m.bodies, size)
				sec.bytes(size)
			}
		case 11:
			m.data = n
		case 0:
			readNames(sec, m.names)
		}
	}
	return m, r.err
}

func countFuncImports(r *reader) int {
	funcs := 0
	for k, count := 0, r.uleb(); k < count && r.err == nil; k++ {
		r.bytes(r.uleb()) // module
		r.bytes(r.uleb()) // field
		kind := r.bytes(1)
		if r.err != nil {
			break
		}
		switch kind[0] {
		case 0: // function
			r.uleb()
			funcs++
		case 1: // table
			r.bytes(1)
			limits(r)
		case 2: // memory
			limits(r)
		case 3: // global
			r.bytes(2)
		}
	}
	return funcs
}

func limits(r *reader) {
	flags := r.uleb()
	r.uleb()
	if flags&1 == 1 {
		r.uleb()
	}
}

func readNames(r *reader, names map[int]string) {
	if string(r.bytes(r.uleb())) != "name" {
		return
	}
	for r.i < len(r.b) && r.err == nil {
		sub := r.bytes(1)
		body := &reader{b: r.bytes(r.uleb())}
		if r.err != nil || sub[0] != 1 {
			continue
		}
		for k, count := 0, body.uleb(); k < count && body.err == nil; k++ {
			idx := body.uleb()
			names[idx] = string(body.bytes(body.uleb()))
		}
	}
}

// pkgOf turns a symbol such as "github.com_fxamacker_cbor_v2.(*decoder).parse"
// into its package.
func pkgOf(sym string) string {
	rest := strings.TrimPrefix(sym, "github.com_")
	if i := strings.Index(rest, "."); i >= 0 {
		return sym[:len(sym)-len(rest)+i]
	}
	return sym
}

func report(m *module, top int) {
	per := map[string]int{}
	code := 0
	for k, size := range m.bodies {
		per[pkgOf(m.names[k+m.imports])] += size
		code += size
	}
	pkgs := make([]string, 0, len(per))
	for p := range per {
		pkgs = append(pkgs, p)
	}
	sort.Slice(pkgs, func(i, j int) bool { return per[pkgs[i]] > per[pkgs[j]] })
	fmt.Printf("file %d bytes: code %d, data %d, other %d\n", m.size, code, m.data, m.size-code-m.data)
	groups := map[string]int{}
	for p, n := range per {
		groups[group(p)] += n
	}
	fmt.Printf("by origin: ")
	for _, g := range []string{"runtime", "crypto", "net/http+tls", "cbor", "jwt", "websocket", "encoding/json", "reflect+fmt", "surrealauth", "other std"} {
		fmt.Printf("%s %d  ", g, groups[g])
	}
	fmt.Println()
	for i, p := range pkgs {
		if i == top {
			break
		}
		fmt.Printf("%9d  %5.1f%%  %s\n", per[p], 100*float64(per[p])/float64(code), p)
	}
}

func group(p string) string {
	switch {
	case strings.HasPrefix(p, "runtime") || strings.HasPrefix(p, "internal_runtime"):
		return "runtime"
	case strings.HasPrefix(p, "crypto"):
		return "crypto"
	case strings.HasPrefix(p, "net") || strings.HasPrefix(p, "vendor_golang") || strings.HasPrefix(p, "mime"):
		return "net/http+tls"
	case strings.Contains(p, "fxamacker"):
		return "cbor"
	case strings.Contains(p, "golang_jwt"):
		return "jwt"
	case strings.Contains(p, "coder_websocket"):
		return "websocket"
	case strings.HasPrefix(p, "encoding_json"):
		return "encoding/json"
	case p == "reflect" || p == "fmt" || strings.HasPrefix(p, "internal_reflectlite") || strings.HasPrefix(p, "internal_fmtsort"):
		return "reflect+fmt"
	case strings.Contains(p, "surrealauth") || p == "main":
		return "surrealauth"
	default:
		return "other std"
	}
}
