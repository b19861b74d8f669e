// SurrealDB 2.x: one engine, ONE session, shared by every connection.
//
// The 2.x engine has no attach/detach: it keeps a single session (ns, db, auth, variables). To give
// each WebSocket the illusion of its own session, this backend
//   1. runs every request through one serial queue (2.x requests are never concurrent here);
//   2. keeps per-connection state, updated from successful requests:
//        ns/db  - from `use` (text sets, null unsets, NONE keeps) and from the NS/DB claims of the
//                 token a signin/signup/authenticate established;
//        token  - the string result of signin/signup, or the param of authenticate; invalidate clears it;
//        vars   - let/set (raw CBOR value kept as sent), unset; `let name` / `let name NONE` removes;
//   3. before running a request for connection C when the engine last ran for another connection,
//      replays C's state: invalidate → authenticate(C.token) (or, with no token, clear the session
//      expiry, see below) → use(C.ns, C.db) → unset the previous connection's variables → let C's.
//
// Trade-offs (only when connections interleave; a lone connection sees the engine exactly as is):
//   - replaying authenticate renews C's session: its session expiry restarts (now + FOR SESSION);
//   - an expired token cannot be replayed: C becomes signed out (info → NONE) even if, on a real
//     server, its session would still be alive (FOR SESSION longer than FOR TOKEN). Logged.
//   - invalidate keeps the session expiry (2.x and 3.x quirk). A connection switched to without a
//     token gets a session with no expiry, so it neither inherits another connection's expiry nor
//     keeps its own old one. The expiry is cleared by authenticating as an internal root user
//     (`devserver_restore`, random password, VIEWER, created at start) and invalidating again.
//   - live queries: notifications are routed by live query id; on close the connection's live
//     queries are killed. USE statements inside `query` do not change the 2.x session, so need no
//     tracking.
//   - `reset` is NOT forwarded: the 2.x napi engine panics on it ("cleanup_lqs function must be
//     implemented", which aborts the whole process). It is emulated: invalidate, use(null, null),
//     unset the connection's variables, kill its live queries; the result is NONE, as on a server.
//   - serial: a slow request (the `slow` access sleeps 2 s) holds up every connection.
import { randomBytes } from 'node:crypto';
import { NONE_BYTES, encode, text, uuidBytes, uuidTag } from './cbor.mjs';
import { LiveOwners, notificationFields, notificationFrame, pumpNotifications } from './live.mjs';
import { SerialQueue } from './queue.mjs';
import { internalRequest, param, safeDecode } from './request.mjs';

const NULL_BYTES = Buffer.from([0xf6]);
const RESTORE_USER = 'devserver_restore';

export async function createV2Backend(engine, log) {
  const queue = new SerialQueue();
  const lives = new LiveOwners();
  let current = null; // the connection whose state the engine holds; null = nobody's
  let engineVars = new Set(); // variable names currently set on the engine session
  let expMaybeSet = true; // the engine session may carry a session expiry
  const restorePass = randomBytes(24).toString('hex');
  let restoreToken = null;

  const sys = async (method, ...params) => {
    const out = await engine.run(internalRequest(method, params));
    if (!out.result) log.error(`internal ${method} failed: ${out.error?.message}`);
    return out;
  };

  async function signinRestoreUser() {
    const out = await sys('signin', encode({ user: RESTORE_USER, pass: restorePass }));
    restoreToken = out.result ? safeDecode(out.result) : null;
  }

  // Leaves the engine anonymous with no session expiry.
  async function clearExpiry() {
    if (!expMaybeSet) return;
    const out = restoreToken && await engine.run(internalRequest('authenticate', [text(restoreToken)]));
    if (!out?.result) await signinRestoreUser();
    await sys('invalidate');
    expMaybeSet = false;
  }

  async function restore(conn) {
    const s = conn.v2;
    await sys('invalidate');
    if (s.token) {
      const out = await engine.run(internalRequest('authenticate', [text(s.token)]));
      if (out.result) {
        expMaybeSet = true;
      } else {
        log.info(`conn ${conn.id}: its token could not be replayed (${out.error?.message}); it is signed out now`);
        s.token = null;
        await clearExpiry();
      }
    } else {
      await clearExpiry();
    }
    const textOrNull = (v) => (v === undefined ? NULL_BYTES : text(v));
    await sys('use', textOrNull(s.ns), textOrNull(s.db));
    for (const name of engineVars) if (!s.vars.has(name)) await sys('unset', text(name));
    for (const [name, raw] of s.vars) await sys('let', text(name), raw);
    engineVars = new Set(s.vars.keys());
    current = conn;
  }

  async function reset(conn) {
    await killLives(conn); // first: kill needs the connection's ns/db (and auth) still in place
    await sys('invalidate');
    await sys('use', NULL_BYTES, NULL_BYTES);
    for (const name of engineVars) await sys('unset', text(name));
    engineVars = new Set();
    conn.v2 = freshState();
    return { result: NONE_BYTES };
  }

  async function killLives(conn) {
    for (const id of lives.release(conn)) await sys('kill', uuidTag(id));
  }

  async function handle(conn, req) {
    if (current !== conn) await restore(conn);
    if (req.method === 'reset') return reset(conn);
    const out = await engine.run(req.buf);
    if (out.result) {
      track(conn, req, out.result);
      lives.noteResult(conn, req, out.result);
    }
    return out;
  }

  function track(conn, req, resultRaw) {
    const s = conn.v2;
    switch (req.method) {
      case 'use': {
        for (const [i, key] of [[0, 'ns'], [1, 'db']]) {
          const v = safeDecode(param(req, i));
          if (typeof v === 'string') s[key] = v;
          else if (v === null) s[key] = undefined;
        }
        break;
      }
      case 'signin': case 'signup': {
        const r = safeDecode(resultRaw);
        signedIn(s, typeof r === 'string' ? r : r?.access);
        break;
      }
      case 'authenticate':
        signedIn(s, safeDecode(param(req, 0)));
        break;
      case 'invalidate':
        s.token = null;
        break;
      case 'let': case 'set': case 'unset': {
        const name = safeDecode(param(req, 0));
        const value = req.method === 'unset' ? undefined : param(req, 1);
        const removes = !value || (value.length === 2 && NONE_BYTES.equals(value));
        if (removes) {
          s.vars.delete(name);
          engineVars.delete(name);
        } else {
          s.vars.set(name, Buffer.from(value));
          engineVars.add(name);
        }
        break;
      }
      default:
    }
  }

  function signedIn(s, token) {
    if (typeof token !== 'string') return;
    s.token = token;
    expMaybeSet = true;
    const claims = jwtClaims(token);
    const ns = claims?.NS ?? claims?.ns;
    const db = claims?.DB ?? claims?.db;
    if (typeof ns === 'string') s.ns = ns;
    if (typeof db === 'string') s.db = db;
  }

  function route(raw) {
    const fields = notificationFields(raw);
    const id = uuidBytes(safeDecode(fields.get('id')));
    const owner = lives.owner(id);
    if (safeDecode(fields.get('action')) === 'KILLED') lives.delete(id);
    owner?.send(notificationFrame(raw));
  }

  // The internal user that clears a session expiry (see the top of this file).
  const defined = await engine.run(internalRequest('query', [text(
    // OVERWRITE: with --data the user survives a restart; it gets a new password each start (its
    // token lives only in this process, and no one else signs in as it).
    `DEFINE USER OVERWRITE ${RESTORE_USER} ON ROOT PASSWORD '${restorePass}' ROLES VIEWER ` +
    'DURATION FOR TOKEN 52w, FOR SESSION NONE;',
  )]));
  const rows = defined.result && safeDecode(defined.result);
  if (!Array.isArray(rows) || rows[0]?.status !== 'OK') throw new Error('could not define the internal restore user');
  await signinRestoreUser();
  await clearExpiry();
  pumpNotifications(engine, route, log);

  return {
    open: async (conn) => { conn.v2 = freshState(); },
    call: (conn, req) => queue.run(() => handle(conn, req)),
    close: (conn) => queue.run(async () => {
      if (lives.owns(conn)) {
        // kill needs the connection's own auth on the engine.
        if (current !== conn) await restore(conn);
        await killLives(conn);
      }
      if (current === conn) current = null;
    }),
  };
}

function freshState() {
  return { ns: undefined, db: undefined, token: null, vars: new Map() };
}

/** The payload of a JWT, unverified (only used to follow the session's ns/db), or null. */
function jwtClaims(token) {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}

