//go:build !js

package notes_test

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The example lives outside sdk/, so sdk/internal/testserver is not
// importable here: this is the little of it the example's tests need.

var readyLine = regexp.MustCompile(`surrealauth devserver ready (ws://\S+/rpc)`)

// engines is the matrix: SURREAL_ENGINES ("3 2"), or 3.
func engines() []string {
	if e := strings.Fields(os.Getenv("SURREAL_ENGINES")); len(e) > 0 {
		return e
	}
	return []string{"3"}
}

// devServer is SURREAL_URL, or a dev server of engine started for this test
// and stopped after it. A missing engine fails the test; it is never a skip.
func devServer(t *testing.T, engine string) string {
	t.Helper()
	if url := os.Getenv("SURREAL_URL"); url != "" {
		return url
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", "devserver/server.mjs", "--port", "0", "--engine", engine, "--quiet")
	cmd.Dir, cmd.Stderr = root, os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := cmd.StdoutPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		t.Fatalf("no dev server: %v (run make deps)", err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		cmd.Wait()
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := readyLine.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
				break
			}
		}
		io.Copy(io.Discard, out)
	}()
	select {
	case url := <-found:
		return url
	case <-time.After(60 * time.Second):
		t.Fatal(fmt.Sprintf("the dev server (engine %s) was not ready after 60 s", engine))
	}
	return ""
}
