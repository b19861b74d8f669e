// The cookie option: the access token and its expiry mirrored into a
// cookie in the format docs/architecture.md#the-cookie fixes (sdk/httpauth
// reads it), written before the call that stored the session resolves,
// rotated on refresh, cleared on sign-out, expiry and another tab's
// sign-out, and never holding the refresh token.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DB, NEEDS_REFRESH, NS, PASSWORD, V2, newContext, onEngine, openPage, uniqueEmail, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();

const creds = (email, SC = 'allusers') => ({ NS, DB, SC, email, password: PASSWORD });

/**
 * A context whose pages log every document.cookie write (window.cookieWrites),
 * set up before any page script.
 */
async function cookieContext() {
  const context = await newContext(env.browser);
  await context.addInitScript(() => {
    window.cookieWrites = [];
    const d = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
    Object.defineProperty(Document.prototype, 'cookie', {
      configurable: true,
      get() { return d.get.call(this); },
      set(v) { window.cookieWrites.push(v); d.set.call(this, v); },
    });
  });
  return context;
}

function connect(page, optionsJS = '{ cookie: true }') {
  return page.evaluate(async ({ rpc, optionsJS }) => {
    // eslint-disable-next-line no-eval
    window.db = await lib.connect(rpc, (0, eval)(`(${optionsJS})`));
    window.events = track(db);
    return { id: db.session && db.session.id };
  }, { rpc: env.server.rpc, optionsJS });
}

/** The page's cookies by name, as the browser holds them. */
async function jar(context, name = 'surrealauth') {
  return (await context.cookies()).find((c) => c.name === name) ?? null;
}

/** The value document.cookie shows for name right now, in the page. */
const pageCookie = (page, name = 'surrealauth') => page.evaluate((name) => {
  const hit = document.cookie.split('; ').find((c) => c.startsWith(name + '='));
  return hit ? hit.slice(name.length + 1) : null;
}, name);

describe(onEngine('the cookie option'), () => {
  it('is written, with the default attributes, before signin resolves; cleared on sign-out', async () => {
    const context = await cookieContext();
    const page = await openPage(context, env.server);
    await connect(page);
    assert.equal(await jar(context), null);
    const email = uniqueEmail('cookie');
    await page.evaluate((c) => db.signup(c), creds(email));
    const r = await page.evaluate(async (c) => {
      const token = await db.signin(c);
      return { token, cookie: document.cookie, exp: db.session.expiresAt };
    }, creds(email));
    assert.ok(r.cookie.includes(`surrealauth=${r.token}`), 'set when signin resolved');
    const c = await jar(context);
    assert.equal(c.value, r.token);
    assert.equal(c.path, '/');
    assert.equal(c.sameSite, 'Lax');
    assert.equal(c.secure, false, 'http page: not Secure by default');
    assert.equal(c.httpOnly, false);
    assert.ok(Math.abs(c.expires * 1000 - r.exp) <= 1000, `expires ${c.expires} vs the token's exp ${r.exp}`);
    const line = (await page.evaluate(() => cookieWrites)).find((l) => l.startsWith(`surrealauth=${r.token}`));
    assert.match(line, /; Expires=\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT; Max-Age=\d+; Path=\/; SameSite=Lax$/);

    await page.evaluate(() => db.invalidate());
    assert.equal(await pageCookie(page), null, 'cleared when invalidate resolved');
    assert.equal(await jar(context), null);
    assert.match((await page.evaluate(() => cookieWrites)).at(-1), /^surrealauth=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=\/; SameSite=Lax$/);
    await context.close();
  });

  it('rotates on refresh and never holds the refresh token', { skip: NEEDS_REFRESH }, async () => {
    const context = await cookieContext();
    const page = await openPage(context, env.server);
    await connect(page);
    const first = await page.evaluate(async (c) => {
      await db.signup(c);
      return { token: db.session.token, refresh: db.session.refreshToken };
    }, creds(uniqueEmail('cookierefresh'), 'refreshing'));
    assert.ok(first.refresh);
    assert.equal((await jar(context)).value, first.token);
    const next = await page.evaluate(() => db.refresh());
    assert.notEqual(next, first.token);
    assert.equal(await pageCookie(page), next, 'the new token when refresh resolved');
    const writes = await page.evaluate(() => cookieWrites);
    const refreshNow = await page.evaluate(() => db.session.refreshToken);
    for (const w of writes) {
      assert.ok(!w.includes(first.refresh) && !w.includes(refreshNow), 'no write holds a refresh token');
    }
    await context.close();
  });

  it('is cleared when the session expires (SESSION_EXPIRED)', async () => {
    const context = await cookieContext();
    const page = await openPage(context, env.server);
    await connect(page, '{ cookie: true, storage: "memory" }');
    const token = await page.evaluate((c) => db.signup(c), creds(uniqueEmail('cookieexp'), 'short'));
    assert.ok((await page.evaluate(() => cookieWrites)).some((w) => w.startsWith(`surrealauth=${token}`)));
    await page.waitForFunction(() => events.some((e) => e[0] === 'SESSION_EXPIRED'), null, { timeout: 20_000 });
    await page.waitForFunction(() => cookieWrites.at(-1).startsWith('surrealauth=;'), null, { timeout: 5000 });
    assert.match((await page.evaluate(() => cookieWrites)).at(-1), /Max-Age=0/);
    await context.close();
  });

  it('follows another tab: its sign-in is written here, its sign-out clears it', async () => {
    const context = await cookieContext();
    const a = await openPage(context, env.server);
    const b = await openPage(context, env.server);
    await connect(a, '{}'); // A has no cookie option: what B writes is B's doing
    await connect(b);
    const token = await a.evaluate((c) => db.signup(c), creds(uniqueEmail('cookietabs')));
    await b.waitForFunction(() => events.some((e) => e[0] === 'SIGNED_IN'), null, { timeout: 15_000 });
    await b.waitForFunction((t) => cookieWrites.some((w) => w.startsWith(`surrealauth=${t}`)), token, { timeout: 5000 });
    assert.equal((await jar(context)).value, token);
    await a.evaluate(() => db.invalidate());
    await b.waitForFunction(() => events.some((e) => e[0] === 'SIGNED_OUT'), null, { timeout: 15_000 });
    await b.waitForFunction(() => cookieWrites.at(-1).startsWith('surrealauth=;'), null, { timeout: 5000 });
    assert.equal(await jar(context), null);
    await context.close();
  });

  it('is written again by a restore at connect, with the attributes asked for', async () => {
    const context = await cookieContext();
    const page = await openPage(context, env.server);
    const opts = '{ cookie: { name: "sid", path: "/", sameSite: "strict", secure: true } }';
    await connect(page, opts);
    const token = await page.evaluate((c) => db.signup(c), creds(uniqueEmail('cookierestore')));
    await context.clearCookies();
    await page.reload();
    await page.waitForFunction(() => window.lib !== undefined);
    await connect(page, opts);
    const line = (await page.evaluate(() => cookieWrites)).find((w) => w.startsWith(`sid=${token}`));
    assert.match(line, /; Path=\/; SameSite=Strict; Secure$/);
    const c = await jar(context, 'sid');
    assert.equal(c?.value, token, 'Chromium keeps a Secure cookie of http://127.0.0.1 (a trustworthy origin)');
    assert.equal(c.sameSite, 'Strict');
    assert.equal(c.secure, true);
    await context.close();
  });

  it('refuses bad shapes with invalid_params before anything loads', async () => {
    const context = await newContext(env.browser);
    const page = await openPage(context, env.server);
    for (const bad of ['"yes"', '1', '[]', '{ name: "a b" }', '{ name: "" }', '{ path: "notes" }', '{ path: "/a;b" }',
      '{ sameSite: "sometimes" }', '{ secure: "yes" }', '{ domain: "a;b" }', '{ expires: 3 }', '{ sameSite: "None", secure: false }']) {
      const r = await page.evaluate(({ rpc, bad }) => settle(lib.connect(rpc, { cookie: (0, eval)(`(${bad})`) })), { rpc: env.server.rpc, bad });
      assert.equal(r.ok, false, bad);
      assert.equal(r.error.code, 'invalid_params', bad);
      assert.match(r.error.message, /cookie/, bad);
    }
    await context.close();
  });
});
