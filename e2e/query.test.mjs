// Issue 13 in the browser: db.query and db.use on the real engine (one per
// run, E2E_ENGINE), the values they give, the errors an app acts on
// (query_failed with statement, reason and serverMessage), and what a
// reconnect keeps.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DB, NS, PAGES_ARGS, PASSWORD, newContext, onEngine, openPage, startServer, uniqueEmail, useServerAndBrowser } from './helpers.mjs';

/** A query variable's value that must never show up in the console. */
const SECRET = 'var-secret-7f3a';

describe(onEngine('db.query and db.use'), () => {
  const env = useServerAndBrowser();

  /** Runs fn in a fresh page (classic script), then checks that nothing was logged as an error. */
  async function inPage(fn, arg) {
    const context = await newContext(env.browser);
    try {
      const page = await openPage(context, env.server);
      const out = await page.evaluate(fn, { rpc: env.server.rpc, NS, DB, password: PASSWORD, ...arg });
      assert.deepEqual(context.logs.filter((l) => l.type === 'pageerror' || l.type === 'error'), []);
      assert.deepEqual(context.logs.filter((l) => l.text.includes(SECRET)), [], 'no query variable is ever logged');
      return out;
    } finally {
      await context.close();
    }
  }

  it('gives one value per statement, converted as info() converts; vars carry Dates, bytes and BigInts', async () => {
    const r = await inPage(async ({ rpc, NS, DB, password, email, secret }) => {
      const db = await lib.connect(rpc, { storage: 'memory' });
      await db.signup({ NS, DB, AC: 'allusers', email, password });
      const values = await db.query(
        'RETURN $n; RETURN $when; RETURN $bytes; RETURN $big; RETURN { a: NONE, b: null, id: $auth, d: d"2024-01-02T03:04:05Z", dur: 90s, big: 9007199254740993 }',
        { n: 42, when: new Date(Date.UTC(2020, 0, 1)), bytes: new Uint8Array([0, 1, 255]), big: 9007199254740993n },
      );
      const [n, when, bytes, big, obj] = values;
      const out = {
        length: values.length, n, when, bytes: [bytes instanceof Uint8Array, [...bytes]], big: [typeof big, String(big)],
        obj: { ...obj, big: [typeof obj.big, String(obj.big)] }, hasA: 'a' in obj, id: db.session.id,
        tooBig: await settle(db.query('RETURN $x', { x: 2n ** 64n })),
        secret: (await db.query('RETURN $s', { s: secret }))[0],
        secretFailed: (await settle(db.query('THROW "failed"; RETURN $s', { s: secret }))).error.code,
      };
      await db.close();
      return out;
    }, { email: uniqueEmail('query-values'), secret: SECRET });
    assert.equal(r.length, 5);
    assert.equal(r.n, 42);
    assert.equal(r.when, '2020-01-01T00:00:00Z', 'a Date is a datetime, back as RFC 3339 UTC');
    assert.deepEqual(r.bytes, [true, [0, 1, 255]]);
    assert.deepEqual(r.big, ['bigint', '9007199254740993'], 'a BigInt var is a 64-bit integer, back as a bigint');
    assert.equal(r.hasA, false, 'NONE is left out of objects');
    assert.equal(r.obj.b, null);
    assert.equal(r.obj.id, r.id, 'a record id is "table:id" text');
    assert.equal(r.obj.d, '2024-01-02T03:04:05Z');
    assert.equal(r.obj.dur, '1m30s');
    assert.deepEqual(r.obj.big, ['bigint', '9007199254740993']);
    assert.equal(r.secret, SECRET);
    assert.equal(r.secretFailed, 'query_failed');
    assert.equal(r.tooBig.error.code, 'invalid_params');
    assert.match(r.tooBig.error.message, /64/);
  });

  it("runs as the signed-in user under PERMISSIONS: another user's notes are an empty array", async () => {
    const r = await inPage(async ({ rpc, NS, DB, password, a, b }) => {
      const db = await lib.connect(rpc, { storage: 'memory' });
      await db.signup({ NS, DB, AC: 'allusers', email: a, password });
      const [created] = await db.query('CREATE note SET text = $text', { text: 'from a' });
      const mine = await db.query('SELECT text, owner FROM note');
      const aId = db.session.id;
      await db.signup({ NS, DB, AC: 'allusers', email: b, password });
      const theirs = await db.query('SELECT * FROM note');
      // Record ids cross as text: type::record makes one of it again (2.x and 3.x).
      const byId = await db.query('SELECT * FROM type::record($id); DELETE type::record($id) RETURN BEFORE', { id: created[0].id });
      await db.signin({ NS, DB, AC: 'allusers', email: a, password });
      const stillMine = await db.query('SELECT VALUE text FROM note');
      await db.invalidate();
      // No guest check: the dev server's embedded engine lets guests act as owner
      // (docs/protocol.md#embedded-engine); signed out, a guest there sees every note.
      await db.close();
      return { created, mine, aId, theirs, byId, stillMine };
    }, { a: uniqueEmail('notes-a'), b: uniqueEmail('notes-b') });
    assert.match(r.created[0].id, /^note:/);
    assert.deepEqual(r.mine, [[{ text: 'from a', owner: r.aId }]]);
    assert.deepEqual(r.theirs, [[]], "b sees none of a's notes");
    assert.deepEqual(r.byId, [[], []], "b can neither read nor delete a's note by its id");
    assert.deepEqual(r.stillMine, [['from a']], "b's DELETE changed nothing");
  });

  it('a failed statement rejects with query_failed, its index, a reason and the server message', async () => {
    const r = await inPage(async ({ rpc, NS, DB, password, email }) => {
      const db = await lib.connect(rpc, { storage: 'memory' });
      await db.signup({ NS, DB, AC: 'allusers', email, password });
      const out = {
        thrown: await settle(db.query('RETURN 1; THROW "no such plan"; RETURN 3')),
        assert: await settle(db.query("RETURN 1; CREATE note SET text = ''")),
        parse: await settle(db.query('SELEC * FROM note')),
        protectedVar: await settle(db.query('RETURN $auth', { auth: 'me' })),
        badSQL: await settle(db.query(42)),
        badVars: await settle(db.query('RETURN 1', [1])),
      };
      out.instance = await db.query('THROW "x"').catch((e) => [e instanceof lib.SurrealAuthError, e.name]);
      await db.close();
      return out;
    }, { email: uniqueEmail('query-errors') });
    assert.equal(r.thrown.error.code, 'query_failed');
    assert.equal(r.thrown.error.statement, 1);
    assert.equal(r.thrown.error.reason, 'thrown');
    assert.match(r.thrown.error.serverMessage, /no such plan/);
    assert.match(r.thrown.error.message, /^Statement 1 failed: no such plan/);
    assert.equal(r.assert.error.code, 'query_failed');
    assert.equal(r.assert.error.statement, 1);
    assert.equal(r.assert.error.reason, 'assert_failed');
    assert.ok(r.assert.error.serverMessage.length > 0);
    assert.equal(r.parse.error.code, 'query_failed');
    assert.equal(r.parse.error.reason, 'parse_error');
    assert.equal(r.parse.error.statement, -1, 'nothing ran');
    assert.match(r.parse.error.message, /^The query could not be parsed/);
    assert.equal(r.protectedVar.error.code, 'invalid_params');
    assert.equal(r.protectedVar.error.reason, 'protected_variable');
    assert.equal(r.protectedVar.error.statement, undefined, 'statement is for query_failed only');
    assert.equal(r.badSQL.error.code, 'invalid_params');
    assert.equal(r.badVars.error.code, 'invalid_params');
    assert.deepEqual(r.instance, [true, 'SurrealAuthError']);
  });

  it('use selects the namespace and database for the connection; bad shapes are invalid_params; the session does not change', async () => {
    const r = await inPage(async ({ rpc, NS, DB }) => {
      const db = await lib.connect(rpc, { storage: 'memory' });
      const before = await db.query('RETURN [session::ns(), session::db()]');
      await db.signin({ user: 'root', pass: 'root' });
      const token = db.session.token;
      const events = track(db);
      await db.use({ namespace: NS, database: DB });
      const after = await db.query('RETURN [session::ns(), session::db()]');
      const bad = [];
      for (const arg of [undefined, null, 'surrealauth', {}, { namespace: 1 }, { namespace: '' }, { namespace: NS, db: DB }]) {
        bad.push((await settle(db.use(arg))).error?.code ?? 'resolved');
      }
      await tick();
      const out = { before, after, bad, sameToken: db.session.token === token, events };
      await db.close();
      return out;
    });
    assert.deepEqual(r.before, [[undefined, undefined]], 'a guest has none selected (NONE in an array is undefined)');
    assert.deepEqual(r.after, [[NS, DB]]);
    assert.deepEqual(r.bad, Array(7).fill('invalid_params'));
    assert.equal(r.sameToken, true);
    assert.deepEqual(r.events.map(([e]) => e), ['INITIAL_SESSION'], 'use emits no auth event');
  });
});

describe(onEngine('db.query and db.use across a reconnect'), () => {
  const env = useServerAndBrowser();

  it('a query made while reconnecting waits for the connection; the selection is made again on the new socket', async () => {
    const context = await newContext(env.browser);
    let server = env.server;
    try {
      const page = await openPage(context, server);
      await page.evaluate(async ({ rpc, NS, DB }) => {
        window.db = await lib.connect(rpc, { storage: 'memory', reconnect: { minDelay: 50, maxDelay: 200, wait: 20000 } });
        window.states = [];
        db.onConnectionChange((s) => states.push(s));
        await db.use({ namespace: NS, database: DB });
      }, { rpc: server.rpc, NS, DB });
      const port = new URL(server.rpc).port;
      await server.stop();
      await page.waitForFunction(() => states.includes('reconnecting'));
      await page.evaluate(() => { window.pending = db.query('RETURN [session::ns(), session::db()]'); });
      server = await startServer([...PAGES_ARGS, '--port', port]);
      const r = await page.evaluate(async () => ({ value: await pending, states: [...states] }));
      assert.deepEqual(r.value, [[NS, DB]]);
      assert.deepEqual(r.states, ['reconnecting', 'connected']);
      await page.evaluate(() => db.close());
    } finally {
      await context.close();
      if (server !== env.server) await server.stop();
    }
  });
});
