// The bridge between the page and Go (docs/architecture.md#bridge): values
// cross as one JSON string per call (sdk/jsvalue's form) and keep the
// conversions they always had; errors arrive as SurrealAuthError made on the
// caller's side; sessions never print their tokens; two clients of one page
// that share a stored session follow each other; the socket opened while
// the wasm compiles is the one the client uses.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Client } from '../devserver/testing.mjs';
import { DB, NS, PASSWORD, V2, newContext, onEngine, openPage, uniqueEmail, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();

/**
 * As root, over the dev server's RPC: a schemaless table of record users,
 * an access whose SIGNUP stores $extra in a new row, and a user made as
 * root with one value of every kind the client converts.
 */
async function defineEcho() {
  const c = await Client.open(env.server.rpc);
  try {
    await c.rpc('signin', [{ user: 'root', pass: 'root' }]);
    await c.rpc('use', [NS, DB]);
    const email = uniqueEmail('kinds');
    const res = await c.rpc('query', [
      'DEFINE TABLE OVERWRITE kinds SCHEMALESS PERMISSIONS FOR select WHERE id = $auth FOR create, update, delete NONE;' +
      'DEFINE ACCESS OVERWRITE echo ON DATABASE TYPE RECORD' +
      ' SIGNUP ( CREATE kinds SET email = $email, pass = $password, extra = $extra )' +
      ' SIGNIN ( SELECT * FROM kinds WHERE email = $email AND pass = $password ) DURATION FOR TOKEN 1h, FOR SESSION 1d;' +
      `CREATE kinds SET email = '${email}', pass = 'x', extra = { big: 9007199254740993, small: -42, f: 1.5,` +
      " bytes: <bytes>'abc', arr: [1, NONE, 'x'], dur: 1w2d3h, dec: 1.10dec, uuid: u'01000000-0000-0000-0000-000000000002'," +
      " rid: user:⟨a b⟩, dt: d'2024-01-02T03:04:05.000000006Z', dollars: { '$': 1, '$ref': 2, '$$': 3 }," +
      " nan: <float>'NaN', inf: math::inf, ninf: math::neg_inf, nested: { deep: [{ gone: NONE, kept: null }] } };",
    ]);
    for (const r of res) if (r.status !== 'OK') throw new Error(`schema: ${JSON.stringify(r.result)}`);
    return email;
  } finally {
    await c.close();
  }
}

describe(onEngine('values across the bridge'), () => {
  it('from the server: record ids, durations, decimals, UUIDs, datetimes as text; bytes, bigints, NONE, NaN, $-keys as JS values', async () => {
    const email = await defineEcho();
    const context = await newContext(env.browser);
    const page = await openPage(context, env.server);
    const r = await page.evaluate(async ({ rpc, NS, DB, email }) => {
      const db = await lib.connect(rpc, { storage: 'memory' });
      await db.signin({ NS, DB, AC: 'echo', email, password: 'x' });
      const { extra: x, id } = await db.info();
      await db.close();
      return {
        id,
        kinds: Object.fromEntries(Object.entries(x).map(([k, v]) => [k, v instanceof Uint8Array ? 'Uint8Array' : typeof v])),
        big: String(x.big), small: x.small, f: x.f, bytes: [...x.bytes], dur: x.dur, dec: x.dec, uuid: x.uuid, rid: x.rid, dt: x.dt,
        arr: { length: x.arr.length, has1: 1 in x.arr, v: x.arr.map(String) },
        dollars: x.dollars, nan: Number.isNaN(x.nan), inf: x.inf, ninf: x.ninf, nested: x.nested,
      };
    }, { rpc: env.server.rpc, NS, DB, email });
    assert.match(r.id, /^kinds:/);
    assert.deepEqual(r.kinds, {
      arr: 'object', big: 'bigint', bytes: 'Uint8Array', dec: 'string', dollars: 'object', dt: 'string', dur: 'string', f: 'number',
      inf: 'number', nan: 'number', nested: 'object', ninf: 'number', rid: 'string', small: 'number', uuid: 'string',
    });
    assert.equal(r.big, '9007199254740993', 'beyond 2^53: a bigint, exactly');
    assert.deepEqual([r.small, r.f], [-42, 1.5]);
    assert.deepEqual(r.bytes, [97, 98, 99]);
    assert.equal(r.dur, '1w2d3h', 'SurrealQL duration text');
    assert.match(r.dec, /^1\.10?$/, 'a decimal as its text (2.x keeps the trailing zero, 3.x does not)');
    assert.equal(r.uuid, '01000000-0000-0000-0000-000000000002');
    assert.equal(r.rid, 'user:⟨a b⟩'.replace('⟨a b⟩', '`a b`'));
    assert.equal(r.dt, '2024-01-02T03:04:05.000000006Z');
    assert.deepEqual(r.arr, { length: 3, has1: true, v: ['1', 'undefined', 'x'] }, 'NONE in an array: undefined, an element, not a hole');
    assert.deepEqual(r.dollars, { $: 1, $ref: 2, $$: 3 }, 'keys that start with $ are the page\'s own');
    assert.equal(r.nan, true);
    assert.deepEqual([r.inf, r.ninf], [Infinity, -Infinity]);
    assert.deepEqual(r.nested, { deep: [{ kept: null }] }, 'a NONE field is absent');
    await context.close();
  });

  it('to the server: Dates, Uint8Arrays, $-keys, NaN, undefined, integers and floats arrive as they did', async () => {
    await defineEcho();
    const context = await newContext(env.browser);
    const page = await openPage(context, env.server);
    const r = await page.evaluate(async ({ rpc, NS, DB, email }) => {
      const db = await lib.connect(rpc, { storage: 'memory' });
      const extra = {
        date: new Date(86400000), bytes: new Uint8Array([1, 2, 255]), $k: 1, $: 2, $$x: 3,
        list: [1, undefined, { a: undefined, b: 'b' }], int: 42, negzero: -0, float: 2.5, huge: 2 ** 60, nan: NaN, inf: -Infinity,
        nested: { $ref: { $: 'deep' } },
      };
      await db.signup({ NS, DB, AC: 'echo', email, password: 'x', extra });
      const { extra: x } = await db.info();
      await db.close();
      return { ...x, bytes: x.bytes instanceof Uint8Array ? [...x.bytes] : x.bytes, nan: Number.isNaN(x.nan), inf: String(x.inf) };
    }, { rpc: env.server.rpc, NS, DB, email: uniqueEmail('echo') });
    assert.equal(r.date, '1970-01-02T00:00:00Z', 'a Date is a datetime');
    assert.deepEqual(r.bytes, [1, 2, 255], 'a Uint8Array is bytes');
    assert.deepEqual([r.$k, r.$, r.$$x], [1, 2, 3]);
    assert.deepEqual(r.list, [1, null, { b: 'b' }], 'undefined: null in an array, absent in an object');
    assert.deepEqual([r.int, r.negzero, r.float, r.huge], [42, 0, 2.5, 2 ** 60]);
    assert.deepEqual([r.nan, r.inf], [true, '-Infinity']);
    assert.deepEqual(r.nested, { $ref: { $: 'deep' } });
    await context.close();
  });
});

describe(onEngine('errors across the bridge'), () => {
  it('are SurrealAuthError instances with the server\'s fields and the caller\'s stack', async () => {
    const context = await newContext(env.browser);
    const page = await openPage(context, env.server);
    const r = await page.evaluate(async ({ rpc, NS, DB }) => {
      const db = await lib.connect(rpc, { storage: 'memory' });
      async function signInWithTheWrongPassword() {
        await db.signin({ NS, DB, AC: 'allusers', email: 'nobody@example.com', password: 'wrong' });
      }
      let e;
      try {
        await signInWithTheWrongPassword();
      } catch (err) {
        e = err;
      }
      const local = await db.authenticate(42).catch((err) => err);
      await db.close();
      return {
        instance: e instanceof lib.SurrealAuthError && e instanceof Error, name: e.name, code: e.code, message: e.message,
        serverCode: typeof e.serverCode, stack: e.stack, keys: Object.keys(e).sort(),
        local: { instance: local instanceof lib.SurrealAuthError, code: local.code },
      };
    }, { rpc: env.server.rpc, NS, DB });
    assert.equal(r.instance, true);
    assert.equal(r.name, 'SurrealAuthError');
    assert.equal(r.code, 'invalid_credentials');
    assert.equal(r.serverCode, 'number');
    assert.match(r.stack, /signInWithTheWrongPassword/, 'the stack leads back to the caller');
    assert.ok(!r.keys.includes('stack'));
    assert.deepEqual(r.local, { instance: true, code: 'invalid_params' });
    await context.close();
  });
});

describe(onEngine('sessions never print their tokens'), () => {
  it('console.log of db.session and of a listener\'s session, JSON.stringify, String, spread: no token; session.token still works', async () => {
    const context = await newContext(env.browser);
    const page = await openPage(context, env.server);
    const args = [];
    page.on('console', async (msg) => {
      for (const a of msg.args()) args.push(JSON.stringify(await a.jsonValue().catch(() => null)));
    });
    const r = await page.evaluate(async ({ rpc, NS, DB, email, password, access }) => {
      const db = await lib.connect(rpc);
      const heard = [];
      db.onAuthStateChange((event, session) => { if (session) heard.push(session); });
      await db.signup({ NS, DB, AC: access, email, password });
      await tick();
      const s = db.session;
      console.log(s);
      console.log('session:', s, { nested: s }, [s]);
      console.log(heard.at(-1));
      const printed = [JSON.stringify(s), String(s), `${s}`, JSON.stringify({ ...s }), JSON.stringify(heard), Object.keys(s).join(',')];
      const secrets = [s.token, s.refreshToken].filter((x) => x);
      return {
        secrets, printed, frozen: Object.isFrozen(s), token: s.token === heard.at(-1).token && /^eyJ/.test(s.token),
        own: Object.getOwnPropertyNames(s).sort(),
      };
    }, { rpc: env.server.rpc, NS, DB, email: uniqueEmail('print'), password: PASSWORD, access: V2 ? 'allusers' : 'refreshing' });
    await page.evaluate(() => tick(50)); // the console events have arrived
    const everything = [...r.printed, ...context.logs.map((l) => l.text), ...args].join('\n');
    assert.ok(r.secrets.length >= 1);
    for (const secret of r.secrets) assert.ok(!everything.includes(secret), `a token was printed: ${secret.slice(0, 12)}…`);
    assert.ok(context.logs.some((l) => l.text.includes('Session')), 'the logs did arrive');
    assert.equal(r.token, true, 'session.token reads the token');
    assert.equal(r.frozen, true);
    assert.deepEqual(r.own, ['access', 'database', 'expiresAt', 'expiresIn', 'id', 'namespace', 'verified']);
    await context.close();
  });
});

describe(onEngine('two clients on one page'), () => {
  for (const storage of ['local', 'session']) {
    it(`with one ${storage} storage key see each other's sign-in and sign-out (as React StrictMode makes them)`, async () => {
      const context = await newContext(env.browser);
      const page = await openPage(context, env.server);
      const r = await page.evaluate(async ({ rpc, NS, DB, email, password, storage }) => {
        const a = await lib.connect(rpc, { storage });
        const b = await lib.connect(rpc, { storage });
        await tick(); // both are following
        const heard = { a: track(a), b: track(b) };
        const until = async (ok) => { for (let i = 0; i < 250 && !ok(); i++) await tick(20); return ok(); };
        await a.signup({ NS, DB, AC: 'allusers', email, password });
        const signedIn = await until(() => b.session !== null);
        const same = b.session && b.session.token === a.session.token;
        await b.invalidate();
        const signedOut = await until(() => a.session === null);
        await a.close();
        await b.close();
        return { signedIn, same, signedOut, a: heard.a.map((e) => e[0]), b: heard.b.map((e) => e[0]) };
      }, { rpc: env.server.rpc, NS, DB, email: uniqueEmail('twice'), password: PASSWORD, storage });
      assert.deepEqual(r, {
        signedIn: true, same: true, signedOut: true,
        a: ['INITIAL_SESSION', 'SIGNED_IN', 'SIGNED_OUT'], b: ['INITIAL_SESSION', 'SIGNED_IN', 'SIGNED_OUT'],
      });
      await context.close();
    });
  }

  it('crossTab: false keeps a client to itself, also on its own page', async () => {
    const context = await newContext(env.browser);
    const page = await openPage(context, env.server);
    const r = await page.evaluate(async ({ rpc, NS, DB, email, password }) => {
      const a = await lib.connect(rpc);
      const b = await lib.connect(rpc, { crossTab: false });
      await tick();
      await a.signup({ NS, DB, AC: 'allusers', email, password });
      // A third client that follows is the positive signal: once it has the session, b would have too.
      const c = await lib.connect(rpc);
      for (let i = 0; i < 250 && !c.session; i++) await tick(20);
      const out = { c: c.session !== null, b: b.session };
      await Promise.all([a, b, c].map((x) => x.close()));
      return out;
    }, { rpc: env.server.rpc, NS, DB, email: uniqueEmail('alone'), password: PASSWORD });
    assert.deepEqual(r, { c: true, b: null });
    await context.close();
  });
});

describe(onEngine('the socket opened while the wasm compiles'), () => {
  it('is opened, and asks the version, before the wasm is compiled, and is the client\'s: one socket, one version request', async () => {
    const context = await newContext(env.browser);
    await context.addInitScript(() => {
      const Native = WebSocket;
      window.marks = { sockets: [], sent: [] };
      window.WebSocket = class extends Native {
        constructor(...a) {
          super(...a);
          marks.sockets.push(performance.now());
        }
      };
      const send = Native.prototype.send;
      Native.prototype.send = function (data) {
        const bytes = new Uint8Array(data.buffer ?? data, data.byteOffset ?? 0, data.byteLength);
        marks.sent.push([new TextDecoder().decode(bytes).includes('version') ? 'version' : 'other', performance.now()]);
        return send.call(this, data);
      };
      const streaming = WebAssembly.instantiateStreaming;
      WebAssembly.instantiateStreaming = async (...args) => {
        const out = await streaming.apply(WebAssembly, args);
        marks.compiled = performance.now();
        return out;
      };
    });
    const page = await openPage(context, env.server);
    const r = await page.evaluate(async (rpc) => {
      const db = await lib.connect(rpc, { storage: 'memory' });
      const out = { ...marks, version: db.serverVersion, state: db.connectionState };
      await db.close();
      return out;
    }, env.server.rpc);
    assert.deepEqual(r.sent.map((s) => s[0]), ['version'], 'the version request the page sent early is the client\'s');
    assert.equal(r.sockets.length, 1);
    assert.ok(r.sockets[0] < r.compiled, 'the socket was opened before the module was compiled');
    assert.ok(r.sent[0][1] < r.compiled, `the version request went out before the module was compiled (${r.sent[0][1].toFixed(1)} vs ${r.compiled.toFixed(1)} ms)`);
    assert.match(r.version, /^surrealdb-\d/);
    assert.equal(r.state, 'connected');
    await context.close();
  });

  it('a URL the page cannot open early is still the sdk\'s to refuse', async () => {
    const context = await newContext(env.browser);
    const page = await openPage(context, env.server);
    const r = await page.evaluate(async () => ({
      http: await settle(lib.connect('ftp://127.0.0.1/rpc')),
      nothing: await settle(lib.connect('ws://127.0.0.1:9/rpc')),
    }));
    assert.equal(r.http.ok, false);
    assert.equal(r.nothing.ok, false);
    assert.equal(r.nothing.error.code, 'connection_failed');
    assert.equal(r.nothing.error.name, 'SurrealAuthError');
    await context.close();
  });
});
