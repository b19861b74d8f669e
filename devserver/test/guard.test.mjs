// Who may talk to the devserver: foreign pages (Origin) and DNS rebinding (Host) are refused,
// every response says nosniff.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { Client, startServer } from '../testing.mjs';

/** A raw WebSocket handshake with exactly these headers: {status, headers, body}. */
function handshake(base, headers, pathname = '/rpc') {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({
      hostname, port, path: pathname, setHost: false,
      headers: {
        Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'), 'Sec-WebSocket-Protocol': 'cbor', ...headers,
      },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode, headers: res.headers, body: '' });
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A plain GET with exactly these headers (setHost: false, so Host is whatever the test says). */
function get(base, pathname, headers) {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path: pathname, headers, setHost: false }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('origin and host checks', () => {
  let server;
  let port;
  before(async () => {
    server = await startServer(['--allow-origin', 'http://localhost:5173']);
    port = new URL(server.httpBase).port;
  });
  after(() => server?.stop());

  test('a foreign Origin is refused with 403 and a reason', async () => {
    for (const origin of ['https://evil.example', `http://evil.example:${port}`, 'http://localhost:5174', 'null']) {
      const res = await handshake(server.httpBase, { Host: `127.0.0.1:${port}`, Origin: origin });
      assert.equal(res.status, 403, origin);
      assert.match(res.body, /may not open \/rpc/, origin);
      assert.match(res.body, /--allow-origin/, origin);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
    }
  });

  test('a browser-like client of a foreign page cannot open a socket', async () => {
    await assert.rejects(Client.open(server.url, ['cbor'], { origin: 'https://evil.example' }), /Unexpected server response: 403/);
  });

  test('the own origin, an allowed one and no Origin open /rpc', async () => {
    const own = [`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`, 'http://localhost:5173'];
    for (const origin of own) {
      const res = await handshake(server.httpBase, { Host: `127.0.0.1:${port}`, Origin: origin });
      assert.equal(res.status, 101, origin);
    }
    assert.equal((await handshake(server.httpBase, { Host: `127.0.0.1:${port}` })).status, 101, 'no Origin');
    // The page's own origin through a port-forward: Host and Origin agree on another port.
    const forwarded = await handshake(server.httpBase, { Host: 'localhost:9999', Origin: 'http://localhost:9999' });
    assert.equal(forwarded.status, 101);
    const c = await Client.open(server.url, ['cbor'], { origin: `http://127.0.0.1:${port}` });
    assert.equal((await c.rpc('version')).startsWith('surrealdb-'), true);
    await c.close();
  });

  test('a rebinding Host is refused, on upgrades and on plain requests', async () => {
    for (const host of [`evil.example:${port}`, `127.0.0.1.nip.io:${port}`, `localhost.evil.example:${port}`, 'evil.example']) {
      const up = await handshake(server.httpBase, { Host: host });
      assert.equal(up.status, 403, host);
      assert.match(up.body, /not a loopback name or address/, host);
      for (const p of ['/', '/healthz', '/rpc']) {
        const res = await get(server.httpBase, p, { Host: host });
        assert.equal(res.status, 403, `${host} ${p}`);
        assert.match(res.body, /DNS rebinding/);
        assert.equal(res.headers['x-content-type-options'], 'nosniff');
      }
    }
    assert.equal((await get(server.httpBase, '/healthz', {})).status, 400, 'no Host header: Node refuses HTTP/1.1 without one');
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`, `127.0.0.2:${port}`, 'localhost']) {
      assert.equal((await get(server.httpBase, '/healthz', { Host: host })).status, 200, host);
    }
  });

  test('--allow-origin refuses what is not an origin', async () => {
    for (const bad of ['evil.example', 'http://x.example/path', 'ws://x.example', 'null']) {
      await assert.rejects(startServer(['--allow-origin', bad]), /exited 2/, bad);
    }
  });
});
