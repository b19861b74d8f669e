// surrealauth, part of the bundle js/build.sh makes (see bindings.js): the
// JS half of the bridge to Go (docs/architecture.md#bridge).
//
// Go exports three functions, made once: connect(id, config, storage,
// early), call(db, id, method, arg) and read(db, method, arg). Arguments
// and results are strings (JSON, see codec.js) and numbers. An async call
// gets an id here; Go settles it later through settle(id, ok, text), the one
// long-lived function this half hands Go at start (loader.js), together with
// emit(sub, a, b, c), which delivers events to the listener registered as sub.
// No function is made per call on either side.

/** Calls waiting for Go: id → {resolve, reject}. */
const pending = new Map();
let lastCall = 0;

/** Listeners Go emits to: sub → fn(a, b). Auth listeners have ids > 0; nothing else is assumed. */
const subscriptions = new Map();
let lastSub = 0;

/** Go settles call id: ok with text (JSON, "" for undefined), or not with the error's {code, message, …}. */
function settle(id, ok, text) {
  const p = pending.get(id);
  if (!p) return;
  pending.delete(id);
  try {
    if (ok) p.resolve(fromBridge(text));
    else p.reject(JSON.parse(text));
  } catch (err) {
    p.reject(err);
  }
}

/** Go delivers an event to listener sub. */
function emit(sub, a, b, c) {
  const fn = subscriptions.get(sub);
  if (fn) fn(a, b, c);
}

/** Every call still waiting for a runtime that stopped fails. */
function failPending(why) {
  const waiting = [...pending.values()];
  pending.clear();
  for (const p of waiting) p.reject(new SurrealAuthError("server_error", "surrealauth runtime: " + why));
}

/**
 * Starts Go's async method and resolves with its result; every failure,
 * Go's or a stopped runtime's, becomes a SurrealAuthError made here, on the
 * caller's stack.
 * @param {(id: number) => void} start calls into Go with the call's id
 */
async function callGo(start) {
  const id = ++lastCall;
  const result = new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
  try {
    start(id);
    return await result;
  } catch (err) {
    pending.delete(id);
    throw toAuthError(err);
  }
}

/** Registers fn for Go's emit and returns its id, for Go, and the function that removes it. */
function subscription(fn) {
  const sub = ++lastSub;
  subscriptions.set(sub, fn);
  return { sub, remove: () => subscriptions.delete(sub) };
}

// ---------------------------------------------------------------------------
// The early socket: opened, and its version request sent, while the wasm
// downloads and compiles; Go adopts it (sdk/internal/rpc/socket_js.go) and
// decides everything about it. This half never decides an error: a URL it
// cannot open is left for Go to dial and refuse.

/**
 * CBOR of {"id": "1", "method": "version", "params": []}: the client's first
 * call, byte for byte, as Go would send it (a Go test holds the two
 * together). Go takes the reply as the answer to its own version call.
 */
const VERSION_REQUEST = new Uint8Array([
  0xa3, 0x62, 0x69, 0x64, 0x61, 0x31, 0x66, 0x6d, 0x65, 0x74, 0x68, 0x6f, 0x64, 0x67, 0x76, 0x65,
  0x72, 0x73, 0x69, 0x6f, 0x6e, 0x66, 0x70, 0x61, 0x72, 0x61, 0x6d, 0x73, 0x80,
]);

/**
 * Opens url early when it is a well-formed ws:// or wss:// URL: {url, ws,
 * sent, queue, closed}, the shape Go adopts; else undefined.
 */
function preopen(url) {
  if (typeof WebSocket !== "function" || !wellFormed(url)) return undefined;
  let ws;
  try {
    ws = new WebSocket(url, "cbor");
    ws.binaryType = "arraybuffer";
  } catch (err) {
    return undefined; // Go dials it again and says why it fails
  }
  const early = { url, ws, sent: null, queue: [], closed: null };
  ws.onopen = () => {
    try {
      ws.send(VERSION_REQUEST);
      early.sent = VERSION_REQUEST;
    } catch (err) {
      // not sent: Go sends its own
    }
  };
  ws.onmessage = (e) => { early.queue.push(e.data); };
  ws.onclose = (e) => { early.closed = { code: e.code, reason: e.reason }; };
  ws.onerror = () => {};
  return early;
}

function wellFormed(url) {
  try {
    const u = new URL(url);
    return (u.protocol === "ws:" || u.protocol === "wss:") && u.host !== "";
  } catch (err) {
    return false;
  }
}

/** Closes an early socket no client took (connect failed). */
function discard(early) {
  if (!early) return;
  try {
    early.ws.close();
  } catch (err) {
    // closed already
  }
}
