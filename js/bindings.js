// surrealauth: SurrealDB authentication for the browser, a Go client compiled
// to WebAssembly. js/build.sh makes both bundles from js/errors.js,
// codec.js, session.js, options.js, loader.js, bridge.js, attach.js and this file, the
// public API, in that order: wrapped as a classic script (globalThis.SurrealAuth,
// or module.exports under require) and as an ES module (import { connect }
// from "./surrealauth.mjs"). The wrapper provides:
//   bundledWasmURL()  where the .wasm is by default, or null when this
//                     bundle cannot tell: the ES module's is the static
//                     new URL("./surrealauth.<hash>.wasm", import.meta.url)
//                     that bundlers rewrite, the classic script's is beside its src
//   version           the package version
//   runWasmExec()     runs Go's wasm_exec.js, which defines globalThis.Go
// Types and documentation of the public API: bindings.d.ts.
//
// One owner per concern: argument and option checks, the closed guard,
// listener checks and SurrealAuthError are this side's; credentials, tokens,
// sessions, storage and every server answer are Go's.

/** The events a listener receives, in the order a session lives through them. */
const EVENTS = Object.freeze([
  "INITIAL_SESSION",
  "SIGNED_IN",
  "TOKEN_REFRESHED",
  "SIGNED_OUT",
  "SESSION_EXPIRED",
]);

/** The connection states, as db.connectionState and onConnectionChange report them. */
const CONNECTION_STATES = Object.freeze(["connected", "reconnecting", "closed"]);

/**
 * Connects to a SurrealDB /rpc endpoint and restores the stored session.
 * Resolves once that restore has succeeded or been discarded.
 * @param {string} url a ws:// or wss:// URL; anything else is refused with invalid_params (the sdk's Dial says what to write)
 * @param {import("./bindings").ConnectOptions} [options]
 * @returns {Promise<import("./bindings").SurrealAuthDB>}
 */
async function connect(url, options) {
  if (typeof url !== "string") throw invalid("connect needs the endpoint URL, for example ws://127.0.0.1:8000/rpc");
  const { config, custom, tokenSource, wasmURL } = checkOptions(options);
  const location = wasmLocation(wasmURL);
  config.url = url; // not rewritten: the sdk refuses what is not ws:// or wss:// and says why
  const early = preopen(config.url); // opens while the module downloads and compiles
  let desc;
  try {
    const go = await loadRuntime(location);
    desc = await callGo((id) => go.connect(id, JSON.stringify(config), custom, early, tokenSource));
    return createDB(go, desc);
  } catch (err) {
    if (!desc) discard(early);
    throw toAuthError(err);
  }
}

/**
 * The public db over Go's client desc.db: every method is one line here
 * and one in wasm/bridge.go.
 */
function createDB(go, desc) {
  const handle = desc.db;
  let closed = false;
  let lastStorage = "memory";

  const closedError = () => new SurrealAuthError("connection_closed", "the client is closed");
  /** An async method of Go's; arg is a string (JSON or the token), made inside the call so that a bad one rejects. */
  function call(method, arg) {
    if (closed) return Promise.reject(closedError());
    return callGo((id) => go.call(handle, id, method, typeof arg === "function" ? arg() : arg));
  }
  /** A sync read of Go's; fallback once closed or if the runtime stopped. */
  function read(method, arg, fallback) {
    if (closed) return fallback;
    try {
      return go.read(handle, method, arg);
    } catch (err) {
      return fallback;
    }
  }
  const credentials = (c) => () => {
    if (c === null || typeof c !== "object" || Array.isArray(c)) {
      throw invalid("credentials must be an object, for example {user, pass} or {NS, DB, AC, email, password}");
    }
    return toBridge(c);
  };
  const connection = connectionFanOut(read);
  /** This db's auth listeners' subscriptions, removed at close. */
  const listening = new Set();

  const db = {
    signup: (c) => call("signup", credentials(c)),
    signin: (c) => call("signin", credentials(c)),
    authenticate: (token) => (typeof token === "string" ? call("authenticate", token)
      : Promise.reject(invalid("authenticate needs the token as a string"))),
    invalidate: () => call("invalidate", ""),
    info: () => call("info", ""),
    refresh: () => call("refresh", ""),
    query: (sql, vars) => call("query", queryArg(sql, vars)),
    use: (selection) => call("use", useArg(selection)),
    attach: (client, options) => attach(db, client, options),
    get session() {
      const text = read("session", "", "null");
      return typeof text === "string" ? sessionFrom(text) : null;
    },
    get storage() {
      lastStorage = read("storage", "", lastStorage) ?? lastStorage;
      return lastStorage;
    },
    /** Why the last session ended with SESSION_EXPIRED (or connect's getToken gave none), or null. */
    get expiryCause() {
      const text = read("expiryCause", "", "null");
      const cause = typeof text === "string" ? JSON.parse(text) : null;
      return cause ? toAuthError(cause) : null;
    },
    get connectionState() {
      return closed ? "closed" : read("connectionState", "", "closed");
    },
    get connected() {
      return db.connectionState === "connected";
    },
    storageKey: desc.storageKey,
    serverVersion: desc.serverVersion,
    url: desc.url,
    onAuthStateChange(listener) {
      if (typeof listener !== "function") throw invalid("onAuthStateChange needs a function");
      if (closed) throw closedError();
      let active = true;
      // Go emits on its own stack: the listener runs a microtask later.
      // SESSION_EXPIRED also gets why (db.expiryCause), as a SurrealAuthError.
      const s = subscription((event, text, cause) => {
        const session = sessionFrom(text);
        const why = cause ? toAuthError(JSON.parse(cause)) : undefined;
        queueMicrotask(() => {
          if (!active) return;
          if (why) listener(event, session, why);
          else listener(event, session);
        });
      });
      listening.add(s);
      read("subscribe", String(s.sub));
      return function unsubscribe() {
        if (!active) return;
        active = false;
        read("unsubscribe", String(s.sub));
        s.remove();
        listening.delete(s);
      };
    },
    onConnectionChange(listener) {
      if (typeof listener !== "function") throw invalid("onConnectionChange needs a function");
      if (closed) throw closedError();
      return connection.add(listener);
    },
    close() {
      if (closed) return Promise.resolve();
      lastStorage = read("storage", "", lastStorage) ?? lastStorage;
      const done = call("close", "");
      closed = true;
      for (const s of listening) s.remove(); // Go ends them too: no event reaches a closed db's listeners
      listening.clear();
      return done.then(() => undefined);
    },
    /** What JSON.stringify(db) shows: never the tokens. */
    toJSON() {
      const s = db.session;
      return {
        url: db.url,
        serverVersion: db.serverVersion,
        storage: db.storage,
        storageKey: db.storageKey,
        connectionState: db.connectionState,
        session: s && { id: s.id, namespace: s.namespace, database: s.database, access: s.access, expiresAt: s.expiresAt },
      };
    },
    toString() {
      const s = db.session;
      return `SurrealAuthDB(${db.url}, ${db.connectionState}, ${s ? "signed in as " + s.id : "signed out"})`;
    },
    [Symbol.toStringTag]: "SurrealAuthDB",
  };
  // What connect leaves for later (the storage probe, page and tab
  // listeners) runs once the page has had its db.
  setTimeout(() => read("start", ""), 0);
  return Object.freeze(db);
}

/** query's argument for Go, {sql, vars?}, made inside the call so that a bad one rejects. */
const queryArg = (sql, vars) => () => {
  if (typeof sql !== "string") throw invalid("query needs the SurrealQL as a string");
  if (vars !== undefined && vars !== null && !isPlainObject(vars)) {
    throw invalid("query's variables must be an object, for example { id: \"note:1\" }");
  }
  return toBridge(vars == null ? { sql } : { sql, vars }, { bigint: true });
};

/** use's argument for Go: {namespace?, database?}, at least one, each a non-empty string. */
const useArg = (selection) => () => {
  const shape = 'use needs { namespace, database }, for example { namespace: "my_ns", database: "my_db" }';
  if (!isPlainObject(selection)) throw invalid(shape);
  const { namespace, database } = selection;
  const bad = (v) => v !== undefined && (typeof v !== "string" || v === "");
  if (bad(namespace) || bad(database) || (namespace === undefined && database === undefined)) throw invalid(shape);
  const unknown = Object.keys(selection).filter((k) => k !== "namespace" && k !== "database");
  if (unknown.length) throw invalid(`use takes only namespace and database, not ${unknown.join(", ")}`);
  return JSON.stringify({ namespace, database });
};

function isPlainObject(v) {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * The sdk announces each connection state once; this hands each to the
 * page's listeners a microtask later, in order. It subscribes first, then
 * reads the state: a first event equal to what it read is the transition
 * that read already saw, and is dropped.
 */
function connectionFanOut(read) {
  const listeners = new Set();
  let first = true;
  let initial;
  const s = subscription((state) => {
    if (first) {
      first = false;
      if (state === initial) return;
    }
    if (state === "closed") s.remove(); // the last one
    for (const entry of listeners) {
      queueMicrotask(() => {
        if (entry.active) entry.listener(state);
      });
    }
  });
  read("subscribeConnection", String(s.sub));
  initial = read("connectionState", "", "closed");
  return {
    add(listener) {
      const entry = { listener, active: true };
      listeners.add(entry);
      return function unsubscribe() {
        entry.active = false;
        listeners.delete(entry);
      };
    },
  };
}

const SurrealAuth = Object.freeze({ connect, storedSession, SurrealAuthError, EVENTS, CONNECTION_STATES, version });
