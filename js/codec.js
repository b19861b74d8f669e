// surrealauth, part of the bundle js/build.sh makes (see bindings.js): the
// JSON form values cross the bridge in, written here and read by Go's
// sdk/jsvalue (its package comment is the spec). Plain JSON for what JSON
// carries; {"$": kind, "v": value} for what it does not; an object key that
// starts with "$" travels with one more "$" in front.

const TAG = "$";

/**
 * The JSON form of a value the page passes (credentials, query variables):
 * Dates and Uint8Arrays tagged, non-finite numbers tagged, undefined
 * properties left out (in arrays: null), as before the bridge took one
 * string. What cannot be sent is refused with invalid_params: a BigInt
 * (except in query variables, { bigint: true }), a function, a symbol, an
 * invalid Date, a value that refers to itself or whose getters throw.
 */
function toBridge(value, { bigint = false } = {}) {
  try {
    return JSON.stringify(value, bigint ? varsReplacer : replacer);
  } catch (err) {
    if (err instanceof SurrealAuthError) throw err;
    if (err instanceof TypeError && /circular/i.test(err.message)) throw invalid("the value refers to itself");
    throw invalid("the value could not be read: " + (err && err.message ? err.message : String(err)));
  }
}

const brandOf = (v) => Object.prototype.toString.call(v);

/**
 * The replacer of query variables: as credentials, and a BigInt is sent as
 * one (Go takes it as a 64-bit integer, and refuses it beyond), so that a
 * bigint a result gave can be sent back.
 */
function varsReplacer(key, value) {
  const raw = this[key];
  if (typeof raw === "bigint") return { [TAG]: "bigint", v: raw.toString() };
  return replacer.call(this, key, value);
}

/** JSON.stringify's replacer; `this` holds the value before any toJSON ran. */
function replacer(key, value) {
  const raw = this[key];
  switch (typeof raw) {
    case "bigint":
      throw invalid("a BigInt cannot be sent; use a number or a string");
    case "function":
    case "symbol":
      throw invalid("a " + typeof raw + " cannot be sent");
    case "number":
      return Number.isFinite(raw) ? raw : { [TAG]: "number", v: String(raw) };
    case "object":
      break;
    default:
      return value;
  }
  if (raw === null) return null;
  const brand = brandOf(raw);
  if (brand === "[object Date]") {
    const ms = raw.getTime();
    if (ms !== ms) throw invalid("an invalid Date cannot be sent");
    return { [TAG]: "date", v: ms };
  }
  if (brand === "[object Uint8Array]") return { [TAG]: "bytes", v: base64(raw) };
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (!keys.some((k) => k[0] === TAG)) return value;
  return Object.fromEntries(keys.map((k) => [k[0] === TAG ? TAG + k : k, value[k]]));
}

function base64(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Reads Go's JSON form of a result: "" is undefined. */
function fromBridge(text) {
  if (text === "" || text === undefined) return undefined;
  const v = text.includes('"$') ? JSON.parse(text, reviver) : JSON.parse(text);
  return v === UNDEFINED ? undefined : v;
}

/** Stands for undefined until the array holding it makes it an element: a reviver returning undefined would delete it. */
const UNDEFINED = Object.freeze({});

function reviver(key, value) {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (value[i] === UNDEFINED) value[i] = undefined;
    return value;
  }
  if (Object.prototype.hasOwnProperty.call(value, TAG)) return special(value);
  const keys = Object.keys(value);
  if (!keys.some((k) => k[0] === TAG)) return value;
  return Object.fromEntries(keys.map((k) => [k[0] === TAG ? k.slice(1) : k, value[k]]));
}

function special(tagged) {
  const v = tagged.v;
  switch (tagged[TAG]) {
    case "undefined":
      return UNDEFINED;
    case "bigint":
      return typeof BigInt === "function" ? BigInt(v) : v; // no BigInt: the exact digits as text
    case "bytes":
      return Uint8Array.from(atob(v), (c) => c.charCodeAt(0));
    case "number":
      return Number(v);
    case "date":
      return new Date(v);
  }
  return tagged;
}
