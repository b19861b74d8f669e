// connect(url, { getToken }): tokens minted outside SurrealDB (the dev
// server's idpuser access, RS256 with the test-only key), minted here in
// Node (devserver/testing.mjs) and handed to the page through an exposed
// function. The first token at connect, renewal before a short exp, a
// provider that starts failing, one whose tokens the server refuses, and
// two tabs that call the provider once per renewal (navigator.locks).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, it } from 'node:test';
import { mintIdpToken, nowSeconds } from '../devserver/testing.mjs';
import { DB, NS, newContext, onEngine, openPage, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();

/** Seconds each minted token lives: renewal is due a third before (2 s). */
const LIFE = 6;

/**
 * A context whose pages have window.mint(mode): a fresh idpuser token for
 * user (mode "good"), one signed with another key ("foreign"), null
 * ("none") or a thrown error ("throw"). calls counts the mints, per context.
 */
async function providerContext(user) {
  const context = await newContext(env.browser);
  const foreign = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const provider = { calls: 0 };
  await context.exposeFunction('mint', (mode) => {
    provider.calls++;
    const now = nowSeconds();
    const claims = { ns: NS, db: DB, ac: 'idpuser', id: user, iat: now, exp: now + LIFE, jti: crypto.randomUUID() };
    if (mode === 'none') return null;
    if (mode === 'throw') throw new Error('the provider is down');
    return mintIdpToken(claims, mode === 'foreign' ? { key: foreign } : undefined);
  });
  return { context, provider };
}

/**
 * Connects with a getToken that asks window.mint(window.mode) and records
 * every event with its cause. window.mode can be changed later.
 */
function connectWithProvider(page, mode, extra = {}) {
  return page.evaluate(async ({ rpc, mode, extra }) => {
    window.mode = mode;
    window.events = [];
    window.db = await lib.connect(rpc, {
      ...extra,
      getToken: async () => {
        const token = await window.mint(window.mode);
        return token;
      },
    });
    db.onAuthStateChange((event, session, cause) => events.push({
      event, id: session && session.id, token: session && session.token,
      cause: cause && { name: cause.name, code: cause.code, reason: cause.reason, message: cause.message, isAuthError: cause instanceof lib.SurrealAuthError },
    }));
    await tick();
    return { session: plain(db.session), cause: db.expiryCause && { code: db.expiryCause.code, reason: db.expiryCause.reason } };
  }, { rpc: env.server.rpc, mode, extra });
}

const events = (page) => page.evaluate(() => events);
const waitEvent = (page, name, n = 1) => page.waitForFunction(({ name, n }) => events.filter((e) => e.event === name).length >= n,
  { name, n }, { timeout: 30_000 });

const user = () => `user:${crypto.randomUUID().replaceAll('-', '')}`;

describe(onEngine('getToken'), () => {
  it('gives the first token at connect, renewed before its short exp (TOKEN_REFRESHED), the record user as id', async () => {
    const id = user();
    const { context, provider } = await providerContext(id);
    const page = await openPage(context, env.server);
    const r = await connectWithProvider(page, 'good', { storage: 'memory' });
    assert.equal(r.session?.id, id, 'connect resolved signed in with the provider\'s token');
    assert.equal(r.session.access, 'idpuser');
    assert.equal(r.cause, null);
    assert.equal(provider.calls, 1);
    assert.deepEqual((await events(page)).map((e) => e.event), ['INITIAL_SESSION']);

    await waitEvent(page, 'TOKEN_REFRESHED');
    const ev = await events(page);
    assert.notEqual(ev[1].token, r.session.token, 'a new token');
    assert.equal(ev[1].id, id);
    assert.equal(provider.calls, 2);
    const info = await page.evaluate(() => settle(db.info()));
    assert.ok(info.ok, 'the new token is the session the server holds');
    await context.close();
  });

  it('a provider that starts failing: the session ends with SESSION_EXPIRED and the cause (listener and db.expiryCause)', async () => {
    const id = user();
    const { context } = await providerContext(id);
    const page = await openPage(context, env.server);
    const r = await connectWithProvider(page, 'good', { storage: 'memory' });
    assert.equal(r.session?.id, id);
    await page.evaluate(() => { window.mode = 'throw'; });
    await waitEvent(page, 'SESSION_EXPIRED');
    const ev = await events(page);
    const expired = ev.find((e) => e.event === 'SESSION_EXPIRED');
    assert.equal(expired.id, null);
    assert.equal(expired.cause.isAuthError, true);
    assert.equal(expired.cause.code, 'session_expired');
    assert.equal(expired.cause.reason, 'token_source_failed');
    assert.match(expired.cause.message, /the provider is down/);
    assert.ok(!ev.some((e) => e.event === 'TOKEN_REFRESHED'), 'nothing renewed it');
    const after = await page.evaluate(() => ({ session: db.session, cause: { code: db.expiryCause.code, reason: db.expiryCause.reason } }));
    assert.equal(after.session, null);
    assert.deepEqual(after.cause, { code: 'session_expired', reason: 'token_source_failed' });
    await context.close();
  });

  it('null at connect: signed out, expiryCause no_token; null later: SESSION_EXPIRED no_token', async () => {
    const { context, provider } = await providerContext(user());
    const page = await openPage(context, env.server);
    const r = await connectWithProvider(page, 'none', { storage: 'memory' });
    assert.equal(r.session, null);
    assert.deepEqual(r.cause, { code: 'session_expired', reason: 'no_token' });
    assert.equal(provider.calls, 1);

    const page2 = await openPage(context, env.server);
    await connectWithProvider(page2, 'good', { storage: 'memory' });
    await page2.evaluate(() => { window.mode = 'none'; });
    await waitEvent(page2, 'SESSION_EXPIRED');
    const expired = (await events(page2)).find((e) => e.event === 'SESSION_EXPIRED');
    assert.equal(expired.cause.reason, 'no_token');
    await context.close();
  });

  it('tokens the server refuses (another key): signed out at connect, SESSION_EXPIRED token_refused later', async () => {
    const { context } = await providerContext(user());
    const page = await openPage(context, env.server);
    const r = await connectWithProvider(page, 'foreign', { storage: 'memory' });
    assert.equal(r.session, null);
    assert.equal(r.cause?.code, 'session_expired');
    assert.equal(r.cause.reason, 'token_refused');

    const page2 = await openPage(context, env.server);
    const r2 = await connectWithProvider(page2, 'good', { storage: 'memory' });
    assert.ok(r2.session);
    await page2.evaluate(() => { window.mode = 'foreign'; });
    await waitEvent(page2, 'SESSION_EXPIRED');
    const expired = (await events(page2)).find((e) => e.event === 'SESSION_EXPIRED');
    assert.equal(expired.cause.reason, 'token_refused');
    await context.close();
  });

  it('a getToken that is not a function is refused with invalid_params', async () => {
    const context = await newContext(env.browser);
    const page = await openPage(context, env.server);
    for (const bad of ['"token"', '42', '{}', 'true']) {
      const r = await page.evaluate(({ rpc, bad }) => settle(lib.connect(rpc, { getToken: (0, eval)(`(${bad})`) })), { rpc: env.server.rpc, bad });
      assert.equal(r.ok, false, bad);
      assert.equal(r.error.code, 'invalid_params', bad);
      assert.match(r.error.message, /getToken/);
    }
    await context.close();
  });

  it('getToken that gives something else than a string: token_source_failed with the reason', async () => {
    const context = await newContext(env.browser);
    const page = await openPage(context, env.server);
    const r = await page.evaluate(async (rpc) => {
      const db = await lib.connect(rpc, { storage: 'memory', getToken: () => 42 });
      return { session: db.session, cause: { reason: db.expiryCause.reason, message: db.expiryCause.message } };
    }, env.server.rpc);
    assert.equal(r.session, null);
    assert.equal(r.cause.reason, 'token_source_failed');
    assert.match(r.cause.message, /string/);
    await context.close();
  });

  it('two tabs sharing the stored session call the provider once per renewal (navigator.locks)', async () => {
    const id = user();
    const { context, provider } = await providerContext(id);
    const a = await openPage(context, env.server);
    const b = await openPage(context, env.server);
    await connectWithProvider(a, 'good');
    const rb = await connectWithProvider(b, 'good');
    assert.equal(rb.session?.id, id, 'B restored what A stored');
    assert.equal(provider.calls, 1, 'B did not ask the provider');
    for (const round of [1, 2]) {
      await waitEvent(a, 'TOKEN_REFRESHED', round);
      await waitEvent(b, 'TOKEN_REFRESHED', round);
      const [ta, tb] = await Promise.all([a, b].map((p) => p.evaluate(() => db.session.token)));
      assert.equal(ta, tb, `round ${round}: both tabs hold the same token`);
      assert.equal(provider.calls, 1 + round, `round ${round}: one call for both tabs`);
    }
    await context.close();
  });
});
