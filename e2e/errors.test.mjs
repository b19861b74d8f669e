// Issue 13, item 4, in the browser: errors an app can act on. A URL that is
// not ws:// or wss:// is refused by the sdk's Dial (never rewritten by the
// loader); a server that cannot be reached is named with the likely causes;
// a wrong password and a taken e-mail come back with a stable code, a
// reason, a sentence a person can read and the server's own words.
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import { DB, NS, PASSWORD, newContext, onEngine, openPage, uniqueEmail, useServerAndBrowser } from './helpers.mjs';

/** A port nothing listens on: one the OS just handed out and took back. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

describe(onEngine('errors in the browser'), () => {
  const env = useServerAndBrowser();

  async function inPage(fn, arg) {
    const context = await newContext(env.browser);
    try {
      const page = await openPage(context, env.server);
      return await page.evaluate(fn, { rpc: env.server.rpc, origin: env.server.origin, NS, DB, password: PASSWORD, ...arg });
    } finally {
      await context.close();
    }
  }

  it('a URL without ws:// or wss:// is refused with invalid_params / bad_url, saying what to write', async () => {
    const r = await inPage(async ({ rpc, origin }) => {
      const host = new URL(rpc).host;
      const out = {};
      for (const [name, url] of [['path', '/rpc'], ['http', `${origin}/rpc`], ['https', `https://${host}/rpc`], ['bare', `${host}/rpc`]]) {
        out[name] = (await settle(lib.connect(url, { storage: 'memory' }))).error;
      }
      return { out, host };
    });
    for (const [name, e] of Object.entries(r.out)) {
      assert.equal(e.code, 'invalid_params', name);
      assert.equal(e.reason, 'bad_url', name);
      assert.equal(e.isAuthError, true, name);
    }
    assert.match(r.out.path.message, /"\/rpc" is not a WebSocket URL: write ws:\/\//);
    assert.ok(r.out.http.message.includes(`write ws://${r.host}/rpc`), r.out.http.message);
    assert.ok(r.out.https.message.includes(`write wss://${r.host}/rpc`), r.out.https.message);
    assert.ok(r.out.bare.message.includes(`write ws://${r.host}/rpc`), r.out.bare.message);
  });

  it('no server, a wrong path, TLS to a plain server: connection_failed naming the URL and the likely causes', async () => {
    const port = await freePort();
    const r = await inPage(async ({ rpc, port }) => {
      const closed = `ws://127.0.0.1:${port}/rpc`;
      const wrongPath = rpc.replace(/\/rpc$/, '/nope');
      const tls = rpc.replace(/^ws:/, 'wss:'); // TLS to a plain server
      return {
        closed, wrongPath, tls,
        refused: (await settle(lib.connect(closed, { storage: 'memory', reconnect: false }))).error,
        path: (await settle(lib.connect(wrongPath, { storage: 'memory', reconnect: false }))).error,
        notTLS: (await settle(lib.connect(tls, { storage: 'memory', reconnect: false }))).error,
      };
    }, { port });
    for (const [e, url] of [[r.refused, r.closed], [r.path, r.wrongPath], [r.notTLS, r.tls]]) {
      assert.equal(e.code, 'connection_failed');
      assert.ok(e.message.startsWith(`Cannot connect to ${url}: `), e.message);
      assert.match(e.message, /server runs.*path is \/rpc.*ws:\/\/ or wss:\/\//);
    }
  });

  it('a wrong password and a taken e-mail: invalid_credentials with a reason, a readable message and the server message', async () => {
    const email = uniqueEmail('errors');
    const r = await inPage(async ({ rpc, NS, DB, password, email }) => {
      const db = await lib.connect(rpc, { storage: 'memory' });
      await db.signup({ NS, DB, AC: 'allusers', email, password });
      await db.invalidate();
      const out = {
        wrong: (await settle(db.signin({ NS, DB, AC: 'allusers', email, password: 'not it' }))).error,
        taken: (await settle(db.signup({ NS, DB, AC: 'allusers', email, password }))).error,
        session: db.session,
      };
      await db.close();
      return out;
    }, { email });
    assert.equal(r.wrong.code, 'invalid_credentials');
    assert.equal(r.wrong.reason, 'no_record');
    assert.equal(r.wrong.message, 'No user matches these credentials');
    assert.match(r.wrong.serverMessage, /No record was returned/);
    assert.equal(r.taken.code, 'invalid_credentials');
    assert.equal(r.taken.reason, 'access_query_failed');
    assert.match(r.taken.message, /^Sign-up was refused; the server does not say why \(often the e-mail is already registered/);
    assert.match(r.taken.serverMessage, /signup query failed/);
    assert.equal(r.session, null, 'neither changed the session');
  });
});
