// Loads the SurrealDB engine that ships inside @surrealdb/node (a napi addon) and gives it one
// calling convention for both major versions.
//
// The package's JS only exports an SDK "engine" adapter; the native class SurrealNodeEngine is loaded
// from the addon file directly. Its API is the same in 3.0.3 (SurrealDB 3.0.2) and 2.6.1 (SurrealDB
// 2.6.0): static connect(url, opts) and version(); execute(cbor) → CBOR of the bare result (no id,
// no session); notifications() → a receiver whose recv() yields CBOR live notifications or null;
// import, export and free. The error behaviour differs (see run() below).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NONE, decode } from './cbor.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

/** npm package (name in package.json) that holds each engine major version. */
export const ENGINE_PACKAGES = { 3: '@surrealdb/node', 2: 'surrealdb-node2' };

function platformSuffix() {
  const { platform, arch } = process;
  if (platform === 'linux') {
    const glibc = process.report?.getReport?.().header?.glibcVersionRuntime;
    return `linux-${arch}-${glibc ? 'gnu' : 'musl'}`;
  }
  if (platform === 'win32') return `win32-${arch}-msvc`;
  return `${platform}-${arch}`;
}

/** Path of the addon file for this platform inside the package, or a clear error. */
export function addonPath(major) {
  const pkg = ENGINE_PACKAGES[major];
  if (!pkg) throw new Error(`unknown engine major version ${major} (use 3 or 2)`);
  let entry;
  try {
    entry = fileURLToPath(import.meta.resolve(pkg));
  } catch {
    throw new Error(`engine package ${pkg} is not installed: run make deps (npm install) at the repository root`);
  }
  const file = path.join(path.dirname(entry), `surrealdb-node.${platformSuffix()}.node`);
  if (!fs.existsSync(file)) {
    throw new Error(`${pkg} ships no SurrealDB engine for ${platformSuffix()} (looked for ${file})`);
  }
  return file;
}

// 2.x's glibc build needs symbols from glibc 2.38 (see glibc-c23-shim.c). If loading fails for that
// reason, compile the shim once (needs a C compiler), load it globally and try again.
function loadAddon(file) {
  try {
    return require(file);
  } catch (err) {
    if (!/undefined symbol: __isoc23_/.test(String(err?.message))) throw err;
    const shim = buildShim(err);
    const flags = os.constants.dlopen.RTLD_NOW | os.constants.dlopen.RTLD_GLOBAL;
    process.dlopen({ exports: {} }, shim, flags);
    return require(file);
  }
}

function buildShim(cause) {
  const src = path.join(here, 'glibc-c23-shim.c');
  const hash = createHash('sha256').update(fs.readFileSync(src)).digest('hex').slice(0, 12);
  const dir = path.join(here, '..', '..', 'node_modules', '.cache', 'surrealauth-devserver');
  const out = path.join(dir, `glibc-c23-shim-${process.arch}-${hash}.node`);
  if (fs.existsSync(out)) return out;
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  const cc = process.env.CC || 'cc';
  try {
    execFileSync(cc, ['-O2', '-shared', '-fPIC', '-Wl,-z,nodelete', '-o', tmp, src], { stdio: 'pipe' });
  } catch (err) {
    const glibc = process.report?.getReport?.().header?.glibcVersionRuntime;
    throw new Error(
      `the SurrealDB 2.x engine needs glibc >= 2.38 (this system has ${glibc}); building the ` +
      `compatibility shim with '${cc}' failed: ${err.stderr?.toString().trim() || err.message}. ` +
      'Install a C compiler (apt-get install gcc) or set CC.', { cause });
  }
  fs.renameSync(tmp, out); // atomic: parallel servers may build it at the same time
  return out;
}

// 3.x returns an error as the CBOR map {error: {...}}; its first bytes are a1 65 "error".
const ERROR_PREFIX = Buffer.from([0xa1, 0x65, 0x65, 0x72, 0x72, 0x6f, 0x72]);

function isErrorEnvelope(bytes) {
  if (bytes.length <= ERROR_PREFIX.length || !ERROR_PREFIX.equals(bytes.subarray(0, ERROR_PREFIX.length))) {
    return false;
  }
  // A result that happens to be a one-key map {error: …} is still a result; a real error has these.
  try {
    const e = decode(bytes).error;
    return typeof e?.code === 'number' && typeof e?.message === 'string';
  } catch {
    return false;
  }
}

/**
 * Error maps in the wire shape of each major version.
 * 3.x: {code, kind, details:{kind}, message, cause: NONE}; 2.x: {code, message}.
 */
export const errorShapes = {
  3: (code, message, kind, detailKind) => ({
    code, kind, ...(detailKind ? { details: { kind: detailKind } } : {}), message, cause: NONE,
  }),
  2: (code, message) => ({ code, message }),
};

// 2.x throws a plain Error for every failure, with the message of the server's RpcError. The real
// 2.x server maps the same RpcError to these codes (src/rpc/failure.rs); everything else is -32000.
const V2_CODES = {
  'Parse error': [-32700, 'Parse error'],
  'Invalid request': [-32600, 'Invalid Request'],
  'Method not found': [-32601, 'Method not found'],
  'Invalid params': [-32602, 'Invalid params'],
};

/**
 * Opens an engine: in memory, or on `url` (e.g. rocksdb:///path, see data.mjs).
 * Returns {major, version, run(bytes), notifications(), close()}.
 * run() resolves to {result: Uint8Array} (raw CBOR of the result), {errorRaw: Uint8Array} (raw CBOR
 * of the engine's error map) or {error: object} (an error map built here); it never rejects.
 */
export async function openEngine(major, { url = 'mem://' } = {}) {
  const { SurrealNodeEngine } = loadAddon(addonPath(major));
  if (typeof SurrealNodeEngine?.connect !== 'function') {
    throw new Error(`${ENGINE_PACKAGES[major]}: the addon has no SurrealNodeEngine.connect`);
  }
  const engine = await SurrealNodeEngine.connect(url, {});
  const version = String(SurrealNodeEngine.version());
  if (!version.startsWith(`${major}.`)) {
    throw new Error(`${ENGINE_PACKAGES[major]} holds SurrealDB ${version}, expected ${major}.x`);
  }
  const shape = errorShapes[major];
  const run = async (bytes) => {
    let out;
    try {
      out = Buffer.from(await engine.execute(bytes));
    } catch (err) {
      return { error: thrownError(major, shape, String(err?.message ?? err)) };
    }
    if (major === 3 && isErrorEnvelope(out)) return { errorRaw: out.subarray(ERROR_PREFIX.length) };
    return { result: out };
  };
  return {
    major,
    version,
    run,
    notifications: () => engine.notifications(),
    close: () => engine.free(),
  };
}

function thrownError(major, shape, message) {
  if (major === 2) {
    const [code, msg] = V2_CODES[message] ?? [-32000, message];
    return shape(code, msg);
  }
  // 3.x only throws when it cannot parse the request envelope (bad session/version/id types...).
  // The real server answers those without an id; see rpc.mjs for why we keep the id.
  if (/^Semantic|^Syntax|^Message|^Io/.test(message)) return shape(-32700, message, 'Validation', 'Parse');
  return shape(-32600, message, 'Validation', 'InvalidRequest');
}
