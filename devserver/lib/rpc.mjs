// The WebSocket /rpc front: accepts the `cbor` subprotocol only, decodes the request envelope,
// hands it to the engine backend and answers {id, result} / {id, error}, like a SurrealDB server.
//
// - Upgrade without `cbor` among the offered subprotocols: refused with HTTP 400
//   "cbor subprotocol required" (the socket never opens; browsers see a failed connection).
// - Requests on one socket are handled concurrently; replies may come back out of order (3.x; the
//   2.x backend serialises internally).
// - Not one well-formed CBOR item, or a text frame: {error: -32700 Parse error}, no id.
//   Not a map, non-text key, missing or non-text method: {error: -32600 Invalid request}, no id.
//   This is what the real server does (it cannot trust an id it could not parse).
// - The engine rejecting the envelope itself (e.g. a `session` that is not a UUID, `version: 3`):
//   the real server answers without id; we answer WITH the id when there was one, which is kinder to
//   clients and test failures are easier to read. This is the one deliberate difference.
// - `id` and the result are spliced in as raw bytes: the id comes back byte-for-byte as sent and
//   every tag in the result survives exactly.
import { WebSocketServer } from 'ws';
import { encode, rawMap } from './cbor.mjs';
import { errorShapes } from './engine.mjs';
import { parseRequest } from './request.mjs';

const PING_INTERVAL_MS = 5000; // the real server pings every 5 s too

export function createRpcFront({ backend, major, log }) {
  const shape = errorShapes[major];
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (offered) => (offered.has('cbor') ? 'cbor' : false),
  });
  wss.on('headers', (headers) => headers.push('X-Content-Type-Options: nosniff'));
  const conns = new Set();
  let nextId = 1;

  const pinger = setInterval(() => { for (const c of conns) c.ws.ping(); }, PING_INTERVAL_MS);
  pinger.unref();

  function handleUpgrade(req, socket, head) {
    const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    if (!offered.includes('cbor')) return refuse(socket, 400, 'cbor subprotocol required');
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, req));
  }

  function onConnection(ws, req) {
    const conn = {
      id: nextId++,
      ws,
      send(bytes) {
        if (ws.readyState === ws.OPEN) ws.send(bytes, { binary: true });
      },
    };
    conns.add(conn);
    log.info(`conn ${conn.id} open from ${req.socket.remoteAddress}`);
    conn.ready = backend.open(conn);
    conn.ready.catch((err) => {
      log.error(`conn ${conn.id}: could not open an engine session: ${err.message}`);
      ws.close(1011, 'engine session unavailable');
    });
    ws.on('message', (data, isBinary) => {
      onMessage(conn, data, isBinary).catch((err) => log.error(`conn ${conn.id}: ${err.stack ?? err}`));
    });
    ws.on('error', (err) => log.error(`conn ${conn.id}: ${err.message}`));
    ws.on('close', (code) => {
      log.info(`conn ${conn.id} close ${code}`);
      conn.closed = conn.ready
        .then(() => backend.close(conn))
        .catch((err) => log.error(`conn ${conn.id}: cleanup failed: ${err.message}`))
        .finally(() => conns.delete(conn));
    });
  }

  async function onMessage(conn, data, isBinary) {
    const buf = Buffer.isBuffer(data) ? data : Buffer.concat([].concat(data));
    const req = isBinary ? parseRequest(buf) : { fail: 'parse' };
    if (req.fail === 'parse') return conn.send(errorFrame(shape(-32700, 'Parse error', 'Validation', 'Parse')));
    if (req.fail) return conn.send(errorFrame(shape(-32600, 'Invalid request', 'Validation', 'InvalidRequest')));
    let out;
    try {
      await conn.ready;
      out = await backend.call(conn, req);
    } catch (err) {
      log.error(`conn ${conn.id}: ${req.method} failed inside the devserver: ${err.stack ?? err}`);
      out = { error: shape(-32000, `devserver: ${err.message}`, 'Internal') };
    }
    conn.send(response(req, out));
  }

  /** Closes every socket with `code`, waits for their sessions to be freed (at most waitMs). */
  async function closeAll(code, reason, waitMs = 800) {
    for (const c of conns) c.ws.close(code, reason);
    const deadline = Date.now() + waitMs / 2;
    while (conns.size && [...conns].some((c) => !c.closed) && Date.now() < deadline) await sleep(20);
    for (const c of conns) if (!c.closed) c.ws.terminate();
    await Promise.race([Promise.all([...conns].map((c) => c.closed)), sleep(waitMs / 2)]);
    clearInterval(pinger);
  }

  return { handleUpgrade, closeAll };
}

function response(req, out) {
  const entries = [];
  if (req.fields.has('id')) entries.push(['id', req.fields.get('id')]);
  if (out.result) entries.push(['result', out.result]);
  else entries.push(['error', out.errorRaw ?? encode(out.error)]);
  if (out.sessionRaw) entries.push(['session', out.sessionRaw]);
  return rawMap(entries);
}

const errorFrame = (error) => rawMap([['error', encode(error)]]);

/** Answers an upgrade request with a plain HTTP error and drops the socket. */
export function refuse(socket, status, message) {
  const reason = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found' }[status] ?? 'Error';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
    'X-Content-Type-Options: nosniff\r\n' +
    `Content-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`,
  );
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
