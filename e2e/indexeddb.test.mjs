// storage: "indexeddb" and async custom storages: a reload restores, two
// tabs stay in sync (BroadcastChannel), a rejecting adapter and a full
// quota fall back to memory with one warning, and a dedicated worker signs
// in and its page restores what it stored.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DB, NEEDS_REFRESH, NS, PASSWORD, V2, newContext, onEngine, openPage, uniqueEmail, useServerAndBrowser, wasmName } from './helpers.mjs';

const env = useServerAndBrowser();

const creds = (email, SC = 'allusers') => ({ NS, DB, SC, email, password: PASSWORD });
const warnings = (context) => context.logs.filter((l) => l.type === 'warning' && l.text.startsWith('surrealauth:'));

/** Connects the page's window.db with options (JS text, evaluated in the page) and tracks its events. */
function connect(page, optionsJS = '{ storage: "indexeddb" }') {
  return page.evaluate(async ({ rpc, optionsJS }) => {
    // eslint-disable-next-line no-eval
    window.db = await lib.connect(rpc, (0, eval)(`(${optionsJS})`));
    window.events = track(db);
    return { id: db.session && db.session.id, storage: db.storage, key: db.storageKey };
  }, { rpc: env.server.rpc, optionsJS });
}

/** What IndexedDB holds under key: the record text, or null. */
const idbRecord = (page, key) => page.evaluate((key) => new Promise((resolve, reject) => {
  const req = indexedDB.open('surrealauth');
  req.onerror = () => reject(req.error);
  req.onsuccess = () => {
    const get = req.result.transaction('sessions').objectStore('sessions').get(key);
    get.onsuccess = () => { req.result.close(); resolve(get.result ?? null); };
    get.onerror = () => reject(get.error);
  };
}), key);

const waitEvents = (page, n) => page.waitForFunction((n) => events.length >= n, n, { timeout: 15_000 });

describe(onEngine('storage: "indexeddb"'), () => {
  it('keeps the record in IndexedDB (surrealauth/sessions), and a reload restores it; storedSession gives null', async () => {
    const context = await newContext(env.browser);
    const page = await openPage(context, env.server);
    const r = await connect(page);
    assert.equal(r.storage, 'indexeddb');
    const token = await page.evaluate((c) => db.signup(c), creds(uniqueEmail('idb')));
    const rec = JSON.parse(await idbRecord(page, r.key));
    assert.equal(rec.v, 1);
    assert.equal(rec.token, token);
    assert.equal(await page.evaluate(() => localStorage.length), 0, 'nothing in localStorage');

    await page.reload();
    await page.waitForFunction(() => window.lib !== undefined);
    const stored = await page.evaluate((rpc) => lib.storedSession(rpc, { storage: 'indexeddb' }), env.server.rpc);
    assert.equal(stored, null, 'storedSession cannot read an async store');
    const again = await connect(page);
    assert.equal(again.id, await page.evaluate(() => db.session.id));
    assert.ok(again.id, 'restored');
    assert.equal(await page.evaluate(() => db.session.token), token);
    assert.deepEqual(await page.evaluate(() => events.map((e) => e[0])), ['INITIAL_SESSION']);

    await page.evaluate(() => db.invalidate());
    assert.equal(await idbRecord(page, r.key), null, 'sign-out removes it');
    assert.deepEqual(warnings(context), []);
    await context.close();
  });

  it('two tabs stay in sync: sign-in, refresh and sign-out in one are followed by the other', async () => {
    const context = await newContext(env.browser);
    const a = await openPage(context, env.server);
    const b = await openPage(context, env.server);
    await connect(a);
    await connect(b);
    const email = uniqueEmail('idbtabs');
    await a.evaluate((c) => db.signup(c), creds(email, V2 ? 'allusers' : 'refreshing'));
    await waitEvents(b, 2);
    const idA = await a.evaluate(() => db.session.id);
    assert.deepEqual(await b.evaluate(() => events.at(-1)), ['SIGNED_IN', idA]);
    if (!V2) {
      const token = await a.evaluate(() => db.refresh());
      await waitEvents(b, 3);
      assert.deepEqual(await b.evaluate(() => [events.at(-1)[0], db.session.token]), ['TOKEN_REFRESHED', token]);
    }
    await a.evaluate(() => db.invalidate());
    await b.waitForFunction(() => events.at(-1)[0] === 'SIGNED_OUT', null, { timeout: 15_000 });
    assert.equal(await b.evaluate(() => db.session), null);
    assert.deepEqual(warnings(context), []);
    await context.close();
  });

  it('two tabs racing a refresh 10 times both stay signed in (the refresh runs under navigator.locks)', { skip: NEEDS_REFRESH }, async () => {
    const context = await newContext(env.browser);
    const a = await openPage(context, env.server);
    const b = await openPage(context, env.server);
    await connect(a);
    await connect(b);
    await a.evaluate((c) => db.signup(c), creds(uniqueEmail('idbrace'), 'refreshing'));
    await waitEvents(b, 2);
    await Promise.all([a, b].map((p) => p.evaluate(() => {
      window.race = new BroadcastChannel('race');
      window.race.onmessage = () => { window.raced = settle(db.refresh()); };
    })));
    for (let i = 0; i < 10; i++) {
      const ra = await a.evaluate(() => { race.postMessage('go'); return settle(db.refresh()); });
      const rb = await b.evaluate(async () => { while (!window.raced) await tick(1); const r = await window.raced; window.raced = null; return r; });
      assert.ok(ra.ok && rb.ok, `round ${i}: A ${ra.error?.code ?? 'ok'}, B ${rb.error?.code ?? 'ok'}`);
      const agree = async () => {
        const [ta, tb] = await Promise.all([a, b].map((p) => p.evaluate(() => db.session && db.session.token)));
        return ta && ta === tb;
      };
      const until = Date.now() + 5000;
      while (!(await agree())) {
        assert.ok(Date.now() < until, `round ${i}: the tabs do not agree on the token`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const infos = await Promise.all([a, b].map((p) => p.evaluate(() => settle(db.info()))));
      assert.ok(infos.every((r) => r.ok && r.value && /^user:/.test(r.value.id)), `round ${i}: ${JSON.stringify(infos)}`);
    }
    for (const p of [a, b]) {
      const names = await p.evaluate(() => events.map((e) => e[0]));
      assert.ok(!names.includes('SIGNED_OUT') && !names.includes('SESSION_EXPIRED'), names.join());
    }
    await context.close();
  });

  it('a full quota (IDBObjectStore.put throws QuotaExceededError) falls back to memory with one warning', async () => {
    const context = await newContext(env.browser);
    const page = await openPage(context, env.server);
    await connect(page);
    const r = await page.evaluate(async (c) => {
      IDBObjectStore.prototype.put = function () { throw new DOMException('the quota has been exceeded', 'QuotaExceededError'); };
      await db.signup(c);
      await db.signup({ ...c, email: 'x' + c.email });
      return { id: db.session && db.session.id, storage: db.storage };
    }, creds(uniqueEmail('idbquota')));
    assert.ok(r.id, 'still signed in, in memory');
    assert.equal(r.storage, 'memory');
    const w = warnings(context);
    assert.equal(w.length, 1, JSON.stringify(w));
    assert.match(w[0].text, /indexeddb storage is unavailable \(QuotaExceededError: the quota has been exceeded\)/);
    await context.close();
  });

  it('works in a dedicated worker (importScripts), and the page restores what the worker stored; cookie is unsupported there', async () => {
    const context = await newContext(env.browser);
    const page = await openPage(context, env.server);
    const wasmURL = `${env.server.origin}/dist/${wasmName()}`;
    const email = uniqueEmail('idbworker');
    const r = await page.evaluate(async ({ rpc, wasmURL, creds }) => {
      const worker = new Worker('/idb-worker.js');
      const ask = (msg) => new Promise((resolve) => {
        worker.onmessage = (e) => resolve(e.data);
        worker.postMessage({ rpc, wasmURL, ...msg });
      });
      const out = {};
      out.connect = await ask({ op: 'connect', options: { storage: 'indexeddb' } });
      out.signup = await ask({ op: 'signup', creds });
      out.cookie = await ask({ op: 'cookie' });
      worker.terminate();
      return out;
    }, { rpc: env.server.rpc, wasmURL, creds: creds(email) });
    assert.deepEqual(r.connect, { ok: true, value: { id: null, storage: 'indexeddb' } });
    assert.equal(r.signup.ok, true, JSON.stringify(r.signup));
    assert.equal(r.signup.value.storage, 'indexeddb');
    assert.equal(r.cookie.ok, false);
    assert.equal(r.cookie.error.code, 'unsupported');
    const mine = await connect(page);
    assert.equal(mine.id, r.signup.value.id, 'the page restored the session the worker stored');
    assert.equal(await page.evaluate(() => db.session.token), r.signup.value.token);
    await context.close();
  });
});

describe(onEngine('async custom storage'), () => {
  it('an adapter whose methods return Promises is used as given, and survives a reload when it persists', async () => {
    const context = await newContext(env.browser);
    const page = await openPage(context, env.server);
    // An adapter over localStorage that answers later, as an extension's or a native store would.
    const adapter = `{ storage: window.box = { calls: [],
      getItem(k) { this.calls.push('get'); return new Promise((r) => setTimeout(() => r(localStorage.getItem('async:' + k)), 5)); },
      async setItem(k, v) { this.calls.push('set'); await new Promise((r) => setTimeout(r, 5)); localStorage.setItem('async:' + k, v); },
      async removeItem(k) { this.calls.push('remove'); localStorage.removeItem('async:' + k); },
    } }`;
    const r = await connect(page, adapter);
    assert.equal(r.storage, 'custom');
    const token = await page.evaluate((c) => db.signup(c), creds(uniqueEmail('async')));
    assert.equal(JSON.parse(await page.evaluate((k) => localStorage.getItem('async:' + k), r.key)).token, token);
    assert.ok((await page.evaluate(() => box.calls)).includes('set'));
    assert.equal(await page.evaluate(({ rpc }) => lib.storedSession(rpc, { storage: box }), { rpc: env.server.rpc }), null,
      'storedSession: an async getItem gives null');
    await page.reload();
    await page.waitForFunction(() => window.lib !== undefined);
    const again = await connect(page, adapter);
    assert.ok(again.id, 'restored through the async getItem');
    assert.equal(await page.evaluate(() => db.session.token), token);
    assert.deepEqual(warnings(context), []);
    await context.close();
  });

  it('an adapter that rejects is given up for memory with one warning; the session lives on in memory', async () => {
    const context = await newContext(env.browser);
    const page = await openPage(context, env.server);
    const r = await connect(page, `{ storage: {
      getItem: async () => null,
      setItem: () => Promise.reject(new DOMException('no room', 'QuotaExceededError')),
      removeItem: async () => {},
    } }`);
    assert.equal(r.storage, 'custom');
    const after = await page.evaluate(async (c) => {
      await db.signup(c);
      const first = { id: db.session && db.session.id, storage: db.storage };
      await db.invalidate();
      await db.signup({ ...c, email: 'y' + c.email });
      return { first, id: db.session && db.session.id, storage: db.storage };
    }, creds(uniqueEmail('reject')));
    assert.ok(after.first.id);
    assert.equal(after.first.storage, 'memory');
    assert.ok(after.id);
    const w = warnings(context);
    assert.equal(w.length, 1, JSON.stringify(w));
    assert.match(w[0].text, /custom storage is unavailable \(QuotaExceededError: no room\)/);
    await context.close();
  });

  it('a corrupt record in IndexedDB is removed at connect', async () => {
    const context = await newContext(env.browser);
    const page = await openPage(context, env.server);
    const first = await connect(page);
    await page.evaluate(() => db.close());
    await page.evaluate((key) => new Promise((resolve, reject) => {
      const req = indexedDB.open('surrealauth');
      req.onsuccess = () => {
        const tx = req.result.transaction('sessions', 'readwrite');
        tx.objectStore('sessions').put('{"v":1,"token":"not a jwt"', key);
        tx.oncomplete = () => { req.result.close(); resolve(); };
        tx.onerror = () => reject(tx.error);
      };
    }), first.key);
    const r = await connect(page);
    assert.equal(r.id, null);
    assert.equal(await idbRecord(page, first.key), null, 'the corrupt record was removed');
    await context.close();
  });
});
