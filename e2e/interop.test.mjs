// Interop with the official client (issue 7, item 4): against one dev server and in one page,
// a token issued through surrealdb.js v2 (npm surrealdb, pinned in package.json) is accepted by our
// authenticate, and one issued through ours is accepted by theirs. On SurrealDB 3.x and 2.x
// (surrealdb.js v2 supports servers from 2.1.0), one per run: E2E_ENGINE.
//
// The page (e2e/pages/interop.html) imports their self-contained browser build,
// node_modules/surrealdb/dist/surrealdb.mjs, which the dev server mounts at /vendor/surrealdb.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DB, ENGINE, NS, PAGES_ARGS, PASSWORD, ROOT, launchBrowser, newContext, startServer, uniqueEmail } from './helpers.mjs';

const VENDOR_ARGS = ['--serve', `/vendor/surrealdb=${ROOT}/node_modules/surrealdb/dist`];

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

async function openInterop(context, server) {
  const page = await context.newPage();
  await page.goto(`${server.origin}/interop.html`);
  await page.waitForFunction(() => window.lib !== undefined && window.Surreal !== undefined);
  return page;
}

// One engine per run (E2E_ENGINE); `make test-browser` runs both.
for (const engine of [ENGINE]) {
  describe(`engine=${engine} interop with surrealdb.js v2`, () => {
    let server;
    before(async () => {
      server = await startServer([...PAGES_ARGS, ...VENDOR_ARGS, '--engine', engine]);
    });
    after(async () => {
      await server?.stop();
    });

    /** Runs run(page) in a fresh profile with the interop page, then checks it logged no page errors. */
    async function inPage(run) {
      const context = await newContext(browser);
      try {
        const out = await run(await openInterop(context, server));
        assert.deepEqual(context.logs.filter((l) => l.type === 'pageerror' || l.type === 'error'), [], 'no page errors');
        return out;
      } finally {
        await context.close();
      }
    }

    it('loads both clients in one page; theirs sees the same server', async () => {
      const v = await inPage((page) => page.evaluate(async ({ rpc, NS, DB }) => {
        const theirs = new Surreal();
        await theirs.connect(rpc, { namespace: NS, database: DB });
        const version = (await theirs.version()).version;
        await theirs.close();
        const ours = await lib.connect(rpc, { storage: 'memory' });
        const serverVersion = ours.serverVersion;
        await ours.close();
        return { version, serverVersion };
      }, { rpc: server.rpc, NS, DB }));
      assert.equal(v.version, server.engine);
      assert.equal(v.serverVersion, server.engine);
      assert.ok(v.version.startsWith(`surrealdb-${engine}.`));
    });

    for (const how of ['signup', 'signin']) {
      it(`a token from their ${how} is accepted by our authenticate; info() is their auth() record`, async () => {
        const email = uniqueEmail(`theirs-${how}`);
        const r = await inPage((page) => page.evaluate(async ({ rpc, NS, DB, email, password, how }) => {
          const theirs = new Surreal();
          await theirs.connect(rpc, { namespace: NS, database: DB });
          const creds = { namespace: NS, database: DB, access: 'allusers', variables: { email, password } };
          let tokens = await theirs.signup(creds);
          if (how === 'signin') tokens = await theirs.signin(creds);
          const rec = await theirs.auth();
          const db = await lib.connect(rpc, { storage: 'memory' });
          const events = track(db);
          await db.authenticate(tokens.access);
          const info = await db.info();
          const session = plain(db.session);
          await tick();
          await db.close();
          await theirs.close();
          return {
            tokens: { access: typeof tokens.access, refresh: tokens.refresh ?? null },
            token: tokens.access,
            theirs: { id: rec.id.toString(), email: rec.email, created: rec.created.toDate().getTime() },
            info,
            session,
            events,
          };
        }, { rpc: server.rpc, NS, DB, email, password: PASSWORD, how }));
        assert.deepEqual(r.tokens, { access: 'string', refresh: null });
        assert.equal(r.theirs.email, email);
        assert.equal(r.info.id, r.theirs.id, 'the same record');
        assert.equal(r.info.email, email);
        assert.equal(Date.parse(r.info.created), r.theirs.created, 'the same created datetime (to the ms)');
        assert.equal(r.info.pass, undefined, 'the hash is not selectable');
        assert.equal(r.session.token, r.token);
        assert.equal(r.session.id, r.theirs.id);
        assert.equal(r.session.access, 'allusers');
        assert.equal(r.session.namespace, NS);
        assert.equal(r.session.database, DB);
        assert.ok(r.session.expiresAt > Date.now(), 'expiry read from their token');
        assert.deepEqual(r.events.map(([e]) => e), ['INITIAL_SESSION', 'SIGNED_IN']);
      });
    }

    for (const how of ['signup', 'signin']) {
      it(`a token from our ${how} is accepted by their authenticate; auth() and $auth are our record`, async () => {
        const email = uniqueEmail(`ours-${how}`);
        const r = await inPage((page) => page.evaluate(async ({ rpc, NS, DB, email, password, how }) => {
          const db = await lib.connect(rpc, { storage: 'memory' });
          let token = await db.signup({ NS, DB, SC: 'allusers', email, password });
          if (how === 'signin') token = await db.signin({ NS, DB, AC: 'allusers', email, password });
          const ours = await db.info();
          const theirs = new Surreal();
          await theirs.connect(rpc); // no namespace: their authenticate must take it from the token
          await theirs.authenticate(token);
          const rec = await theirs.auth();
          const [auth, access, ns, dbName] = await theirs
            .query('RETURN $auth; RETURN $access; RETURN session::ns(); RETURN session::db()').collect();
          // Their session is independent of ours: signing ours out leaves theirs signed in.
          await db.invalidate();
          const stillTheirs = (await theirs.auth())?.id.toString() ?? null;
          await theirs.close();
          await db.close();
          return {
            ours,
            theirs: rec && { id: rec.id.toString(), email: rec.email },
            auth: String(auth),
            access,
            ns,
            db: dbName,
            stillTheirs,
          };
        }, { rpc: server.rpc, NS, DB, email, password: PASSWORD, how }));
        assert.equal(r.ours.email, email);
        assert.deepEqual(r.theirs, { id: r.ours.id, email });
        assert.equal(r.auth, r.ours.id);
        assert.equal(r.access, 'allusers');
        assert.equal(r.ns, NS);
        assert.equal(r.db, DB);
        assert.equal(r.stillTheirs, r.ours.id);
      });
    }

    it('both refuse a token the other refuses (a forged signature)', async () => {
      const email = uniqueEmail('forged');
      const r = await inPage((page) => page.evaluate(async ({ rpc, NS, DB, email, password }) => {
        const db = await lib.connect(rpc, { storage: 'memory' });
        const token = await db.signup({ NS, DB, AC: 'allusers', email, password });
        const [h, p, sig] = token.split('.');
        const forged = `${h}.${p}.${sig.slice(0, -4)}${sig.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
        await db.invalidate();
        const oursRefused = await settle(db.authenticate(forged));
        const theirs = new Surreal();
        await theirs.connect(rpc);
        let theirsRefused;
        try {
          await theirs.authenticate(forged);
          theirsRefused = { ok: true };
        } catch (e) {
          theirsRefused = { ok: false, name: e.name };
        }
        await theirs.close();
        await db.close();
        return { oursRefused, theirsRefused };
      }, { rpc: server.rpc, NS, DB, email, password: PASSWORD }));
      assert.equal(r.oursRefused.ok, false);
      assert.ok(['token_invalid', 'invalid_credentials'].includes(r.oursRefused.error.code), r.oursRefused.error.code);
      assert.equal(r.theirsRefused.ok, false);
    });
  });
}
