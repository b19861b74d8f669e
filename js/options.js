// surrealauth, part of the bundle js/build.sh makes (see bindings.js):
// connect's options, checked here and only here, so that a mistake is
// refused before the wasm is even fetched. Go gets them checked, as JSON.

/** Durations are bounded so they stay far inside Go's time.Duration. */
const MAX_OPTION_MS = 100 * 365 * 24 * 3600 * 1000;

/**
 * Checks connect's options. Returns what Go needs: config (JSON-ready),
 * the storage object if any (a custom one, or the IndexedDB adapter), the
 * token source if any, and the loader's wasmURL.
 * @param {unknown} options
 */
function checkOptions(options) {
  if (options !== undefined && (options === null || typeof options !== "object")) {
    throw invalid("connect's options must be an object");
  }
  let o;
  try {
    o = Object.assign({}, options);
  } catch (err) {
    throw invalid("connect's options could not be read: " + (err && err.message));
  }
  const config = {};
  const { kind, custom } = storageOption(o.storage);
  config.storage = kind;
  for (const name of ["namespace", "database", "storageKey"]) {
    const v = o[name];
    if (v === undefined || v === null) continue;
    if (typeof v !== "string") throw invalid("option " + name + " must be a string");
    if (v === "") throw invalid("option " + name + " is empty");
    config[name] = v;
  }
  const margin = numberOption(o.renewMargin, "renewMargin", 0);
  if (margin !== undefined) config.renewMargin = margin;
  const reconnect = reconnectOption(o.reconnect);
  if (reconnect !== undefined) config.reconnect = reconnect;
  if (o.crossTab !== undefined && o.crossTab !== null) {
    if (typeof o.crossTab !== "boolean") throw invalid("option crossTab must be a boolean");
    if (o.crossTab && (kind === "session" || kind === "memory")) {
      throw invalid(`crossTab needs storage shared by tabs: "local", "indexeddb" or a custom storage; "${kind}" belongs to one tab`);
    }
    config.crossTab = o.crossTab;
  }
  const tokenSource = tokenSourceOption(o.getToken);
  if (tokenSource) config.getToken = true;
  const cookie = cookieOption(o.cookie);
  if (cookie) config.cookie = cookie;
  return { config, custom, tokenSource, wasmURL: o.wasmURL };
}

/**
 * getToken: a function giving a token (or a Promise of one) or null. Go
 * calls the wrapper this returns, which runs getToken a microtask later
 * (never with Go on the stack) and always gives a Promise of a non-empty
 * string or null, rejected when getToken threw, rejected or gave anything
 * else.
 */
function tokenSourceOption(getToken) {
  if (getToken === undefined || getToken === null) return undefined;
  if (typeof getToken !== "function") {
    throw invalid("option getToken must be a function that returns a token (or a Promise of one) or null");
  }
  return () => Promise.resolve().then(() => getToken()).then((token) => {
    if (token === null || token === undefined || token === "") return null;
    if (typeof token !== "string") throw new TypeError("getToken must give a token (a string) or null, not " + typeof token);
    return token;
  });
}

const COOKIE_KEYS = ["name", "path", "domain", "sameSite", "secure"];
const SAME_SITE = { lax: "Lax", strict: "Strict", none: "None" };

/**
 * cookie: true (the defaults) or {name, path, domain, sameSite, secure};
 * false or absent: no cookie. The format is docs/architecture.md#the-cookie.
 */
function cookieOption(v) {
  if (v === undefined || v === null || v === false) return undefined;
  const shape = "option cookie must be true or {name, path, domain, sameSite, secure}";
  if (v !== true && (typeof v !== "object" || Array.isArray(v))) throw invalid(shape);
  const o = v === true ? {} : v;
  for (const k of Object.keys(o)) {
    if (!COOKIE_KEYS.includes(k)) throw invalid(`unknown key "${k}" in option cookie`);
  }
  const text = (k, def, re, what) => {
    if (o[k] === undefined || o[k] === null) return def;
    if (typeof o[k] !== "string" || !re.test(o[k])) throw invalid(`option cookie.${k} must be ${what}`);
    return o[k];
  };
  const out = {
    name: text("name", "surrealauth", /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, "a cookie name (letters, digits and !#$%&'*+-.^_`|~)"),
    path: text("path", "/", /^\/[!-:<-~]*$/, 'a path starting with "/", without ";", spaces or controls'),
    sameSite: SAME_SITE[String(text("sameSite", "Lax", /^(lax|strict|none)$/i, '"Lax", "Strict" or "None"')).toLowerCase()],
  };
  const domain = text("domain", undefined, /^\.?[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/, "a host name");
  if (domain !== undefined) out.domain = domain;
  if (o.secure !== undefined && o.secure !== null && typeof o.secure !== "boolean") throw invalid("option cookie.secure must be a boolean");
  out.secure = typeof o.secure === "boolean" ? o.secure : globalThis.location?.protocol === "https:";
  if (out.sameSite === "None" && !out.secure) throw invalid('option cookie.sameSite "None" needs secure: true (browsers refuse it otherwise)');
  if (typeof document === "undefined" || document === null) {
    throw new SurrealAuthError("unsupported", "the cookie option needs a page with document.cookie; a worker has none");
  }
  return out;
}

function storageOption(storage) {
  if (storage === undefined || storage === null) return { kind: "local" };
  if (typeof storage === "string") {
    if (storage === "local" || storage === "session" || storage === "memory") return { kind: storage };
    if (storage === "indexeddb") return { kind: storage, custom: indexedDBStorage() };
    throw invalid(`storage must be "local", "session", "memory", "indexeddb" or an object with getItem, setItem and removeItem; got "${storage}"`);
  }
  if (typeof storage === "object") {
    let ok;
    try {
      ok = ["getItem", "setItem", "removeItem"].every((m) => typeof storage[m] === "function");
    } catch (err) {
      ok = false;
    }
    if (!ok) throw invalid("a storage object needs getItem, setItem and removeItem methods");
    return { kind: "custom", custom: storage };
  }
  throw invalid(`storage must be "local", "session", "memory", "indexeddb" or an object with getItem, setItem and removeItem`);
}

/** A finite number ≥ min, or undefined when absent; label names it in errors. */
function numberOption(v, label, min) {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number") throw invalid("option " + label + " must be a number");
  if (!(v >= min && v <= MAX_OPTION_MS)) throw invalid("option " + label + " must be a finite number, at least " + min);
  return v;
}

/**
 * reconnect: true/false, or {enabled, minDelay, maxDelay, wait} in ms.
 * Unknown keys are refused: a misspelt delay would otherwise be ignored.
 */
function reconnectOption(v) {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "boolean") return { enabled: v };
  if (typeof v !== "object") throw invalid("option reconnect must be a boolean or {enabled, minDelay, maxDelay, wait}");
  const keys = ["enabled", "minDelay", "maxDelay", "wait"];
  for (const k of Object.keys(v)) {
    if (!keys.includes(k)) throw invalid(`unknown key "${k}" in option reconnect`);
  }
  const out = {};
  if (v.enabled !== undefined && v.enabled !== null) {
    if (typeof v.enabled !== "boolean") throw invalid("option reconnect.enabled must be a boolean");
    out.enabled = v.enabled;
  }
  for (const k of ["minDelay", "maxDelay", "wait"]) {
    const ms = numberOption(v[k], "reconnect." + k, 1);
    if (ms !== undefined) out[k] = ms;
  }
  if (out.minDelay !== undefined && out.maxDelay !== undefined && out.minDelay > out.maxDelay) {
    throw invalid("reconnect.minDelay is longer than reconnect.maxDelay");
  }
  return out;
}
