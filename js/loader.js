// surrealauth, part of the bundle js/build.sh makes (see bindings.js):
// loading the Go runtime, once per page, on the first connect.

/** @type {Promise<any> | null} Go's half of the bridge, {connect, call, read} */
let runtime = null;

function loadRuntime(wasmURL) {
  if (!runtime) {
    runtime = startRuntime(wasmURL).catch((err) => {
      runtime = null; // let a later connect try again (a network blip, a fixed URL)
      throw err;
    });
  }
  return runtime;
}

async function startRuntime(wasmURL) {
  if (typeof WebAssembly !== "object") {
    throw new SurrealAuthError("unsupported", "this browser has no WebAssembly");
  }
  const { Go, polyfills } = goClass();
  const go = new Go();
  const { instance } = await instantiate(wasmURL, go.importObject);

  // The handshake (see bridge.js): main calls this global with Go's half of
  // the bridge and keeps what it returns, this half.
  const readyName = "__surrealauthReady_" + Math.random().toString(36).slice(2);
  let exports = null;
  globalThis[readyName] = (value) => {
    exports = value;
    return { settle, emit };
  };
  go.argv = ["surrealauth", readyName];
  const added = lendGlobals(polyfills);
  let exited;
  try {
    // Runs main synchronously until it blocks; main calls the ready global first.
    exited = go.run(instance);
  } finally {
    delete globalThis[readyName];
    returnGlobals(added);
  }
  // Should the runtime ever stop (a crash), the next connect starts a new one,
  // and every call still waiting for this one fails.
  exited.then(
    () => { stopped(exports, "the Go runtime exited"); },
    (err) => { stopped(exports, "the Go runtime failed: " + errorText(err)); console.error("surrealauth: the Go runtime failed", err); },
  );
  if (!exports) {
    throw new SurrealAuthError("unsupported", "the surrealauth runtime did not start (see the console)");
  }
  return exports;
}

/** The runtime whose half is exports stopped: a later connect starts another. */
function stopped(exports, why) {
  if (runtime !== null && exports !== null) runtime = null;
  failPending(why);
}

/** @type {{Go: any, polyfills: Record<string, unknown>} | null} */
let goRuntime = null;

/**
 * Runs wasm_exec.js once and takes the Go class it defines. wasm_exec.js also
 * defines Node-like globals (process, path) that some libraries read as "this
 * is Node": they are removed again and only lent to the Go runtime while it
 * starts, which is when Go reads them. globalThis.fs stays: Go writes its
 * console output through it.
 */
function goClass() {
  if (goRuntime) return goRuntime;
  const before = { Go: globalThis.Go, hadGo: "Go" in globalThis };
  const lendable = ["process", "path"].filter((name) => !(name in globalThis));
  runWasmExec();
  const polyfills = {};
  for (const name of lendable) {
    polyfills[name] = globalThis[name];
    delete globalThis[name];
  }
  const Go = globalThis.Go;
  if (before.hadGo) globalThis.Go = before.Go;
  else delete globalThis.Go;
  goRuntime = { Go, polyfills };
  return goRuntime;
}

function lendGlobals(polyfills) {
  const added = [];
  for (const name of Object.keys(polyfills)) {
    if (!(name in globalThis)) {
      globalThis[name] = polyfills[name];
      added.push(name);
    }
  }
  return added;
}

function returnGlobals(added) {
  for (const name of added) delete globalThis[name];
}

/**
 * Compiles while downloading when the server sends application/wasm; falls
 * back to a whole-body compile for servers with another MIME type. Either
 * way the first bytes are checked for WebAssembly's magic number first, so
 * that an HTML page (an SPA's fallback for a missing file) is reported as
 * what it is, not as the engine's "expected magic word".
 */
async function instantiate(url, imports) {
  const response = await fetchWasm(url);
  if (typeof WebAssembly.instantiateStreaming === "function" && mimeType(response) === "application/wasm") {
    checkMagic(url, response, await firstBytes(response.clone(), MAGIC_PROBE));
    try {
      return await WebAssembly.instantiateStreaming(response, imports);
    } catch (err) {
      if (!(err instanceof TypeError)) throw compileError(url, err);
      // A TypeError is about the response, not the module: try the plain way.
    }
    return compile(url, await fetchWasm(url), imports);
  }
  return compile(url, response, imports);
}

async function compile(url, response, imports) {
  let bytes;
  try {
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (err) {
    throw loadError(url, errorText(err) + " while downloading (the connection broke?)");
  }
  checkMagic(url, response, bytes);
  try {
    return await WebAssembly.instantiate(bytes, imports);
  } catch (err) {
    throw compileError(url, err);
  }
}

async function fetchWasm(url) {
  let response;
  try {
    response = await fetch(url, { credentials: "same-origin" });
  } catch (err) {
    throw loadError(url, errorText(err) + " (the server is unreachable, or the page's Content-Security-Policy connect-src or CORS refused it)");
  }
  if (!response.ok) {
    const status = "HTTP " + response.status + (response.statusText ? " " + response.statusText : "");
    throw loadError(url, response.status === 404
      ? status + ": no file there. Serve surrealauth.wasm beside the script, or pass connect's wasmURL option (with a bundler, see the package README)"
      : status);
  }
  return response;
}

/** How many leading bytes the checks look at: the magic number, and room for an HTML page's "<!doctype". */
const MAGIC_PROBE = 64;
const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d]; // "\0asm"

/** Reads the first n bytes of a (cloned) response, then lets the rest go. */
async function firstBytes(response, n) {
  const out = new Uint8Array(n);
  let got = 0;
  if (!response.body) return out.subarray(0, 0);
  const reader = response.body.getReader();
  try {
    while (got < n) {
      const { value, done } = await reader.read();
      if (done) break;
      const take = Math.min(n - got, value.length);
      out.set(value.subarray(0, take), got);
      got += take;
    }
  } catch (err) {
    // The download itself failed: compiling the original reports that.
  } finally {
    reader.cancel().catch(() => {});
  }
  return out.subarray(0, got);
}

function checkMagic(url, response, bytes) {
  if (bytes.length >= 4 && WASM_MAGIC.every((b, i) => bytes[i] === b)) return;
  const type = response.headers.get("Content-Type") || "none";
  let why;
  if (bytes.length === 0) {
    why = "the server answered with an empty body (Content-Type: " + type + "), not WebAssembly";
  } else if (/html/i.test(type) || looksLikeHTML(bytes)) {
    why = "the server answered with an HTML page (Content-Type: " + type + "), not WebAssembly: it has no file at that URL " +
      "and sent its fallback page instead (a single-page app's index.html?). Serve surrealauth.wasm there, " +
      "or pass connect's wasmURL option with where it is";
  } else {
    why = "it is not WebAssembly (it starts with " + hex(bytes.subarray(0, 4)) + ", not 00 61 73 6d; Content-Type: " + type +
      "). Serve the surrealauth.wasm of this package there, or pass connect's wasmURL option";
  }
  throw loadError(url, why);
}

function looksLikeHTML(bytes) {
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3; // UTF-8 byte order mark
  while (i < bytes.length && (bytes[i] === 0x20 || (bytes[i] >= 0x09 && bytes[i] <= 0x0d))) i++;
  return bytes[i] === 0x3c; // "<"
}

function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
}

function mimeType(response) {
  return (response.headers.get("Content-Type") || "").split(";")[0].trim().toLowerCase();
}

/** A module that downloaded but would not compile or link. */
function compileError(url, err) {
  const text = errorText(err);
  if (/disallowed|unsafe-eval|Content.Security.Policy/i.test(text)) {
    return loadError(url, "the page's Content-Security-Policy does not allow WebAssembly: add 'wasm-unsafe-eval' to its script-src (" + text + ")");
  }
  if (err && err.name === "LinkError") {
    return loadError(url, "this surrealauth.wasm does not belong to this script (" + text + "): serve the wasm of the same package version (a stale cache?)");
  }
  return loadError(url, "it is not a valid WebAssembly module (" + text + "): a damaged or truncated file, or not surrealauth.wasm");
}

function loadError(url, why) {
  return new SurrealAuthError("connection_failed", "cannot load surrealauth.wasm from " + url + ": " + why);
}

function errorText(err) {
  if (err && err.message) return (err.name && err.name !== "Error" ? err.name + ": " : "") + err.message;
  return String(err);
}

/** The wasm's absolute URL: the wasmURL option, else where this bundle says it is. */
function wasmLocation(option) {
  const base = globalThis.location && globalThis.location.href;
  if (option !== undefined && option !== null && option !== "") {
    if (typeof option !== "string" && !(option instanceof URL)) {
      throw new SurrealAuthError("invalid_params", "connect's wasmURL must be a string or a URL");
    }
    try {
      return new URL(String(option), base).href;
    } catch (err) {
      throw new SurrealAuthError("invalid_params", "connect's wasmURL is not a URL: " + String(option));
    }
  }
  const url = bundledWasmURL();
  if (!url) {
    throw new SurrealAuthError("connection_failed",
      "cannot tell where surrealauth.wasm is (this script has no URL of its own, e.g. when bundled or required): pass connect's wasmURL option");
  }
  return String(url);
}
