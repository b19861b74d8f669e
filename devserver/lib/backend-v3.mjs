// SurrealDB 3.x: one engine, many sessions.
//
// A real 3.x server keeps a session map per WebSocket: a default session plus the ones the client
// attaches (request field `session`). The embedded engine has one global session map instead, so
// this backend gives each connection its own engine sessions:
//   - on connect it attaches a fresh engine session (random UUID) and uses it for every request that
//     carries no `session` field; on close it detaches it;
//   - a client's own session UUIDs are mapped to fresh engine UUIDs, per connection: `attach` creates
//     the mapping, `detach` and close free it, `sessions` lists the client's UUIDs. A connection can
//     therefore never name, or guess, another connection's session.
// Engine error messages that quote an engine UUID ("Session not found: …") are rewritten to quote
// the client's UUID. Responses echo `session` (as Tag 37) only when the request carried one.
import { randomBytes } from 'node:crypto';
import { NONE_BYTES, Tag, decode, encode, rawMap, uuidBytes, uuidTag, uuidText } from './cbor.mjs';
import { LiveOwners, notificationFields, notificationFrame, pumpNotifications } from './live.mjs';
import { internalRequest, safeDecode, withSession } from './request.mjs';

const newUuid = () => randomBytes(16);

export function createV3Backend(engine, log) {
  const sessionOwners = new Map(); // engine session (hex) → {conn, clientRaw: Tag37 bytes | null}
  const lives = new LiveOwners();

  async function run(conn, req, engineSession) {
    const out = await engine.run(withSession(req, engineSession && uuidTag(engineSession)));
    if (out.result) lives.noteResult(conn, req, out.result);
    return out;
  }

  function own(conn, engineSession, clientRaw) {
    sessionOwners.set(engineSession.toString('hex'), { conn, clientRaw });
  }

  async function open(conn) {
    const session = newUuid();
    conn.v3 = { session, clients: new Map() }; // client uuid (hex) → engine uuid
    own(conn, session, null);
    const out = await engine.run(internalRequest('attach', [], uuidTag(session)));
    if (!out.result) throw new Error('could not attach an engine session');
  }

  async function close(conn) {
    const { session, clients } = conn.v3;
    for (const s of [session, ...clients.values()]) {
      await engine.run(internalRequest('detach', [], uuidTag(s)));
      sessionOwners.delete(s.toString('hex'));
    }
    clients.clear();
    lives.release(conn);
  }

  async function call(conn, req) {
    const sessionRaw = req.fields.get('session');
    if (req.method === 'sessions') return listSessions(conn, sessionRaw);
    if (!sessionRaw) {
      // attach/detach need a session id: let the engine say so ("Expected a session ID").
      const engineSession = req.method === 'attach' || req.method === 'detach' ? null : conn.v3.session;
      return run(conn, req, engineSession);
    }
    const client = uuidBytes(safeDecode(sessionRaw));
    // Not a UUID: forward untouched, the engine rejects the envelope (Invalid request).
    if (!client) return engine.run(req.buf);
    const echo = uuidTag(client);
    const out = await callMapped(conn, req, client, echo);
    return { ...out, sessionRaw: echo };
  }

  async function callMapped(conn, req, client, echo) {
    const key = client.toString('hex');
    const { clients } = conn.v3;
    let engineSession = clients.get(key);
    if (req.method === 'attach' && !engineSession) {
      // Reserve the mapping before the engine answers, so requests sent right behind attach use it.
      engineSession = newUuid();
      clients.set(key, engineSession);
      own(conn, engineSession, echo);
      const out = await run(conn, req, engineSession);
      // AlreadyExists means a concurrent attach of the same UUID won the race: keep its mapping.
      if (!out.result && safeDecode(out.errorRaw)?.kind !== 'AlreadyExists') forget(conn, key, engineSession);
      return rewriteUuid(out, engineSession, client);
    }
    if (req.method === 'detach') {
      if (!engineSession) return { result: NONE_BYTES }; // detach is idempotent in the engine too
      const out = await run(conn, req, engineSession);
      if (out.result) forget(conn, key, engineSession);
      return out;
    }
    // An unknown client session maps to a never-attached UUID: the engine answers Session not found.
    const target = engineSession ?? newUuid();
    return rewriteUuid(await run(conn, req, target), target, client);
  }

  function forget(conn, key, engineSession) {
    conn.v3.clients.delete(key);
    sessionOwners.delete(engineSession.toString('hex'));
  }

  function listSessions(conn, sessionRaw) {
    const ids = [...conn.v3.clients.keys()].map((hex) => new Tag(Buffer.from(hex, 'hex'), 37));
    const echo = sessionRaw && uuidBytes(safeDecode(sessionRaw));
    return { result: encode(ids), ...(echo ? { sessionRaw: uuidTag(echo) } : {}) };
  }

  function route(raw) {
    const fields = notificationFields(raw);
    const session = uuidBytes(safeDecode(fields.get('session')));
    const owner = session && sessionOwners.get(session.toString('hex'));
    const id = uuidBytes(safeDecode(fields.get('id')));
    if (safeDecode(fields.get('action')) === 'KILLED') lives.delete(id);
    if (owner) {
      // The client knows its own session UUID (or none, for its default session).
      fields.set('session', owner.clientRaw ?? NONE_BYTES);
      return owner.conn.send(notificationFrame(rawMap([...fields])));
    }
    lives.owner(id)?.send(notificationFrame(raw));
  }

  pumpNotifications(engine, route, log);
  return { open, call, close };
}

/** Replaces the engine UUID by the client's in an engine error (messages and details). */
function rewriteUuid(out, engineSession, client) {
  if (!out.errorRaw) return out;
  const from = uuidText(engineSession);
  const to = uuidText(client);
  const replace = (v) => {
    if (typeof v === 'string') return v.split(from).join(to);
    if (Array.isArray(v)) return v.map(replace);
    if (v && typeof v === 'object' && !(v instanceof Tag) && !(v instanceof Uint8Array)) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replace(x)]));
    }
    return v;
  };
  return { errorRaw: encode(replace(decode(out.errorRaw))) };
}
