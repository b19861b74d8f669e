//go:build !js

package faultproxy

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"strings"
	"time"
)

// serve forwards one connection: it waits as told, dials the target,
// passes the upgrade, then pumps frames both ways until either side ends.
func (p *Proxy) serve(id int, pr *pair, delay time.Duration, gate chan struct{}) {
	defer p.forget(id)
	defer pr.kill()
	if gate != nil {
		<-gate
	}
	if delay > 0 {
		time.Sleep(delay)
	}
	server, err := net.Dial("tcp", p.target)
	if err != nil || !pr.attach(server) {
		return
	}
	cr, sr := bufio.NewReader(pr.client), bufio.NewReader(server)
	if err := p.upgrade(cr, server, sr, pr.client); err != nil {
		return
	}
	done := make(chan struct{}, 2)
	go func() { p.pump(id, true, cr, server, pr); done <- struct{}{} }()
	go func() { p.pump(id, false, sr, pr.client, pr); done <- struct{}{} }()
	<-done // one side ended: end the other
}

// upgrade forwards the HTTP request (Host rewritten, extensions removed)
// and the server's response.
func (p *Proxy) upgrade(cr *bufio.Reader, server net.Conn, sr *bufio.Reader, client net.Conn) error {
	req, err := readHead(cr)
	if err != nil {
		return err
	}
	var out bytes.Buffer
	for i, line := range req {
		name, _, _ := strings.Cut(line, ":")
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "host":
			if i > 0 {
				line = "Host: " + p.target
			}
		case "sec-websocket-extensions":
			continue
		}
		out.WriteString(line + "\r\n")
	}
	out.WriteString("\r\n")
	if _, err := server.Write(out.Bytes()); err != nil {
		return err
	}
	resp, err := readHead(sr)
	if err != nil {
		return err
	}
	if _, err := client.Write([]byte(strings.Join(resp, "\r\n") + "\r\n\r\n")); err != nil {
		return err
	}
	if len(resp) == 0 || !strings.Contains(resp[0], " 101 ") {
		return errors.New("faultproxy: the upgrade was refused")
	}
	return nil
}

// readHead reads an HTTP head up to its empty line.
func readHead(r *bufio.Reader) ([]string, error) {
	var lines []string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			return lines, nil
		}
		lines = append(lines, line)
	}
}

// pump forwards frames from src to dst, asking the rule about data frames.
func (p *Proxy) pump(id int, toServer bool, src *bufio.Reader, dst net.Conn, pr *pair) {
	for {
		raw, f, err := readFrame(src)
		if err != nil {
			return
		}
		if f.Opcode < 8 { // data frames; control frames pass as they are
			f.Conn, f.ToServer = id, toServer
			if rule := p.currentRule(); rule != nil {
				act := rule(f)
				if act.Kill {
					pr.kill()
					return
				}
				if act.Delay > 0 {
					time.Sleep(act.Delay)
				}
				if act.Drop {
					continue
				}
			}
		}
		if _, err := dst.Write(raw); err != nil {
			return
		}
	}
}

// maxFrame bounds a frame the proxy will buffer.
const maxFrame = 64 << 20

// readFrame reads one frame: its bytes as received, and its unmasked payload.
func readFrame(r *bufio.Reader) ([]byte, Frame, error) {
	var hdr [14]byte
	if _, err := io.ReadFull(r, hdr[:2]); err != nil {
		return nil, Frame{}, err
	}
	n := 2
	masked := hdr[1]&0x80 != 0
	length := uint64(hdr[1] & 0x7f)
	switch length {
	case 126:
		if _, err := io.ReadFull(r, hdr[n:n+2]); err != nil {
			return nil, Frame{}, err
		}
		length = uint64(binary.BigEndian.Uint16(hdr[n:]))
		n += 2
	case 127:
		if _, err := io.ReadFull(r, hdr[n:n+8]); err != nil {
			return nil, Frame{}, err
		}
		length = binary.BigEndian.Uint64(hdr[n:])
		n += 8
	}
	if length > maxFrame {
		return nil, Frame{}, errors.New("faultproxy: frame too large")
	}
	var key []byte
	if masked {
		if _, err := io.ReadFull(r, hdr[n:n+4]); err != nil {
			return nil, Frame{}, err
		}
		key = hdr[n : n+4]
		n += 4
	}
	raw := make([]byte, n+int(length))
	copy(raw, hdr[:n])
	if _, err := io.ReadFull(r, raw[n:]); err != nil {
		return nil, Frame{}, err
	}
	payload := append([]byte(nil), raw[n:]...)
	for i := range payload {
		if masked {
			payload[i] ^= key[i%4]
		}
	}
	return raw, Frame{Opcode: hdr[0] & 0x0f, Payload: payload}, nil
}
