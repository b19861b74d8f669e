// 2.x has no multi-session RPC: the dev server answers as a 2.x server does. attach/detach/sessions
// are unknown methods, and the `session` field is ignored (2.x parses only id, method, params and
// version), so a call that carries one acts on the connection's only session and echoes nothing.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { DB, NS, Tag, uniqueEmail, useServer } from '../testing.mjs';

describe('2.x and sessions', () => {
  const env = useServer(before, after, ['--engine', '2']);
  const session = () => new Tag(randomBytes(16), 37);

  test('attach, detach and sessions are Method not found', async () => {
    const c = await env.open();
    for (const method of ['attach', 'detach', 'sessions']) {
      for (const extra of [{}, { session: session() }]) {
        const res = await c.call(method, undefined, extra);
        assert.deepEqual(res.error, { code: -32601, message: 'Method not found' }, method);
        assert.equal('session' in res, false);
      }
    }
  });

  test('a session field is ignored: the call acts on the connection and echoes no session', async () => {
    const c = await env.open();
    const email = uniqueEmail('v2s');
    const signed = await c.call('signup', [{ NS, DB, AC: 'allusers', email, password: 'pw' }], { session: session() });
    assert.equal(typeof signed.result, 'string');
    assert.equal('session' in signed, false);
    assert.equal((await c.rpc('info')).email, email, 'the one session of the connection signed in');
    assert.equal((await c.rpc('info', undefined, { session: session() })).email, email);
    assert.equal((await c.call('ping', undefined, { session: 5 })).error, undefined, 'not even checked');
  });
});
