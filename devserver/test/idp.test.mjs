// Identity-provider tokens: RS256 JWTs minted here with the test-only key, authenticated through the
// schemas' idp (database JWT) and idpuser (record WITH JWT + AUTHENTICATE) accesses, on both engines.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DB, NS, isNone, mintIdpToken, nowSeconds, record, sleep, uniqueEmail, useServer } from '../testing.mjs';

const devserver = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const otherKey = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const soon = () => nowSeconds() + 5;

/** The error each engine gives, as 3.x {code, kind, details?, message} or 2.x {code, message}. */
const refused = {
  3: {
    invalid: { code: -32002, kind: 'NotAllowed', details: { kind: 'Auth', details: { kind: 'InvalidAuth' } }, message: 'There was a problem with authentication' },
    expired: { code: -32002, kind: 'NotAllowed', details: { kind: 'Auth', details: { kind: 'TokenExpired' } }, message: 'The token has expired' },
    unusable: { code: -32000, kind: 'Internal', message: 'The access method cannot be used in the requested operation' },
    thrown: { code: -32006, kind: 'Thrown', message: 'An error occurred: idpuser: the ID claim must name a user record' },
  },
  2: {
    invalid: { code: -32000, message: 'There was a problem with the database: There was a problem with authentication' },
    expired: { code: -32000, message: 'There was a problem with the database: The token has expired' },
    unusable: { code: -32000, message: 'There was a problem with the database: The access method cannot be used in the requested operation' },
    thrown: { code: -32000, message: 'There was a problem with the database: An error occurred: idpuser: the ID claim must name a user record' },
  },
};

function assertError(engine, error, expected) {
  const { cause, ...rest } = error;
  assert.deepEqual(rest, expected);
  if (engine === '3') assert.ok(isNone(cause), 'cause is NONE');
  else assert.equal(cause, undefined);
}

test('the schemas trust exactly the committed test public key', () => {
  const pub = fs.readFileSync(path.join(devserver, 'testdata', 'idp-test-key.pub.pem'), 'utf8');
  const pem = pub.slice(pub.indexOf('-----BEGIN')).trim();
  for (const schema of ['schema.surql', 'schema-v2.surql']) {
    const text = fs.readFileSync(path.join(devserver, schema), 'utf8');
    assert.equal(text.split(pem).length - 1, 2, `${schema}: idp and idpuser use the test key`);
  }
});

for (const engine of ['3', '2']) {
  describe(`identity-provider tokens, engine ${engine}`, () => {
    const env = useServer(before, after, ['--engine', engine]);
    const errors = refused[engine];
    const whoami = async (c) => (await c.rpc('query', ['RETURN [$auth, $access, $token, $session.exp]']))[0].result;

    test('idp (database JWT): a fresh token signs in as a system user with the claims in $token', async () => {
      const c = await env.open();
      const exp = soon();
      const token = mintIdpToken({ ns: NS, db: DB, ac: 'idp', exp, sub: 'idp|42', email: 'x@example.com' });
      assert.ok(isNone(await c.rpc('authenticate', [token])));
      assert.ok(isNone(await c.rpc('info')), 'a system user has no record');
      const [auth, access, claims, sessionExp] = await whoami(c);
      assert.ok(isNone(auth));
      assert.equal(access, 'idp');
      // Claim names come back canonical (NS, DB, AC); custom claims are kept as sent.
      assert.deepEqual(claims, { AC: 'idp', DB, NS, exp, sub: 'idp|42', email: 'x@example.com' });
      assert.ok(Math.abs(sessionExp - (nowSeconds() + 3600)) <= 2, 'the session lasts FOR SESSION 1h, not until the token exp');
    });

    test('idp: Viewer without an RL claim (reads, cannot write); RL Editor can write', async () => {
      const viewer = await env.open();
      await viewer.rpc('authenticate', [mintIdpToken({ NS, DB, AC: 'idp', exp: soon() })]);
      const [create] = await viewer.rpc('query', ['CREATE note SET text = "by idp", owner = user:x']);
      assert.deepEqual([create.status, create.result], ['OK', []], 'a Viewer CREATE silently creates nothing');
      const editor = await env.open();
      await editor.rpc('authenticate', [mintIdpToken({ NS, DB, AC: 'idp', RL: ['Editor'], exp: soon() })]);
      const [made] = await editor.rpc('query', ['CREATE note SET text = "by idp editor", owner = user:x']);
      assert.equal(made.status, 'OK');
      const [seen] = await viewer.rpc('query', ['SELECT VALUE text FROM note WHERE owner = user:x']);
      assert.deepEqual(seen.result, ['by idp editor'], 'table PERMISSIONS do not apply to a system user');
    });

    test("the session outlives the token's exp; the expired token cannot be presented again", async () => {
      const c = await env.open();
      const token = mintIdpToken({ ns: NS, db: DB, ac: 'idpuser', id: 'user:outlives', exp: nowSeconds() + 1 });
      await c.rpc('authenticate', [token]);
      await sleep(2200);
      const [still] = await c.rpc('query', ['RETURN $auth']);
      assert.deepEqual(record(still.result), ['user', 'outlives'], 'still signed in after exp (FOR SESSION 1h)');
      assertError(engine, (await c.call('authenticate', [token])).error, errors.expired);
    });

    test('idp refuses another key, an expired token, no exp, a future nbf, an ID claim', async () => {
      const c = await env.open();
      const claims = { ns: NS, db: DB, ac: 'idp' };
      const cases = [
        [mintIdpToken({ ...claims, exp: soon() }, { key: otherKey }), errors.invalid],
        [mintIdpToken({ ...claims, exp: nowSeconds() - 10 }), errors.expired],
        [mintIdpToken(claims), errors.invalid],
        [mintIdpToken({ ...claims, nbf: nowSeconds() + 100, exp: nowSeconds() + 200 }), errors.invalid],
        [mintIdpToken({ ...claims, exp: soon() }, { header: { alg: 'HS256', typ: 'JWT' } }), errors.invalid],
        [mintIdpToken({ ...claims, id: 'user:x', exp: soon() }), errors.unusable],
      ];
      for (const [token, expected] of cases) assertError(engine, (await c.call('authenticate', [token])).error, expected);
      assertError(engine, (await c.call('signin', [{ NS, DB, AC: 'idp' }])).error, errors.unusable);
    });

    test('a refused token keeps the identity the socket had', async () => {
      const c = await env.open();
      const email = uniqueEmail('keep');
      await c.rpc('signup', [{ NS, DB, AC: 'allusers', email, password: 'pw' }]);
      const bad = await c.call('authenticate', [mintIdpToken({ ns: NS, db: DB, ac: 'idp', exp: soon() }, { key: otherKey })]);
      assert.ok(bad.error);
      assert.equal((await c.rpc('info')).email, email);
    });

    test('idpuser (record WITH JWT): the ID claim is the record user; PERMISSIONS apply', async () => {
      const owner = await env.open();
      const email = uniqueEmail('idp');
      await owner.rpc('signup', [{ NS, DB, AC: 'allusers', email, password: 'pw' }]);
      const [me] = await owner.rpc('query', ['RETURN <string> $auth']);
      const c = await env.open();
      const exp = soon();
      assert.ok(isNone(await c.rpc('authenticate', [mintIdpToken({ ns: NS, db: DB, ac: 'idpuser', id: me.result, exp })])));
      assert.equal((await c.rpc('info')).email, email, 'info is the existing row the ID names');
      const [auth, access, claims] = await whoami(c);
      assert.equal(`${record(auth)[0]}:${record(auth)[1]}`, me.result);
      assert.equal(access, 'idpuser');
      assert.deepEqual(claims, { AC: 'idpuser', DB, ID: me.result, NS, exp });
      await c.rpc('query', ['CREATE note SET text = "via idp"']);
      const [mine] = await owner.rpc('query', ['SELECT VALUE text FROM note']);
      assert.deepEqual(mine.result, ['via idp'], 'the same user, whichever way it signed in');
      const stranger = await env.open();
      await stranger.rpc('authenticate', [mintIdpToken({ NS, DB, AC: 'idpuser', ID: 'user:stranger', exp: soon() })]);
      assert.ok(isNone(await stranger.rpc('info')), 'a record that does not exist: info is NONE');
      const [none] = await stranger.rpc('query', ['SELECT * FROM note']);
      assert.deepEqual(none.result, []);
    });

    test('idpuser refuses another key, an expired token, a non-user ID, no ID', async () => {
      const c = await env.open();
      const claims = { ns: NS, db: DB, ac: 'idpuser' };
      const cases = [
        [mintIdpToken({ ...claims, id: 'user:x', exp: soon() }, { key: otherKey }), errors.invalid],
        [mintIdpToken({ ...claims, id: 'user:x', exp: nowSeconds() - 10 }), errors.expired],
        [mintIdpToken({ ...claims, id: 'plainuser:x', exp: soon() }), errors.thrown],
        [mintIdpToken({ ...claims, exp: soon() }), errors.invalid],
      ];
      for (const [token, expected] of cases) assertError(engine, (await c.call('authenticate', [token])).error, expected);
      assertError(engine, (await c.call('signup', [{ NS, DB, AC: 'idpuser', email: uniqueEmail(), password: 'pw' }])).error, errors.unusable);
    });
  });
}
