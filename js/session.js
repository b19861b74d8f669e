// surrealauth, part of the bundle js/build.sh makes (see bindings.js): the
// Session object, and storedSession, which reads the stored record without
// the wasm.

/** The tokens of each Session, kept off the object so that logging it never prints them. */
const secrets = new WeakMap();

/**
 * The signed-in identity. Its tokens are getters on the prototype that read
 * a WeakMap: console.log, JSON.stringify, String and a spread show only the
 * other fields, while session.token and session.refreshToken still work.
 */
class Session {
  constructor(s, verified) {
    secrets.set(this, { token: s.token, refreshToken: s.refreshToken ?? null });
    this.expiresAt = s.expiresAt ?? null;
    this.expiresIn = s.expiresAt == null ? null : Math.max(0, Math.floor((s.expiresAt - Date.now()) / 1000));
    this.namespace = s.namespace ?? null;
    this.database = s.database ?? null;
    this.access = s.access ?? null;
    this.id = s.id ?? null;
    this.verified = verified;
    Object.freeze(this);
  }

  /** The access token (a JWT): a secret. */
  get token() { return secrets.get(this).token; }

  /** The refresh token of a 3.x access WITH REFRESH, else null: a secret. */
  get refreshToken() { return secrets.get(this).refreshToken; }

  /** What JSON.stringify(session) shows: everything but the tokens. */
  toJSON() {
    const { expiresAt, expiresIn, namespace, database, access, id, verified } = this;
    return { id, namespace, database, access, expiresAt, expiresIn, verified };
  }

  toString() {
    return `Session(${this.id}${this.verified ? "" : ", unverified"})`;
  }

  get [Symbol.toStringTag]() { return "Session"; }
}
Object.freeze(Session.prototype);

/** A Session from Go's JSON (verified: it came from the live client), or null. */
function sessionFrom(text) {
  const s = JSON.parse(text);
  return s ? new Session(s, true) : null;
}

// ---------------------------------------------------------------------------
// storedSession: the stored record, read as the sdk reads it (sdk/store.go
// decodeStored and claims.go ParseClaims; docs/architecture.md#storage), so
// that a page can show who is signed in before the wasm has loaded. Both
// are tested against sdk/testdata/stored-records.json.

/**
 * The stored session for url, synchronously and without the wasm: a Session
 * with verified: false, or null when there is none, it is corrupt or
 * expired beyond renewal (no refresh token), or the storage cannot be read.
 * connect() then verifies it with the server.
 * @param {string} url the endpoint connect() is given
 * @param {{storage?: "local" | "session" | "memory" | "indexeddb" | {getItem(key: string): string | null | Promise<string | null>}, storageKey?: string}} [options]
 */
function storedSession(url, options) {
  const o = options ?? {};
  let raw;
  try {
    const storage = o.storage ?? "local";
    // "indexeddb" and a storage whose getItem gives a Promise cannot be read synchronously: null (connect() reads them).
    const area = storage === "local" ? globalThis.localStorage : storage === "session" ? globalThis.sessionStorage
      : storage === "memory" || storage === "indexeddb" ? null : storage;
    if (!area || typeof area.getItem !== "function") return null;
    raw = area.getItem(typeof o.storageKey === "string" && o.storageKey !== "" ? o.storageKey : "surrealauth:" + url);
    if (raw !== null && typeof raw === "object" && typeof raw.then === "function") {
      Promise.resolve(raw).catch(() => {}); // an async storage's rejection is not ours to report here
      return null;
    }
  } catch (err) {
    return null; // no storage here (a sandboxed frame, Node): nothing stored
  }
  const rec = typeof raw === "string" ? readRecord(raw) : null;
  const claims = rec ? readClaims(rec.token) : null;
  if (!claims) return null;
  // As the sdk: the token's own exp (whole seconds), valid through that second.
  if (claims.exp !== null && Math.floor(Date.now() / 1000) > claims.exp && !rec.refresh) return null;
  return new Session({
    token: rec.token, refreshToken: rec.refresh || null, expiresAt: claims.exp === null ? null : claims.exp * 1000,
    namespace: claims.ns || null, database: claims.db || null, access: claims.ac || null, id: claims.id || null,
  }, false);
}

const RECORD_FIELDS = ["v", "token", "refresh", "ns", "db", "ac", "exp"];

/** The record {v:1, token, refresh?, ns, db, ac?, exp}, or null when it is not one. */
function readRecord(text) {
  let obj;
  try {
    obj = JSON.parse(text);
  } catch (err) {
    return null;
  }
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) return null;
  const rec = {};
  for (const [k, v] of Object.entries(obj)) {
    const field = RECORD_FIELDS.find((f) => f === k.toLowerCase()); // the names match without regard to case, the last wins
    if (field === undefined || v === null) continue;
    const numeric = field === "v" || field === "exp";
    if (numeric ? !Number.isSafeInteger(v) : typeof v !== "string") return null;
    rec[field] = v;
  }
  return rec.v === 1 && rec.token ? rec : null;
}

/** SurrealDB's algorithms; a token naming another is refused, as ParseClaims refuses it. */
const ALGORITHMS = ["HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];

/** The names each claim may have, first wins (docs/protocol.md#tokens). */
const CLAIMS = {
  ns: ["NS", "ns", "https://surrealdb.com/ns", "https://surrealdb.com/namespace"],
  db: ["DB", "db", "https://surrealdb.com/db", "https://surrealdb.com/database"],
  ac: ["AC", "ac", "https://surrealdb.com/ac", "https://surrealdb.com/access", "SC", "sc", "https://surrealdb.com/sc", "https://surrealdb.com/scope"],
  id: ["ID", "id", "https://surrealdb.com/id"],
};

/** A token's claims {ns, db, ac, id, exp} without checking the signature, or null when it is no JWT ParseClaims accepts. */
function readClaims(token) {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const header = segment(parts[0]);
  const payload = header && ALGORITHMS.includes(header.alg) ? segment(parts[1]) : null;
  if (!payload) return null;
  for (const t of ["exp", "iat", "nbf"]) {
    const v = payload[t];
    if (v !== undefined && v !== null && !(typeof v === "number" && Number.isFinite(v) && Math.abs(v) <= 1e15)) return null;
  }
  const out = { exp: payload.exp === undefined || payload.exp === null ? null : Math.trunc(payload.exp) };
  for (const [name, aliases] of Object.entries(CLAIMS)) {
    out[name] = aliases.map((a) => payload[a]).find((v) => typeof v === "string" && v !== "") ?? "";
  }
  return out;
}

/** A base64url segment holding a JSON object, decoded; null otherwise. */
function segment(seg) {
  const s = seg.replace(/=+$/, "");
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) return null;
  try {
    const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
    const v = JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0))));
    return v !== null && typeof v === "object" && !Array.isArray(v) ? v : null;
  } catch (err) {
    return null;
  }
}
