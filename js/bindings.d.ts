// Types for surrealauth: SurrealDB authentication in the browser.
//
//   <script src="surrealauth.js"></script>   defines globalThis.SurrealAuth
//   import { connect } from "surrealauth";  (or "./surrealauth.mjs")

/** Where the session is kept between page loads. */
export type StorageOption = "local" | "session" | "memory" | StorageLike;

/** What db.storage reports. "memory" also after a storage that threw was given up. */
export type StorageKind = "local" | "session" | "memory" | "custom";

/** Any object with the synchronous shape of the Web Storage API. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface ConnectOptions {
  /** Namespace for access-method credentials that name none. */
  namespace?: string;
  /** Database for record-access credentials that name none. */
  database?: string;
  /**
   * "local" (default): localStorage, survives reloads and is shared by tabs.
   * "session": sessionStorage, this tab only. "memory": forgotten on reload.
   * A storage that throws falls back to memory with one console.warn.
   */
  storage?: StorageOption;
  /** Key of the stored session (default: "surrealauth:" + the endpoint URL). */
  storageKey?: string;
  /** Where surrealauth.wasm is (default: beside the script). */
  wasmURL?: string | URL;
}

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

/** The signed-in identity. The tokens are secrets: do not log them. */
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
}

export type AuthEvent =
  | "INITIAL_SESSION"
  | "SIGNED_IN"
  | "SIGNED_OUT"
  | "TOKEN_REFRESHED"
  | "SESSION_EXPIRED";

export type AuthStateListener = (event: AuthEvent, session: Session | null) => void;

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
  /** Closes the connection; the stored session stays for the next connect. */
  close(): Promise<void>;
}

export type ErrorCode =
  | "invalid_credentials" | "invalid_params" | "missing_namespace" | "missing_database"
  | "access_not_found" | "signup_not_allowed" | "token_expired" | "token_invalid"
  | "session_expired" | "not_allowed" | "connection_failed" | "connection_closed"
  | "timeout" | "storage_unavailable" | "unsupported" | "server_error";

/** Every rejection. Branch on code; show message. */
export class SurrealAuthError extends Error {
  readonly name: "SurrealAuthError";
  readonly code: ErrorCode;
  /** The server's error code, when the server refused. */
  readonly serverCode?: number;
  /** The server's innermost error kind (3.x), e.g. "InvalidAuth". */
  readonly serverKind?: string;
}

/**
 * Connects and restores the stored session; resolves once that restore has
 * succeeded or been discarded. url: ws://, wss://, or a path on this origin
 * ("/rpc").
 */
export function connect(url: string, options?: ConnectOptions): Promise<SurrealAuthDB>;

export const EVENTS: readonly AuthEvent[];
export const version: string;

declare const SurrealAuth: {
  connect: typeof connect;
  SurrealAuthError: typeof SurrealAuthError;
  EVENTS: typeof EVENTS;
  version: string;
};
export default SurrealAuth;

/** The classic script's global. */
export as namespace SurrealAuth;
