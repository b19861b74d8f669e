//go:build !js

package httpauth_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestBrowserBuildWithoutHTTP: the browser build (wasm/, GOOS=js) links
// neither this package nor net/http: sdk must never import them.
func TestBrowserBuildWithoutHTTP(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "github.com/surrealauth/surrealauth/wasm")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list listed %d packages", len(deps))
	}
	for _, p := range deps {
		if p == "net/http" || strings.HasSuffix(p, "/httpauth") {
			t.Errorf("the browser build links %s", p)
		}
	}
}
