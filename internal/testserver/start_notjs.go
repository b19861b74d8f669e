//go:build !js

package testserver

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"
)

type process struct {
	cmd  *exec.Cmd
	done chan error
}

var readyLine = regexp.MustCompile(`surrealauth devserver ready (ws://\S+/rpc) engine=(\S+)`)

// Start launches the dev server with engine "3" or "2" on a free port and
// waits for its ready line. port 0 picks one; a restart passes the old port.
func Start(engine string, port int) (*Server, error) { return start(engine, port, "") }

// StartPersistent is Start with the engine's data kept in dir, so a server
// restarted on the same dir still knows its users and signing keys.
func StartPersistent(engine string, port int, dir string) (*Server, error) {
	return start(engine, port, dir)
}

// StartWith is Start on a free port with extra dev server flags, e.g.
// "--forward-access-errors": a dedicated instance for the tests that need
// them.
func StartWith(engine string, flags ...string) (*Server, error) {
	return start(engine, 0, "", flags...)
}

func start(engine string, port int, dataDir string, flags ...string) (*Server, error) {
	root, err := repoRoot()
	if err != nil {
		return nil, errors.New("testserver: cannot find the repository root (go.mod)")
	}
	if _, err := os.Stat(filepath.Join(root, "node_modules", "@surrealdb", "node")); err != nil {
		return nil, errors.New("testserver: the SurrealDB engine is not installed: run `make deps` (npm ci) first")
	}
	args := []string{filepath.Join(root, "devserver", "server.mjs"), "--port", fmt.Sprint(port), "--engine", engine, "--quiet"}
	if dataDir != "" {
		args = append(args, "--data", dataDir)
	}
	args = append(args, flags...)
	cmd := exec.Command("node", args...)
	cmd.Dir = root
	cmd.Stderr = os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("testserver: cannot start node: %w", err)
	}
	p := &process{cmd: cmd, done: make(chan error, 1)}
	found := make(chan []string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := readyLine.FindStringSubmatch(sc.Text()); m != nil {
				found <- m
				break
			}
		}
		io.Copy(io.Discard, out)
		p.done <- cmd.Wait()
	}()
	select {
	case m := <-found:
		return &Server{URL: m[1], Engine: engine, Version: m[2], proc: p}, nil
	case err := <-p.done:
		return nil, fmt.Errorf("testserver: dev server (engine %s) exited before it was ready: %v", engine, err)
	case <-time.After(60 * time.Second):
		p.kill()
		return nil, fmt.Errorf("testserver: dev server (engine %s) not ready after 60 s", engine)
	}
}

func (p *process) kill() {
	syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
}

// Kill stops the server at once (SIGKILL), as a crash would.
func (s *Server) Kill() {
	if s.proc == nil {
		return
	}
	s.proc.kill()
	<-s.proc.done
	s.proc = nil
}

// Stop asks the server to shut down (SIGTERM) and waits for it.
func (s *Server) Stop() {
	if s.proc == nil {
		return
	}
	s.proc.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.proc.done:
	case <-time.After(5 * time.Second):
		s.proc.kill()
		<-s.proc.done
	}
	s.proc = nil
}

// Port is the TCP port the server listens on.
func (s *Server) Port() int {
	var port int
	i := strings.LastIndex(s.URL, ":")
	fmt.Sscanf(s.URL[i+1:], "%d/rpc", &port)
	return port
}
