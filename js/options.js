// surrealauth, part of the bundle js/build.sh makes (see bindings.js):
// connect's options, checked here and only here, so that a mistake is
// refused before the wasm is even fetched. Go gets them checked, as JSON.

/** Durations are bounded so they stay far inside Go's time.Duration. */
const MAX_OPTION_MS = 100 * 365 * 24 * 3600 * 1000;

/**
 * Checks connect's options. Returns what Go needs: config (JSON-ready),
 * the custom storage object if any, and the loader's wasmURL.
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
      throw invalid(`crossTab needs storage shared by tabs: "local" or a custom storage; "${kind}" belongs to one tab`);
    }
    config.crossTab = o.crossTab;
  }
  return { config, custom, wasmURL: o.wasmURL };
}

function storageOption(storage) {
  if (storage === undefined || storage === null) return { kind: "local" };
  if (typeof storage === "string") {
    if (storage === "local" || storage === "session" || storage === "memory") return { kind: storage };
    throw invalid(`storage must be "local", "session", "memory" or an object with getItem, setItem and removeItem; got "${storage}"`);
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
  throw invalid(`storage must be "local", "session", "memory" or an object with getItem, setItem and removeItem`);
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
