// SIGTERM/SIGINT: sockets are closed with 1001 and the process exits 0, quickly.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Client, DB, NS, Tag, startServer, uniqueEmail } from '../testing.mjs';

describe('shutdown', () => {
  for (const engine of ['3', '2']) {
    test(`SIGTERM closes sockets with 1001 and exits 0 within 2 s (engine ${engine})`, async () => {
      const server = await startServer(['--engine', engine]);
      const c = await Client.open(server.url);
      if (engine === '3') await c.rpc('attach', undefined, { session: new Tag(Buffer.alloc(16, 9), 37) });
      await c.rpc('use', [NS, DB]);
      const t0 = Date.now();
      server.proc.kill('SIGTERM');
      const [{ code, signal }, closed] = await Promise.all([server.exited, c.closed]);
      assert.equal(signal, null);
      assert.equal(code, 0);
      assert.equal(closed.code, 1001);
      assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);
    });
  }

  test('SIGINT too, even with a slow signin in flight', async () => {
    const server = await startServer([]);
    const c = await Client.open(server.url);
    const email = uniqueEmail('slow');
    await c.rpc('signup', [{ NS, DB, AC: 'slow', email, password: 'pw' }]);
    const pending = c.rpc('signin', [{ NS, DB, AC: 'slow', email, password: 'pw' }]);
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    server.proc.kill('SIGINT');
    await assert.rejects(pending, /socket closed/);
    const { code } = await server.exited;
    assert.equal(code, 0);
    assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);
  });
});
