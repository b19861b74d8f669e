// Loading the bundle: as a classic script and as an ES module, from a server
// with the wrong MIME type for wasm, and on a platform without WebSocket.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DB, NS, PASSWORD, newContext, onEngine, openPage, uniqueEmail, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();

/** Signs up with the seed-000 shape and returns what the page saw. */
function signupRoundTrip(page, email) {
  return page.evaluate(async ({ rpc, NS, DB, email, password }) => {
    const db = await lib.connect(rpc);
    const token = await db.signup({ NS, DB, SC: 'allusers', email, password });
    const session = db.session;
    await db.close();
    return { token, session };
  }, { rpc: env.server.rpc, NS, DB, email, password: PASSWORD });
}

describe(onEngine('loading'), () => {
  it('works as a classic script: globalThis.SurrealAuth, and no Go globals left behind', async () => {
    const context = await newContext(env.browser);
    const page = await openPage(context, env.server, 'classic');
    const shape = await page.evaluate(() => ({
      connect: typeof SurrealAuth.connect,
      errorClass: typeof SurrealAuth.SurrealAuthError,
      version: SurrealAuth.version,
      frozen: Object.isFrozen(SurrealAuth),
    }));
    assert.deepEqual(shape, { connect: 'function', errorClass: 'function', version: shape.version, frozen: true });
    assert.match(shape.version, /^\d+\.\d+\.\d+/);

    const { token, session } = await signupRoundTrip(page, uniqueEmail('classic'));
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/, 'signup resolves to the access token (a JWT)');
    assert.equal(session.token, token);
    assert.match(session.id, /^user:/);

    // wasm_exec.js defines Go, process and path; the loader takes them back (fs stays for Go's console).
    const leaked = await page.evaluate(() => ['Go', 'process', 'path'].filter((n) => n in globalThis));
    assert.deepEqual(leaked, []);
    await context.close();
  });

  it('works as an ES module: named and default exports', async () => {
    const context = await newContext(env.browser);
    const page = await openPage(context, env.server, 'module');
    const shape = await page.evaluate(() => ({
      named: typeof lib.connect,
      same: lib.defaultExport.connect === lib.connect,
      global: 'SurrealAuth' in globalThis,
    }));
    assert.deepEqual(shape, { named: 'function', same: true, global: false });
    const { token, session } = await signupRoundTrip(page, uniqueEmail('module'));
    assert.equal(session.token, token);
    assert.equal(session.access, 'allusers');
    await context.close();
  });

  it('falls back to a whole-body compile when the server sends the wrong MIME type', async () => {
    const context = await newContext(env.browser);
    await context.route('**/dist/surrealauth.wasm', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), 'content-type': 'application/octet-stream' } });
    });
    const page = await openPage(context, env.server, 'classic');
    const r = await page.evaluate(async (rpc) => {
      const db = await lib.connect(rpc);
      const v = db.serverVersion;
      await db.close();
      return v;
    }, env.server.rpc);
    assert.match(r, /^surrealdb-/);
    await context.close();
  });

  it('rejects with connection_failed when the wasm cannot be loaded', async () => {
    const context = await newContext(env.browser);
    const page = await openPage(context, env.server, 'classic');
    const r = await page.evaluate((rpc) => settle(lib.connect(rpc, { wasmURL: '/dist/nope.wasm' })), env.server.rpc);
    assert.equal(r.ok, false);
    assert.equal(r.error.name, 'SurrealAuthError');
    assert.equal(r.error.code, 'connection_failed');
    assert.equal(r.error.isAuthError, true);
    assert.match(r.error.message, /nope\.wasm.*404/);
    await context.close();
  });

  it('rejects with unsupported, not a crash, when there is no WebSocket', async () => {
    const context = await newContext(env.browser);
    const page = await openPage(context, env.server, 'classic');
    const r = await page.evaluate(async (rpc) => {
      const saved = window.WebSocket;
      delete window.WebSocket;
      const first = await settle(lib.connect(rpc));
      window.WebSocket = saved;
      // The runtime is still alive: the same page can connect afterwards.
      const second = await settle(lib.connect(rpc).then((db) => db.close()));
      return { first, second };
    }, env.server.rpc);
    assert.equal(r.first.ok, false);
    assert.equal(r.first.error.code, 'unsupported');
    assert.equal(r.first.error.name, 'SurrealAuthError');
    assert.equal(r.second.ok, true);
    assert.deepEqual(context.logs.filter((l) => l.type === 'pageerror'), []);
    await context.close();
  });

  it('rejects bad arguments with invalid_params', async () => {
    const context = await newContext(env.browser);
    const page = await openPage(context, env.server, 'classic');
    const r = await page.evaluate(async (rpc) => {
      const db = await lib.connect(rpc);
      const out = {
        badStorage: await settle(lib.connect(rpc, { storage: 'cookies' })),
        badOptions: await settle(lib.connect(rpc, 42)),
        notAnObject: await settle(db.signin('root')),
        noToken: await settle(db.authenticate(42)),
        bigint: await settle(db.signin({ NS: 'x', DB: 'y', AC: 'z', n: 10n })),
        typo: await settle(db.signin({ Ns: 'x', user: 'root', pass: 'root' })),
        throwingGetter: await settle(db.signin({ get NS() { throw new Error('boom'); }, user: 'root', pass: 'root' })),
        throwingProxy: await settle(db.signin(new Proxy({}, { ownKeys() { throw new Error('trap'); } }))),
        throwingOption: await settle(lib.connect(rpc, { get storage() { throw new Error('boom'); } })),
      };
      // None of that hurt the runtime.
      out.stillWorks = (await settle(db.signin({ user: 'root', pass: 'root' }))).ok;
      await db.close();
      out.afterClose = await settle(db.info());
      return out;
    }, env.server.rpc);
    assert.equal(r.stillWorks, true);
    delete r.stillWorks;
    for (const [name, res] of Object.entries(r)) {
      assert.equal(res.ok, false, name);
      assert.equal(res.error.name, 'SurrealAuthError', name);
    }
    assert.equal(r.badStorage.error.code, 'invalid_params');
    assert.equal(r.badOptions.error.code, 'invalid_params');
    assert.equal(r.notAnObject.error.code, 'invalid_params');
    assert.equal(r.noToken.error.code, 'invalid_params');
    assert.equal(r.bigint.error.code, 'invalid_params');
    assert.equal(r.typo.error.code, 'invalid_params');
    assert.equal(r.throwingGetter.error.code, 'invalid_params');
    assert.match(r.throwingGetter.error.message, /boom/);
    assert.equal(r.throwingProxy.error.code, 'invalid_params');
    assert.equal(r.throwingOption.error.code, 'invalid_params');
    assert.equal(r.afterClose.error.code, 'connection_closed');
    await context.close();
  });
});
