// The wasm js/build.sh names after its content is served to be cached for
// ever; everything else is revalidated.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startServer } from '../testing.mjs';

describe('static files named after their content', () => {
  let server;
  let dir;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devserver-hashed-'));
    fs.mkdirSync(path.join(dir, 'web'));
    fs.mkdirSync(path.join(dir, 'dist'));
    fs.writeFileSync(path.join(dir, 'web', 'index.html'), '<!doctype html>');
    const wasm = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    fs.writeFileSync(path.join(dir, 'dist', 'surrealauth.0123456789abcdef.wasm'), wasm);
    fs.writeFileSync(path.join(dir, 'dist', 'surrealauth.wasm'), wasm);
    fs.writeFileSync(path.join(dir, 'dist', 'surrealauth.mjs'), 'export {}');
    server = await startServer(['--web', path.join(dir, 'web'), '--dist', path.join(dir, 'dist')]);
  });
  after(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('surrealauth.<hash>.wasm: immutable for a year; the bundles and other names: no-cache', async () => {
    const cache = async (p) => (await fetch(server.httpBase + p)).headers.get('cache-control');
    assert.equal(await cache('/dist/surrealauth.0123456789abcdef.wasm'), 'public, max-age=31536000, immutable');
    assert.equal(await cache('/dist/surrealauth.wasm'), 'no-cache');
    assert.equal(await cache('/dist/surrealauth.mjs'), 'no-cache');
    assert.equal(await cache('/'), 'no-cache');
  });
});
