// Issue 13, item 3: db.attach keeps the official surrealdb.js v2 client
// (npm surrealdb, its browser build mounted at /vendor/surrealdb as in
// interop.test.mjs) signed in as ours: the note table's PERMISSIONS apply
// to theirs as our user; a refresh rotates their token; a sign-out makes
// theirs a guest; a reload restores both. A failing attached client is
// reported and changes nothing of ours; calls to it keep event order.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DB, NEEDS_REFRESH, NS, PAGES_ARGS, PASSWORD, ROOT, newContext, onEngine, uniqueEmail, useServerAndBrowser } from './helpers.mjs';

const VENDOR_ARGS = ['--serve', `/vendor/surrealdb=${ROOT}/node_modules/surrealdb/dist`];

/** Page helpers: theirs connected, its authenticate calls recorded; $auth as theirs sees it. */
function pageHelpers() {
  window.theirClient = async (rpc, NS, DB) => {
    const theirs = new Surreal();
    await theirs.connect(rpc, { namespace: NS, database: DB });
    theirs.tokens = [];
    const authenticate = theirs.authenticate.bind(theirs);
    theirs.authenticate = (token) => { theirs.tokens.push(token); return authenticate(token); };
    return theirs;
  };
  window.theirAuth = async (theirs) => {
    const [auth] = await theirs.query('RETURN $auth').collect();
    return auth === undefined || auth === null ? null : String(auth);
  };
  /** Polls until theirs sees want as $auth (attach applies events a microtask or a round trip later). */
  window.theirAuthBecomes = async (theirs, want) => {
    for (let i = 0; i < 100; i++) {
      if ((await theirAuth(theirs)) === want) return want;
      await tick(20);
    }
    return theirAuth(theirs);
  };
}

describe(onEngine('db.attach with surrealdb.js v2'), () => {
  const env = useServerAndBrowser(VENDOR_ARGS);

  async function openInterop(context) {
    const page = await context.newPage();
    await page.goto(`${env.server.origin}/interop.html`);
    await page.waitForFunction(() => window.lib !== undefined && window.Surreal !== undefined);
    await page.evaluate(pageHelpers);
    return page;
  }

  async function inPage(fn, arg) {
    const context = await newContext(env.browser);
    try {
      const page = await openInterop(context);
      const out = await page.evaluate(fn, { rpc: env.server.rpc, NS, DB, password: PASSWORD, ...arg });
      assert.deepEqual(context.logs.filter((l) => l.type === 'pageerror' || l.type === 'error'), []);
      return out;
    } finally {
      await context.close();
    }
  }

  it("signs theirs in as ours at once: their query sees only our user's notes; sign-out makes theirs a guest", async () => {
    const r = await inPage(async ({ rpc, NS, DB, password, a, b }) => {
      const other = await lib.connect(rpc, { storage: 'memory' });
      await other.signup({ NS, DB, AC: 'allusers', email: b, password });
      await other.query('CREATE note SET text = "b\'s"');
      const db = await lib.connect(rpc, { storage: 'memory' });
      await db.signup({ NS, DB, AC: 'allusers', email: a, password });
      await db.query('CREATE note SET text = "a\'s"');
      const theirs = await theirClient(rpc, NS, DB);
      const errors = [];
      const detach = db.attach(theirs, { onError: (e, event) => errors.push([event, String(e)]) });
      const me = db.session.id;
      const asOurs = await theirAuthBecomes(theirs, me);
      const [notes] = await theirs.query('SELECT VALUE text FROM note').collect();
      await db.invalidate();
      const afterSignOut = await theirAuthBecomes(theirs, null);
      await db.signin({ NS, DB, AC: 'allusers', email: a, password });
      const afterSignIn = await theirAuthBecomes(theirs, me);
      detach();
      await db.invalidate();
      await tick(100);
      const afterDetach = await theirAuth(theirs);
      await theirs.close();
      await db.close();
      await other.close();
      return { me, asOurs, notes, afterSignOut, afterSignIn, afterDetach, errors, tokens: theirs.tokens.length };
    }, { a: uniqueEmail('attach-a'), b: uniqueEmail('attach-b') });
    assert.equal(r.asOurs, r.me);
    assert.deepEqual(r.notes, ["a's"], "theirs sees only our user's note under PERMISSIONS");
    assert.equal(r.afterSignOut, null, 'SIGNED_OUT: theirs is a guest ($auth NONE)');
    assert.equal(r.afterSignIn, r.me, 'SIGNED_IN: theirs follows');
    assert.equal(r.afterDetach, r.me, 'detached: theirs keeps what it had');
    assert.equal(r.tokens, 2, 'authenticate at attach and at the second sign-in');
    assert.deepEqual(r.errors, []);
  });

  it('a refresh (WITH REFRESH) rotates their token too', { skip: NEEDS_REFRESH }, async () => {
    const r = await inPage(async ({ rpc, NS, DB, password, email }) => {
      const db = await lib.connect(rpc, { storage: 'memory' });
      await db.signup({ NS, DB, AC: 'refreshing', email, password });
      const theirs = await theirClient(rpc, NS, DB);
      db.attach(theirs);
      await theirAuthBecomes(theirs, db.session.id);
      const first = db.session.token;
      const events = track(db);
      await db.refresh();
      const second = db.session.token;
      for (let i = 0; i < 100 && theirs.tokens.length < 2; i++) await tick(20);
      const [auth] = await theirs.query('RETURN $auth').collect();
      const out = { rotated: first !== second, tokens: theirs.tokens, first, second, auth: String(auth), me: db.session.id, events };
      await theirs.close();
      await db.close();
      return out;
    }, { email: uniqueEmail('attach-refresh') });
    assert.equal(r.rotated, true);
    assert.deepEqual(r.tokens, [r.first, r.second], 'TOKEN_REFRESHED hands theirs the new access token');
    assert.equal(r.auth, r.me);
    assert.deepEqual(r.events.map(([e]) => e), ['INITIAL_SESSION', 'TOKEN_REFRESHED']);
  });

  it('a reload restores both: ours from storage, theirs attached to the restored session', async () => {
    const context = await newContext(env.browser);
    try {
      const page = await openInterop(context);
      const attachOnLoad = async ({ rpc, NS, DB }) => {
        window.db = await lib.connect(rpc, { storage: 'local' });
        window.theirs = await theirClient(rpc, NS, DB);
        db.attach(theirs);
        return { id: db.session && db.session.id, theirs: await theirAuthBecomes(theirs, db.session && db.session.id) };
      };
      const args = { rpc: env.server.rpc, NS, DB };
      await page.evaluate(attachOnLoad, args);
      const me = await page.evaluate(async ({ NS, DB, email, password }) => {
        await db.signup({ NS, DB, AC: 'allusers', email, password });
        return db.session.id;
      }, { NS, DB, email: uniqueEmail('attach-reload'), password: PASSWORD });
      await page.reload();
      await page.waitForFunction(() => window.lib !== undefined && window.Surreal !== undefined);
      await page.evaluate(pageHelpers);
      const after = await page.evaluate(attachOnLoad, args);
      assert.deepEqual(after, { id: me, theirs: me });
    } finally {
      await context.close();
    }
  });

  it('a throwing attached client is reported through onError; ours is unchanged and the next event still applies', async () => {
    const r = await inPage(async ({ rpc, NS, DB, password, email }) => {
      const db = await lib.connect(rpc, { storage: 'memory' });
      await db.signup({ NS, DB, AC: 'allusers', email, password });
      const token = db.session.token;
      const reported = [];
      let invalidated = 0;
      const broken = {
        authenticate() { throw new Error('their authenticate broke'); }, // a sync throw
        async invalidate() { invalidated++; },
      };
      const rejecting = { authenticate: async () => { throw new TypeError('their socket is gone'); }, invalidate: async () => {} };
      db.attach(broken, { onError: (e, event) => reported.push(['broken', event, e.message]) });
      db.attach(rejecting, { onError: (e, event) => reported.push(['rejecting', event, e.message]) });
      const badShapes = [null, {}, { authenticate() {} }].map((c) => { try { db.attach(c); return 'attached'; } catch (e) { return e.code; } });
      const badOptions = (() => { try { db.attach(broken, { onError: 1 }); return 'attached'; } catch (e) { return e.code; } })();
      await tick(50);
      const still = { same: db.session && db.session.token === token, info: (await db.info()).email };
      await db.invalidate();
      await tick(50);
      await db.close();
      return { reported, still, invalidated, badShapes, badOptions };
    }, { email: uniqueEmail('attach-broken') });
    assert.deepEqual(r.reported, [
      ['broken', 'INITIAL_SESSION', 'their authenticate broke'],
      ['rejecting', 'INITIAL_SESSION', 'their socket is gone'],
    ]);
    assert.deepEqual(r.still, { same: true, info: r.still.info });
    assert.match(r.still.info, /^attach-broken/);
    assert.equal(r.invalidated, 1, 'SIGNED_OUT still reached the broken client');
    assert.deepEqual(r.badShapes, ['invalid_params', 'invalid_params', 'invalid_params']);
    assert.equal(r.badOptions, 'invalid_params');
  });

  it('calls to the attached client are made one at a time, in event order', async () => {
    const r = await inPage(async ({ rpc, NS, DB, password, email }) => {
      const db = await lib.connect(rpc, { storage: 'memory' });
      const log = [];
      let inFlight = 0;
      let overlap = false;
      // Slow and uneven: invalidate is slower than authenticate, so without
      // a queue the authenticate after it would finish first.
      const step = (name, ms) => async (token) => {
        if (++inFlight > 1) overlap = true;
        log.push(`${name} start`);
        await tick(ms);
        log.push(`${name} end${token ? ' ' + token.slice(-6) : ''}`);
        inFlight--;
      };
      db.attach({ authenticate: step('authenticate', 10), invalidate: step('invalidate', 60) });
      await db.signup({ NS, DB, AC: 'allusers', email, password });
      const t1 = db.session.token;
      await db.invalidate();
      await db.signin({ NS, DB, AC: 'allusers', email, password });
      const t2 = db.session.token;
      for (let i = 0; i < 100 && log.length < 8; i++) await tick(20);
      await db.close();
      return { log, overlap, t1: t1.slice(-6), t2: t2.slice(-6) };
    }, { email: uniqueEmail('attach-order') });
    assert.equal(r.overlap, false);
    assert.deepEqual(r.log, [
      'invalidate start', 'invalidate end', // INITIAL_SESSION, signed out
      'authenticate start', `authenticate end ${r.t1}`, // SIGNED_IN
      'invalidate start', 'invalidate end', // SIGNED_OUT
      'authenticate start', `authenticate end ${r.t2}`, // SIGNED_IN again
    ]);
  });
});
