// The schema's special accesses really do what their names say: refresh, expiry, slow signin.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DB, NS, isNone, sleep, uniqueEmail, useServer } from '../testing.mjs';

for (const engine of ['3', '2']) {
  describe(`special accesses, engine ${engine}`, () => {
    const env = useServer(before, after, ['--engine', engine]);
    const open = () => env.open();

    test('short: the token expires after ~1 s, the session after ~3 s', async () => {
      const a = await open();
      const email = uniqueEmail('short');
      const token = await a.rpc('signup', [{ NS, DB, AC: 'short', email, password: 'pw' }]);
      const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url'));
      assert.equal(claims.exp - claims.iat, 1);
      await sleep(2200);
      const expired = await a.call('authenticate', [token]);
      assert.match(expired.error.message, /The token has expired/);
      if (engine === '3') assert.equal(expired.error.details.details.kind, 'TokenExpired');
      assert.equal((await a.rpc('info')).email, email, 'the session outlives the token');
      await sleep(2000);
      const gone = await a.call('info');
      assert.match(gone.error.message, /The session has expired/);
      if (engine === '3') assert.equal(gone.error.details.details.kind, 'SessionExpired');
    });

    if (engine === '2') {
      test('2.x trade-off: a connection whose token expired is signed out once another connection ran', async () => {
        const a = await open();
        const b = await open();
        const token = await a.rpc('signup', [{ NS, DB, AC: 'short', email: uniqueEmail('short'), password: 'pw' }]);
        await sleep(2200);
        await b.rpc('ping'); // the engine now holds B's state; A's token can no longer be replayed
        assert.ok(isNone(await a.rpc('info')));
        assert.equal(typeof token, 'string');
      });
    }

    test('slow: signin takes 2 s', async () => {
      const c = await open();
      const email = uniqueEmail('slow');
      await c.rpc('signup', [{ NS, DB, AC: 'slow', email, password: 'pw' }]);
      const t0 = Date.now();
      assert.equal(typeof await c.rpc('signin', [{ NS, DB, AC: 'slow', email, password: 'pw' }]), 'string');
      const took = Date.now() - t0;
      assert.ok(took >= 1900 && took < 4000, `took ${took} ms`);
    });

    if (engine === '3') {
      test('refreshing: signup/signin return {access, refresh}; refresh rotates the pair', async () => {
        const c = await open();
        const email = uniqueEmail('refresh');
        const pair = await c.rpc('signup', [{ NS, DB, AC: 'refreshing', email, password: 'pw' }]);
        assert.equal(typeof pair.access, 'string');
        assert.match(pair.refresh, /^surreal-refresh-/);
        const claims = JSON.parse(Buffer.from(pair.access.split('.')[1], 'base64url'));
        assert.equal(claims.exp - claims.iat, 15 * 60);
        const fresh = await open();
        const next = await fresh.rpc('refresh', [pair]);
        assert.notEqual(next.refresh, pair.refresh);
        assert.equal((await fresh.rpc('info')).email, email);
        const reused = await c.call('refresh', [pair]);
        assert.equal(reused.error.code, -32002, 'a refresh token is single use');
        const signedIn = await c.rpc('signin', [{ NS, DB, AC: 'refreshing', email, password: 'pw' }]);
        assert.match(signedIn.refresh, /^surreal-refresh-/);
      });

      test('shortrefresh: an expired access token can still be refreshed', async () => {
        const c = await open();
        const email = uniqueEmail('sr');
        const pair = await c.rpc('signup', [{ NS, DB, AC: 'shortrefresh', email, password: 'pw' }]);
        const claims = JSON.parse(Buffer.from(pair.access.split('.')[1], 'base64url'));
        assert.equal(claims.exp - claims.iat, 2);
        await sleep(3200);
        const d = await open();
        assert.match((await d.call('authenticate', [pair.access])).error.message, /expired/);
        const next = await d.rpc('refresh', [pair]);
        assert.equal(typeof next.access, 'string');
        assert.equal((await d.rpc('info')).email, email);
      });
    } else {
      test('2.x has no refresh method', async () => {
        const c = await open();
        const res = await c.call('refresh', [{ access: 'x', refresh: 'y' }]);
        assert.deepEqual(res.error, { code: -32601, message: 'Method not found' });
      });
    }

    test('info of a fresh connection in the demo database is NONE', async () => {
      const c = await open();
      await c.rpc('use', [NS, DB]);
      assert.ok(isNone(await c.rpc('info')));
    });
  });
}
