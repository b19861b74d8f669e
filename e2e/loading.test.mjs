// Loading the bundle: as a classic script and as an ES module, from a server
// with the wrong MIME type for wasm, and on a platform without WebSocket; and
// every way loading the wasm can fail, each a SurrealAuthError that names the
// URL and the cause (never the engine's raw CompileError).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DB, NS, PASSWORD, ROOT, newContext, onEngine, openPage, uniqueEmail, useServerAndBrowser, wasmName } from './helpers.mjs';

const env = useServerAndBrowser();

/** Signs up with the seed-000 shape and returns what the page saw. */
function signupRoundTrip(page, email) {
  return page.evaluate(async ({ rpc, NS, DB, email, password }) => {
    const db = await lib.connect(rpc);
    const token = await db.signup({ NS, DB, SC: 'allusers', email, password });
    const session = plain(db.session);
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
    await context.route(`**/dist/${wasmName()}`, async (route) => {
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

describe(onEngine('loading failures'), () => {
  /**
   * Connects from a fresh classic page with wasmURL (or the default), after
   * routing the wasm's URL to fulfil if given; then connects once more with
   * the default URL and no route, to show the failure left the page usable.
   */
  async function failedLoad(t, { wasmURL, fulfil, page: name = 'classic' } = {}) {
    const context = await newContext(env.browser);
    if (fulfil) await context.route(`**/dist/${wasmName()}`, fulfil);
    const page = await openPage(context, env.server, name);
    const failed = await page.evaluate(({ rpc, wasmURL }) => settle(lib.connect(rpc, wasmURL ? { wasmURL } : {})), { rpc: env.server.rpc, wasmURL });
    let retry = null;
    if (name === 'classic') {
      await context.unrouteAll();
      retry = await page.evaluate((rpc) => settle(lib.connect(rpc, { storage: 'memory' }).then((db) => db.close())), env.server.rpc);
    }
    await context.close();
    assert.equal(failed.ok, false);
    assert.equal(failed.error.name, 'SurrealAuthError');
    assert.equal(failed.error.isAuthError, true);
    assert.equal(failed.error.code, 'connection_failed');
    assert.doesNotMatch(failed.error.message, /magic word/, 'never the raw CompileError of a non-wasm body');
    t.diagnostic(failed.error.message);
    return { error: failed.error, retry };
  }
  const at = (p) => new RegExp(`^cannot load surrealauth\\.wasm from ${env.server.origin.replace(/[.]/g, '\\.')}${p.replace(/[.]/g, '\\.')}: `);

  it('a 404 names the URL and says to serve the wasm there or pass wasmURL; a later connect still works', async (t) => {
    const { error, retry } = await failedLoad(t, { wasmURL: '/dist/nope.wasm' });
    assert.match(error.message, at('/dist/nope.wasm'));
    assert.match(error.message, /HTTP 404 Not Found: no file there\. Serve surrealauth\.wasm beside the script, or pass connect's wasmURL option/);
    assert.equal(retry.ok, true, 'the failed load did not break the page');
  });

  it('an HTML page instead of the wasm (an SPA fallback) is reported as one', async (t) => {
    // As a single-page app's server answers every unknown path: 200 with its index.html.
    const html = '<!doctype html>\n<html><head><title>My app</title></head><body><div id="root"></div></body></html>\n';
    const { error } = await failedLoad(t, { fulfil: (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }) });
    assert.match(error.message, at(`/dist/${wasmName()}`));
    assert.match(error.message, /the server answered with an HTML page \(Content-Type: text\/html; charset=utf-8\), not WebAssembly: it has no file at that URL and sent its fallback page instead \(a single-page app's index\.html\?\)/);
  });

  it('an HTML page from the dev server itself, by wasmURL', async (t) => {
    const { error } = await failedLoad(t, { wasmURL: '/classic.html' });
    assert.match(error.message, at('/classic.html'));
    assert.match(error.message, /HTML page \(Content-Type: text\/html; charset=utf-8\)/);
  });

  it('another file with the wrong MIME type: its first bytes and type are named', async (t) => {
    const { error } = await failedLoad(t, { wasmURL: '/harness.js' });
    assert.match(error.message, at('/harness.js'));
    assert.match(error.message, /it is not WebAssembly \(it starts with 2f 2f 20 50, not 00 61 73 6d; Content-Type: text\/javascript; charset=utf-8\)/);
  });

  it('a non-wasm body sent as application/wasm is caught before the engine sees it', async (t) => {
    const { error } = await failedLoad(t, { fulfil: (route) => route.fulfill({ status: 200, contentType: 'application/wasm', body: 'Not Found' }) });
    assert.match(error.message, /it is not WebAssembly \(it starts with 4e 6f 74 20, not 00 61 73 6d; Content-Type: application\/wasm\)/);
  });

  it('a truncated wasm (right magic number) is reported as damaged, with the engine\'s words', async (t) => {
    const head = fs.readFileSync(path.join(ROOT, 'dist', wasmName())).subarray(0, 4096);
    for (const contentType of ['application/wasm', 'application/octet-stream']) { // the streaming and the whole-body compile
      const { error } = await failedLoad(t, { fulfil: (route) => route.fulfill({ status: 200, contentType, body: head }) });
      assert.match(error.message, /it is not a valid WebAssembly module \(CompileError: .+\): a damaged or truncated file, or not surrealauth\.wasm$/, contentType);
    }
  });

  it('an empty body is reported as one', async (t) => {
    const { error } = await failedLoad(t, { fulfil: (route) => route.fulfill({ status: 200, contentType: 'application/wasm', body: '' }) });
    assert.match(error.message, /the server answered with an empty body \(Content-Type: application\/wasm\), not WebAssembly/);
  });

  it("a Content-Security-Policy without 'wasm-unsafe-eval' is named as the cause", async (t) => {
    const { error } = await failedLoad(t, { page: 'strict-csp' });
    assert.match(error.message, at(`/dist/${wasmName()}`));
    assert.match(error.message, /the page's Content-Security-Policy does not allow WebAssembly: add 'wasm-unsafe-eval' to its script-src/);
  });

  it('an unreachable server names the URL and the likely causes', async (t) => {
    const { error } = await failedLoad(t, { wasmURL: 'http://127.0.0.1:9/surrealauth.wasm' });
    assert.match(error.message, /^cannot load surrealauth\.wasm from http:\/\/127\.0\.0\.1:9\/surrealauth\.wasm: TypeError: Failed to fetch \(the server is unreachable, or the page's Content-Security-Policy connect-src or CORS refused it\)$/);
  });
});
