//go:build !js

package notes_test

import (
	"bufio"
	"bytes"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

var serverReady = regexp.MustCompile(`^notes-server ready (http://\S+)/$`)

// TestNotesServerCommand: the command as a browser test starts it: on a
// free port, announced on stdout, serving the notes of the cookie's user;
// SIGTERM stops it with exit 0. On 2.x it exits 1 saying why.
func TestNotesServerCommand(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "notes-server")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/notes-server").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, engine := range engines() {
		t.Run("engine="+engine, func(t *testing.T) {
			url := devServer(t, engine)
			cmd := exec.Command(bin, "-db", url, "-addr", "127.0.0.1:0")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, _ := cmd.StdoutPipe()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			lines := make(chan string, 1)
			go func() {
				sc := bufio.NewScanner(out)
				for sc.Scan() {
					lines <- sc.Text()
				}
				close(lines)
				done <- cmd.Wait()
			}()
			if engine == "2" {
				<-lines // closed: nothing printed
				if err := <-done; err == nil || !strings.Contains(stderr.String(), "unsupported") {
					t.Fatalf("on 2.x: %v, %q", err, stderr.String())
				}
				return
			}
			var base string
			select {
			case line := <-lines:
				m := serverReady.FindStringSubmatch(line)
				if m == nil {
					t.Fatalf("first line %q", line)
				}
				base = m[1]
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("not ready after 30 s: %s", stderr.String())
			}
			u := signUp(t, url, "cmd", "from the command")
			if body := page(t, base, "surrealauth="+u.token); !strings.Contains(body, "<li>from the command</li>") {
				t.Errorf("page:\n%s", body)
			}
			cmd.Process.Signal(syscall.SIGTERM)
			if err := <-done; err != nil {
				t.Fatalf("after SIGTERM: %v\n%s", err, stderr.String())
			}
		})
	}
}
