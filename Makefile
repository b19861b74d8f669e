# surrealauth: the two set-up commands are `make demo` and `make test`.
# Both install what they need (npm packages from the lock file, Debian's
# chromium when missing). What a machine must have besides: Go, Node 20 with
# npm, bash, git, a C compiler (go test -race; the 2.x engine's glibc shim)
# and apt-get for chromium. .ci/run prints the version of each.

SHELL      := /bin/bash
GO         ?= go
NODE       ?= node
PORT       ?= 8000
ENGINE     ?= 3
DIST       := dist
GOROOT     := $(shell $(GO) env GOROOT)
WASM_EXEC  := $(firstword $(wildcard $(GOROOT)/lib/wasm/wasm_exec.js $(GOROOT)/misc/wasm/wasm_exec.js))
GO_WASM_EXEC := $(firstword $(wildcard $(GOROOT)/lib/wasm/go_js_wasm_exec $(GOROOT)/misc/wasm/go_js_wasm_exec))
TEST_OUT   := test-output

# A recipe that fails takes its half-made target with it, so the next make
# builds it again instead of trusting it.
.DELETE_ON_ERROR:

PHONY_EXTRA := bench-go test-fuzz-smoke test-package test-docs
.PHONY: all demo test $(PHONY_EXTRA) test-go test-go-wasm test-devserver test-browser dist deps chromium vet fmt clean bench fuzz

all: dist

## deps: Node packages, exactly as locked.
# Not `npm ci`: npm 11 refuses to run cbor-x's optional native helper's
# install script unless approved, drops it from the lock, and `npm ci` then
# calls the lock out of sync. `npm install` honours the same lock; CI fails
# if it had to change it.
deps: node_modules/.package-lock.json
node_modules/.package-lock.json: package.json package-lock.json
	npm install --no-audit --no-fund
	@if [ "$${CI:-}" = true ] && ! git diff --quiet -- package-lock.json 2>/dev/null; then \
	  echo "package-lock.json is out of date: run npm install and commit it"; exit 1; fi
	@touch $@

## chromium: Debian's Chromium for the browser tests (never a downloaded browser).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

## dist: the npm package (wasm, both bundles, types, licences) in dist/.
# js/build.sh assembles it in a temporary folder and moves it into place
# whole, so dist/ is either the last complete build or absent; package.json
# is the file make trusts. The prerequisites are everything that goes in:
# the Go sources (and their folders, so a deleted file counts), the module
# files, Go's wasm_exec.js, and the js/ and licence files.
DIST_GO     := $(shell find sdk wasm -name '*.go' -not -name '*_test.go') $(shell find sdk wasm -type d)
DIST_INPUTS := go.mod go.sum $(DIST_GO) $(WASM_EXEC) $(wildcard $(GOROOT)/VERSION) $(wildcard js/*.js) \
               js/build.sh js/check-package.mjs js/bindings.js js/bindings.d.ts js/package.json js/README.md \
               LICENSE CHANGELOG.md
dist: $(DIST)/package.json
$(DIST)/package.json: $(DIST_INPUTS)
	GO=$(GO) NODE=$(NODE) bash js/build.sh $(DIST)

## demo: the demo page on the embedded SurrealDB at http://127.0.0.1:$(PORT)/
demo: deps dist
	$(NODE) devserver/server.mjs --port $(PORT) --engine $(ENGINE)

## test: every test. Go (native, race), Go under js/wasm in Node, dev server,
## the package (arethetypeswrong, bundlers), the docs and server facts, browser.
test: deps dist vet test-go test-go-wasm test-fuzz-smoke test-devserver test-package test-docs test-browser

# Every directory with Go code (node_modules may hold some: never ours to format).
GO_DIRS := sdk wasm examples bench

vet:
	@test -z "$$(gofmt -l $(GO_DIRS))" || { gofmt -l $(GO_DIRS); echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./...

# The engine matrix: every integration test runs as engine=3 and engine=2 subtests.
ENGINES ?= 3 2
test-go: deps
	SURREAL_ENGINES="$(ENGINES)" $(GO) test -race -count=1 ./...

# The sdk's tests under js/wasm in Node: Node 20 needs the flag for a global WebSocket.
test-go-wasm: deps
	$(NODE) devserver/with-server.mjs --engine $(ENGINE) -- env NODE_OPTIONS=--experimental-websocket \
	  PATH="$(dir $(GO_WASM_EXEC)):$$PATH" GOOS=js GOARCH=wasm $(GO) test -count=1 ./sdk/... ./wasm/...

test-devserver: deps
	$(NODE) --test devserver/test/

# Tests that are not one engine's: the packed tarball (file list,
# arethetypeswrong, TypeScript), apps built with Vite and esbuild from it
# (test-package); the docs' snippets and claims, and the server facts
# docs/protocol.md states, on both engines (test-docs). They run once; the
# rest of e2e/ runs once per engine.
PACKAGE_TESTS := e2e/package.test.mjs e2e/bundlers.test.mjs
DOCS_TESTS    := e2e/docs.test.mjs e2e/protocol.test.mjs
BROWSER_TESTS := $(filter-out $(PACKAGE_TESTS) $(DOCS_TESTS),$(wildcard e2e/*.test.mjs))

# No test may hang the run: each gets at most E2E_TIMEOUT ms.
E2E_TIMEOUT ?= 300000
E2E_RUN := $(NODE) --test --test-concurrency=1 --test-timeout=$(E2E_TIMEOUT)

test-package: deps dist chromium
	E2E_ENGINE=3 $(E2E_RUN) $(PACKAGE_TESTS)

test-docs: deps dist chromium
	E2E_ENGINE=3 $(E2E_RUN) $(DOCS_TESTS)

test-browser: deps dist chromium
	@for e in 3 2; do \
	  echo "== browser tests, engine=$$e (E2E_ENGINE=$$e) =="; \
	  E2E_ENGINE=$$e $(E2E_RUN) $(BROWSER_TESTS) || exit 1; \
	done

## bench-go: the Go client's latency against the dev server (median and p95),
## then a server's per-request identities: RequestSessions on one socket
## against a socket per request, 1000 requests in flight (and one at a time),
## with the memory each holds.
bench-go: deps
	$(GO) test -run '^$$' -bench . -skip 'PerRequest|1000Concurrent' -benchtime 500x -count 3 ./sdk/
	$(GO) test -run '^$$' -bench '1000Concurrent' -benchtime 50x -count 3 ./sdk/
	$(GO) test -run '^$$' -bench 'PerRequest1000' -benchtime 5000x -count 3 ./sdk/
	$(GO) test -run '^$$' -bench 'PerRequest1$$' -benchtime 500x -count 3 ./sdk/

## fuzz: each fuzz target for FUZZTIME (default 30s). `make test` runs a 3 s smoke of each.
FUZZTIME ?= 30s
FUZZ_TARGETS := sdk:FuzzParseCredentials sdk:FuzzParseClaims sdk:FuzzClaimsJSON sdk:FuzzDecodeStored sdk:FuzzEncodeStored sdk/internal/rpc:FuzzUnmarshal sdk/internal/rpc:FuzzBudget sdk/internal/rpc:FuzzDispatch sdk/internal/rpc:FuzzMessageCap sdk/internal/jsonx:FuzzReader sdk/internal/jsonx:FuzzAppendString sdk/jsvalue:FuzzParse sdk:FuzzReasonMatchers
# A failure prints everything go test said (the input and the message); the
# failing input is left in <pkg>/testdata/fuzz/ for go test to replay.
# -fuzzminimizetime is short: while a worker minimises a new input the run
# shows 0 execs/s, and a 60 s minimisation (the default) outlasts a 3 s smoke.
fuzz:
	@for t in $(FUZZ_TARGETS); do pkg=$${t%%:*}; fn=$${t##*:}; \
	  echo "fuzz $$fn ($(FUZZTIME))"; \
	  out=$$($(GO) test -run '^$$' -fuzz "^$$fn$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 5s ./$$pkg/ 2>&1) || { echo "$$out"; exit 1; }; \
	  echo "$$out" | grep -E 'elapsed: .*execs|^ok' | tail -2; done

test-fuzz-smoke:
	@$(MAKE) --no-print-directory fuzz FUZZTIME=3s

## bench: surrealauth vs surrealdb.js v2 vs a raw WebSocket in Chromium -> bench/RESULTS.md
bench: deps dist chromium
	$(NODE) bench/run.mjs

fmt:
	gofmt -w $(GO_DIRS)

clean:
	rm -rf $(DIST) $(TEST_OUT) .$(notdir $(DIST)).build.* .$(notdir $(DIST)).old.*
