// The dev server goes away and comes back: the page reconnects with backoff
// and signs the same identity in again on its own. With `--data` the
// restarted server knows the user and its signing keys, so the old token is
// accepted; without it, the token is refused and the session ends as
// SESSION_EXPIRED. With reconnect off the client stays closed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DB, NS, PAGES_ARGS, PASSWORD, launchBrowser, newContext, onEngine, openPage, startServer, uniqueEmail } from './helpers.mjs';

let browser;
const dirs = [];

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const portOf = (server) => new URL(server.rpc).port;

/** Connects a page to server, records connection states and auth events with times, signs up. */
async function signedInPage(server, options = {}) {
  const context = await newContext(browser);
  const page = await openPage(context, server);
  await page.evaluate(async ({ rpc, options, NS, DB, email, password }) => {
    window.db = await lib.connect(rpc, options);
    window.states = [];
    window.auth = [];
    db.onConnectionChange((state) => states.push({ state, at: Date.now() }));
    db.onAuthStateChange((event, session) => auth.push({ event, id: session && session.id }));
    await db.signup({ NS, DB, AC: 'allusers', email, password });
  }, { rpc: server.rpc, options, NS, DB, email: uniqueEmail('restart'), password: PASSWORD });
  return { context, page };
}

/** Resolves once the page has seen state (after index from). */
const waitForState = (page, state, from = 0, timeout = 15_000) => page.waitForFunction(
  ({ state, from }) => states.slice(from).some((s) => s.state === state),
  { state, from },
  { timeout, polling: 10 },
);

describe(onEngine('a dev server restarted with --data'), () => {
  it('the page is signed in again soon after the server returns, with no user action', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'surrealauth-e2e-'));
    dirs.push(dir);
    const args = [...PAGES_ARGS, '--data', dir];
    let server = await startServer(args);
    const port = portOf(server);
    const { context, page } = await signedInPage(server);
    const before = await page.evaluate(() => ({ session: plain(db.session), info: null }));
    const times = [];
    try {
      for (let round = 0; round < 3; round++) {
        const from = await page.evaluate(() => states.length);
        await server.stop();
        await waitForState(page, 'reconnecting', from);
        // A call made during the outage waits for the reconnect (reconnect.wait, 10 s).
        await page.evaluate(() => { window.pending = settle(db.info()); });
        await sleep(1500); // long enough for the backoff to reach its 1 s ceiling
        server = await startServer([...args, '--port', port]);
        const back = Date.now();
        await waitForState(page, 'connected', from);
        const r = await page.evaluate(async () => ({
          connectedAt: states.at(-1).at,
          session: plain(db.session),
          pending: await pending,
          info: await settle(db.info()),
        }));
        const ms = r.connectedAt - back;
        times.push(ms);
        assert.ok(ms < 2000, `round ${round}: signed in again ${ms} ms after the server was back`);
        assert.equal(r.session.token, before.session.token, 'the same token, accepted again');
        assert.equal(r.pending.ok, true, `the call made during the outage: ${JSON.stringify(r.pending.error)}`);
        assert.equal(r.pending.value.id, before.session.id);
        assert.equal(r.info.ok, true);
        assert.equal(r.info.value.id, before.session.id);
      }
      t.diagnostic(`server ready → page reconnected and re-authenticated: ${times.map((ms) => `${ms} ms`).join(', ')}`);
      const r = await page.evaluate(() => ({ states: states.map((s) => s.state), auth: auth.map((a) => a.event) }));
      assert.deepEqual(r.states, ['reconnecting', 'connected', 'reconnecting', 'connected', 'reconnecting', 'connected']);
      assert.deepEqual(r.auth, ['INITIAL_SESSION', 'SIGNED_IN'], 'no sign-out, no expiry, no second sign-in event');
    } finally {
      await context.close();
      await server.stop();
    }
  });
});

describe(onEngine('a dev server restarted without --data'), () => {
  it('refuses the old token: SESSION_EXPIRED, storage cleared, still connected', async () => {
    let server = await startServer(PAGES_ARGS);
    const port = portOf(server);
    const { context, page } = await signedInPage(server);
    try {
      await server.stop();
      await waitForState(page, 'reconnecting');
      server = await startServer([...PAGES_ARGS, '--port', port]);
      await waitForState(page, 'connected');
      await page.waitForFunction(() => auth.some((a) => a.event === 'SESSION_EXPIRED'), null, { timeout: 5000 });
      const r = await page.evaluate(() => ({ session: db.session, stored: localStorage.getItem(db.storageKey), auth: auth.map((a) => a.event), state: db.connectionState }));
      assert.deepEqual(r, { session: null, stored: null, auth: ['INITIAL_SESSION', 'SIGNED_IN', 'SESSION_EXPIRED'], state: 'connected' });
    } finally {
      await context.close();
      await server.stop();
    }
  });
});

describe(onEngine('reconnect: false'), () => {
  it('goes "closed" when the socket dies; calls reject with connection_closed', async () => {
    const server = await startServer(PAGES_ARGS);
    const { context, page } = await signedInPage(server, { reconnect: false });
    try {
      await server.stop();
      await waitForState(page, 'closed');
      const r = await page.evaluate(async () => ({
        state: db.connectionState,
        connected: db.connected,
        states: states.map((s) => s.state),
        info: (await settle(db.info())).error?.code,
        signin: (await settle(db.signin({ user: 'root', pass: 'root' }))).error?.code,
      }));
      assert.deepEqual(r, { state: 'closed', connected: false, states: ['closed'], info: 'connection_closed', signin: 'connection_closed' });
    } finally {
      await context.close();
    }
  });
});
