// The same browser flow against SurrealDB 2.x (--engine 2): the seed-000
// shape with SC must reach a 2.x server as AC, or it would silently become a
// database-user sign-in. Runs in the E2E_ENGINE=2 pass only (the other files
// cover 2.x there too); the server is started with --engine 2 regardless.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DB, ENGINE, NS, PASSWORD, newContext, onEngine, openPage, uniqueEmail, useServerAndBrowser } from './helpers.mjs';

describe(onEngine('2.x specifics'), { skip: ENGINE !== '2' && 'a 2.x test: runs in the E2E_ENGINE=2 pass' }, () => {
  const env = useServerAndBrowser(['--engine', '2']);

  it('signs up with {NS, DB, SC, …} on 2.x, restores on reload, refuses a wrong password', async () => {
    assert.match(env.server.engine, /^surrealdb-2\./);
    const context = await newContext(env.browser);
    const page = await openPage(context, env.server, 'module');
    const email = uniqueEmail('v2');
    const first = await page.evaluate(async ({ rpc, NS, DB, email, password }) => {
      const db = await lib.connect(rpc);
      const token = await db.signup({ NS, DB, SC: 'allusers', email, password });
      const wrong = await settle(db.signin({ NS, DB, SC: 'allusers', email, password: 'wrong' }));
      return { token, session: plain(db.session), wrong: wrong.error, refresh: (await settle(db.refresh())).error };
    }, { rpc: env.server.rpc, NS, DB, email, password: PASSWORD });
    assert.equal(first.session.token, first.token);
    assert.equal(first.session.access, 'allusers');
    assert.equal(first.wrong.code, 'invalid_credentials');
    assert.equal(first.refresh.code, 'unsupported', '2.x has no refresh method');

    await page.reload();
    await page.waitForFunction(() => window.lib !== undefined);
    const again = await page.evaluate(async (rpc) => {
      const db = await lib.connect(rpc);
      return { id: db.session && db.session.id, info: await db.info() };
    }, env.server.rpc);
    assert.equal(again.id, first.session.id);
    assert.equal(again.info.id, first.session.id);
    assert.equal(again.info.email, email);
    await context.close();
  });
});
