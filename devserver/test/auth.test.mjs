// Sign-up, sign-in, info and connection isolation through the demo schema, on both engines.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DB, NS, isNone, record, uniqueEmail, useServer } from '../testing.mjs';

for (const engine of ['3', '2']) {
  describe(`auth through the allusers access, engine ${engine}`, () => {
    const env = useServer(before, after, ['--engine', engine]);
    const open = () => env.open();

    test('signup returns a token, info the new record with a Tag 8 id', async () => {
      const c = await open();
      const email = uniqueEmail();
      const token = await c.rpc('signup', [{ NS, DB, AC: 'allusers', email, password: 'pw-1' }]);
      assert.equal(typeof token, 'string');
      assert.equal(token.split('.').length, 3);
      const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url'));
      assert.equal(claims.NS, NS);
      assert.equal(claims.DB, DB);
      assert.equal(claims.AC, 'allusers');
      assert.match(claims.ID, /^user:/);
      const me = await c.rpc('info');
      assert.equal(me.email, email);
      assert.equal(record(me.id)[0], 'user');
      assert.equal(me.created.tag, 12);
      assert.equal('pass' in me, false, 'the password hash is not selectable');
    });

    test('signin with the right password works, a wrong one fails', async () => {
      const c = await open();
      const email = uniqueEmail();
      await c.rpc('signup', [{ NS, DB, AC: 'allusers', email, password: 'pw-2' }]);
      await c.rpc('invalidate');
      assert.ok(isNone(await c.rpc('info')));
      const token = await c.rpc('signin', [{ NS, DB, AC: 'allusers', email, password: 'pw-2' }]);
      assert.equal(typeof token, 'string');
      assert.equal((await c.rpc('info')).email, email);
      const bad = await c.call('signin', [{ NS, DB, AC: 'allusers', email, password: 'nope' }]);
      assert.equal(bad.error.code, -32000);
      assert.match(bad.error.message, /No record was returned/);
      if (engine === '3') assert.equal(bad.error.kind, 'Internal');
      else assert.deepEqual(Object.keys(bad.error).sort(), ['code', 'message']);
      assert.equal((await c.rpc('info')).email, email, 'a failed signin keeps the old identity');
    });

    test('authenticate with a token signs a fresh connection in', async () => {
      const a = await open();
      const email = uniqueEmail();
      const token = await a.rpc('signup', [{ NS, DB, AC: 'allusers', email, password: 'pw' }]);
      const b = await open();
      assert.ok(isNone(await b.rpc('authenticate', [token])));
      assert.equal((await b.rpc('info')).email, email);
    });

    test('system users sign in', async () => {
      const c = await open();
      assert.equal(typeof await c.rpc('signin', [{ user: 'root', pass: 'root' }]), 'string');
      assert.equal(typeof await c.rpc('signin', [{ NS, user: 'nsuser', pass: 'nspass' }]), 'string');
      assert.equal(typeof await c.rpc('signin', [{ NS, DB, user: 'dbuser', pass: 'dbpass' }]), 'string');
      const bad = await c.call('signin', [{ user: 'root', pass: 'wrong' }]);
      assert.match(bad.error.message, /There was a problem with authentication/);
      assert.equal(bad.error.code, engine === '3' ? -32002 : -32000);
    });

    test('signinonly does not allow signup', async () => {
      const c = await open();
      const res = await c.call('signup', [{ NS, DB, AC: 'signinonly', email: uniqueEmail(), password: 'pw' }]);
      assert.match(res.error.message, /does not allow signup/);
    });

    test('the plain access signs in without hashing', async () => {
      const c = await open();
      const email = uniqueEmail('plain');
      await c.rpc('signup', [{ NS, DB, AC: 'plain', email, password: 'pw' }]);
      await c.rpc('invalidate');
      await c.rpc('signin', [{ NS, DB, AC: 'plain', email, password: 'pw' }]);
      const me = await c.rpc('info');
      assert.equal(me.email, email);
      assert.equal(record(me.id)[0], 'plainuser');
    });

    test('a signed-in user sees only its own row', async () => {
      const c = await open();
      const email = uniqueEmail();
      await c.rpc('signup', [{ NS, DB, AC: 'allusers', email, password: 'pw' }]);
      const [rows, created] = await c.rpc('query', ['SELECT email FROM user; CREATE user SET email = "x@y.zz", pass = "p"']);
      assert.deepEqual(rows.result, [{ email }]);
      assert.deepEqual(created.result, []);
    });

    test('two connections are isolated', async () => {
      const a = await open();
      const b = await open();
      const email = uniqueEmail('iso');
      await a.rpc('signup', [{ NS, DB, AC: 'allusers', email, password: 'pw' }]);
      assert.equal((await a.rpc('info')).email, email);
      const noNs = await b.call('info');
      assert.match(noNs.error.message, /Specify a namespace to use/, "B has no namespace: A's use/signin did not leak");
      await b.rpc('use', [NS, DB]);
      assert.ok(isNone(await b.rpc('info')), "B must not see A's auth");
      await b.rpc('use', ['other_ns', 'other_db']);
      await b.rpc('let', ['x', 'from-b']);
      assert.equal((await a.rpc('info')).email, email, "A keeps its auth after B's calls");
      const [ab] = await a.rpc('query', ['RETURN [session::ns(), session::db(), $x]']);
      assert.deepEqual(ab.result.slice(0, 2), [NS, DB]);
      assert.ok(isNone(ab.result[2]), "A must not see B's variable");
      const [bb] = await b.rpc('query', ['RETURN [session::ns(), session::db(), $x, $auth]']);
      assert.deepEqual(bb.result.slice(0, 3), ['other_ns', 'other_db', 'from-b']);
      assert.ok(isNone(bb.result[3]));
    });

    test('invalidate and reset sign out', async () => {
      const c = await open();
      await c.rpc('signup', [{ NS, DB, AC: 'allusers', email: uniqueEmail(), password: 'pw' }]);
      await c.rpc('let', ['v', 1]);
      assert.ok(isNone(await c.rpc('invalidate')));
      assert.ok(isNone(await c.rpc('info')));
      await c.rpc('signup', [{ NS, DB, AC: 'allusers', email: uniqueEmail(), password: 'pw' }]);
      assert.ok(isNone(await c.rpc('reset')));
      const [cleared] = await c.rpc('query', ['RETURN [session::ns(), session::db(), $auth]']);
      assert.ok(cleared.result.every(isNone), 'reset clears ns, db and auth');
      await c.rpc('use', [NS, DB]);
      const [v] = await c.rpc('query', ['RETURN $v']);
      assert.ok(isNone(v.result), 'reset clears variables');
      assert.ok(isNone(await c.rpc('info')));
    });
  });
}
