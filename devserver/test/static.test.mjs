// Static files on the same port as /rpc.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { startServer } from '../testing.mjs';

/** GET with full control of the path and headers (fetch would normalise "..", and decompress). */
function get(base, pathname, headers = {}, method = 'GET') {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path: pathname, method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('static files', () => {
  let server;
  let dir;
  const wasm = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const bigModule = `export const words = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `word${i}`))};\n`;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devserver-static-'));
    const web = path.join(dir, 'web');
    const dist = path.join(dir, 'dist');
    fs.mkdirSync(web);
    fs.mkdirSync(dist);
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'do not serve');
    fs.writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>demo</title>');
    fs.writeFileSync(path.join(web, 'demo.js'), 'console.log(1)');
    fs.writeFileSync(path.join(dist, 'surrealauth.mjs'), 'export {}');
    fs.writeFileSync(path.join(dist, 'surrealauth.wasm'), wasm);
    fs.writeFileSync(path.join(dist, 'surrealauth.wasm.br'), zlib.brotliCompressSync(wasm));
    fs.writeFileSync(path.join(dist, 'surrealauth.wasm.gz'), zlib.gzipSync(wasm));
    const vendor = path.join(dir, 'vendor');
    fs.mkdirSync(path.join(vendor, 'deep'), { recursive: true });
    fs.writeFileSync(path.join(vendor, 'lib.mjs'), bigModule);
    fs.writeFileSync(path.join(vendor, 'deep', 'x.js'), 'export const deep = 1;');
    // Symlinks: out of a root (to a file and to a directory), and one that stays inside.
    fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(web, 'leak.txt'));
    fs.symlinkSync(dir, path.join(web, 'up'));
    fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(dist, 'surrealauth.mjs.br'));
    fs.symlinkSync(path.join(web, 'demo.js'), path.join(web, 'alias.js'));
    server = await startServer(['--web', web, '--dist', dist, '--serve', `/vendor/lib=${vendor}`, '--serve', `/vendor/lib/deep=${path.join(vendor, 'deep')}`,
      '--header', 'Cross-Origin-Opener-Policy: same-origin', '--header', 'Cross-Origin-Embedder-Policy:require-corp']);
  });
  after(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('/ serves web/index.html', async () => {
    const res = await get(server.httpBase, '/');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^text\/html/);
    assert.match(String(res.body), /<title>demo<\/title>/);
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.ok(res.headers.etag);
  });

  test('content types', async () => {
    assert.match((await get(server.httpBase, '/demo.js')).headers['content-type'], /^text\/javascript/);
    assert.match((await get(server.httpBase, '/dist/surrealauth.mjs')).headers['content-type'], /^text\/javascript/);
    const w = await get(server.httpBase, '/dist/surrealauth.wasm');
    assert.equal(w.headers['content-type'], 'application/wasm');
    assert.deepEqual(w.body, wasm);
    assert.equal(w.headers['content-encoding'], undefined);
  });

  test('precompressed variants are negotiated', async () => {
    const br = await get(server.httpBase, '/dist/surrealauth.wasm', { 'Accept-Encoding': 'gzip, deflate, br' });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(br.headers['content-type'], 'application/wasm');
    assert.equal(br.headers.vary, 'Accept-Encoding');
    assert.deepEqual(zlib.brotliDecompressSync(br.body), wasm);
    const gz = await get(server.httpBase, '/dist/surrealauth.wasm', { 'Accept-Encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.deepEqual(zlib.gunzipSync(gz.body), wasm);
    const refused = await get(server.httpBase, '/dist/surrealauth.wasm', { 'Accept-Encoding': 'br;q=0, gzip;q=0' });
    assert.equal(refused.headers['content-encoding'], undefined);
    assert.deepEqual(refused.body, wasm);
    assert.notEqual(br.headers.etag, gz.headers.etag);
  });

  test('a matching ETag gets 304', async () => {
    const first = await get(server.httpBase, '/dist/surrealauth.wasm', { 'Accept-Encoding': 'br' });
    const again = await get(server.httpBase, '/dist/surrealauth.wasm', { 'Accept-Encoding': 'br', 'If-None-Match': first.headers.etag });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    const other = await get(server.httpBase, '/dist/surrealauth.wasm', { 'If-None-Match': first.headers.etag });
    assert.equal(other.status, 200, 'the identity file has another ETag');
  });

  test('HEAD has the headers and no body', async () => {
    const res = await get(server.httpBase, '/demo.js', {}, 'HEAD');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-length'], String('console.log(1)'.length));
    assert.equal(res.body.length, 0);
  });

  test('no directory traversal', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/dist/..%2f..%2fsecret.txt', '/dist/%2e%2e/%2e%2e/secret.txt', '/..%5csecret.txt', '/%00']) {
      const res = await get(server.httpBase, p);
      assert.equal(res.status, 404, p);
      assert.doesNotMatch(String(res.body), /do not serve/, p);
    }
  });

  test('symlinks out of a root are 404; one inside its root is served', async () => {
    for (const p of ['/leak.txt', '/up/secret.txt', '/up/dist/surrealauth.mjs']) {
      const res = await get(server.httpBase, p);
      assert.equal(res.status, 404, p);
      assert.doesNotMatch(String(res.body), /do not serve/, p);
    }
    const br = await get(server.httpBase, '/dist/surrealauth.mjs', { 'Accept-Encoding': 'br' });
    assert.equal(br.status, 200);
    assert.equal(br.headers['content-encoding'], undefined, 'a precompressed sibling that leaves the root is ignored');
    assert.equal(String(br.body), 'export {}');
    const alias = await get(server.httpBase, '/alias.js');
    assert.equal(alias.status, 200);
    assert.equal(String(alias.body), 'console.log(1)');
  });

  test('every response says nosniff (200, 304, 404, 405, /healthz)', async () => {
    const ok = await get(server.httpBase, '/demo.js');
    const again = await get(server.httpBase, '/demo.js', { 'If-None-Match': ok.headers.etag });
    assert.equal(again.status, 304);
    const responses = [ok, again, await get(server.httpBase, '/nope'), await get(server.httpBase, '/', {}, 'POST'),
      await get(server.httpBase, '/healthz'), await get(server.httpBase, '/rpc')];
    for (const res of responses) assert.equal(res.headers['x-content-type-options'], 'nosniff', String(res.status));
  });

  test('missing files are 404, /healthz is ok', async () => {
    assert.equal((await get(server.httpBase, '/nope.js')).status, 404);
    assert.equal((await get(server.httpBase, '/dist/')).status, 404);
    const h = await get(server.httpBase, '/healthz');
    assert.equal(h.status, 200);
    assert.equal(String(h.body), 'ok');
  });

  test('--serve mounts a directory at a prefix; a file without siblings is compressed on the fly', async () => {
    const plain = await get(server.httpBase, '/vendor/lib/lib.mjs');
    assert.equal(plain.status, 200);
    assert.match(plain.headers['content-type'], /^text\/javascript/);
    assert.equal(String(plain.body), bigModule);
    assert.equal(plain.headers['content-encoding'], undefined);
    const br = await get(server.httpBase, '/vendor/lib/lib.mjs', { 'Accept-Encoding': 'gzip, br' });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(String(zlib.brotliDecompressSync(br.body)), bigModule);
    assert.equal(Number(br.headers['content-length']), br.body.length);
    assert.ok(br.body.length < bigModule.length / 2);
    const gz = await get(server.httpBase, '/vendor/lib/lib.mjs', { 'Accept-Encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(String(zlib.gunzipSync(gz.body)), bigModule);
    const again = await get(server.httpBase, '/vendor/lib/lib.mjs', { 'Accept-Encoding': 'br', 'If-None-Match': br.headers.etag });
    assert.equal(again.status, 304);
    // The longest prefix wins; no way out of a mount.
    assert.equal(String((await get(server.httpBase, '/vendor/lib/deep/x.js')).body), 'export const deep = 1;');
    for (const p of ['/vendor/lib/../secret.txt', '/vendor/lib/%2e%2e/%2e%2e/secret.txt', '/vendor/lib/..%2f..%2fsecret.txt']) {
      assert.equal((await get(server.httpBase, p)).status, 404, p);
    }
    assert.equal((await get(server.httpBase, '/vendor/libx/lib.mjs')).status, 404);
  });

  test('--header adds headers to static responses (200 and 304)', async () => {
    const res = await get(server.httpBase, '/dist/surrealauth.wasm', { 'Accept-Encoding': 'br' });
    assert.equal(res.headers['cross-origin-opener-policy'], 'same-origin');
    assert.equal(res.headers['cross-origin-embedder-policy'], 'require-corp');
    const again = await get(server.httpBase, '/dist/surrealauth.wasm', { 'Accept-Encoding': 'br', 'If-None-Match': res.headers.etag });
    assert.equal(again.status, 304);
    assert.equal(again.headers['cross-origin-embedder-policy'], 'require-corp');
    for (const bad of ['NoColon', 'Bad Name: x', ': x']) {
      await assert.rejects(startServer(['--header', bad]), /exited 2/, bad);
    }
  });

  test('--serve with a bad spec is a usage error', async () => {
    for (const spec of ['nodir', '/rpc=.', '/a/../b=.', `/x=${path.join(dir, 'missing')}`]) {
      await assert.rejects(startServer(['--serve', spec]), /exited 2/, spec);
    }
  });

  test('other methods are refused', async () => {
    assert.equal((await get(server.httpBase, '/', {}, 'POST')).status, 405);
  });
});
