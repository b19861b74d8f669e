// Secrets stay out of what a page prints: the console, String(db),
// JSON.stringify(db), error messages. And a storage that starts throwing
// after a successful sign-in: the session lives on in memory, the page is
// told once (console.warn, db.storage === "memory"), and no older session
// is left behind for a reload to bring back.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DB, NS, PASSWORD, V2, newContext, onEngine, openPage, uniqueEmail, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();

const warnings = (context) => context.logs.filter((l) => l.type === 'warning' && l.text.startsWith('surrealauth:'));

describe(onEngine('secrets in output'), () => {
  it('String(db), JSON.stringify(db), errors and the console never show a token or password', async () => {
    const context = await newContext(env.browser);
    const page = await openPage(context, env.server);
    const r = await page.evaluate(async ({ rpc, NS, DB, email, password, access, v2 }) => {
      const db = await lib.connect(rpc);
      const seen = [];
      db.onAuthStateChange((event, session) => { if (session) seen.push(session.token, session.refreshToken); });
      await db.signup({ NS, DB, AC: access, email, password });
      if (v2) await db.signin({ NS, DB, AC: access, email, password }); // 2.x: no refresh; a second token instead
      else await db.refresh();
      await db.info();
      const errors = [];
      for (const p of [
        db.signin({ NS, DB, AC: access, email, password: password + '!' }),
        db.authenticate(db.session.token.slice(0, -2) + 'xx'),
        db.authenticate(db.session.refreshToken),
        db.signin({ user: 'root', pass: password }),
      ]) {
        const s = await settle(p);
        errors.push(JSON.stringify(s.error));
      }
      // What an app might print.
      console.log(db);
      console.log(String(db));
      console.log(JSON.stringify(db));
      console.log('db is', `${db}`, db.toJSON());
      const secrets = [...seen, db.session.token, db.session.refreshToken, password].filter((s) => s !== null);
      const printed = { string: String(db), json: JSON.stringify(db), tag: Object.prototype.toString.call(db), errors };
      await db.invalidate();
      return { secrets: [...new Set(secrets)], printed, session: db.toJSON().session };
    }, { rpc: env.server.rpc, NS, DB, email: uniqueEmail('secrets'), password: PASSWORD, access: V2 ? 'allusers' : 'refreshing', v2: V2 });
    if (V2) assert.ok(r.secrets.length >= 2, 'the access token(s) and the password');
    else assert.ok(r.secrets.length >= 5, 'tokens of the sign-in and the refresh, and the password');
    const everything = [
      r.printed.string, r.printed.json, ...r.printed.errors,
      ...context.logs.map((l) => l.text),
    ].join('\n');
    for (const s of r.secrets) assert.ok(!everything.includes(s), `a secret was printed: ${s.slice(0, 12)}…`);
    assert.match(r.printed.string, /^SurrealAuthDB\(ws:\/\/.*, connected, signed in as user:/);
    const json = JSON.parse(r.printed.json);
    assert.deepEqual(Object.keys(json.session).sort(), ['access', 'database', 'expiresAt', 'id', 'namespace']);
    assert.equal(json.connectionState, 'connected');
    assert.equal(r.printed.tag, '[object SurrealAuthDB]');
    assert.equal(r.session, null);
    assert.ok(context.logs.some((l) => l.text.includes('SurrealAuthDB')), 'the app\'s own logs did arrive');
    await context.close();
  });
});

describe(onEngine('storage that starts throwing after a sign-in'), () => {
  it(`localStorage over quota on the ${V2 ? 'next sign-in' : 'refresh'}: memory from then on, one warning, no stale session left`, async () => {
    const context = await newContext(env.browser);
    await context.addInitScript(() => {
      window.quotaFull = false;
      const setItem = Storage.prototype.setItem;
      Storage.prototype.setItem = function (k, v) {
        if (window.quotaFull) throw new DOMException('Setting the value exceeded the quota.', 'QuotaExceededError');
        return setItem.call(this, k, v);
      };
    });
    const page = await openPage(context, env.server);
    const r = await page.evaluate(async ({ rpc, NS, DB, email, password, v2 }) => {
      window.db = await lib.connect(rpc);
      const events = track(db);
      await db.signup({ NS, DB, AC: v2 ? 'allusers' : 'refreshing', email, password });
      const before = { storage: db.storage, stored: JSON.parse(localStorage.getItem(db.storageKey)).token === db.session.token };
      window.quotaFull = true;
      // 2.x has no refresh: a new sign-in is the next write of a new token.
      const renew = () => (v2 ? db.signin({ NS, DB, AC: 'allusers', email, password }) : db.refresh());
      const refreshed = await settle(renew());
      const second = await settle(renew());
      await tick();
      return {
        before,
        refreshed: refreshed.ok,
        second: second.ok,
        storage: db.storage,
        stored: localStorage.getItem(db.storageKey),
        info: (await db.info()).id,
        session: !!db.session,
        events: events.map((e) => e[0]),
      };
    }, { rpc: env.server.rpc, NS, DB, email: uniqueEmail('quota'), password: PASSWORD, v2: V2 });
    assert.deepEqual(r.before, { storage: 'local', stored: true });
    assert.equal(r.refreshed, true, 'the refresh itself succeeded');
    assert.equal(r.second, true);
    assert.equal(r.storage, 'memory');
    assert.equal(r.stored, null, 'the older pair was removed: a reload cannot bring back a spent refresh token');
    assert.match(r.info, /^user:/);
    assert.equal(r.session, true);
    // 2.x: each new sign-in is a SIGNED_IN; 3.x: each refresh a TOKEN_REFRESHED.
    assert.deepEqual(r.events, ['INITIAL_SESSION', 'SIGNED_IN', ...Array(2).fill(V2 ? 'SIGNED_IN' : 'TOKEN_REFRESHED')]);
    const w = warnings(context);
    assert.equal(w.length, 1, JSON.stringify(w));
    assert.match(w[0].text, /local storage is unavailable \(QuotaExceededError: .*\); the session is kept in memory and will not survive a reload$/);
    // The page reloads: nothing stored, so signed out, as the warning said.
    await page.reload();
    await page.waitForFunction(() => window.lib !== undefined);
    assert.equal(await page.evaluate(async (rpc) => (await lib.connect(rpc)).session, env.server.rpc), null);
    await context.close();
  });

  it('a custom storage that also cannot remove: the warning says an older session may remain', async () => {
    const context = await newContext(env.browser);
    const page = await openPage(context, env.server);
    const r = await page.evaluate(async ({ rpc, NS, DB, email, password }) => {
      window.box = {
        map: new Map(), broken: false,
        getItem(k) { return this.map.has(k) ? this.map.get(k) : null; },
        setItem(k, v) { if (this.broken) throw new DOMException('The operation is insecure.', 'SecurityError'); this.map.set(k, v); },
        removeItem(k) { if (this.broken) throw new DOMException('The operation is insecure.', 'SecurityError'); this.map.delete(k); },
      };
      const db = await lib.connect(rpc, { storage: box });
      await db.signin({ user: 'root', pass: 'root' });
      box.broken = true;
      await db.signin({ NS, DB, AC: 'allusers', email, password }).catch(() => db.signup({ NS, DB, AC: 'allusers', email, password }));
      const afterSwitch = { storage: db.storage, id: db.session.id, info: (await db.info()).id };
      await db.invalidate();
      return { afterSwitch, session: db.session, storage: db.storage };
    }, { rpc: env.server.rpc, NS, DB, email: uniqueEmail('custom'), password: PASSWORD });
    assert.equal(r.afterSwitch.storage, 'memory');
    assert.match(r.afterSwitch.id, /^user:/);
    assert.equal(r.afterSwitch.info, r.afterSwitch.id);
    assert.equal(r.session, null);
    assert.equal(r.storage, 'memory');
    const w = warnings(context);
    assert.equal(w.length, 1, JSON.stringify(w));
    assert.match(w[0].text, /custom storage is unavailable \(SecurityError: .*\).*; an older session could not be removed from that storage$/);
    assert.deepEqual(context.logs.filter((l) => l.type === 'pageerror' || l.type === 'error'), []);
    await context.close();
  });
});
