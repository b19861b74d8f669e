// Types for surrealauth: SurrealDB authentication in the browser.
//
//   import { connect } from "surrealauth";   (or "./surrealauth.mjs"): these types
//   <script src="surrealauth.js"></script>    defines globalThis.SurrealAuth, and
//   require("surrealauth")                    gives the same object: surrealauth.d.ts,
//                                             which js/build.sh makes from this file

/** Where the session is kept between page loads. */
export type StorageOption = "local" | "session" | "memory" | "indexeddb" | StorageLike | AsyncStorageLike;

/** What db.storage reports. "memory" also after a storage that threw or rejected was given up. */
export type StorageKind = "local" | "session" | "memory" | "indexeddb" | "custom";

/** Any object with the synchronous shape of the Web Storage API. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * A storage whose methods return Promises (an extension's or a native
 * store, localForage, …). Each call is waited for, up to 10 s; a rejection
 * or no answer in time gives the storage up for memory, with one
 * console.warn, as a throw does. A method may also answer synchronously.
 */
export interface AsyncStorageLike {
  getItem(key: string): Promise<string | null> | string | null;
  setItem(key: string, value: string): Promise<void> | void;
  removeItem(key: string): Promise<void> | void;
}

/**
 * The cookie option: the access token and its expiry mirrored into a
 * cookie for the app's own server (Go: sdk/httpauth). Never the refresh
 * token. Written with the stored session (sign-in, sign-up, refresh, a
 * restore at connect), cleared on sign-out, on expiry, and when another tab
 * signs out. Value: the token verbatim; Expires and Max-Age: the token's
 * exp (a session cookie when it has none); never HttpOnly (the page writes it).
 */
export interface CookieOptions {
  /** Default "surrealauth". */
  name?: string;
  /** Default "/". */
  path?: string;
  /** Default none: host-only. */
  domain?: string;
  /** Default "Lax"; "None" needs secure: true. */
  sameSite?: "Lax" | "Strict" | "None" | "lax" | "strict" | "none";
  /** Default true on an https page, false otherwise. */
  secure?: boolean;
}

/**
 * A source of tokens minted outside SurrealDB (an identity provider's JWT
 * for a `DEFINE ACCESS … TYPE JWT` access or a record access `WITH JWT`).
 * null (or "") means no token: the user is signed out at the provider.
 */
export type TokenSource = () => Promise<string | null> | string | null;

export interface ConnectOptions {
  /** Namespace for access-method credentials that name none. */
  namespace?: string;
  /** Database for record-access credentials that name none. */
  database?: string;
  /**
   * "local" (default): localStorage, survives reloads and is shared by tabs.
   * "session": sessionStorage, this tab only. "memory": forgotten on reload.
   * "indexeddb": IndexedDB (database "surrealauth", object store
   * "sessions", the record text under the storage key), shared by the tabs
   * and workers of the origin, and usable in workers; async, so
   * storedSession() cannot read it (null). An object: StorageLike or
   * AsyncStorageLike. A storage that throws or rejects, at connect or on
   * any later write, is given up for memory with one console.warn;
   * db.storage then reports "memory".
   */
  storage?: StorageOption;
  /** Key of the stored session (default: "surrealauth:" + the endpoint URL). */
  storageKey?: string;
  /**
   * Where surrealauth.wasm is. Default: beside the script. The ES module
   * names it as `new URL("./surrealauth.wasm", import.meta.url)`, which
   * Vite, webpack 5, Rollup and Parcel follow and emit; the classic script
   * looks beside its own `src`. Give it with esbuild (see the package
   * README), with require(), or when the wasm is served elsewhere. When the
   * wasm cannot be loaded or compiled (404, an HTML page instead, a CSP
   * without 'wasm-unsafe-eval'), connect rejects with code
   * "connection_failed" and a message naming the URL and the likely cause.
   */
  wasmURL?: string | URL;
  /**
   * Seconds before the access token expires at which the session is renewed
   * (default 60; never more than a third of the token's life). With a
   * refresh token (3.x WITH REFRESH) renewal refreshes the pair
   * (TOKEN_REFRESHED); without one it re-authenticates while the token is
   * valid, which extends the server session, and at expiry emits
   * SESSION_EXPIRED and signs out here. Renewal is also checked when the
   * page becomes visible again and when the browser comes back online,
   * since hidden tabs throttle timers.
   */
  renewMargin?: number;
  /**
   * What happens when the socket dies. true (default): reconnect with
   * backoff and sign the same identity in again; false: stay closed.
   */
  reconnect?: boolean | ReconnectOptions;
  /**
   * Mirror other tabs that share the stored session: their sign-in
   * (SIGNED_IN), refresh (TOKEN_REFRESHED) and sign-out (SIGNED_OUT).
   * Default: true for "local", false otherwise. For a custom storage that
   * tabs share, true announces each write on a BroadcastChannel named after
   * the key. "indexeddb" (default true) does the same, as it has no change
   * events. "session" and "memory" belong to one tab and refuse true.
   */
  crossTab?: boolean;
  /**
   * Tokens from elsewhere. Called at connect when nothing is stored, and
   * before the token expires whenever refresh or re-authentication cannot
   * extend the session (such tokens have a fixed exp); the token it gives is
   * authenticated and announced as TOKEN_REFRESHED (SIGNED_IN the first
   * time, or for another identity; silently at connect, where
   * INITIAL_SESSION reports it). null, a throw, a rejection, a token the
   * server refuses, or no answer within 30 s: when nothing else renews the
   * session it ends with SESSION_EXPIRED, whose listener gets the cause as
   * a third argument (also db.expiryCause). Calls are serialised with every
   * refresh of every tab sharing the storage (navigator.locks), and a tab
   * that finds a newer token another tab stored adopts it instead of
   * calling. It runs as page code a microtask after the client asks; it
   * must not wait for the client. Not a function: invalid_params.
   */
  getToken?: TokenSource;
  /**
   * Mirror the access token into a cookie for the app's server (see
   * CookieOptions); true for the defaults. Bad shapes: invalid_params; in a
   * worker (no document.cookie): unsupported.
   */
  cookie?: boolean | CookieOptions;
}

/** Reconnect policy. Delays are in milliseconds; absent fields keep their defaults. */
export interface ReconnectOptions {
  /** false: never reconnect; calls then fail with connection_closed. Default true. */
  enabled?: boolean;
  /** First wait before dialling again (default 100), doubled after each failed attempt. */
  minDelay?: number;
  /** Longest wait between attempts (default 1000); each has up to 20 % jitter taken off. */
  maxDelay?: number;
  /** How long a call made while reconnecting waits for the connection (default 10000). */
  wait?: number;
}

/**
 * "connected": calls go out now. "reconnecting": the socket died and the
 * client is dialling again; calls wait (up to reconnect.wait). "closed":
 * close() was called, or the socket died with reconnect off.
 */
export type ConnectionState = "connected" | "reconnecting" | "closed";

export type ConnectionListener = (state: ConnectionState) => void;

/** Root: `{user, pass}`. Namespace: `{NS, user, pass}`. Database: `{NS, DB, user, pass}`. */
export interface SystemUserCredentials {
  NS?: string; ns?: string; namespace?: string;
  DB?: string; db?: string; database?: string;
  user?: string; username?: string;
  pass?: string; password?: string;
}

/**
 * Record access: `{NS, DB, SC (or AC, access), ...variables}`. Every key that
 * is not ours (email, password, …) is a variable of the SIGNIN/SIGNUP clause;
 * `variables: {…}` is merged into them. Integral numbers are sent as integers.
 */
export interface RecordAccessCredentials {
  NS?: string; ns?: string; namespace?: string;
  DB?: string; db?: string; database?: string;
  SC?: string; sc?: string; AC?: string; ac?: string; access?: string; scope?: string;
  /** Key of a bearer access. */
  key?: string;
  /** Refresh token of a 3.x access WITH REFRESH. */
  refresh?: string;
  variables?: Record<string, unknown>;
  [variable: string]: unknown;
}

export type Credentials = SystemUserCredentials | RecordAccessCredentials;

/**
 * The signed-in identity. The tokens are secrets: they are getters (on the
 * prototype, read from a private map), so console.log(session),
 * JSON.stringify(session), String(session) and {...session} never show
 * them, while session.token and session.refreshToken read them.
 */
export interface Session {
  /** The access token (a JWT). */
  readonly token: string;
  /** The refresh token of a 3.x access WITH REFRESH, else null. */
  readonly refreshToken: string | null;
  /** When the access token expires, in ms since the epoch; null if it never does. */
  readonly expiresAt: number | null;
  /** Whole seconds left when this object was made (db.session makes a new one on each read). */
  readonly expiresIn: number | null;
  readonly namespace: string | null;
  readonly database: string | null;
  /** The access method; null for system users. */
  readonly access: string | null;
  /** A record user's record id ("user:abc"), or a system user's name. */
  readonly id: string | null;
  /**
   * true when the session comes from the live client (connect restored it,
   * a sign-in made it, an event announced it): the server accepted its
   * token on this page. false from storedSession(), which only read what
   * storage holds; connect() then verifies it. The signature is never
   * checked in the browser: claims are for display and timers only.
   */
  readonly verified: boolean;
  /** Everything but the tokens. */
  toJSON(): Omit<Session, "token" | "refreshToken" | "toJSON">;
}

export type AuthEvent =
  | "INITIAL_SESSION"
  | "SIGNED_IN"
  | "SIGNED_OUT"
  | "TOKEN_REFRESHED"
  | "SESSION_EXPIRED";

/**
 * cause is given with SESSION_EXPIRED only: why the session ended
 * (db.expiryCause), code "session_expired" with a reason: "token_expired",
 * "token_refused" (the server refused the token, or getToken's),
 * "token_source_failed" (getToken threw, rejected or timed out; its words
 * are in the message) or "no_token" (getToken gave null).
 */
export type AuthStateListener = (event: AuthEvent, session: Session | null, cause?: SurrealAuthError) => void;

/**
 * A record as info() returns it: plain JSON-like values. Record ids, UUIDs,
 * decimals and durations are SurrealQL text ("user:abc", "1h30m");
 * datetimes are RFC 3339 strings in UTC; bytes are a Uint8Array; integers
 * beyond 2^53 a bigint; NONE fields are absent; null stays null.
 */
export type RecordValue =
  | string | number | bigint | boolean | null | undefined | Uint8Array
  | RecordValue[] | { [field: string]: RecordValue };
export type AuthRecord = { id: string; [field: string]: RecordValue };

/** db.use's argument. */
export interface UseSelection {
  namespace?: string;
  database?: string;
}

/** What db.attach keeps signed in: surrealdb.js's Surreal has both methods. */
export interface AttachableClient {
  authenticate(token: string): unknown;
  invalidate(): unknown;
}

export interface AttachOptions {
  /**
   * Called with what the attached client threw or rejected with, and the
   * event it was applying. Default: console.warn.
   */
  onError?: (error: unknown, event: AuthEvent) => void;
}

export interface SurrealAuthDB {
  /** Signs up through a record access; resolves to the access token. */
  signup(credentials: RecordAccessCredentials): Promise<string>;
  /** Signs in; resolves to the access token. A failed sign-in changes nothing. */
  signin(credentials: Credentials): Promise<string>;
  /** Makes token the session. */
  authenticate(token: string): Promise<void>;
  /** Signs out here and removes the stored session. */
  invalidate(): Promise<void>;
  /** The signed-in record user's record; null for system users and guests. */
  info(): Promise<AuthRecord | null>;
  /** Spends the refresh token (3.x, WITH REFRESH) for a new pair; resolves to the new access token. */
  refresh(): Promise<string>;
  /**
   * Runs SurrealQL as the signed-in identity (a guest when signed out) and
   * resolves to one value per entry of the server's result, converted as
   * info() converts records (RecordValue). Table PERMISSIONS apply: rows the
   * identity may not see are left out (a SELECT of none is []). vars are
   * bound as $name and never logged; they may hold what credentials may
   * (Dates as datetimes, Uint8Arrays as bytes) and BigInts within 64 bits;
   * names the server sets itself ($auth, $access, $token, $session) are
   * refused with invalid_params / protected_variable. Waits for a reconnect
   * like the other calls; queries run at once, pipelined on the connection,
   * but never during a sign-in or sign-out.
   *
   * A failed statement rejects with code "query_failed", `statement` its
   * entry's index and `serverMessage` the server's words; a query that does
   * not parse ran nothing (reason "parse_error", statement -1). Entries are
   * one per statement outside transactions; 3.x gives BEGIN and COMMIT an
   * entry each (NONE: undefined), 2.x none.
   */
  query(sql: string, vars?: Record<string, unknown>): Promise<RecordValue[]>;
  /**
   * Selects the namespace and database of the connection (at least one of
   * them, non-empty strings; anything else is invalid_params). It is
   * selected again after a reconnect; the session does not change. A token
   * bound to another namespace or database refuses it (not_allowed).
   */
  use(selection: UseSelection): Promise<void>;
  /**
   * Keeps another client signed in as this one: the official surrealdb.js
   * `Surreal` (2.x), or any object with authenticate(token) and
   * invalidate(). At once the current session (authenticate, or invalidate
   * when signed out), then SIGNED_IN and TOKEN_REFRESHED → authenticate with
   * the new token, SIGNED_OUT and SESSION_EXPIRED → invalidate. Calls to
   * client are made one at a time, in event order. A failure of client goes
   * to options.onError (console.warn without one) and nowhere else: it never
   * rejects or throws here and never changes this session. Returns the
   * function that detaches (client keeps what it last had).
   */
  attach(client: AttachableClient, options?: AttachOptions): () => void;
  /** The current session, or null (also after close). */
  readonly session: Session | null;
  /** Where the session is kept now. */
  readonly storage: StorageKind;
  readonly storageKey: string;
  /** The server's version, as read at connect ("surrealdb-3.0.2"). */
  readonly serverVersion: string;
  /** The endpoint, as dialled. */
  readonly url: string;
  /**
   * Calls listener with INITIAL_SESSION first, then every change. Listeners
   * run a microtask after the change, never inside the client, so they may
   * call db. Returns the function that unsubscribes.
   */
  onAuthStateChange(listener: AuthStateListener): () => void;
  /**
   * Why the most recent session ended with SESSION_EXPIRED, or why
   * connect's getToken gave no session; null when none has. It stays until
   * the next expiry.
   */
  readonly expiryCause: SurrealAuthError | null;
  /** The connection's state now. */
  readonly connectionState: ConnectionState;
  /** connectionState === "connected". */
  readonly connected: boolean;
  /**
   * Calls listener with each later change of connectionState (not the
   * current one), a microtask after the change, like auth listeners.
   * After a reconnect, "connected" comes once the identity has been signed
   * in again on the new socket. close() ends with "closed". Returns the
   * function that unsubscribes.
   */
  onConnectionChange(listener: ConnectionListener): () => void;
  /** Closes the connection; the stored session stays for the next connect. */
  close(): Promise<void>;
  /** For JSON.stringify(db): the state and who is signed in, never the tokens. */
  toJSON(): {
    url: string; serverVersion: string; storage: StorageKind; storageKey: string;
    connectionState: ConnectionState;
    session: Pick<Session, "id" | "namespace" | "database" | "access" | "expiresAt"> | null;
  };
  /** "SurrealAuthDB(url, state, signed in as id | signed out)", never the tokens. */
  toString(): string;
}

export type ErrorCode =
  | "invalid_credentials" | "invalid_params" | "missing_namespace" | "missing_database"
  | "access_not_found" | "signup_not_allowed" | "token_expired" | "token_invalid"
  | "session_expired" | "not_allowed" | "connection_failed" | "connection_closed"
  | "timeout" | "storage_unavailable" | "unsupported" | "server_error" | "query_failed";

/**
 * What error.reason says beyond the code, where the server (or the client)
 * told more. Stable, like the codes.
 *
 * invalid_credentials from signin/signup: "no_record" (no user has these
 * credentials: a wrong password and an unknown user are not told apart),
 * "access_query_failed" (the access's SIGNUP or SIGNIN query failed and the
 * server does not say why: commonly an e-mail that is taken).
 * invalid_credentials from signup (when the server forwards access errors)
 * and query_failed: "unique_index" (a value that is taken), "assert_failed"
 * (a field's ASSERT refused the value), "field_type" (a wrong type, or a
 * missing value), "thrown" (a THROW; the message carries its text).
 * query_failed: "parse_error" (nothing ran; statement -1),
 * "permission_denied" (the statement needs rights the identity lacks; rows
 * hidden by PERMISSIONS are no error), "not_executed" (another statement of
 * its transaction failed). invalid_params from query: "protected_variable".
 * invalid_params from connect: "bad_url" (not a ws:// or wss:// URL with a
 * host). connection_failed from connect, where the platform tells
 * (natively; a browser reports no cause): "wrong_path", "upgrade_refused",
 * "connection_refused", "not_tls", "host_not_found", "no_cbor".
 * session_expired: "token_expired", "token_refused", "token_source_failed",
 * "no_token".
 */
export type ErrorReason =
  | "no_record" | "access_query_failed" | "unique_index" | "assert_failed" | "field_type" | "thrown"
  | "parse_error" | "permission_denied" | "not_executed" | "protected_variable"
  | "bad_url" | "wrong_path" | "upgrade_refused" | "connection_refused" | "not_tls" | "host_not_found" | "no_cbor"
  | "token_expired" | "token_refused" | "token_source_failed" | "no_token";

/**
 * Every rejection. Branch on code (and reason); show message: a sentence a
 * person can read ("No user matches these credentials", "Cannot connect to
 * ws://…: …"), never the server's raw text, which is serverMessage.
 */
export class SurrealAuthError extends Error {
  readonly name: "SurrealAuthError";
  readonly code: ErrorCode;
  /** More than the code says, where known (see ErrorReason). */
  readonly reason?: ErrorReason;
  /**
   * query_failed only: the index, in the values query() resolves to, of the
   * entry that failed (the first that failed of its own accord), or -1 when
   * the query did not parse and nothing ran.
   */
  readonly statement?: number;
  /** The server's own message, verbatim, when the server produced the error. */
  readonly serverMessage?: string;
  /** The server's error code, when the server refused. */
  readonly serverCode?: number;
  /** The server's innermost error kind (3.x), e.g. "InvalidAuth". */
  readonly serverKind?: string;
}

/**
 * Connects and restores the stored session; resolves once that restore has
 * succeeded or been discarded. url: a ws:// or wss:// URL with a host
 * (SurrealDB's endpoint is /rpc). Anything else, "/rpc" or an http(s) URL
 * included, is refused with invalid_params / bad_url and a message saying
 * what to write; it is never rewritten. A server that cannot be reached
 * rejects with connection_failed and a message naming the URL and the
 * likely causes.
 */
export function connect(url: string, options?: ConnectOptions): Promise<SurrealAuthDB>;

/** Where storedSession looks: connect's storage and storageKey options. */
export interface StoredSessionOptions {
  /**
   * "local" (default), "session", "memory" (always null), "indexeddb"
   * (always null: it cannot be read synchronously) or a storage; one whose
   * getItem gives a Promise gives null too.
   */
  storage?: "local" | "session" | "memory" | "indexeddb" | Pick<StorageLike, "getItem"> | Pick<AsyncStorageLike, "getItem">;
  /** The key connect would use (default: "surrealauth:" + the endpoint URL). */
  storageKey?: string;
}

/**
 * The session connect(url, options) would restore, read from storage at
 * once: synchronous, without loading the wasm or opening a socket, so a
 * page can show "signed in as X" on its first paint. A Session with
 * verified: false, or null when nothing is stored, the record is corrupt,
 * its access token expired and it has no refresh token, the key is
 * another's, or the storage cannot be read. Nothing is checked with the
 * server: connect() does that, and its INITIAL_SESSION says what holds.
 * It reads the record the client writes, by the same rules
 * (docs/architecture.md#storage).
 */
export function storedSession(url: string, options?: StoredSessionOptions): Session | null;

export const EVENTS: readonly AuthEvent[];
export const CONNECTION_STATES: readonly ConnectionState[];
export const version: string;

// --- js/build.sh: the CommonJS types stop here ---
// Above: the declarations both type files share (surrealauth.d.ts wraps
// them in `declare namespace SurrealAuth`). Below: the ES module's default.

declare const SurrealAuth: {
  connect: typeof connect;
  storedSession: typeof storedSession;
  SurrealAuthError: typeof SurrealAuthError;
  EVENTS: typeof EVENTS;
  CONNECTION_STATES: typeof CONNECTION_STATES;
  version: string;
};
export default SurrealAuth;
