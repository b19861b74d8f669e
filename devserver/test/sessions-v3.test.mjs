// 3.x multi-session (attach/detach/sessions + the `session` field), mapped per connection.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createV3Backend } from '../lib/backend-v3.mjs';
import { decode, encode, uuidTag } from '../lib/cbor.mjs';
import { openEngine } from '../lib/engine.mjs';
import { internalRequest, parseRequest } from '../lib/request.mjs';
import { Client, DB, NS, Tag, isNone, startServer, uniqueEmail } from '../testing.mjs';

const newSession = () => new Tag(randomBytes(16), 37);
const hex = (t) => Buffer.from(t.value).toString('hex');
const text = (t) => hex(t).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

describe('3.x sessions', () => {
  let server;
  let a;
  let b;
  before(async () => {
    server = await startServer(['--engine', '3']);
    a = await Client.open(server.url);
    b = await Client.open(server.url);
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await server?.stop();
  });

  test('attach, use the session, list it, detach it', async () => {
    const s = newSession();
    const attached = await a.call('attach', undefined, { session: s });
    assert.ok(isNone(attached.result));
    assert.equal(hex(attached.session), hex(s), 'the session is echoed');
    const email = uniqueEmail('sess');
    await a.rpc('signup', [{ NS, DB, AC: 'allusers', email, password: 'pw' }], { session: s });
    assert.equal((await a.rpc('info', undefined, { session: s })).email, email);
    await a.rpc('use', [NS, DB]);
    assert.ok(isNone(await a.rpc('info')), 'the default session is not signed in');
    const plain = await a.call('ping');
    assert.equal('session' in plain, false, 'no session echo without a session field');
    const listed = await a.rpc('sessions');
    assert.deepEqual(listed.map(hex), [hex(s)]);
    assert.ok(isNone(await a.rpc('detach', undefined, { session: s })));
    assert.deepEqual(await a.rpc('sessions'), []);
    const gone = await a.call('info', undefined, { session: s });
    assert.match(gone.error.message, new RegExp(`Session not found: ${text(s)}`));
  });

  test("one connection cannot reach another connection's session", async () => {
    const s = newSession();
    await a.rpc('attach', undefined, { session: s });
    await a.rpc('signup', [{ NS, DB, AC: 'allusers', email: uniqueEmail(), password: 'pw' }], { session: s });
    const res = await b.call('info', undefined, { session: s });
    assert.equal(res.error.kind, 'NotFound');
    assert.equal(res.error.message, `Session not found: ${text(s)}`);
    assert.deepEqual(await b.rpc('sessions'), []);
    // B may attach the same UUID for itself: it is a different session.
    await b.rpc('attach', undefined, { session: s });
    await b.rpc('use', [NS, DB], { session: s });
    assert.ok(isNone(await b.rpc('info', undefined, { session: s })));
    assert.equal(typeof (await a.rpc('info', undefined, { session: s })).email, 'string');
  });

  test('attaching twice reports AlreadyExists with the client UUID', async () => {
    const s = newSession();
    await a.rpc('attach', undefined, { session: s });
    const again = await a.call('attach', undefined, { session: s });
    assert.equal(again.error.kind, 'AlreadyExists');
    assert.ok(again.error.message.includes(text(s)), again.error.message);
  });

  test('a session given as a UUID string works too', async () => {
    const s = newSession();
    await a.rpc('attach', undefined, { session: text(s) });
    const res = await a.call('use', [NS, DB], { session: text(s) });
    assert.deepEqual(res.result, { database: DB, namespace: NS });
    assert.equal(hex(res.session), hex(s));
  });

  test('attach and detach without a session field are errors, as on the server', async () => {
    for (const method of ['attach', 'detach']) {
      const res = await a.call(method);
      assert.match(res.error.message, /Expected a session ID/);
    }
  });

  test('a session field that is not a UUID is an invalid request', async () => {
    const res = await a.call('ping', undefined, { session: 5 });
    assert.equal(res.error.code, -32600);
  });

  test('each session on one socket has its own identity, ns/db and variables', async () => {
    const c = await Client.open(server.url);
    const [s1, s2] = [newSession(), newSession()];
    const emails = [uniqueEmail('default'), uniqueEmail('s1'), uniqueEmail('s2')];
    await c.rpc('signup', [{ NS, DB, AC: 'allusers', email: emails[0], password: 'pw' }]);
    await c.rpc('attach', undefined, { session: s1 });
    await c.rpc('signup', [{ NS, DB, AC: 'allusers', email: emails[1], password: 'pw' }], { session: s1 });
    // s2 signs in with a token obtained elsewhere.
    const other = await Client.open(server.url);
    const token = await other.rpc('signup', [{ NS, DB, AC: 'allusers', email: emails[2], password: 'pw' }]);
    await other.close();
    await c.rpc('attach', undefined, { session: s2 });
    assert.ok(isNone(await c.rpc('authenticate', [token], { session: s2 })));
    await c.rpc('let', ['who', 's1'], { session: s1 });
    const ask = async (extra) => (await c.rpc('query', ['RETURN [$auth.email, $who, session::ns(), session::db()]'], extra))[0].result;
    const [d, r1, r2] = await Promise.all([ask(), ask({ session: s1 }), ask({ session: s2 })]);
    assert.deepEqual([d[0], r1[0], r2[0]], emails, 'three identities on one socket');
    assert.ok(isNone(d[1]) && isNone(r2[1]) && r1[1] === 's1', 'variables are per session');
    assert.deepEqual(r2.slice(2), [NS, DB], 'authenticate set ns/db from the token');
    // Signing one session out leaves the others as they were.
    assert.ok(isNone(await c.rpc('invalidate', undefined, { session: s1 })));
    assert.ok(isNone(await c.rpc('info', undefined, { session: s1 })));
    assert.equal((await c.rpc('info')).email, emails[0]);
    assert.equal((await c.rpc('info', undefined, { session: s2 })).email, emails[2]);
    // A failed signin in s2 keeps its identity, as on the server.
    const bad = await c.call('signin', [{ NS, DB, AC: 'allusers', email: emails[2], password: 'wrong' }], { session: s2 });
    assert.equal(bad.error.message, 'No record was returned');
    assert.equal(hex(bad.session), hex(s2), 'errors echo the session too');
    assert.equal((await c.rpc('info', undefined, { session: s2 })).email, emails[2]);
    await c.close();
  });

  test('an unknown session gets the engine\'s exact Session not found error, with the client uuid', async () => {
    const s = newSession();
    // Params are checked first (signin [] is "Expected (params:object)" even for an unknown session).
    const valid = { info: undefined, signin: [{ user: 'root', pass: 'root' }], authenticate: ['x.y.z'], query: ['RETURN 1'], invalidate: undefined, use: [NS, DB] };
    for (const [method, params] of Object.entries(valid)) {
      const res = await a.call(method, params, { session: s });
      const { cause, ...error } = res.error;
      assert.ok(isNone(cause));
      assert.deepEqual(error, {
        code: -32000, kind: 'NotFound', details: { kind: 'Session', details: { id: text(s) } }, message: `Session not found: ${text(s)}`,
      }, method);
      assert.equal(hex(res.session), hex(s));
    }
    assert.ok(isNone(await a.rpc('detach', undefined, { session: s })), 'detach of an unknown session is NONE');
    assert.ok(isNone(await a.rpc('ping', undefined, { session: s })), 'ping does not look the session up');
  });

  test('a session dies with its connection', async () => {
    const c = await Client.open(server.url);
    const s = newSession();
    await c.rpc('attach', undefined, { session: s });
    await c.close();
    const d = await Client.open(server.url);
    const res = await d.call('info', undefined, { session: s });
    assert.match(res.error.message, /Session not found/);
    await d.close();
  });
});

test('closing a connection detaches its engine sessions (the engine itself says Session not found)', async () => {
  const engine = await openEngine(3);
  const log = { info() {}, error() {} };
  const backend = createV3Backend(engine, log);
  const conn = { id: 1, send() {} };
  await backend.open(conn);
  const call = (method, params, session) => backend.call(conn, parseRequest(encode({ id: 1, method, ...(params ? { params } : {}), ...(session ? { session } : {}) })));
  const mine = newSession();
  assert.ok((await call('attach', undefined, mine)).result);
  const engineSessions = [conn.v3.session, ...conn.v3.clients.values()];
  assert.equal(engineSessions.length, 2);
  const useDirect = (u) => engine.run(internalRequest('use', [encode(NS), encode(DB)], uuidTag(u)));
  for (const u of engineSessions) assert.ok((await useDirect(u)).result, 'alive while the socket is open');
  await backend.close(conn);
  for (const u of engineSessions) {
    const out = await useDirect(u);
    assert.match(decode(out.errorRaw).message, /^Session not found: /);
  }
  engine.close();
});
