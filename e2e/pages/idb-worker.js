// A dedicated worker for the browser tests: loads the classic script with
// importScripts and runs what the page posts, {op, rpc, wasmURL, …},
// posting back {ok, value} or {ok: false, error: {code, message}}.
importScripts('/dist/surrealauth.js');

let db;
const ops = {
  async connect({ rpc, wasmURL, options }) {
    db = await SurrealAuth.connect(rpc, { wasmURL, ...options });
    return { id: db.session && db.session.id, storage: db.storage };
  },
  async signup({ creds }) {
    await db.signup(creds);
    return { id: db.session.id, token: db.session.token, storage: db.storage };
  },
  async invalidate() {
    await db.invalidate();
    return { id: db.session && db.session.id };
  },
  async cookie({ rpc, wasmURL }) {
    return SurrealAuth.connect(rpc, { wasmURL, storage: 'memory', cookie: true });
  },
};

onmessage = async (e) => {
  try {
    postMessage({ ok: true, value: await ops[e.data.op](e.data) });
  } catch (err) {
    postMessage({ ok: false, error: { name: err.name, code: err.code, message: err.message } });
  }
};
