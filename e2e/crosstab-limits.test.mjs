// What other tabs can do to a client's session, and must not: a lease left
// in localStorage that claims to last for ever (browsers without
// navigator.locks), a flood of BroadcastChannel announcements, and a
// sign-out that happened while this tab was offline.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DB, NEEDS_REFRESH, NS, PASSWORD, newContext, onEngine, openPage, uniqueEmail, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();

describe(onEngine('a lease and a channel other tabs abuse'), () => {
  it('without navigator.locks, a stored lease with a far-future expiry does not block refreshes', { skip: NEEDS_REFRESH }, async () => {
    const context = await newContext(env.browser);
    await context.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined, configurable: true });
    });
    const page = await openPage(context, env.server);
    const r = await page.evaluate(async ({ rpc, NS, DB, email, password }) => {
      const db = await lib.connect(rpc);
      await db.signup({ NS, DB, AC: 'refreshing', email, password });
      // Any script on the origin can write this; the client's own leases last 15 s.
      localStorage.setItem(`surrealauth-lease:${db.storageKey}:refresh`, `squatter ${Date.now() + 365 * 24 * 3600 * 1000}`);
      const t0 = Date.now();
      const refreshed = await settle(db.refresh());
      const ms = Date.now() - t0;
      await db.close();
      return { locks: 'locks' in navigator && navigator.locks !== undefined, refreshed: refreshed.ok || refreshed.error.code, ms };
    }, { rpc: env.server.rpc, NS, DB, email: uniqueEmail('lease'), password: PASSWORD });
    assert.equal(r.locks, false, 'the page has no navigator.locks');
    assert.equal(r.refreshed, true);
    assert.ok(r.ms < 5000, `the refresh waited ${r.ms} ms for a lease no tab holds`);
    await context.close();
  });

  it('a flood of BroadcastChannel messages costs one waiter, and the real write is still followed', async (t) => {
    const context = await newContext(env.browser);
    // A custom storage over localStorage that counts its reads: each waiter polls it until the
    // announced write shows (or 2 s pass), so the reads say how many waiters a flood started.
    const storage = `window.reads = 0; window.shared = { getItem: (k) => { reads++; return localStorage.getItem('box:' + k); },
      setItem: (k, v) => localStorage.setItem('box:' + k, v), removeItem: (k) => localStorage.removeItem('box:' + k) }`;
    const [a, b] = [await openPage(context, env.server), await openPage(context, env.server)];
    for (const p of [a, b]) {
      await p.evaluate(async ({ rpc, storage }) => {
        // eslint-disable-next-line no-eval
        (0, eval)(storage);
        window.db = await lib.connect(rpc, { storage: window.shared, storageKey: 'flood', crossTab: true });
        window.events = track(db);
      }, { rpc: env.server.rpc, storage });
    }
    const n = 5000;
    const before = await b.evaluate(() => reads);
    await a.evaluate((n) => {
      const channel = new BroadcastChannel('surrealauth-sync:flood');
      for (let i = 0; i < n; i++) channel.postMessage('changed');
      channel.close();
    }, n);
    await a.evaluate(({ NS, DB, email, password }) => db.signup({ NS, DB, AC: 'allusers', email, password }),
      { NS, DB, email: uniqueEmail('flood'), password: PASSWORD });
    await b.waitForFunction(() => db.session !== null, null, { timeout: 30_000 });
    const r = await b.evaluate((before) => ({ reads: reads - before, events: events.map((e) => e[0]) }), before);
    t.diagnostic(`${n} messages: ${r.reads} reads of the storage`);
    assert.deepEqual(r.events, ['INITIAL_SESSION', 'SIGNED_IN']);
    assert.ok(r.reads < n, `${r.reads} reads for ${n} messages: a waiter per message`);
    await context.close();
  });
});

describe(onEngine('a tab that was offline'), () => {
  it('while another tab signed out does not stay signed in once it reconnects', async () => {
    const context = await newContext(env.browser);
    await context.addInitScript(() => {
      // The test cuts this tab's sockets and keeps new ones from opening, and counts what it sends.
      const Native = WebSocket;
      const open = new Set();
      window.offline = false;
      window.sentAfterOnline = [];
      window.WebSocket = class extends Native {
        constructor(url, protocols) {
          super(window.offline ? 'ws://127.0.0.1:9/offline' : url, protocols);
          open.add(this);
        }
      };
      const send = Native.prototype.send;
      Native.prototype.send = function (data) {
        if (window.online) window.sentAfterOnline.push(new TextDecoder().decode(new Uint8Array(data.buffer ?? data)));
        return send.call(this, data);
      };
      window.goOffline = () => { window.offline = true; for (const s of open) s.close(); open.clear(); };
      window.goOnline = () => { window.offline = false; window.online = true; };
    });
    const [a, b] = [await openPage(context, env.server), await openPage(context, env.server)];
    for (const p of [a, b]) {
      await p.evaluate(async (rpc) => {
        window.db = await lib.connect(rpc, { reconnect: { minDelay: 50, maxDelay: 200 } });
        window.events = track(db);
        window.states = [];
        db.onConnectionChange((s) => states.push(s));
      }, env.server.rpc);
    }
    await a.evaluate(({ NS, DB, email, password }) => db.signup({ NS, DB, AC: 'allusers', email, password }),
      { NS, DB, email: uniqueEmail('offline'), password: PASSWORD });
    await b.waitForFunction(() => db.session !== null, null, { timeout: 10_000 });
    await b.evaluate(() => goOffline());
    await b.waitForFunction(() => states.includes('reconnecting'));
    await a.evaluate(() => db.invalidate());
    await b.waitForFunction(() => localStorage.getItem(db.storageKey) === null);
    await b.evaluate(() => goOnline());
    await b.waitForFunction(() => states.at(-1) === 'connected', null, { timeout: 15_000 });
    await b.waitForFunction(() => events.some((e) => e[0] === 'SIGNED_OUT'), null, { timeout: 10_000 });
    const r = await b.evaluate(async () => ({
      session: db.session, events: events.map((e) => e[0]), info: await db.info(),
      authenticated: sentAfterOnline.some((m) => m.includes('authenticate')),
    }));
    assert.deepEqual(r, { session: null, events: ['INITIAL_SESSION', 'SIGNED_IN', 'SIGNED_OUT'], info: null, authenticated: false });
    await context.close();
  });
});
