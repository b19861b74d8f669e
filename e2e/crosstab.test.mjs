// Tabs that share one stored session (localStorage, one storage key): a
// sign-in, refresh or sign-out in one is mirrored in the others; refreshes
// run under navigator.locks so two tabs never spend one single-use refresh
// token; per-tab storages do not sync.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DB, NEEDS_REFRESH, NS, PASSWORD, V2, newContext, onEngine, openPage, uniqueEmail, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();

/**
 * A context (one profile: its tabs share localStorage) whose pages count
 * what they send on WebSockets (window.sent) and log every storage event
 * they hear (window.heard: [key, newValue]). Both are set up before any
 * page script, so they see everything the client does.
 */
async function instrumentedContext() {
  const context = await newContext(env.browser);
  await context.addInitScript(() => {
    window.sent = 0;
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (...args) {
      window.sent++;
      return send.apply(this, args);
    };
    window.heard = [];
    addEventListener('storage', (e) => window.heard.push([e.key, e.newValue]));
  });
  return context;
}

/** Opens n pages in the context and connects each. */
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

/**
 * What a tab knows: its session's id and tokens, the events so far, the
 * stored token, how many WebSocket messages it sent, and how many storage
 * events for its own key it heard.
 */
const state = (page) => page.evaluate(() => {
  const stored = localStorage.getItem(db.storageKey);
  return {
    id: db.session && db.session.id,
    token: db.session && db.session.token,
    refresh: db.session && db.session.refreshToken,
    stored: stored && JSON.parse(stored).token,
    events: events.map((e) => e[0]),
    sent: window.sent,
    heardOwnKey: heard.filter(([k]) => k === db.storageKey || k === null).length,
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

/**
 * The positive signal that replaces "wait a while, then check that nothing
 * happened": resolves once tab `to` has heard every localStorage write tab
 * `from` made before the call. `from` writes a marker key; a tab hears
 * another tab's writes in the order they were made, so by the time the
 * marker arrives `to` has handled every earlier write. And since Go runs
 * every goroutine an event handler started until all of them are blocked
 * before it hands control back to JavaScript, a client that acted on such a
 * write has by then also sent its request: `sent` shows it.
 */
async function heardAll(from, to) {
  const mark = `${Date.now()}-${Math.random()}`;
  await from.evaluate((m) => localStorage.setItem('e2e:marker', m), mark);
  await until(() => to.evaluate((m) => heard.some(([k, v]) => k === 'e2e:marker' && v === m), mark), 5000, 'the marker write to arrive');
}

const signup = (page, access, email = uniqueEmail('tabs')) => page.evaluate(
  ({ NS, DB, access, email, password }) => db.signup({ NS, DB, AC: access, email, password }),
  { NS, DB, access, email, password: PASSWORD },
);

/** Two tabs of one profile, signed up in A through access and mirrored by B. */
async function signedInPair(access) {
  const context = await instrumentedContext();
  const [a, b] = await tabs(context, 2);
  const token = await signup(a, access);
  await until(async () => (await state(b)).token === token, 5000, 'tab B to sign in');
  return { context, a, b, token };
}

describe(onEngine('two tabs sharing localStorage'), () => {
  it('a sign-in in tab A appears in tab B as SIGNED_IN', async () => {
    const { context, a, b, token } = await signedInPair(V2 ? 'allusers' : 'refreshing');
    const sb = await state(b);
    assert.equal(sb.token, token);
    assert.deepEqual(sb.events, ['INITIAL_SESSION', 'SIGNED_IN']);
    const ids = await Promise.all([a, b].map((p) => p.evaluate(async () => (await db.info()).id)));
    assert.equal(ids[0], ids[1], 'both tabs act as the same user on the server');
    assert.match(ids[1], /^user:/);
    await context.close();
  });

  if (V2) {
    it('2.x: a refresh in tab A rejects with unsupported; neither tab changes', async () => {
      const { context, a, b } = await signedInPair('allusers');
      const before = await Promise.all([a, b].map(state));
      const r = await a.evaluate(() => settle(db.refresh()));
      assert.equal(r.ok, false);
      assert.equal(r.error.code, 'unsupported');
      const afterA = await state(a);
      assert.equal(afterA.stored, before[0].stored, 'A stored nothing new');
      await heardAll(a, b);
      const later = await Promise.all([a, b].map(state));
      assert.deepEqual(later[1], before[1], 'B heard nothing to act on and sent nothing');
      const { sent: _, ...a0 } = before[0];
      const { sent: __, ...a1 } = later[0];
      assert.deepEqual(a1, a0, 'A is as it was');
      assert.equal(later[1].refresh, null, '2.x sessions have no refresh token');
      await context.close();
    });
  }

  it('a refresh in tab A is adopted by tab B as TOKEN_REFRESHED', { skip: NEEDS_REFRESH }, async () => {
    const { context, a, b } = await signedInPair('refreshing');
    const token = await a.evaluate(() => db.refresh());
    const sb = await until(async () => { const s = await state(b); return s.token === token && s; }, 5000, 'tab B to adopt');
    const sa = await state(a);
    assert.equal(sb.refresh, sa.refresh, 'B holds the new refresh token too');
    assert.equal(sb.events.at(-1), 'TOKEN_REFRESHED');
    assert.equal(sb.events.filter((e) => e === 'TOKEN_REFRESHED').length, 1);
    assert.equal(await b.evaluate(async () => (await db.info()) !== null), true);
    await context.close();
  });

  it('the tabs do not echo each other: B follows A and writes nothing back', async () => {
    const { context, a, b } = await signedInPair(V2 ? 'allusers' : 'refreshing');
    const changes = [async () => {}]; // the sign-in itself, then (3.x) a refresh
    if (!V2) {
      changes.push(async () => {
        const token = await a.evaluate(() => db.refresh());
        await until(async () => (await state(b)).token === token, 5000, 'tab B to adopt');
      });
    }
    for (const change of changes) {
      await change();
      const before = await state(a);
      // An echo is B writing the session back: A would hear it, and act.
      await heardAll(b, a);
      const later = await state(a);
      assert.equal(later.heardOwnKey, 0, 'A heard no write of its key from B');
      assert.deepEqual(later, before, 'A did nothing more');
    }
    await context.close();
  });

  it('two tabs racing a refresh 50 times both stay signed in every time', { skip: NEEDS_REFRESH }, async (t) => {
    const { context, a, b } = await signedInPair('refreshing');
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
    await context.close();
  });

  it('a sign-out in tab A signs tab B out', async () => {
    const { context, a, b } = await signedInPair(V2 ? 'allusers' : 'refreshing');
    await a.evaluate(() => db.invalidate());
    const sb = await until(async () => { const s = await state(b); return s.id === null && s; }, 5000, 'tab B to sign out');
    assert.equal(sb.events.at(-1), 'SIGNED_OUT');
    assert.equal(sb.stored, null);
    assert.equal(await b.evaluate(() => db.info()), null);
    await context.close();
  });

  it('localStorage.clear() in another tab signs out too', async () => {
    const { context, a, b } = await signedInPair('allusers');
    await a.evaluate(() => localStorage.clear());
    await until(async () => (await state(b)).id === null, 5000, 'tab B to sign out');
    // A wrote nothing itself, so it still believes it is signed in: storage events reach other tabs only.
    assert.equal((await state(a)).id !== null, true);
    await context.close();
  });
});

describe(onEngine('renewal in two tabs at once'), () => {
  it('tokens of 2 s renewed by both tabs, 4 times each, long past the first session\'s end, no sign-out', { skip: NEEDS_REFRESH }, async (t) => {
    const context = await instrumentedContext();
    const [a, b] = await tabs(context, 2);
    await signup(a, 'shortrefresh');
    const first = await until(async () => { const s = await b.evaluate(() => db.session); return s && s; }, 5000, 'tab B to sign in');
    const started = Date.now();
    // Counted, not timed: however slow the machine, both tabs must renew 4 times, and a missed
    // renewal shows as SESSION_EXPIRED or SIGNED_OUT, never as a slow count.
    const renewed = (s) => s.events.filter((e) => e === 'TOKEN_REFRESHED').length;
    const [sa, sb] = await until(async () => {
      const both = await Promise.all([a, b].map(state));
      if (both.some((s) => s.events.includes('SESSION_EXPIRED') || s.events.includes('SIGNED_OUT'))) return both;
      return both.every((s) => renewed(s) >= 4) && both;
    }, 60_000, 'both tabs to renew 4 times');
    t.diagnostic(`TOKEN_REFRESHED: A ${renewed(sa)}, B ${renewed(sb)} in ${Date.now() - started} ms`);
    for (const s of [sa, sb]) {
      assert.deepEqual(s.events.filter((e) => e !== 'TOKEN_REFRESHED'), ['INITIAL_SESSION', 'SIGNED_IN'], String(s.events));
    }
    // shortrefresh: token 2 s, session 3 s. Past the first token's session the server session
    // lives only because the pair was renewed.
    await until(() => Date.now() > first.expiresAt + 3000, 10_000, 'the first session to be over');
    await until(async () => { const [x, y] = await Promise.all([a, b].map(state)); return x.token === y.token; }, 5000, 'the tabs to agree');
    const infos = await Promise.all([a, b].map((p) => p.evaluate(async () => (await db.info())?.id)));
    assert.ok(infos.every((id) => /^user:/.test(id)), `both still act as the user: ${infos}`);
    await context.close();
  });
});

describe(onEngine('what does not sync'), () => {
  it('"session" and "memory" stay in their tab', async () => {
    for (const storage of ['session', 'memory']) {
      const context = await instrumentedContext();
      const [a, b] = await tabs(context, 2, { storage, storageKey: 'per-tab' });
      const before = await b.evaluate(() => window.sent);
      await signup(a, 'allusers');
      assert.equal(await a.evaluate(() => localStorage.getItem('per-tab')), null, `${storage}: nothing in localStorage for other tabs to hear`);
      await heardAll(a, b);
      const sb = await b.evaluate(() => ({ session: db.session, events: events.map((e) => e[0]), sent: window.sent }));
      assert.equal(sb.session, null, `${storage}: tab B stays signed out`);
      assert.deepEqual(sb.events, ['INITIAL_SESSION']);
      assert.equal(sb.sent, before, `${storage}: tab B sent nothing`);
      // A tab opened now restores nothing either: connect resolves after its restore.
      const [c] = await tabs(context, 1, { storage, storageKey: 'per-tab' });
      assert.equal(await c.evaluate(() => db.session), null, `${storage}: a new tab starts signed out`);
      await a.evaluate(() => db.invalidate());
      await context.close();
    }
  });

  it('crossTab: true is refused for "session" and "memory"', async () => {
    const context = await instrumentedContext();
    const page = await openPage(context, env.server);
    const codes = await page.evaluate(async (rpc) => Promise.all(['session', 'memory'].map(async (storage) => {
      const r = await settle(lib.connect(rpc, { storage, crossTab: true }));
      return r.error?.code;
    })), env.server.rpc);
    assert.deepEqual(codes, ['invalid_params', 'invalid_params']);
    await context.close();
  });

  it('crossTab: false keeps a localStorage tab to itself', async () => {
    const context = await instrumentedContext();
    const [a] = await tabs(context, 1);
    const [b] = await tabs(context, 1, { crossTab: false });
    const before = await state(b);
    await signup(a, 'allusers');
    await heardAll(a, b);
    const later = await state(b);
    assert.ok(later.heardOwnKey > before.heardOwnKey, 'B heard the write of its key');
    assert.equal(later.id, null, 'and did not follow it');
    assert.equal(later.sent, before.sent, 'nor sent anything');
    assert.deepEqual(later.events, ['INITIAL_SESSION']);
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
    const context = await instrumentedContext();
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
    const context = await instrumentedContext();
    const plain = prefixed.replace(', crossTab: true', '');
    const [a, b] = await tabs(context, 2, plain);
    // What B would hear if A announced its write: the channel crossTab uses.
    await b.evaluate(() => {
      window.announced = [];
      new BroadcastChannel(`surrealauth-sync:${db.storageKey}`).onmessage = (e) => window.announced.push(e.data);
    });
    const before = await b.evaluate(() => window.sent);
    await signup(a, 'allusers');
    await heardAll(a, b); // the custom storage's write to localStorage ('app:' + key) has reached B
    const sb = await b.evaluate(() => ({
      session: db.session, sent: window.sent, announced: window.announced,
      heardAppKey: heard.some(([k]) => k === `app:${db.storageKey}`),
    }));
    assert.equal(sb.heardAppKey, true, "B heard the custom storage's own write");
    assert.deepEqual(sb.announced, [], 'A announced nothing');
    assert.equal(sb.session, null);
    assert.equal(sb.sent, before, 'B sent nothing');
    await context.close();
  });
});

describe(onEngine('without navigator.locks'), () => {
  it('a localStorage lease stands in for the lock: the refresh race, 20 rounds', { skip: NEEDS_REFRESH }, async (t) => {
    const context = await instrumentedContext();
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
