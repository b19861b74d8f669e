// Live query notifications reach the connection that started the query, and only that one.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Client, DB, NS, Tag, isNone, sleep, startServer } from '../testing.mjs';

async function waitFor(check, ms = 2000) {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await sleep(10);
  }
}

for (const engine of ['3', '2']) {
  describe(`live queries, engine ${engine}`, () => {
    let server;
    let a;
    let b;
    before(async () => {
      server = await startServer(['--engine', engine]);
      a = await Client.open(server.url);
      b = await Client.open(server.url);
      for (const c of [a, b]) await c.rpc('use', [NS, DB]);
      await a.rpc('query', ['DEFINE TABLE livetest SCHEMALESS PERMISSIONS FULL']);
    });
    after(async () => {
      await a?.close();
      await b?.close();
      await server?.stop();
    });

    test('live + kill: notifications go to the owner only, without id', async () => {
      const id = await a.rpc('live', ['livetest']);
      assert.equal(id.tag, 37);
      await b.rpc('query', ['CREATE livetest:1 SET v = 1']);
      await waitFor(() => a.notifications.length === 1);
      const n = a.notifications[0];
      assert.equal('id' in n, false);
      assert.equal(n.result.action, 'CREATE');
      assert.deepEqual(Buffer.from(n.result.id.value), Buffer.from(id.value));
      assert.deepEqual(n.result.record.value, ['livetest', 1]);
      if (engine === '3') assert.ok(isNone(n.result.session), 'default session: no client session id');
      assert.equal(b.notifications.length, 0);
      await a.rpc('kill', [id]);
      await b.rpc('query', ['CREATE livetest:2 SET v = 2']);
      await sleep(100);
      assert.ok(a.notifications.every((m) => m.result.action !== 'CREATE' || m.result.record.value[1] !== 2));
    });

    test('reset kills the connection\'s live queries (and logs no error)', async () => {
      const c = await Client.open(server.url);
      await c.rpc('use', [NS, DB]);
      await c.rpc('live', ['livetest']);
      assert.ok(isNone(await c.rpc('reset')));
      await b.rpc('query', ['CREATE livetest:10 SET v = 10']);
      await sleep(150);
      assert.ok(c.notifications.every((m) => m.result.action === 'KILLED'), JSON.stringify(c.notifications));
      assert.doesNotMatch(server.stderr(), /kill failed/);
      await c.close();
    });

    if (engine === '3') {
      test('LIVE SELECT in an attached session carries the client session id', async () => {
        const s = new Tag(randomBytes(16), 37);
        await a.rpc('attach', undefined, { session: s });
        await a.rpc('use', [NS, DB], { session: s });
        const [row] = await a.rpc('query', ['LIVE SELECT * FROM livetest'], { session: s });
        assert.equal(row.type, 'live');
        a.notifications.length = 0;
        await b.rpc('query', ['CREATE livetest:3 SET v = 3']);
        await waitFor(() => a.notifications.length === 1);
        assert.deepEqual(Buffer.from(a.notifications[0].result.session.value), Buffer.from(s.value));
        assert.equal(b.notifications.length, 0);
      });
    }
  });
}
