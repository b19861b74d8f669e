// What a record signup/signin failure tells the client, on both engines: by default nothing beyond
// "The record access signup query failed" / "No record was returned"; with --forward-access-errors
// (SurrealDB's SURREAL_INSECURE_FORWARD_ACCESS_ERRORS) the real index or assertion error.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DB, NS, isNone, uniqueEmail, useServer } from '../testing.mjs';

/** Splits an engine error into [shape without cause, cause] and checks the cause per engine. */
function plain(engine, error) {
  const { cause, ...rest } = error;
  if (engine === '3') assert.ok(isNone(cause), '3.x: cause is NONE, no chain');
  else assert.equal(cause, undefined);
  return rest;
}
const shaped = (engine, message) => (engine === '3'
  ? { code: -32000, kind: 'Internal', message }
  : { code: -32000, message: `There was a problem with the database: ${message}` });

for (const engine of ['3', '2']) {
  for (const forward of [false, true]) {
    describe(`record access errors, engine ${engine}${forward ? ', --forward-access-errors' : ''}`, () => {
      const env = useServer(before, after, ['--engine', engine, ...(forward ? ['--forward-access-errors'] : [])]);
      let c;
      let email;
      before(async () => {
        c = await env.open();
        email = uniqueEmail('taken');
        await c.rpc('signup', [{ NS, DB, AC: 'allusers', email, password: 'pw' }]);
        await c.rpc('invalidate');
      });
      const fail = async (method, vars) => plain(engine, (await c.call(method, [{ NS, DB, AC: 'allusers', ...vars }])).error);
      const isEmail = engine === '3' ? 'string::is_email' : 'string::is::email';

      test('signup with a taken email', async () => {
        const error = await fail('signup', { email, password: 'pw2' });
        if (!forward) return assert.deepEqual(error, shaped(engine, 'The record access signup query failed'));
        const m = new RegExp(`^(There was a problem with the database: )?Database index \`user_email\` already contains '${email.replace(/[.]/g, '\\.')}', with record \`user:\\w+\`$`);
        assert.match(error.message, m);
        assert.deepEqual({ ...error, message: '' }, { ...shaped(engine, ''), message: '' });
      });

      test('signup whose ASSERT fails', async () => {
        const error = await fail('signup', { email: 'not-an-email', password: 'pw' });
        if (!forward) return assert.deepEqual(error, shaped(engine, 'The record access signup query failed'));
        assert.match(error.message, new RegExp(`Found 'not-an-email' for field \`email\`, with record \`user:\\w+\`, but field must conform to: ${isEmail}\\(\\$value\\)$`));
      });

      test('signin with a wrong password and with an unknown email: the same error', async () => {
        const wrong = await fail('signin', { email, password: 'wrong' });
        const unknown = await fail('signin', { email: uniqueEmail('nobody'), password: 'pw' });
        assert.deepEqual(wrong, shaped(engine, 'No record was returned'));
        assert.deepEqual(unknown, wrong, 'an unknown email is not told apart from a wrong password');
      });

      test('the failures changed nothing: the taken email still signs in', async () => {
        assert.equal(typeof await c.rpc('signin', [{ NS, DB, AC: 'allusers', email, password: 'pw' }]), 'string');
        await c.rpc('invalidate');
      });
    });
  }
}
