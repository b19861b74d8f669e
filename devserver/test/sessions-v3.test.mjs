// 3.x multi-session (attach/detach/sessions + the `session` field), mapped per connection.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
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
