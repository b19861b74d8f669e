// The three clients behind one small interface, for the benchmark pages:
//   ours    surrealauth (this repository, dist/surrealauth.mjs: Go compiled to wasm)
//   theirs  surrealdb.js v2 (npm surrealdb, dist/surrealdb.mjs, mounted at /vendor/surrealdb)
//   raw     a browser WebSocket sending the CBOR requests by hand (raw.js): the floor
// Each loader imports only its own client, so a page that uses one loads only that one.
export const NS = 'surrealauth';
export const DB = 'demo';
export const RPC = `ws://${location.host}/rpc`;

export const loaders = {
  async ours({ storage = 'memory' } = {}) {
    const { connect } = await import('/dist/surrealauth.mjs');
    const db = await connect(RPC, { storage });
    return {
      name: 'ours',
      handle: db,
      restored: () => db.session !== null,
      signin: (access, email, password) => db.signin({ NS, DB, AC: access, email, password }),
      signup: (access, email, password) => db.signup({ NS, DB, AC: access, email, password }),
      authenticate: (token) => db.authenticate(token),
      invalidate: () => db.invalidate(),
      info: () => db.info(),
      query: (sql) => db.query(sql),
      version: null, // no public version()/ping in the JS API
      close: () => db.close(),
    };
  },

  async theirs() {
    const { Surreal } = await import('/vendor/surrealdb/surrealdb.mjs');
    const s = new Surreal();
    await s.connect(RPC, { namespace: NS, database: DB });
    const auth = (access, email, password) => ({ namespace: NS, database: DB, access, variables: { email, password } });
    return {
      name: 'theirs',
      handle: s,
      signin: async (access, email, password) => (await s.signin(auth(access, email, password))).access,
      signup: async (access, email, password) => (await s.signup(auth(access, email, password))).access,
      authenticate: (token) => s.authenticate(token),
      invalidate: () => s.invalidate(),
      info: () => s.auth(),
      query: (sql) => s.query(sql).collect(),
      version: () => s.version(),
      close: () => s.close(),
    };
  },

  async raw() {
    const { RawClient } = await import('/raw.js');
    const c = await RawClient.open(RPC);
    return {
      name: 'raw',
      handle: c,
      signin: (access, email, password) => c.call('signin', [{ NS, DB, AC: access, email, password }]),
      signup: (access, email, password) => c.call('signup', [{ NS, DB, AC: access, email, password }]),
      authenticate: (token) => c.call('authenticate', [token]),
      invalidate: () => c.call('invalidate'),
      info: () => c.call('info'),
      query: (sql) => c.call('query', [sql]),
      version: () => c.call('version'),
      close: () => c.close(),
    };
  },
};

/** Runs op n times one after another; returns each call's duration in ms. */
export async function timeSequential(op, n) {
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await op();
    out[i] = performance.now() - t0;
  }
  return out;
}
