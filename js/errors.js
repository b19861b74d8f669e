// surrealauth, part of the bundle js/build.sh makes (see bindings.js): the
// error every failure rejects with.

/**
 * Every failure rejects with a SurrealAuthError. `code` is stable and meant
 * for programs; `message` is for people (the server's own words when it
 * refused); `serverCode`/`serverKind` are the server's when it produced the
 * error. Go hands the bridge plain data, {code, message, …}; the error is
 * made here, on the caller's side, so that instanceof works and the stack
 * is the caller's.
 */
class SurrealAuthError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {Record<string, unknown>} [more] further fields from Go (serverCode, serverKind, …)
   */
  constructor(code, message, more) {
    super(message);
    this.name = "SurrealAuthError";
    this.code = code;
    if (more) {
      for (const [k, v] of Object.entries(more)) {
        if (k !== "code" && k !== "message" && k !== "name" && k !== "stack" && v !== undefined) this[k] = v;
      }
    }
  }
}

/** An invalid_params error: an argument of the wrong shape, refused before anything is sent. */
function invalid(message) {
  return new SurrealAuthError("invalid_params", message);
}

/**
 * Makes err a SurrealAuthError: Go's {code, message, …} data, or a JS
 * exception (a stopped runtime) as server_error.
 * @param {unknown} err
 */
function toAuthError(err) {
  if (err instanceof SurrealAuthError) return err;
  if (err && typeof err === "object" && typeof err.code === "string" && !(err instanceof Error)) {
    return new SurrealAuthError(err.code, String(err.message), err);
  }
  const message = err && err.message ? err.message : String(err);
  return new SurrealAuthError("server_error", "surrealauth runtime: " + message);
}
