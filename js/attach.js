// surrealauth, part of the bundle js/build.sh makes (see bindings.js):
// db.attach, which keeps another client (the official surrealdb.js Surreal,
// or anything with authenticate(token) and invalidate()) signed in as this
// client's identity. It is a listener of ours: the attached client follows
// our session, never the other way round.

/** The events that hand the attached client our token, and those that make it a guest. */
const ATTACH_AUTHENTICATE = new Set(["INITIAL_SESSION", "SIGNED_IN", "TOKEN_REFRESHED"]);

/**
 * Attaches client to db's session: at once (INITIAL_SESSION), then at every
 * change. Calls to client are chained, one after the other in event order,
 * so that an authenticate never overtakes the invalidate before it. A
 * failure of client (a throw or a rejection) goes to onError(error, event)
 * — or, without one, to console.warn — and goes no further: our session is
 * untouched and the next event is applied as usual. Returns detach().
 * @param {import("./bindings").SurrealAuthDB} db
 * @param {{authenticate(token: string): unknown, invalidate(): unknown}} client
 * @param {{onError?: (error: unknown, event: string) => void}} [options]
 */
function attach(db, client, options) {
  const shaped = client !== null && (typeof client === "object" || typeof client === "function")
    && typeof client.authenticate === "function" && typeof client.invalidate === "function";
  if (!shaped) {
    throw invalid("attach needs a client with authenticate(token) and invalidate(), such as surrealdb.js's Surreal");
  }
  const o = options ?? {};
  if (typeof o !== "object" || o === null || (o.onError !== undefined && typeof o.onError !== "function")) {
    throw invalid("attach's options are { onError?: function }");
  }
  const report = (error, event) => {
    try {
      if (o.onError) o.onError(error, event);
      else console.warn(`surrealauth: the attached client failed on ${event}:`, error);
    } catch (err) {
      // an onError that throws has nobody left to tell
    }
  };
  let attached = true;
  let queue = Promise.resolve();
  const unsubscribe = db.onAuthStateChange((event, session) => {
    const token = session && ATTACH_AUTHENTICATE.has(event) ? session.token : null;
    queue = queue.then(async () => {
      if (!attached) return;
      try {
        if (token) await client.authenticate(token);
        else await client.invalidate();
      } catch (err) {
        report(err, event);
      }
    });
  });
  return function detach() {
    attached = false;
    unsubscribe();
  };
}
