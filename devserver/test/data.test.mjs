// --data <dir>: users, access keys and passwords survive a restart (SIGTERM and SIGKILL), on both engines.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { Client, DB, NS, isNone, record, startServer, uniqueEmail } from '../testing.mjs';

const dirs = [];
function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devserver-data-'));
  dirs.push(dir);
  return dir;
}
after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

const portOf = (server) => Number(new URL(server.httpBase).port);

async function restart(server, how, args) {
  const port = portOf(server);
  if (how === 'SIGKILL') server.proc.kill('SIGKILL');
  else server.proc.kill('SIGTERM');
  const { code, signal } = await server.exited;
  if (how === 'SIGKILL') assert.equal(signal, 'SIGKILL');
  else assert.equal(code, 0);
  return startServer([...args, '--port', String(port)]);
}

describe('--data', () => {
  for (const engine of ['3', '2']) {
    for (const how of ['SIGTERM', 'SIGKILL']) {
      test(`a token issued before a ${how} restart is accepted after it (engine ${engine})`, async () => {
        const dir = tempDir();
        const args = ['--engine', engine, '--data', dir];
        let server = await startServer(args);
        const email = uniqueEmail('data');
        let c = await Client.open(server.url);
        const token = await c.rpc('signup', [{ NS, DB, AC: 'allusers', email, password: 'pw' }]);
        const rootToken = await c.rpc('signin', [{ user: 'root', pass: 'root' }]);
        const before = await c.rpc('authenticate', [token]).then(() => c.rpc('info'));
        c.close();

        server = await restart(server, how, args);
        try {
          assert.match(server.stderr(), /^$|schema not applied again/); // --quiet: nothing, or the info line
          c = await Client.open(server.url);
          assert.ok(isNone(await c.rpc('authenticate', [token])), 'old record token accepted');
          const info = await c.rpc('info');
          assert.equal(info.email, email);
          assert.deepEqual(record(info.id), record(before.id));
          // The user can still sign in with its password, and system users keep theirs (and their keys).
          assert.equal(typeof await c.rpc('signin', [{ NS, DB, AC: 'allusers', email, password: 'pw' }]), 'string');
          assert.ok(isNone(await c.rpc('authenticate', [rootToken])), 'old root token accepted');
          assert.equal(typeof await c.rpc('signin', [{ user: 'root', pass: 'root' }]), 'string');
          // A second restart: still the same data, and signup of the same e-mail is refused (unique index kept).
          c.close();
          server = await restart(server, 'SIGTERM', args);
          c = await Client.open(server.url);
          assert.ok(isNone(await c.rpc('authenticate', [token])));
          const dup = await c.call('signup', [{ NS, DB, AC: 'allusers', email, password: 'pw' }]);
          assert.ok(dup.error, 'duplicate signup refused');
          c.close();
        } finally {
          await server.stop();
        }
      });
    }
  }

  test('the 2.x interleaving (restore user) still works after a restart', async () => {
    const dir = tempDir();
    const args = ['--engine', '2', '--data', dir];
    let server = await startServer(args);
    server = await restart(server, 'SIGKILL', args);
    try {
      const a = await Client.open(server.url);
      const b = await Client.open(server.url);
      const ea = uniqueEmail('a');
      await a.rpc('signup', [{ NS, DB, AC: 'short', email: ea, password: 'pw' }]);
      await b.rpc('use', [NS, DB]);
      // b has no token: it must see no identity and no session expiry of a's.
      assert.ok(isNone(await b.rpc('info')));
      assert.equal((await a.rpc('info')).email, ea);
      assert.doesNotMatch(server.stderr(), /error/);
      a.close();
      b.close();
    } finally {
      await server.stop();
    }
  });

  test('two servers on one directory: the second refuses to start', async () => {
    const dir = tempDir();
    const server = await startServer(['--data', dir]);
    try {
      await assert.rejects(startServer(['--data', dir]), /in use by another process/);
    } finally {
      await server.stop();
    }
  });

  test('a store left without its marker (died during the schema) is started afresh', async () => {
    const dir = tempDir();
    let server = await startServer(['--data', dir]);
    const c = await Client.open(server.url);
    const token = await c.rpc('signup', [{ NS, DB, AC: 'plain', email: uniqueEmail('m'), password: 'pw' }]);
    c.close();
    await server.stop();
    fs.rmSync(path.join(dir, 'surrealdb-3.json'));
    server = await startServer(['--data', dir]);
    try {
      const c2 = await Client.open(server.url);
      const res = await c2.call('authenticate', [token]);
      assert.ok(res.error, 'new keys: the old token is refused');
      c2.close();
      assert.ok(fs.existsSync(path.join(dir, 'surrealdb-3.json')));
    } finally {
      await server.stop();
    }
  });

  test('--data "" is a usage error', async () => {
    await assert.rejects(startServer(['--data', '']), /exited 2/);
  });
});
