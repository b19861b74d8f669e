// Storage modes: sessionStorage stays in its tab, memory forgets on reload,
// a caller's object is used as given, and storage that throws falls back to
// memory with one warning instead of failing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DB, NS, PASSWORD, newContext, onEngine, openPage, uniqueEmail, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();

/** Connects with options (a string of JS, so it can build objects in the page) and signs up. */
function connectAndSignup(page, optionsJS, email = uniqueEmail('store')) {
  return page.evaluate(async ({ rpc, optionsJS, NS, DB, email, password }) => {
    // eslint-disable-next-line no-eval
    const options = (0, eval)(`(${optionsJS})`);
    window.db = await lib.connect(rpc, options);
    const token = await db.signup({ NS, DB, SC: 'allusers', email, password });
    return { token, id: db.session.id, storage: db.storage, key: db.storageKey };
  }, { rpc: env.server.rpc, optionsJS, NS, DB, email, password: PASSWORD });
}

function connectOnly(page, storage) {
  return page.evaluate(async ({ rpc, storage }) => {
    window.db = await lib.connect(rpc, { storage });
    return { session: db.session, storage: db.storage };
  }, { rpc: env.server.rpc, storage });
}

const warnings = (context) => context.logs.filter((l) => l.type === 'warning' && l.text.startsWith('surrealauth:'));

describe(onEngine('storage modes'), () => {
  it('"session" keeps the token in sessionStorage: kept on reload, not shared with a new tab', async () => {
    const context = await newContext(env.browser);
    const page = await openPage(context, env.server);
    const r = await connectAndSignup(page, '{ storage: "session" }');
    assert.equal(r.storage, 'session');
    const where = await page.evaluate((key) => ({ session: sessionStorage.getItem(key), local: localStorage.getItem(key) }), r.key);
    assert.equal(JSON.parse(where.session).token, r.token);
    assert.equal(where.local, null, 'nothing in localStorage');

    await page.reload();
    await page.waitForFunction(() => window.lib !== undefined);
    assert.equal((await connectOnly(page, 'session')).session?.id, r.id, 'a reload restores it');

    const tab = await openPage(context, env.server);
    const other = await connectOnly(tab, 'session');
    assert.equal(other.session, null, 'a new tab does not see it');
    assert.equal(await tab.evaluate((key) => sessionStorage.getItem(key), r.key), null);
    await context.close();
  });

  it('"memory" stores nothing and forgets on reload', async () => {
    const context = await newContext(env.browser);
    const page = await openPage(context, env.server);
    const r = await connectAndSignup(page, '{ storage: "memory" }');
    assert.equal(r.storage, 'memory');
    assert.deepEqual(await page.evaluate(() => [localStorage.length, sessionStorage.length]), [0, 0]);
    await page.reload();
    await page.waitForFunction(() => window.lib !== undefined);
    assert.equal((await connectOnly(page, 'memory')).session, null);
    await context.close();
  });

  it('an object with getItem/setItem/removeItem is used as given', async () => {
    const context = await newContext(env.browser);
    const page = await openPage(context, env.server);
    const r = await connectAndSignup(page, `{ storage: window.box = {
      map: new Map(), calls: [],
      getItem(k) { this.calls.push('get'); return this.map.has(k) ? this.map.get(k) : null; },
      setItem(k, v) { this.calls.push('set'); this.map.set(k, v); },
      removeItem(k) { this.calls.push('remove'); this.map.delete(k); },
    } }`);
    assert.equal(r.storage, 'custom');
    const box = await page.evaluate(async (key) => {
      const stored = JSON.parse(box.map.get(key));
      await db.invalidate();
      return { stored, calls: box.calls, after: box.map.size };
    }, r.key);
    assert.equal(box.stored.token, r.token);
    // A write reads first: a value already there is not written again (as
    // Web Storage would fire no event for it, other tabs need not hear of it).
    assert.deepEqual(box.calls, ['get', 'get', 'set', 'remove'], 'read at connect, written at signup, removed at sign-out');
    assert.equal(box.after, 0);
    await context.close();
  });
});

describe(onEngine('storage that throws'), () => {
  it('a custom storage that throws falls back to memory with one warning', async () => {
    const context = await newContext(env.browser);
    const page = await openPage(context, env.server);
    const r = await connectAndSignup(page, `{ storage: {
      getItem() { throw new DOMException('The operation is insecure.', 'SecurityError'); },
      setItem() { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); },
      removeItem() { throw new DOMException('The operation is insecure.', 'SecurityError'); },
    } }`);
    assert.equal(r.storage, 'memory');
    assert.match(r.id, /^user:/, 'the sign-up itself succeeded');
    const more = await page.evaluate(async () => {
      await db.invalidate();
      return { session: db.session, storage: db.storage };
    });
    assert.deepEqual(more, { session: null, storage: 'memory' });
    const w = warnings(context);
    assert.equal(w.length, 1, `one warning, got ${JSON.stringify(w)}`);
    assert.match(w[0].text, /custom storage is unavailable .*SecurityError|insecure/);
    assert.deepEqual(context.logs.filter((l) => l.type === 'pageerror' || l.type === 'error'), []);
    await context.close();
  });

  it('localStorage that refuses writes (quota) falls back before the first sign-in', async () => {
    const context = await newContext(env.browser);
    await context.addInitScript(() => {
      Storage.prototype.setItem = function () {
        throw new DOMException('Setting the value exceeded the quota.', 'QuotaExceededError');
      };
    });
    const page = await openPage(context, env.server);
    const before = await page.evaluate(async (rpc) => {
      const db = await lib.connect(rpc);
      const storage = db.storage;
      await db.close();
      return storage;
    }, env.server.rpc);
    assert.equal(before, 'memory', 'the probe at connect finds out');
    const r = await connectAndSignup(page, 'undefined');
    assert.equal(r.storage, 'memory');
    assert.equal(warnings(context).length, 2, 'one warning per client (two clients here)');
    assert.match(warnings(context)[0].text, /local storage is unavailable.*QuotaExceededError/);
    await context.close();
  });

  it('a blocked localStorage (SecurityError on access) falls back, no crash', async () => {
    const context = await newContext(env.browser);
    await context.addInitScript(() => {
      Object.defineProperty(window, 'localStorage', {
        get() { throw new DOMException('Access is denied for this document.', 'SecurityError'); },
      });
    });
    const page = await openPage(context, env.server);
    const r = await connectAndSignup(page, '{ storage: "local" }');
    assert.equal(r.storage, 'memory');
    assert.match(r.id, /^user:/);
    assert.equal(warnings(context).length, 1);
    await context.close();
  });
});
