// Tabs that share one stored session (localStorage, one storage key): a
// sign-in, refresh or sign-out in one is mirrored in the others; refreshes
// run under navigator.locks so two tabs never spend one single-use refresh
// token; per-tab storages do not sync.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DB, NEEDS_REFRESH, NS, PASSWORD, V2, newContext, onEngine, openPage, uniqueEmail, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();

/** Opens n pages in one context (one profile: they share localStorage) and connects each. */
async function tabs(context, n, options = {}) {
  const pages = [];
  for (let i = 0; i < n; i++) {
    const page = await openPage(context, env.server);
    await page.evaluate(async ({ rpc, options }) => {
      // eslint-disable-next-line no-eval
      const opts = typeof options === 'string' ? (0, eval)(`(${options})`) : options;
      window.db = await lib.connect(rpc, opts);
      window.events = track(db);
    }, { rpc: env.server.rpc, options });
    pages.push(page);
  }
  return pages;
}

/** What a tab knows: its session's id and token, the events so far, the stored token. */
const state = (page) => page.evaluate(() => {
  const stored = localStorage.getItem(db.storageKey);
  return {
    id: db.session && db.session.id,
    token: db.session && db.session.token,
    refresh: db.session && db.session.refreshToken,
    stored: stored && JSON.parse(stored).token,
    events: events.map((e) => e[0]),
  };
});

/** Polls fn until it returns a truthy value, or fails after ms. */
async function until(fn, ms = 5000, what = 'the condition') {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - start > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const signup = (page, access, email = uniqueEmail('tabs')) => page.evaluate(
  ({ NS, DB, access, email, password }) => db.signup({ NS, DB, AC: access, email, password }),
  { NS, DB, access, email, password: PASSWORD },
);

describe(onEngine('two tabs sharing localStorage'), () => {
  let context;
  let a;
  let b;

  before(async () => {
    context = await newContext(env.browser);
    [a, b] = await tabs(context, 2);
  });
  after(() => context?.close());

  it('a sign-in in tab A appears in tab B as SIGNED_IN', async () => {
    const token = await signup(a, V2 ? 'allusers' : 'refreshing');
    const sb = await until(async () => { const s = await state(b); return s.token === token && s; }, 5000, 'tab B to sign in');
    assert.deepEqual(sb.events, ['INITIAL_SESSION', 'SIGNED_IN']);
    const ids = await Promise.all([a, b].map((p) => p.evaluate(async () => (await db.info()).id)));
    assert.equal(ids[0], ids[1], 'both tabs act as the same user on the server');
    assert.match(ids[1], /^user:/);
  });

  if (V2) {
    it('2.x: a refresh in tab A rejects with unsupported; neither tab changes', async () => {
      const before = await Promise.all([a, b].map(state));
      const r = await a.evaluate(() => settle(db.refresh()));
      assert.equal(r.ok, false);
      assert.equal(r.error.code, 'unsupported');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const later = await Promise.all([a, b].map(state));
      assert.deepEqual(later, before);
      assert.equal(later[1].refresh, null, '2.x sessions have no refresh token');
    });
  }

  it('a refresh in tab A is adopted by tab B as TOKEN_REFRESHED', { skip: NEEDS_REFRESH }, async () => {
    const token = await a.evaluate(() => db.refresh());
    const sb = await until(async () => { const s = await state(b); return s.token === token && s; }, 5000, 'tab B to adopt');
    const sa = await state(a);
    assert.equal(sb.refresh, sa.refresh, 'B holds the new refresh token too');
    assert.equal(sb.events.at(-1), 'TOKEN_REFRESHED');
    assert.equal(sb.events.filter((e) => e === 'TOKEN_REFRESHED').length, 1);
    assert.equal(await b.evaluate(async () => (await db.info()) !== null), true);
  });

  it('the tabs do not echo each other: the events stop', async () => {
    const before = await Promise.all([a, b].map(state));
    await new Promise((r) => setTimeout(r, 500));
    const later = await Promise.all([a, b].map(state));
    assert.deepEqual(later.map((s) => s.events), before.map((s) => s.events));
  });

  it('two tabs racing a refresh 50 times both stay signed in every time', { skip: NEEDS_REFRESH }, async (t) => {
    const rounds = 50;
    await Promise.all([a, b].map((p) => p.evaluate(() => {
      window.race = new BroadcastChannel('race');
      window.race.onmessage = () => { window.raced = settle(db.refresh()); };
    })));
    let failures = 0;
    const problems = [];
    const started = Date.now();
    for (let i = 0; i < rounds; i++) {
      // A tells B to go, then goes itself: both refreshes leave within a millisecond or so.
      const ra = await a.evaluate(() => { race.postMessage('go'); return settle(db.refresh()); });
      const rb = await b.evaluate(async () => { await (async () => { while (!window.raced) await tick(1); })(); const r = await window.raced; window.raced = null; return r; });
      let ok = ra.ok && rb.ok;
      let why = ok ? '' : `refresh rejected: A ${ra.error?.code ?? 'ok'}, B ${rb.error?.code ?? 'ok'}`;
      if (ok) {
        try {
          await until(async () => {
            const [sa, sb] = await Promise.all([a, b].map(state));
            return sa.token && sa.token === sb.token && sa.token === sa.stored;
          }, 3000, 'the tabs to agree');
          const infos = await Promise.all([a, b].map((p) => p.evaluate(() => settle(db.info()))));
          ok = infos.every((r) => r.ok && r.value && /^user:/.test(r.value.id));
          if (!ok) why = `info: ${JSON.stringify(infos.map((r) => r.error?.code ?? 'null'))}`;
        } catch (err) {
          ok = false;
          why = err.message;
        }
      }
      if (!ok) {
        failures++;
        problems.push(`round ${i}: ${why}`);
      }
    }
    const events = await Promise.all([a, b].map(state));
    t.diagnostic(`refresh race: ${rounds} rounds in ${Date.now() - started} ms, ${failures} failures`);
    t.diagnostic(`events A: ${events[0].events.filter((e) => e === 'TOKEN_REFRESHED').length} TOKEN_REFRESHED; B: ${events[1].events.filter((e) => e === 'TOKEN_REFRESHED').length}`);
    assert.equal(failures, 0, problems.join('\n'));
    for (const s of events) {
      assert.ok(!s.events.includes('SIGNED_OUT') && !s.events.includes('SESSION_EXPIRED'), `no sign-out: ${s.events}`);
    }
  });

  it('a sign-out in tab A signs tab B out', async () => {
    await a.evaluate(() => db.invalidate());
    const sb = await until(async () => { const s = await state(b); return s.id === null && s; }, 5000, 'tab B to sign out');
    assert.equal(sb.events.at(-1), 'SIGNED_OUT');
    assert.equal(sb.stored, null);
    assert.equal(await b.evaluate(() => db.info()), null);
  });

  it('localStorage.clear() in another tab signs out too', async () => {
    const token = await signup(a, 'allusers');
    await until(async () => (await state(b)).token === token, 5000, 'tab B to sign in');
    await a.evaluate(() => localStorage.clear());
    await until(async () => (await state(b)).id === null, 5000, 'tab B to sign out');
    // A wrote nothing itself, so it still believes it is signed in: storage events reach other tabs only.
    assert.equal((await state(a)).id !== null, true);
  });
});

describe(onEngine('renewal in two tabs at once'), () => {
  it('tokens of 2 s renewed by both tabs for 7 s: one refresh per round, no sign-out', { skip: NEEDS_REFRESH }, async (t) => {
    const context = await newContext(env.browser);
    const [a, b] = await tabs(context, 2);
    await signup(a, 'shortrefresh');
    await until(async () => (await state(b)).token !== null, 5000, 'tab B to sign in');
    await new Promise((r) => setTimeout(r, 7000));
    const [sa, sb] = await Promise.all([a, b].map(state));
    const refreshed = [sa, sb].map((s) => s.events.filter((e) => e === 'TOKEN_REFRESHED').length);
    t.diagnostic(`TOKEN_REFRESHED in 7 s: A ${refreshed[0]}, B ${refreshed[1]}`);
    for (const s of [sa, sb]) {
      assert.deepEqual(s.events.filter((e) => e !== 'TOKEN_REFRESHED').slice(0, 2), ['INITIAL_SESSION', 'SIGNED_IN']);
      assert.ok(!s.events.includes('SESSION_EXPIRED') && !s.events.includes('SIGNED_OUT'), String(s.events));
    }
    assert.ok(refreshed[0] >= 4 && refreshed[1] >= 4, `both renewed every ~1.3 s: ${refreshed}`);
    assert.equal(sa.token, sb.token);
    const infos = await Promise.all([a, b].map((p) => p.evaluate(async () => (await db.info())?.id)));
    assert.ok(infos.every((id) => /^user:/.test(id)), `both still act as the user: ${infos}`);
    await context.close();
  });
});

describe(onEngine('what does not sync'), () => {
  it('"session" and "memory" stay in their tab', async () => {
    for (const storage of ['session', 'memory']) {
      const context = await newContext(env.browser);
      const [a, b] = await tabs(context, 2, { storage, storageKey: 'per-tab' });
      await signup(a, 'allusers');
      await new Promise((r) => setTimeout(r, 300));
      const sb = await b.evaluate(() => ({ session: db.session, events: events.map((e) => e[0]) }));
      assert.equal(sb.session, null, `${storage}: tab B stays signed out`);
      assert.deepEqual(sb.events, ['INITIAL_SESSION']);
      await a.evaluate(() => db.invalidate());
      await context.close();
    }
  });

  it('crossTab: true is refused for "session" and "memory"', async () => {
    const context = await newContext(env.browser);
    const page = await openPage(context, env.server);
    const codes = await page.evaluate(async (rpc) => Promise.all(['session', 'memory'].map(async (storage) => {
      const r = await settle(lib.connect(rpc, { storage, crossTab: true }));
      return r.error?.code;
    })), env.server.rpc);
    assert.deepEqual(codes, ['invalid_params', 'invalid_params']);
    await context.close();
  });

  it('crossTab: false keeps a localStorage tab to itself', async () => {
    const context = await newContext(env.browser);
    const [a] = await tabs(context, 1);
    const [b] = await tabs(context, 1, { crossTab: false });
    await signup(a, 'allusers');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await state(b)).id, null);
    await context.close();
  });
});

describe(onEngine('a custom storage shared by tabs'), () => {
  // A wrapper over localStorage with its own prefix: the storage event names
  // the prefixed key, so only crossTab's BroadcastChannel can tell the tabs.
  const prefixed = `{ storage: {
    getItem: (k) => localStorage.getItem('app:' + k),
    setItem: (k, v) => localStorage.setItem('app:' + k, v),
    removeItem: (k) => localStorage.removeItem('app:' + k),
  }, crossTab: true }`;

  it(`syncs sign-in, ${V2 ? '' : 'refresh '}and sign-out with crossTab: true`, async () => {
    const context = await newContext(env.browser);
    const [a, b] = await tabs(context, 2, prefixed);
    const token = await signup(a, V2 ? 'allusers' : 'refreshing');
    const idOf = (p) => p.evaluate(() => db.session && db.session.token);
    await until(async () => (await idOf(b)) === token, 5000, 'tab B to sign in');
    if (!V2) { // 2.x: no refresh to sync
      const next = await a.evaluate(() => db.refresh());
      await until(async () => (await idOf(b)) === next, 5000, 'tab B to adopt the refresh');
    }
    await a.evaluate(() => db.invalidate());
    await until(async () => (await idOf(b)) === null, 5000, 'tab B to sign out');
    const events = await b.evaluate(() => events.map((e) => e[0]));
    assert.deepEqual(events, ['INITIAL_SESSION', 'SIGNED_IN', ...(V2 ? [] : ['TOKEN_REFRESHED']), 'SIGNED_OUT']);
    await context.close();
  });

  it('does not sync without crossTab', async () => {
    const context = await newContext(env.browser);
    const plain = prefixed.replace(', crossTab: true', '');
    const [a, b] = await tabs(context, 2, plain);
    await signup(a, 'allusers');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await b.evaluate(() => db.session), null);
    await context.close();
  });
});

describe(onEngine('without navigator.locks'), () => {
  it('a localStorage lease stands in for the lock: the refresh race, 20 rounds', { skip: NEEDS_REFRESH }, async (t) => {
    const context = await newContext(env.browser);
    await context.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined });
    });
    const [a, b] = await tabs(context, 2);
    assert.equal(await a.evaluate(() => navigator.locks), undefined);
    await signup(a, 'refreshing');
    await until(async () => (await state(b)).token !== null, 5000, 'tab B to sign in');
    await Promise.all([a, b].map((p) => p.evaluate(() => {
      window.race = new BroadcastChannel('race');
      window.race.onmessage = () => { window.raced = settle(db.refresh()); };
    })));
    const rounds = 20;
    let failures = 0;
    for (let i = 0; i < rounds; i++) {
      const ra = await a.evaluate(() => { race.postMessage('go'); return settle(db.refresh()); });
      const rb = await b.evaluate(async () => { while (!window.raced) await tick(1); const r = await window.raced; window.raced = null; return r; });
      const settled = await until(async () => {
        const [sa, sb] = await Promise.all([a, b].map(state));
        return (sa.id === null || sb.id === null || (sa.token === sb.token && sa.token === sa.stored)) && [sa, sb];
      }, 3000, 'the tabs to settle').catch(() => null);
      if (!ra.ok || !rb.ok || !settled || settled.some((s) => s.id === null)) {
        failures++;
        if (settled?.some((s) => s.id === null)) break; // signed out: nothing left to race
      }
    }
    t.diagnostic(`refresh race with the lease fallback: ${rounds} rounds, ${failures} failures`);
    assert.equal(failures, 0);
    const leftovers = await a.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('surrealauth-lease:')));
    assert.deepEqual(leftovers, [], 'every lease is released');
    await context.close();
  });
});
