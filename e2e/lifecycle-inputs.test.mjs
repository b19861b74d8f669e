// Wrong input through the JS API, table-driven: every wrong credentials
// shape, every wrong token, bad connect options, calls after close, calls
// racing invalidate. Each case must reject with its typed code, leave the
// signed-in session exactly as it was (here and on the server), fire no
// event and write nothing to storage.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DB, NS, PAGES_ARGS, PASSWORD, V2, launchBrowser, newContext, onEngine, openPage, startServer, uniqueEmail } from './helpers.mjs';

let server;
let other; // another server: its tokens mean nothing to the first
let browser;
/** Tokens the tables need: one from another server, one that has expired. Data, not tabs. */
let fixtures;
/** The signed-in session the cases must leave alone: 2.x has no WITH REFRESH access. */
const SIGNUP_ACCESS = V2 ? 'allusers' : 'refreshing';

before(async () => {
  [server, other] = await Promise.all([startServer(PAGES_ARGS), startServer(PAGES_ARGS)]);
  browser = await launchBrowser();
  const context = await newContext(browser);
  fixtures = {
    foreign: await signupToken(context, other.rpc, 'allusers'),
    expired: await signupToken(context, server.rpc, 'short'),
  };
  await context.close();
  await new Promise((r) => setTimeout(r, 2100)); // the `short` token is now past its exp
});

after(async () => {
  await browser?.close();
  await Promise.all([server?.stop(), other?.stop()]);
});

/**
 * A fresh profile whose page counts every write to Web Storage, whoever
 * makes it (window.storageWrites), has the fixtures, and is signed up
 * (window.db, window.events). Each test makes its own.
 */
async function signedInPage() {
  const context = await newContext(browser);
  await context.addInitScript(() => {
    window.storageWrites = 0;
    for (const name of ['setItem', 'removeItem', 'clear']) {
      const real = Storage.prototype[name];
      Storage.prototype[name] = function (...args) {
        window.storageWrites++;
        return real.apply(this, args);
      };
    }
  });
  const page = await openPage(context, server);
  const id = await page.evaluate(async ({ rpc, NS, DB, email, password, fixtures, access }) => {
    window.fixtures = fixtures;
    window.db = await lib.connect(rpc); // no default namespace or database: "missing" cases are real
    window.events = track(db);
    await db.signup({ NS, DB, AC: access, email, password });
    return (await db.info()).id;
  }, { rpc: server.rpc, NS, DB, email: uniqueEmail('inputs'), password: PASSWORD, fixtures, access: SIGNUP_ACCESS });
  return { context, page, id };
}

/**
 * Signs up on rpc in a throwaway page (memory storage) and returns the access token. The page
 * comes from the server whose /rpc it opens: the dev server refuses sockets from other origins.
 */
async function signupToken(context, rpc, access) {
  const p = await openPage(context, rpc === other.rpc ? other : server);
  const token = await p.evaluate(async ({ rpc, NS, DB, access, email, password }) => {
    const db = await lib.connect(rpc, { storage: 'memory' });
    const token = await db.signup({ NS, DB, AC: access, email, password });
    await db.close();
    return token;
  }, { rpc, NS, DB, access, email: uniqueEmail('fixture'), password: PASSWORD });
  await p.close();
  return token;
}

const creds = { NS, DB, email: 'someone@example.com', password: PASSWORD };
const big = (n) => `'x'.repeat(${n})`;

/**
 * [name, JS expression (db, fixtures, jwt() in scope), expected code].
 * Expressions are strings: most of these values cannot cross from Node.
 */
const CREDENTIALS = [
  // not an object
  ['signin()', 'db.signin()', 'invalid_params'],
  ['signin(null)', 'db.signin(null)', 'invalid_params'],
  ['signin("root")', 'db.signin("root")', 'invalid_params'],
  ['signin(42)', 'db.signin(42)', 'invalid_params'],
  ['signin([])', 'db.signin([])', 'invalid_params'],
  ['signin(["root", "root"])', 'db.signin(["root", "root"])', 'invalid_params'],
  ['signin(function)', 'db.signin(() => ({ user: "root", pass: "root" }))', 'invalid_params'],
  ['signin({})', 'db.signin({})', 'invalid_params'],
  // system users: user and pass
  ['user missing', 'db.signin({ pass: "root" })', 'invalid_params'],
  ['pass missing', 'db.signin({ user: "root" })', 'invalid_params'],
  ['user empty', 'db.signin({ user: "", pass: "root" })', 'invalid_params'],
  ['pass empty', 'db.signin({ user: "root", pass: "" })', 'invalid_params'],
  ['user a number', 'db.signin({ user: 42, pass: "root" })', 'invalid_params'],
  ['user null', 'db.signin({ user: null, pass: "root" })', 'invalid_params'],
  ['user an array', 'db.signin({ user: ["root"], pass: "root" })', 'invalid_params'],
  ['pass an object', 'db.signin({ user: "root", pass: { toString: () => "root" } })', 'invalid_params'],
  ['pass a boolean', 'db.signin({ user: "root", pass: true })', 'invalid_params'],
  ['user and username disagree', 'db.signin({ user: "root", username: "admin", pass: "root" })', 'invalid_params'],
  ['pass and password disagree', 'db.signin({ user: "root", pass: "root", password: "other" })', 'invalid_params'],
  ['system user with record variables', 'db.signin({ user: "root", pass: "root", email: "a@b.c" })', 'invalid_params'],
  ['system user with a key', 'db.signin({ user: "root", pass: "root", key: "surreal-bearer-x" })', 'invalid_params'],
  // namespace and database
  ['NS empty', 'db.signin({ NS: "", user: "nsuser", pass: "nspass" })', 'invalid_params'],
  ['NS a number', 'db.signin({ NS: 1, user: "nsuser", pass: "nspass" })', 'invalid_params'],
  ['NS null', 'db.signin({ NS: null, DB: "demo", user: "dbuser", pass: "dbpass" })', 'invalid_params'],
  ['NS an object', 'db.signin({ NS: { name: "surrealauth" }, user: "nsuser", pass: "nspass" })', 'invalid_params'],
  ['DB empty', `db.signin({ NS: "${NS}", DB: "", user: "dbuser", pass: "dbpass" })`, 'invalid_params'],
  ['DB a number', `db.signin({ NS: "${NS}", DB: 7, user: "dbuser", pass: "dbpass" })`, 'invalid_params'],
  ['DB without NS', 'db.signin({ DB: "demo", user: "dbuser", pass: "dbpass" })', 'missing_namespace'],
  ['NS and ns disagree', `db.signin({ NS: "${NS}", ns: "other", user: "nsuser", pass: "nspass" })`, 'invalid_params'],
  ['namespace and NS disagree', `db.signin({ namespace: "${NS}", NS: "x", user: "nsuser", pass: "nspass" })`, 'invalid_params'],
  ['DB and database disagree', `db.signin({ NS: "${NS}", DB: "demo", database: "x", user: "dbuser", pass: "dbpass" })`, 'invalid_params'],
  // record access
  ['SC without NS or DB (no defaults)', 'db.signin({ SC: "allusers", email: "a@b.c", password: "x" })', 'missing_namespace'],
  ['AC without DB', `db.signin({ NS: "${NS}", AC: "allusers", email: "a@b.c", password: "x" })`, 'missing_database'],
  ['AC with DB but no NS', 'db.signin({ DB: "demo", AC: "allusers", email: "a@b.c", password: "x" })', 'missing_namespace'],
  ['SC empty', `db.signin({ ...creds, SC: "" })`, 'invalid_params'],
  ['AC a number', `db.signin({ ...creds, AC: 1 })`, 'invalid_params'],
  ['AC null', `db.signin({ ...creds, AC: null, user: "x", pass: "y" })`, 'invalid_params'],
  ['scope and SC disagree', `db.signin({ ...creds, SC: "allusers", scope: "other" })`, 'invalid_params'],
  ['SC and AC disagree', `db.signin({ ...creds, SC: "allusers", AC: "refreshing" })`, 'invalid_params'],
  ['access and ac disagree', `db.signin({ ...creds, access: "allusers", ac: "x" })`, 'invalid_params'],
  ['key and refresh together', `db.signin({ NS: "${NS}", DB: "demo", AC: "allusers", key: "a", refresh: "b" })`, 'invalid_params'],
  ['variables a string', `db.signin({ ...creds, AC: "allusers", variables: "email=a" })`, 'invalid_params'],
  ['variables an array', `db.signin({ ...creds, AC: "allusers", variables: ["a"] })`, 'invalid_params'],
  ['variables naming NS', `db.signin({ ...creds, AC: "allusers", variables: { NS: "x" } })`, 'invalid_params'],
  ['variable given twice, differently', `db.signin({ ...creds, AC: "allusers", variables: { email: "other@b.c" } })`, 'invalid_params'],
  // keys that are ours but for the case
  ['typo Ns', 'db.signin({ Ns: "surrealauth", user: "nsuser", pass: "nspass" })', 'invalid_params'],
  ['typo nS', 'db.signin({ nS: "surrealauth", user: "nsuser", pass: "nspass" })', 'invalid_params'],
  ['typo Db', `db.signin({ NS: "${NS}", Db: "demo", user: "dbuser", pass: "dbpass" })`, 'invalid_params'],
  ['typo USER', 'db.signin({ USER: "root", pass: "root" })', 'invalid_params'],
  ['typo Pass', 'db.signin({ user: "root", Pass: "root" })', 'invalid_params'],
  ['typo Sc', `db.signin({ ...creds, Sc: "allusers" })`, 'invalid_params'],
  ['typo Access', `db.signin({ ...creds, Access: "allusers" })`, 'invalid_params'],
  ['typo Scope', `db.signin({ ...creds, Scope: "allusers" })`, 'invalid_params'],
  ['typo Variables', `db.signin({ ...creds, AC: "allusers", Variables: {} })`, 'invalid_params'],
  // huge strings (the limit is 64 KiB per value)
  ['user of 70 kB', `db.signin({ user: ${big(70_000)}, pass: "root" })`, 'invalid_params'],
  ['pass of 10 MB', `db.signin({ user: "root", pass: ${big(10_000_000)} })`, 'invalid_params'],
  ['NS of 1 MB', `db.signin({ NS: ${big(1_000_000)}, user: "nsuser", pass: "nspass" })`, 'invalid_params'],
  ['email variable of 1 MB', `db.signin({ ...creds, AC: "allusers", email: ${big(1_000_000)} })`, 'invalid_params'],
  ['a 1 MB string deep in a variable', `db.signin({ ...creds, AC: "allusers", extra: { a: [{ b: ${big(1_000_000)} }] } })`, 'invalid_params'],
  // nested junk
  ['a variable nested 40 deep', `db.signin({ ...creds, AC: "allusers", extra: Array.from({ length: 40 }).reduce((v) => ({ v }), 1) })`, 'invalid_params'],
  ['a cyclic variable', `db.signin({ ...creds, AC: "allusers", extra: (() => { const o = {}; o.self = o; return o; })() })`, 'invalid_params'],
  ['a BigInt variable', `db.signin({ ...creds, AC: "allusers", extra: 10n })`, 'invalid_params'],
  ['a Symbol variable', `db.signin({ ...creds, AC: "allusers", extra: Symbol("x") })`, 'invalid_params'],
  ['a function variable', `db.signin({ ...creds, AC: "allusers", extra: () => 1 })`, 'invalid_params'],
  ['a getter that throws', `db.signin({ ...creds, AC: "allusers", get extra() { throw new Error("boom"); } })`, 'invalid_params'],
  ['a Proxy whose keys throw', `db.signin(new Proxy({}, { ownKeys() { throw new Error("boom"); } }))`, 'invalid_params'],
  ['an invalid Date', `db.signin({ ...creds, AC: "allusers", extra: new Date(NaN) })`, 'invalid_params'],
  // signup: record access only
  ['signup as a system user', 'db.signup({ user: "root", pass: "root" })', 'invalid_params'],
  ['signup without DB', `db.signup({ NS: "${NS}", AC: "allusers", email: "a@b.c", password: "x" })`, 'missing_database'],
  ['signup with a key', `db.signup({ NS: "${NS}", DB: "demo", AC: "allusers", key: "surreal-bearer-x" })`, 'invalid_params'],
  ['signup(null)', 'db.signup(null)', 'invalid_params'],
];

/** Every wrong token. jwt(header, payload, signature) builds one. */
const TOKENS = [
  ['authenticate()', 'db.authenticate()', 'invalid_params'],
  ['a number', 'db.authenticate(42)', 'invalid_params'],
  ['null', 'db.authenticate(null)', 'invalid_params'],
  ['an object', 'db.authenticate({ token: fixtures.foreign })', 'invalid_params'],
  ['a String object', 'db.authenticate(new String("a.b.c"))', 'invalid_params'],
  ['empty', 'db.authenticate("")', 'token_invalid'],
  ['not a JWT', 'db.authenticate("not a token")', 'token_invalid'],
  ['two parts', 'db.authenticate("eyJhbGciOiJIUzUxMiJ9.eyJleHAiOjF9")', 'token_invalid'],
  ['four parts', 'db.authenticate(fixtures.foreign + ".x")', 'token_invalid'],
  ['bad base64url in the payload', 'db.authenticate("eyJhbGciOiJIUzUxMiJ9.@@@.abc")', 'token_invalid'],
  ['standard base64 (+ and /) in the payload', `db.authenticate(jwt({ alg: "HS512", typ: "JWT" }, null, "x").replace(/\\.[^.]*\\./, ".e+/=."))`, 'token_invalid'],
  ['a payload that is not JSON', `db.authenticate("eyJhbGciOiJIUzUxMiJ9." + btoa("not json").replace(/=+$/, "") + ".abc")`, 'token_invalid'],
  ['exp not a number', `db.authenticate(jwt({ alg: "HS512", typ: "JWT" }, { exp: "tomorrow", ID: "user:x" }))`, 'token_invalid'],
  ['no exp (forged)', `db.authenticate(jwt({ alg: "HS512", typ: "JWT" }, { iss: "SurrealDB", NS: "${NS}", DB: "${DB}", AC: "allusers", ID: "user:x" }))`, 'token_invalid'],
  ['not yet valid (nbf in an hour)', `db.authenticate(jwt({ alg: "HS512", typ: "JWT" }, { iss: "SurrealDB", nbf: now() + 3600, exp: now() + 7200, NS: "${NS}", DB: "${DB}", AC: "allusers", ID: "user:x" }))`, 'token_invalid'],
  ['alg none', `db.authenticate(jwt({ alg: "none", typ: "JWT" }, { iss: "SurrealDB", exp: now() + 3600, NS: "${NS}", DB: "${DB}", AC: "allusers", ID: "user:x" }, ""))`, 'token_invalid'],
  ['expired (a real token of the short access)', 'db.authenticate(fixtures.expired)', 'token_expired'],
  ['tampered signature', 'db.authenticate(tamper(fixtures.foreign, 2))', 'token_invalid'],
  ['tampered payload (another record id)', 'db.authenticate(retarget(db.session.token))', 'token_invalid'],
  ['another server\'s token', 'db.authenticate(fixtures.foreign)', 'token_invalid'],
  // 2.x: there is no refresh token (null, which 'null' above covers).
  ...(V2 ? [] : [['the refresh token as an access token', 'db.authenticate(db.session.refreshToken)', 'token_invalid']]),
  ['a 10 MB string', `db.authenticate(${big(10_000_000)})`, 'token_invalid'],
];

/** Connect options that are wrong. These reject before a client exists. */
const OPTIONS = [
  ['url a number', 'lib.connect(42)', 'invalid_params'],
  ['options a string', 'lib.connect(rpc, "local")', 'invalid_params'],
  ['storage unknown', 'lib.connect(rpc, { storage: "cookies" })', 'invalid_params'],
  ['storage without removeItem', 'lib.connect(rpc, { storage: { getItem() {}, setItem() {} } })', 'invalid_params'],
  ['storageKey empty', 'lib.connect(rpc, { storageKey: "" })', 'invalid_params'],
  ['namespace a number', 'lib.connect(rpc, { namespace: 5 })', 'invalid_params'],
  ['renewMargin negative', 'lib.connect(rpc, { renewMargin: -1 })', 'invalid_params'],
  ['renewMargin a string', 'lib.connect(rpc, { renewMargin: "60" })', 'invalid_params'],
  ['renewMargin NaN', 'lib.connect(rpc, { renewMargin: NaN })', 'invalid_params'],
  ['renewMargin Infinity', 'lib.connect(rpc, { renewMargin: Infinity })', 'invalid_params'],
  ['reconnect a string', 'lib.connect(rpc, { reconnect: "yes" })', 'invalid_params'],
  ['reconnect.enabled a string', 'lib.connect(rpc, { reconnect: { enabled: "no" } })', 'invalid_params'],
  ['reconnect misspelt key', 'lib.connect(rpc, { reconnect: { minDelayMs: 100 } })', 'invalid_params'],
  ['reconnect.minDelay 0', 'lib.connect(rpc, { reconnect: { minDelay: 0 } })', 'invalid_params'],
  ['reconnect.wait negative', 'lib.connect(rpc, { reconnect: { wait: -5 } })', 'invalid_params'],
  ['reconnect.minDelay > maxDelay', 'lib.connect(rpc, { reconnect: { minDelay: 500, maxDelay: 100 } })', 'invalid_params'],
  ['crossTab a string', 'lib.connect(rpc, { crossTab: "yes" })', 'invalid_params'],
  ['crossTab with sessionStorage', 'lib.connect(rpc, { storage: "session", crossTab: true })', 'invalid_params'],
];

/** Runs the cases in the page and reports, for each, what settled and what changed. */
function runCases(page, cases) {
  return page.evaluate(async ({ cases, rpc }) => {
    const b64 = (o) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    const scope = {
      db, lib, rpc, fixtures,
      creds: { NS: 'surrealauth', DB: 'demo', email: 'someone@example.com', password: 'correct horse battery staple' },
      now: () => Math.floor(Date.now() / 1000),
      jwt: (header, payload, sig = 'c2lnbmF0dXJl') => [b64(header), payload === null ? '' : b64(payload), sig].join('.'),
      tamper: (token, at) => { const [h, p, s] = token.split('.'); return [h, p, s.slice(0, at) + (s[at] === 'A' ? 'B' : 'A') + s.slice(at + 1)].join('.'); },
      retarget: (token) => {
        const [h, p, s] = token.split('.');
        const claims = JSON.parse(atob(p.replace(/-/g, '+').replace(/_/g, '/')));
        claims.ID = 'user:someoneelse';
        return [h, b64(claims), s].join('.');
      },
    };
    const snapshot = () => ({
      token: db.session && db.session.token,
      refresh: db.session && db.session.refreshToken,
      storage: JSON.stringify(Object.entries(localStorage).sort()),
      writes: storageWrites,
      events: events.length,
    });
    const out = [];
    for (const [name, js, code] of cases) {
      const before = snapshot();
      let res;
      try {
        // eslint-disable-next-line no-new-func
        const fn = new Function(...Object.keys(scope), `return (${js});`);
        res = await settle(Promise.resolve().then(() => fn(...Object.values(scope))));
      } catch (e) {
        res = { ok: false, error: { code: 'threw synchronously: ' + e.message } };
      }
      await tick(5);
      const after = snapshot();
      const info = await settle(db.info());
      out.push({
        name, code,
        got: res.ok ? 'resolved' : res.error.code,
        typed: res.ok || (res.error.name === 'SurrealAuthError' && res.error.isAuthError === true && typeof res.error.message === 'string'),
        message: res.ok ? '' : res.error.message.slice(0, 120),
        unchanged: JSON.stringify(before) === JSON.stringify(after),
        before, after,
        server: info.ok && info.value ? info.value.id : `info: ${info.ok ? 'null' : info.error.code}`,
      });
    }
    return out;
  }, { cases, rpc: server.rpc });
}

describe(onEngine('bad input through the JS API'), () => {
  for (const [label, table] of [['credentials', CREDENTIALS], ['tokens', TOKENS], ['connect options', OPTIONS]]) {
    it(`${label}: each rejects with its code, changes nothing, writes nothing, logs no secret`, async (t) => {
      const { context, page, id } = await signedInPage();
      const results = await runCases(page, table);
      t.diagnostic(`${results.length} ${label} cases`);
      assert.equal(results.length, table.length);
      const wrong = [];
      for (const r of results) {
        if (r.got !== r.code || !r.typed || !r.unchanged || r.server !== id) {
          wrong.push(`${r.name}: got ${r.got} (want ${r.code}) "${r.message}"${r.typed ? '' : ' [not a SurrealAuthError]'}${r.unchanged ? '' : ` [state changed: ${JSON.stringify(r.before)} -> ${JSON.stringify(r.after)}]`}${r.server === id ? '' : ` [server: ${r.server}]`}`);
        }
      }
      assert.deepEqual(wrong, []);
      const secrets = await page.evaluate(() => [db.session.token, db.session.refreshToken, fixtures.foreign, fixtures.expired].filter(Boolean));
      const logged = context.logs.map((l) => l.text).join('\n');
      for (const secret of [...secrets, PASSWORD]) assert.ok(!logged.includes(secret), 'a secret was logged');
      await context.close();
    });
  }

  it('has at least 100 cases', (t) => {
    const total = CREDENTIALS.length + TOKENS.length + OPTIONS.length;
    t.diagnostic(`bad-input cases: ${total}`);
    assert.ok(total >= 100);
  });
});

describe(onEngine('calls after close'), () => {
  it('every method rejects with connection_closed; nothing is written', async (t) => {
    const { context, page } = await signedInPage();
    const r = await page.evaluate(async ({ NS, DB, password }) => {
      const closed = await lib.connect(db.url, { storage: 'memory' });
      await closed.signin({ user: 'root', pass: 'root' });
      const token = closed.session.token;
      await closed.close();
      const writes = storageWrites;
      const calls = {
        signin: () => closed.signin({ user: 'root', pass: 'root' }),
        signup: () => closed.signup({ NS, DB, AC: 'allusers', email: 'late@example.com', password }),
        authenticate: () => closed.authenticate(token),
        invalidate: () => closed.invalidate(),
        info: () => closed.info(),
        refresh: () => closed.refresh(),
        close: () => closed.close(),
        onAuthStateChange: async () => closed.onAuthStateChange(() => {}),
        onConnectionChange: async () => closed.onConnectionChange(() => {}),
      };
      const codes = {};
      for (const [name, call] of Object.entries(calls)) {
        const res = await settle(call());
        codes[name] = res.ok ? 'resolved' : res.error.code;
      }
      return { codes, session: closed.session, state: closed.connectionState, writes: storageWrites - writes, json: JSON.stringify(closed) };
    }, { NS, DB, password: PASSWORD });
    t.diagnostic(`${Object.keys(r.codes).length} calls after close`);
    assert.deepEqual(r.codes, {
      signin: 'connection_closed', signup: 'connection_closed', authenticate: 'connection_closed',
      invalidate: 'connection_closed', info: 'connection_closed', refresh: 'connection_closed',
      close: 'resolved', onAuthStateChange: 'connection_closed', onConnectionChange: 'connection_closed',
    });
    assert.equal(r.session, null);
    assert.equal(r.state, 'closed');
    assert.equal(r.writes, 0);
    assert.match(r.json, /"connectionState":"closed"/);
    await context.close();
  });
});

describe(onEngine('calls racing invalidate'), () => {
  it('all settle with typed codes and the tab ends signed out, 20 rounds', async (t) => {
    const { context, page } = await signedInPage();
    const r = await page.evaluate(async ({ NS, DB, password, access }) => {
      const problems = [];
      let calls = 0;
      const allowed = new Set(['resolved', 'invalid_params', 'token_invalid', 'session_expired', 'connection_closed', 'unsupported']);
      const racer = await lib.connect(db.url, { storageKey: 'racing-invalidate' });
      const seen = track(racer);
      for (let round = 0; round < 20; round++) {
        await racer.signup({ NS, DB, AC: access, email: `race-${round}-${Date.now()}@example.com`, password });
        const pending = [
          racer.invalidate(),
          racer.info(),
          racer.refresh(),
          racer.signin({ Ns: 'typo', user: 'x', pass: 'y' }),
          racer.authenticate('junk'),
          racer.info(),
          racer.invalidate(),
          racer.refresh(),
        ];
        calls += pending.length;
        const settled = await Promise.all(pending.map(settle));
        for (const [i, s] of settled.entries()) {
          const code = s.ok ? 'resolved' : s.error.code;
          if (!allowed.has(code)) problems.push(`round ${round} call ${i}: ${code} ${s.error?.message}`);
        }
        await tick(20);
        const end = { session: racer.session, stored: localStorage.getItem('racing-invalidate'), info: await racer.info() };
        if (end.session || end.stored || end.info) problems.push(`round ${round}: still signed in ${JSON.stringify(end).slice(0, 80)}`);
        const last = seen.at(-1)[0];
        if (last !== 'SIGNED_OUT') problems.push(`round ${round}: last event ${last}`);
      }
      await racer.close();
      return { problems, calls };
    }, { NS, DB, password: PASSWORD, access: SIGNUP_ACCESS });
    t.diagnostic(`${r.calls} calls raced invalidate`);
    assert.deepEqual(r.problems, []);
    await context.close();
  });
});
