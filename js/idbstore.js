// surrealauth, part of the bundle js/build.sh makes (see bindings.js): the
// built-in IndexedDB storage, storage: "indexeddb". It has the async
// storage shape (getItem, setItem, removeItem returning Promises), which Go
// awaits on its own goroutines (docs/architecture.md#storage), and works in
// pages and workers alike.
//
// Database "surrealauth" (version 1), object store "sessions", out-of-line
// keys: the storage key (storageKey), and as value the same record text
// localStorage would hold, {"v":1,"token",…}. Tabs hear of each other's
// writes on a BroadcastChannel (IndexedDB has no change events; Go's
// cross-tab glue does that, as for a custom storage with crossTab: true).

const IDB_NAME = "surrealauth";
const IDB_STORE = "sessions";

/** One adapter per page or worker, so that its clients share one connection to the database. */
let idbStorage;

function indexedDBStorage() {
  if (!idbStorage) idbStorage = makeIndexedDBStorage();
  return idbStorage;
}

function makeIndexedDBStorage() {
  let opening = null;
  const open = () => {
    if (opening) return opening;
    opening = new Promise((resolve, reject) => {
      const idb = globalThis.indexedDB;
      if (!idb || typeof idb.open !== "function") {
        reject(new Error("this platform has no indexedDB"));
        return;
      }
      const req = idb.open(IDB_NAME, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(IDB_STORE);
      req.onsuccess = () => {
        const db = req.result;
        // Another version asks for the database: let it go, and open it again next time.
        db.onversionchange = () => {
          db.close();
          opening = null;
        };
        resolve(db);
      };
      req.onerror = () => reject(req.error);
      req.onblocked = () => reject(new Error("the surrealauth IndexedDB database is blocked by another page"));
    });
    return opening;
  };
  /** Runs op on the store in one transaction; resolves with its result once the transaction committed. */
  const run = async (mode, op) => {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(IDB_STORE, mode);
      const req = op(tx.objectStore(IDB_STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error ?? req.error);
      tx.onabort = () => reject(tx.error ?? new Error("the IndexedDB transaction was aborted"));
    });
  };
  return Object.freeze({
    // A value that is not a string is not a record of ours: given as text, the sdk removes it as corrupt.
    getItem: (key) => run("readonly", (s) => s.get(key)).then((v) => (v === undefined ? null : typeof v === "string" ? v : String(v))),
    setItem: (key, value) => run("readwrite", (s) => s.put(String(value), key)).then(() => undefined),
    removeItem: (key) => run("readwrite", (s) => s.delete(key)).then(() => undefined),
  });
}
