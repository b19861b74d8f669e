// node js/check-package.mjs <dir>: js/build.sh runs this on the package it
// assembled, before it replaces dist/. Exits non-zero, saying why, when the
// package is not what package.json promises: a file listed or exported that
// is missing, a file that is not listed, a script that does not load.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = path.resolve(process.argv[2] ?? '');
const problems = [];
const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));

const listed = new Set(['package.json', ...pkg.files]);
for (const f of listed) if (!fs.existsSync(path.join(dir, f))) problems.push(`${f} is listed in "files" but missing`);
for (const f of fs.readdirSync(dir)) if (!listed.has(f)) problems.push(`${f} is in the package but not in "files"`);

/** Every file an exports map (or a field of package.json) points at. */
function targets(value) {
  if (typeof value === 'string') return [value];
  return Object.values(value).flatMap(targets);
}
for (const t of [pkg.main, pkg.module, pkg.types, ...targets(pkg.exports)]) {
  const rel = t.replace(/^\.\//, '');
  if (!listed.has(rel)) problems.push(`${t} is exported but not in "files"`);
}
for (const [sub, value] of Object.entries(pkg.exports)) {
  if (sub !== './package.json' && !targets(value).some((t) => /\.d\.m?ts$/.test(t))) problems.push(`exports["${sub}"] has no types`);
}

// The wasm is named after its content; "./surrealauth.wasm" is exported as it.
const wasmFile = pkg.exports['./surrealauth.wasm'].default.replace(/^\.\//, '');
const wasm = fs.readFileSync(path.join(dir, wasmFile));
if (!wasm.subarray(0, 4).equals(Buffer.from([0, 0x61, 0x73, 0x6d]))) problems.push(`${wasmFile} is not WebAssembly`);
const hash = crypto.createHash('sha256').update(wasm).digest('hex').slice(0, 16);
if (wasmFile !== `surrealauth.${hash}.wasm`) problems.push(`${wasmFile} is not named after its content (${hash})`);
for (const bundle of ['surrealauth.mjs', 'surrealauth.js']) {
  if (!fs.readFileSync(path.join(dir, bundle), 'utf8').includes(`"${wasmFile.replace(/^/, bundle.endsWith('.mjs') ? './' : '')}"`)) problems.push(`${bundle} does not name ${wasmFile}`);
}

const names = ['CONNECTION_STATES', 'EVENTS', 'SurrealAuthError', 'connect', 'storedSession', 'version'];
const cjs = createRequire(path.join(dir, 'package.json'))('./surrealauth.js');
if (JSON.stringify(Object.keys(cjs).sort()) !== JSON.stringify(names)) problems.push(`require() gives ${Object.keys(cjs)}`);
if (cjs.version !== pkg.version) problems.push(`require().version is ${cjs.version}, not ${pkg.version}`);
if ('SurrealAuth' in globalThis) problems.push('require() set globalThis.SurrealAuth');
const esm = await import(pathToFileURL(path.join(dir, 'surrealauth.mjs')).href);
const esmNames = Object.keys(esm).filter((k) => k !== 'default').sort();
if (JSON.stringify(esmNames) !== JSON.stringify(names)) problems.push(`the ES module exports ${esmNames}`);
if (esm.default?.connect !== esm.connect) problems.push('the default export is not the API object');

if (problems.length) {
  for (const p of problems) process.stderr.write(`check-package: ${p}\n`);
  process.exit(1);
}
