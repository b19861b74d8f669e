// 2.x: one engine session shared by all connections, replayed per connection (backend-v2.mjs).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DB, NS, isNone, uniqueEmail, useServer } from '../testing.mjs';

describe('2.x per-connection state replay', () => {
  const env = useServer(before, after, ['--engine', '2']);
  const open = () => env.open();

  test('A and B signed in as different users: alternating info always returns their own record', async () => {
    const a = await open();
    const b = await open();
    const ea = uniqueEmail('a');
    const eb = uniqueEmail('b');
    await a.rpc('signup', [{ NS, DB, AC: 'allusers', email: ea, password: 'pa' }]);
    await b.rpc('signup', [{ NS, DB, AC: 'plain', email: eb, password: 'pb' }]);
    for (let i = 0; i < 20; i++) {
      assert.equal((await a.rpc('info')).email, ea, `A, round ${i}`);
      assert.equal((await b.rpc('info')).email, eb, `B, round ${i}`);
    }
  });

  test('the same, with all 40 calls in flight at once', async () => {
    const a = await open();
    const b = await open();
    const ea = uniqueEmail('a');
    const eb = uniqueEmail('b');
    await a.rpc('signup', [{ NS, DB, AC: 'plain', email: ea, password: 'pa' }]);
    await b.rpc('signup', [{ NS, DB, AC: 'plain', email: eb, password: 'pb' }]);
    const calls = [];
    for (let i = 0; i < 20; i++) calls.push(a.rpc('info').then((r) => ['a', r]), b.rpc('info').then((r) => ['b', r]));
    for (const [who, r] of await Promise.all(calls)) assert.equal(r.email, who === 'a' ? ea : eb);
  });

  test('a signed-out connection stays signed out next to a signed-in one', async () => {
    const a = await open();
    const b = await open();
    await a.rpc('signup', [{ NS, DB, AC: 'plain', email: uniqueEmail(), password: 'p' }]);
    await b.rpc('use', [NS, DB]);
    for (let i = 0; i < 5; i++) {
      assert.equal(typeof (await a.rpc('info')).email, 'string');
      assert.ok(isNone(await b.rpc('info')));
      const [row] = await b.rpc('query', ['RETURN $auth']);
      assert.ok(isNone(row.result));
    }
    await a.rpc('invalidate');
    assert.ok(isNone(await a.rpc('info')));
    await b.rpc('ping');
    assert.ok(isNone(await a.rpc('info')), 'invalidate is remembered across switches');
  });

  test('ns/db and variables are per connection', async () => {
    const a = await open();
    const b = await open();
    await a.rpc('use', ['ns_a', 'db_a']);
    await a.rpc('let', ['who', 'a']);
    await a.rpc('let', ['only_a', 1]);
    await b.rpc('use', ['ns_b', 'db_b']);
    await b.rpc('let', ['who', { name: 'b' }]);
    for (let i = 0; i < 3; i++) {
      const [ra] = await a.rpc('query', ['RETURN [session::ns(), session::db(), $who, $only_a]']);
      assert.deepEqual(ra.result, ['ns_a', 'db_a', 'a', 1]);
      const [rb] = await b.rpc('query', ['RETURN [session::ns(), session::db(), $who, $only_a]']);
      assert.deepEqual(rb.result.slice(0, 3), ['ns_b', 'db_b', { name: 'b' }]);
      assert.ok(isNone(rb.result[3]));
    }
    await a.rpc('unset', ['only_a']);
    await b.rpc('ping');
    const [ra] = await a.rpc('query', ['RETURN $only_a']);
    assert.ok(isNone(ra.result));
  });

  test('signin moves the connection to the namespace and database of its token', async () => {
    const a = await open();
    const b = await open();
    const email = uniqueEmail();
    await a.rpc('use', ['elsewhere', 'elsewhere']);
    await a.rpc('signup', [{ NS, DB, AC: 'plain', email, password: 'p' }]);
    await b.rpc('use', ['ns_b', 'db_b']);
    const [r] = await a.rpc('query', ['RETURN [session::ns(), session::db()]']);
    assert.deepEqual(r.result, [NS, DB]);
    assert.equal((await a.rpc('info')).email, email);
  });

  test('reset is emulated (the 2.x engine would abort the process)', async () => {
    const a = await open();
    const b = await open();
    await a.rpc('signup', [{ NS, DB, AC: 'plain', email: uniqueEmail(), password: 'p' }]);
    await a.rpc('let', ['v', 1]);
    assert.ok(isNone(await a.rpc('reset')));
    await b.rpc('ping');
    const [r] = await a.rpc('query', ['RETURN [session::ns(), session::db(), $auth]']);
    assert.ok(r.result.every(isNone));
    assert.equal(await a.rpc('version'), 'surrealdb-2.6.0', 'the server is still alive');
  });

  test('a session expiry does not leak to another connection', async () => {
    const a = await open();
    const b = await open();
    await b.rpc('use', [NS, DB]);
    await a.rpc('signup', [{ NS, DB, AC: 'short', email: uniqueEmail('short'), password: 'p' }]);
    await b.rpc('ping'); // the engine switches to B: A's 3 s session expiry must not come along
    await new Promise((r) => setTimeout(r, 4100));
    const [r] = await b.rpc('query', ['RETURN 1']);
    assert.equal(r.result, 1);
    assert.ok(isNone(await b.rpc('info')));
  });
});
