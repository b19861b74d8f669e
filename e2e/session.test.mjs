// The session's life in the browser: signup with the seed-000 shape, what is
// stored and where, restore on reload, sign-out, refusals, tampering, events.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DB, NS, PASSWORD, V2, newContext, onEngine, openPage, uniqueEmail, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();

/** Every value in both Web Storages, for "no password stored" checks. */
const dumpStorage = () => {
  const all = {};
  for (const [name, s] of [['local', localStorage], ['session', sessionStorage]]) {
    for (let i = 0; i < s.length; i++) all[`${name}:${s.key(i)}`] = s.getItem(s.key(i));
  }
  return all;
};

/** Reloads and connects again, as an app does on every page load. */
async function reloadAndConnect(page, options = {}) {
  await page.reload();
  await page.waitForFunction(() => window.lib !== undefined);
  return page.evaluate(async ({ rpc, options }) => {
    window.db = await lib.connect(rpc, options);
    window.events = track(db);
    await tick();
    return { session: plain(db.session), events: window.events.slice(), storage: db.storage };
  }, { rpc: env.server.rpc, options });
}

/**
 * A fresh profile whose page connected (window.db, window.events) and
 * signed up a new record user with the seed-000 shape. Each test that needs
 * a signed-in page makes its own.
 */
async function signedUpPage() {
  const email = uniqueEmail('life');
  const context = await newContext(env.browser);
  const page = await openPage(context, env.server);
  const r = await page.evaluate(async ({ rpc, NS, DB, email, password }) => {
    window.db = await lib.connect(rpc);
    window.events = track(db);
    const token = await db.signup({ NS, DB, SC: 'allusers', email, password });
    await tick();
    return { token, session: plain(db.session), key: db.storageKey, storage: db.storage, events };
  }, { rpc: env.server.rpc, NS, DB, email, password: PASSWORD });
  return { context, page, email, userId: r.session.id, signup: r };
}

describe(onEngine('a record user in localStorage'), () => {
  it('signs up with {NS, DB, SC, email, password} and resolves to the access token', async () => {
    const { context, signup: r } = await signedUpPage();
    assert.match(r.token, /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/);
    assert.equal(r.session.token, r.token);
    assert.equal(r.session.namespace, NS);
    assert.equal(r.session.database, DB);
    assert.equal(r.session.access, 'allusers');
    assert.equal(r.session.refreshToken, null);
    assert.match(r.session.id, /^user:/);
    assert.ok(r.session.expiresAt > Date.now() + 3500_000, 'allusers tokens last an hour');
    assert.ok(r.session.expiresIn > 3500 && r.session.expiresIn <= 3600);
    assert.equal(r.key, `surrealauth:${env.server.rpc}`);
    assert.equal(r.storage, 'local');
    assert.deepEqual(r.events, [['INITIAL_SESSION', null], ['SIGNED_IN', r.session.id]]);
    await context.close();
  });

  it('keeps the token in localStorage under the key, and never the password', async () => {
    const { context, page } = await signedUpPage();
    const all = await page.evaluate(dumpStorage);
    const key = `local:surrealauth:${env.server.rpc}`;
    assert.ok(all[key], `localStorage has ${key}`);
    const rec = JSON.parse(all[key]);
    assert.equal(rec.v, 1);
    assert.match(rec.token, /^eyJ/);
    assert.equal(rec.ns, NS);
    assert.equal(rec.db, DB);
    assert.equal(rec.ac, 'allusers');
    assert.equal(typeof rec.exp, 'number');
    for (const [k, v] of Object.entries(all)) {
      assert.ok(!v.includes(PASSWORD), `${k} holds the password`);
    }
    assert.deepEqual(Object.keys(all), [key], 'nothing else is stored (the probe is removed)');
    await context.close();
  });

  it('restores the session on reload; info() returns the record', async () => {
    const { context, page, email, userId } = await signedUpPage();
    const r = await reloadAndConnect(page);
    assert.equal(r.session?.id, userId);
    assert.deepEqual(r.events, [['INITIAL_SESSION', userId]], 'INITIAL_SESSION once, with the restored session');
    const info = await page.evaluate(() => db.info());
    assert.equal(info.id, userId);
    assert.match(info.id, /^user:/);
    assert.equal(info.email, email);
    assert.equal(typeof info.created, 'string', 'datetimes are strings');
    assert.ok(!Number.isNaN(Date.parse(info.created)), 'in RFC 3339');
    assert.ok(!('pass' in info), 'the hash is not selectable');
    await context.close();
  });

  it('invalidate clears storage and fires SIGNED_OUT', async () => {
    const { context, page } = await signedUpPage();
    const r = await page.evaluate(async () => {
      const before = localStorage.getItem(db.storageKey) !== null;
      await db.invalidate();
      await tick();
      return { before, after: localStorage.getItem(db.storageKey), session: db.session, events, info: await db.info() };
    });
    assert.equal(r.before, true);
    assert.equal(r.after, null);
    assert.equal(r.session, null);
    assert.equal(r.info, null);
    assert.deepEqual(r.events.at(-1), ['SIGNED_OUT', null]);
    const again = await reloadAndConnect(page);
    assert.equal(again.session, null, 'a reload after sign-out stays signed out');
    assert.deepEqual(again.events, [['INITIAL_SESSION', null]]);
    await context.close();
  });

  it('a wrong password rejects with invalid_credentials and stores nothing', async () => {
    const { context, email } = await signedUpPage(); // the user exists: only the password is wrong
    await context.close();
    const fresh = await newContext(env.browser);
    const p = await openPage(fresh, env.server);
    const r = await p.evaluate(async ({ rpc, NS, DB, email }) => {
      const db = await lib.connect(rpc);
      const events = track(db);
      const res = await settle(db.signin({ NS, DB, SC: 'allusers', email, password: 'wrong password' }));
      await tick();
      return { res, session: db.session, stored: localStorage.getItem(db.storageKey), length: localStorage.length, events };
    }, { rpc: env.server.rpc, NS, DB, email });
    assert.equal(r.res.ok, false);
    assert.equal(r.res.error.name, 'SurrealAuthError');
    assert.equal(r.res.error.code, 'invalid_credentials');
    assert.equal(r.res.error.isAuthError, true);
    assert.equal(typeof r.res.error.message, 'string');
    assert.equal(typeof r.res.error.serverCode, 'number');
    if (V2) assert.equal(r.res.error.serverCode, -32000, '2.x: {code, message} errors, -32000 for an auth failure');
    assert.equal(r.session, null);
    assert.equal(r.stored, null);
    assert.equal(r.length, 0);
    assert.deepEqual(r.events, [['INITIAL_SESSION', null]]);
    await fresh.close();
  });

  it('a failed sign-in keeps the identity that was signed in', async () => {
    const { context, page, email } = await signedUpPage();
    const r = await page.evaluate(async ({ NS, DB, email, password }) => {
      await db.signin({ NS, DB, SC: 'allusers', email, password });
      const id = db.session.id;
      const res = await settle(db.signin({ NS, DB, SC: 'allusers', email, password: 'wrong' }));
      return { id, code: res.error?.code, after: db.session?.id, stored: JSON.parse(localStorage.getItem(db.storageKey)).token === db.session.token };
    }, { NS, DB, email, password: PASSWORD });
    assert.equal(r.code, 'invalid_credentials');
    assert.equal(r.after, r.id);
    assert.equal(r.stored, true);
    await context.close();
  });
});

describe(onEngine('restore refuses what it cannot trust'), () => {
  it('removes a tampered token', async () => {
    const context = await newContext(env.browser);
    const page = await openPage(context, env.server);
    await page.evaluate(async ({ rpc, NS, DB, email, password }) => {
      const db = await lib.connect(rpc);
      await db.signup({ NS, DB, SC: 'allusers', email, password });
      const rec = JSON.parse(localStorage.getItem(db.storageKey));
      const [h, p, sig] = rec.token.split('.');
      rec.token = [h, p, (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1)].join('.');
      localStorage.setItem(db.storageKey, JSON.stringify(rec));
      await db.close();
    }, { rpc: env.server.rpc, NS, DB, email: uniqueEmail('tamper'), password: PASSWORD });
    const r = await reloadAndConnect(page);
    assert.equal(r.session, null);
    assert.deepEqual(r.events, [['INITIAL_SESSION', null]]);
    assert.equal(await page.evaluate(() => localStorage.getItem(db.storageKey)), null, 'the tampered record is gone');
    await context.close();
  });

  it('removes a corrupt entry', async () => {
    const context = await newContext(env.browser);
    const page = await openPage(context, env.server);
    await page.evaluate((rpc) => localStorage.setItem(`surrealauth:${rpc}`, '{"v":1,"token":'), env.server.rpc);
    const r = await reloadAndConnect(page);
    assert.equal(r.session, null);
    assert.equal(await page.evaluate(() => localStorage.getItem(db.storageKey)), null);
    await context.close();
  });
});

describe(onEngine('auth state listeners'), () => {
  it('get INITIAL_SESSION once each, run after the change, and may call back into db', async () => {
    const context = await newContext(env.browser);
    const page = await openPage(context, env.server);
    const r = await page.evaluate(async ({ rpc, NS, DB, email, password }) => {
      const db = await lib.connect(rpc);
      const a = [];
      const b = [];
      let synchronous = true;
      db.onAuthStateChange((event, session) => a.push({ event, synchronous, id: session && session.id, current: db.session && db.session.id }));
      const offB = db.onAuthStateChange(async (event) => {
        b.push(event);
        if (event === 'SIGNED_IN') b.push((await db.info()).id); // re-entrant: must not deadlock
      });
      synchronous = false;
      const token = await db.signup({ NS, DB, SC: 'allusers', email, password });
      const deadline = Date.now() + 10_000;
      while (b.length < 3 && Date.now() < deadline) await tick(10); // B's re-entrant info() came back
      offB();
      await db.invalidate();
      await tick();
      return { a, b, token };
    }, { rpc: env.server.rpc, NS, DB, email: uniqueEmail('events'), password: PASSWORD });
    assert.deepEqual(r.a.map((e) => e.event), ['INITIAL_SESSION', 'SIGNED_IN', 'SIGNED_OUT']);
    assert.ok(r.a.every((e) => !e.synchronous), 'no listener ran inside onAuthStateChange');
    const signedIn = r.a[1];
    assert.equal(signedIn.current, signedIn.id, 'db.session already shows the change when the listener runs');
    assert.equal(r.b[0], 'INITIAL_SESSION');
    assert.equal(r.b[1], 'SIGNED_IN');
    assert.match(r.b[2], /^user:/);
    assert.equal(r.b.length, 3, 'unsubscribed listeners hear nothing more');
    await context.close();
  });
});

describe(onEngine('other identities'), () => {
  it('signs in as root: no record, no namespace', async () => {
    const context = await newContext(env.browser);
    const page = await openPage(context, env.server);
    const r = await page.evaluate(async (rpc) => {
      const db = await lib.connect(rpc);
      await db.signin({ user: 'root', pass: 'root' });
      return { session: db.session, info: await db.info() };
    }, env.server.rpc);
    assert.equal(r.session.id, 'root');
    assert.equal(r.session.namespace, null);
    assert.equal(r.session.access, null);
    assert.equal(r.info, null);
    await context.close();
  });

  if (V2) {
    it('2.x: a sign-in resolves to the access token only; refresh() rejects with unsupported and changes nothing', async () => {
      const context = await newContext(env.browser);
      const page = await openPage(context, env.server);
      const r = await page.evaluate(async ({ rpc, NS, DB, email, password }) => {
        const db = await lib.connect(rpc, { namespace: NS, database: DB });
        const events = track(db);
        await db.signup({ access: 'allusers', variables: { email, password } });
        const token = await db.signin({ access: 'allusers', variables: { email, password } });
        await tick();
        const before = plain(db.session);
        const stored = localStorage.getItem(db.storageKey);
        const seen = events.length;
        const refresh = await settle(db.refresh());
        await tick();
        return {
          token, before, after: plain(db.session), stored: JSON.parse(stored),
          storedSame: localStorage.getItem(db.storageKey) === stored,
          refresh, newEvents: events.slice(seen), info: (await db.info()).id,
        };
      }, { rpc: env.server.rpc, NS, DB, email: uniqueEmail('refresh'), password: PASSWORD });
      assert.equal(typeof r.token, 'string', 'a string, not {access, refresh}');
      assert.match(r.token, /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/);
      assert.equal(r.before.token, r.token);
      assert.equal(r.before.refreshToken, null);
      assert.ok(!r.stored.refresh, 'no refresh token stored');
      assert.equal(r.refresh.ok, false);
      assert.equal(r.refresh.error.name, 'SurrealAuthError');
      assert.equal(r.refresh.error.code, 'unsupported', '2.x has no refresh method');
      assert.deepEqual([r.after.token, r.after.refreshToken, r.after.id, r.after.expiresAt],
        [r.before.token, null, r.before.id, r.before.expiresAt], 'the session is untouched');
      assert.equal(r.storedSame, true);
      assert.deepEqual(r.newEvents, []);
      assert.equal(r.info, r.before.id, 'still signed in on the server');
      await context.close();
    });
  } else {
    it('refreshes a WITH REFRESH session and stores the new pair', async () => {
      const context = await newContext(env.browser);
      const page = await openPage(context, env.server);
      const r = await page.evaluate(async ({ rpc, NS, DB, email, password }) => {
        const db = await lib.connect(rpc, { namespace: NS, database: DB });
        const events = track(db);
        const first = await db.signup({ access: 'refreshing', variables: { email, password } });
        const before = plain(db.session);
        const second = await db.refresh();
        await tick();
        const stored = JSON.parse(localStorage.getItem(db.storageKey));
        return { first, second, before, after: plain(db.session), stored, events };
      }, { rpc: env.server.rpc, NS, DB, email: uniqueEmail('refresh'), password: PASSWORD });
      assert.match(r.before.refreshToken, /^surreal-refresh-/);
      assert.notEqual(r.second, r.first);
      assert.equal(r.after.token, r.second);
      assert.notEqual(r.after.refreshToken, r.before.refreshToken);
      assert.equal(r.stored.token, r.second);
      assert.equal(r.stored.refresh, r.after.refreshToken);
      assert.deepEqual(r.events.map((e) => e[0]), ['INITIAL_SESSION', 'SIGNED_IN', 'TOKEN_REFRESHED']);
      await context.close();
    });
  }
});
