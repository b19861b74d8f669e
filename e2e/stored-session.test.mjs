// First paint: SurrealAuth.storedSession(url, {storage, storageKey}) reads
// the stored session synchronously, before the wasm is loaded, as a Session
// with verified: false (connect then verifies it: verified: true). It reads
// the record the sdk writes, by the sdk's rules: the agreement is checked
// on sdk/testdata/stored-records.json, which the sdk's own test keeps.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { DB, NS, PASSWORD, ROOT, newContext, onEngine, openPage, uniqueEmail, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();

describe(onEngine('storedSession reads what the sdk stores'), () => {
  it('agrees with the sdk on every record of sdk/testdata/stored-records.json', async (t) => {
    const corpus = JSON.parse(fs.readFileSync(path.join(ROOT, 'sdk', 'testdata', 'stored-records.json'), 'utf8'));
    const { storedSession } = await import(pathToFileURL(path.join(ROOT, 'dist', 'surrealauth.mjs')).href);
    const realNow = Date.now;
    Date.now = () => corpus.now;
    try {
      for (const c of corpus.cases) {
        const storage = { getItem: (k) => (k === 'surrealauth:ws://db.example/rpc' ? c.record : null) };
        const s = storedSession('ws://db.example/rpc', { storage });
        const got = s && { token: s.token, refreshToken: s.refreshToken, namespace: s.namespace, database: s.database, access: s.access, id: s.id, expiresAt: s.expiresAt };
        assert.deepEqual(got, c.want, c.name);
        if (s) assert.equal(s.verified, false, c.name);
      }
    } finally {
      Date.now = realNow;
    }
    t.diagnostic(`${corpus.cases.length} records, ${corpus.cases.filter((c) => c.want).length} restorable`);
  });
});

/**
 * Signs up on a first page (the session is stored), then opens a second
 * one that has not connected; for sessionStorage, which is the tab's, the
 * same page reloaded.
 */
async function storedThenFresh(context, options = {}, access = 'allusers') {
  const first = await openPage(context, env.server);
  const signed = await first.evaluate(async ({ rpc, options, NS, DB, email, password, access }) => {
    const db = await lib.connect(rpc, options);
    await db.signup({ NS, DB, AC: access, email, password });
    const s = plain(db.session);
    await db.close();
    return s;
  }, { rpc: env.server.rpc, options, NS, DB, email: uniqueEmail('stored'), password: PASSWORD, access });
  if (options.storage === 'session') {
    await first.reload();
    await first.waitForFunction(() => window.lib !== undefined);
    return { signed, page: first };
  }
  await first.close();
  return { signed, page: await openPage(context, env.server) };
}

describe(onEngine('storedSession in the page'), () => {
  it('fresh: the stored session at once, verified: false, without the wasm; connect then verifies it', async () => {
    const context = await newContext(env.browser);
    const { signed, page } = await storedThenFresh(context);
    const wasmFetches = [];
    page.on('request', (req) => { if (req.url().endsWith('.wasm')) wasmFetches.push(req.url()); });
    const r = await page.evaluate(async (rpc) => {
      const t0 = performance.now();
      const stored = lib.storedSession(rpc);
      const ms = performance.now() - t0;
      const before = { ...plain(stored), verified: stored.verified, tag: String(stored), json: JSON.stringify(stored) };
      console.log(stored, { stored });
      const db = await lib.connect(rpc);
      const initial = await new Promise((resolve) => db.onAuthStateChange((event, s) => resolve({ event, verified: s.verified, id: s.id })));
      return { ms, before, after: { ...plain(db.session), verified: db.session.verified }, initial };
    }, env.server.rpc);
    assert.equal(r.before.token, signed.token);
    assert.equal(r.before.id, signed.id);
    assert.equal(r.before.verified, false);
    assert.equal(r.before.expiresAt, signed.expiresAt);
    assert.deepEqual([r.before.namespace, r.before.database, r.before.access], [NS, DB, 'allusers']);
    assert.doesNotMatch(r.before.json, /eyJ/, 'JSON.stringify of it shows no token');
    assert.ok(!context.logs.some((l) => l.text.includes(signed.token)), 'console.log of it shows no token');
    assert.match(r.before.tag, /^Session\(user:.*, unverified\)$/);
    assert.ok(r.ms < 50, `synchronous and quick: ${r.ms} ms`);
    assert.equal(r.after.token, signed.token);
    assert.equal(r.after.verified, true);
    assert.deepEqual(r.initial, { event: 'INITIAL_SESSION', verified: true, id: signed.id });
    await context.close();
    assert.equal(wasmFetches.length, 1, 'the wasm was fetched once, by connect');
  });

  it('sessionStorage and a custom storage are read where connect would read them', async () => {
    const context = await newContext(env.browser);
    const { signed, page } = await storedThenFresh(context, { storage: 'session' });
    const r = await page.evaluate((rpc) => {
      const fromSession = lib.storedSession(rpc, { storage: 'session' });
      const key = `surrealauth:${rpc}`;
      const custom = { getItem: (k) => (k === key ? sessionStorage.getItem(k) : null) };
      return { session: fromSession && fromSession.id, local: lib.storedSession(rpc), custom: lib.storedSession(rpc, { storage: custom })?.id, memory: lib.storedSession(rpc, { storage: 'memory' }) };
    }, env.server.rpc);
    assert.deepEqual(r, { session: signed.id, local: null, custom: signed.id, memory: null });
    await context.close();
  });

  it('expired beyond renewal: null (a 1 s token of the short access, no refresh token)', async () => {
    const context = await newContext(env.browser);
    const { signed, page } = await storedThenFresh(context, {}, 'short');
    await page.waitForFunction((exp) => Date.now() >= exp + 1000, signed.expiresAt, { timeout: 10_000 });
    const r = await page.evaluate((rpc) => ({ stored: localStorage.getItem(`surrealauth:${rpc}`) !== null, session: lib.storedSession(rpc) }), env.server.rpc);
    assert.equal(r.stored, true, 'the record is still there: only connect removes it');
    assert.equal(r.session, null);
    await context.close();
  });

  it('corrupt records, another key, no storage: null, never a throw', async () => {
    const context = await newContext(env.browser);
    const { signed, page } = await storedThenFresh(context);
    const r = await page.evaluate((rpc) => {
      const key = `surrealauth:${rpc}`;
      const good = localStorage.getItem(key);
      const out = {
        otherKey: lib.storedSession(rpc, { storageKey: 'someone-else' }),
        ownKey: lib.storedSession(rpc)?.id,
        relative: lib.storedSession('/rpc'), // connect refuses "/rpc": not the key of this endpoint
        explicitKey: lib.storedSession('ws://elsewhere/rpc', { storageKey: key })?.id,
      };
      for (const [name, value] of [['junk', '{not json'], ['version 2', good.replace('"v":1', '"v":2')], ['no token', '{"v":1}'], ['a token that is not a JWT', '{"v":1,"token":"abc"}']]) {
        localStorage.setItem(key, value);
        out[name] = lib.storedSession(rpc);
      }
      const throwing = { getItem() { throw new DOMException('The operation is insecure.', 'SecurityError'); } };
      out.throwingStorage = lib.storedSession(rpc, { storage: throwing });
      out.notAStorage = lib.storedSession(rpc, { storage: 42 });
      return out;
    }, env.server.rpc);
    assert.deepEqual(r, {
      otherKey: null, ownKey: signed.id, relative: null, explicitKey: signed.id,
      junk: null, 'version 2': null, 'no token': null, 'a token that is not a JWT': null,
      throwingStorage: null, notAStorage: null,
    });
    await context.close();
  });

  it('a page whose localStorage is blocked: null', async () => {
    const context = await newContext(env.browser);
    await context.addInitScript(() => {
      Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('Access is denied for this document.', 'SecurityError'); } });
    });
    const page = await openPage(context, env.server);
    const r = await page.evaluate((rpc) => lib.storedSession(rpc), env.server.rpc);
    assert.equal(r, null);
    await context.close();
  });
});
