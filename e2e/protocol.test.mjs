// Server facts that docs/protocol.md states and the client relies on, shown
// here with raw CBOR RPC against the real engines (3.x and 2.x, through the
// dev server) where no other test shows them: what SurrealDB itself does,
// not what our client does about it. Each test is named in docs/protocol.md.
// One connection per test: on 2.x the dev server replays a connection's
// state when another one runs, which renews session expiries (see
// devserver/README.md), so tests that time a session never share it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, DB, NS, Tag, isNone, record, sleep, startServer, uniqueEmail } from '../devserver/testing.mjs';

/** The innermost kind of a 3.x error ({kind, details: {kind, details: {kind}}}). */
const innerKind = (error) => {
  let d = error;
  while (d?.details?.kind) d = d.details;
  return d?.kind;
};

/** Waits until the server's integer clock is past the second exp (a session is over once now > exp). */
async function pastSecond(exp) {
  while (Date.now() / 1000 < Number(exp) + 1.1) await sleep(100);
}

for (const engine of ['3', '2']) {
  describe(`server facts, engine ${engine}`, () => {
    let server;
    before(async () => { server = await startServer(['--engine', engine]); });
    after(() => server?.stop());
    const open = () => Client.open(server.url);
    const v3 = engine === '3';

    test('SC is not read: a record sign-in sent with SC becomes a database-user sign-in', async () => {
      const c = await open();
      const email = uniqueEmail('sc');
      await c.rpc('signup', [{ NS, DB, AC: 'allusers', email, password: 'pw' }]);
      const res = await c.call('signin', [{ NS, DB, SC: 'allusers', email, password: 'pw' }]);
      assert.match(res.error.message, /Username or Password was not provided/);
      if (v3) assert.equal(innerKind(res.error), 'MissingUserOrPass');
      else {
        assert.deepEqual(Object.keys(res.error).sort(), ['code', 'message']);
        assert.equal(res.error.code, -32000);
        assert.match(res.error.message, /^There was a problem with the database: /);
      }
      c.close();
    });

    test('namespace, database and access names must be text', async () => {
      const c = await open();
      const res = await c.call('signin', [{ NS: 5, DB, user: 'dbuser', pass: 'dbpass' }]);
      // 3.x says what is wrong; 2.x turns 5 into "5", a namespace without that user.
      assert.match(res.error.message, v3 ? /^Expected string, got number$/ : /There was a problem with authentication/);
      c.close();
    });

    test('params: 3.x ignores extra ones, 2.x refuses them (so the client sends exact arities)', async () => {
      const c = await open();
      const res = await c.call('signin', [{ user: 'root', pass: 'root' }, 1]);
      if (v3) assert.equal(typeof res.result, 'string');
      else assert.deepEqual(res.error, { code: -32602, message: 'Invalid params' });
      c.close();
    });

    test('use: 3.x answers {namespace, database} and needs both params; 2.x answers NONE', async () => {
      const c = await open();
      const res = await c.rpc('use', [NS, DB]);
      if (v3) assert.deepEqual(res, { database: DB, namespace: NS });
      else assert.ok(isNone(res));
      const one = await c.call('use', [NS]);
      assert.ok(one.error, 'one param is refused');
      if (v3) assert.deepEqual([one.error.code, one.error.message], [-32603, 'Expected (ns, db)']);
      const NONE = new Tag(null, 6);
      await c.rpc('use', [NONE, NONE]);
      const [kept] = await c.rpc('query', ['RETURN [session::ns(), session::db()]']);
      assert.deepEqual(kept.result, [NS, DB], 'NONE keeps what was selected');
      c.close();
    });

    test('a record sign-up moves the connection to its namespace and database', async () => {
      const c = await open();
      await c.rpc('signup', [{ NS, DB, AC: 'allusers', email: uniqueEmail('nsdb'), password: 'pw' }]);
      const [r] = await c.rpc('query', ['RETURN [session::ns(), session::db()]']);
      assert.deepEqual(r.result, [NS, DB]);
      c.close();
    });

    test('a database-user sign-in after a record user leaves $auth and $access on the record', async () => {
      const c = await open();
      await c.rpc('signup', [{ NS, DB, AC: 'allusers', email: uniqueEmail('stale'), password: 'pw' }]);
      await c.rpc('signin', [{ NS, DB, user: 'dbuser', pass: 'dbpass' }]);
      const [r] = await c.rpc('query', ['RETURN [$auth, $token.ID, $access]']);
      assert.equal(record(r.result[0])?.[0], 'user', '$auth is still the record user');
      assert.equal(r.result[1], 'dbuser', 'while $token is the database user');
      assert.equal(r.result[2], 'allusers');
      const info = await c.rpc('info');
      assert.equal(record(info.id)[0], 'user', 'info() still answers with the record');
      assert.ok('pass' in info, '…and, read as the database user, with its password hash');
      await c.rpc('invalidate');
      await c.rpc('signin', [{ NS, DB, user: 'dbuser', pass: 'dbpass' }]);
      const [clean] = await c.rpc('query', ['RETURN [$auth, $access]']);
      assert.ok(clean.result.every(isNone), 'invalidate first, and the switch is clean');
      c.close();
    });

    test('authenticate with a still-valid token moves the session expiry forward', async () => {
      const c = await open();
      const token = await c.rpc('signup', [{ NS, DB, AC: 'allusers', email: uniqueEmail('renew'), password: 'pw' }]);
      const [before] = await c.rpc('query', ['RETURN $session.exp']);
      await sleep(1100);
      assert.ok(isNone(await c.rpc('authenticate', [token])));
      const [later] = await c.rpc('query', ['RETURN $session.exp']);
      assert.ok(Number(later.result) > Number(before.result), `${before.result} -> ${later.result}`);
      c.close();
    });

    test('invalidate keeps the session expiry: an expired session stays expired; a sign-in ends it', async () => {
      const c = await open();
      await c.rpc('signup', [{ NS, DB, AC: 'short', email: uniqueEmail('exp'), password: 'pw' }]); // session 3 s
      const [exp] = await c.rpc('query', ['RETURN $session.exp']);
      await c.rpc('invalidate');
      const [kept] = await c.rpc('query', ['RETURN $session.exp']);
      assert.equal(kept.result, exp.result, 'invalidate left the expiry');
      await pastSecond(exp.result);
      const gone = await c.call('query', ['RETURN 1']);
      assert.match(gone.error.message, /The session has expired/);
      if (v3) assert.equal(innerKind(gone.error), 'SessionExpired');
      assert.ok(isNone(await c.rpc('invalidate')));
      assert.match((await c.call('query', ['RETURN 1'])).error.message, /The session has expired/, 'invalidate does not recover it');
      assert.ok(!(await c.call('use', [NS, DB])).error, 'use still works');
      await c.rpc('signin', [{ user: 'root', pass: 'root' }]);
      assert.equal((await c.rpc('query', ['RETURN 1']))[0].result, 1, 'a sign-in does');
      c.close();
    });

    test('version names the server: surrealdb-<major>.<minor>.<patch>', async () => {
      const c = await open();
      assert.match(await c.rpc('version'), new RegExp(`^surrealdb-${engine}\\.\\d+\\.\\d+$`));
      c.close();
    });

    if (v3) {
      test('3.x refresh takes the {access, refresh} object; a bare token is refused', async () => {
        const c = await open();
        const res = await c.call('refresh', ['eyJ.not.a-pair']);
        assert.match(res.error.message, /Token is an access token, cannot refresh/);
        c.close();
      });
    }
  });
}
