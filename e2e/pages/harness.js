// Page-side helpers for the browser tests (loaded by classic.html and module.html).

/** Awaits p and describes how it settled, so a test can assert on a rejection's fields. */
window.settle = async (p) => {
  try {
    return { ok: true, value: await p };
  } catch (e) {
    return {
      ok: false,
      error: {
        name: e.name,
        code: e.code,
        message: e.message,
        reason: e.reason,
        statement: e.statement,
        serverMessage: e.serverMessage,
        serverCode: e.serverCode,
        serverKind: e.serverKind,
        isError: e instanceof Error,
        isAuthError: window.lib ? e instanceof window.lib.SurrealAuthError : undefined,
      },
    };
  }
};

/** Auth events as [event, session id] pairs, per db. */
window.track = (db) => {
  const events = [];
  db.onAuthStateChange((event, session) => events.push([event, session && session.id]));
  return events;
};

/** Resolves after pending microtasks and a macrotask: listeners have run. */
window.tick = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A session as plain data, tokens included, for a test to return to Node:
 * a Session keeps its tokens off the object (they are getters), so
 * returning it as it is would drop them.
 */
window.plain = (s) => (s ? { ...s.toJSON(), token: s.token, refreshToken: s.refreshToken } : null);
