// The package in apps built by bundlers, as a user builds them: the tarball
// `npm pack` made from dist/ is installed into a tiny app, the app is built
// with Vite and with esbuild (their JS APIs, the versions package-lock.json
// pins), the output is served by the dev server (pages must come from it:
// see PAGES_ARGS in helpers.mjs), and Chromium signs up through it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as esbuild from 'esbuild';
import { build as viteBuild } from 'vite';
import { DB, NS, PASSWORD, ROOT, launchBrowser, newContext, onEngine, startServer, uniqueEmail, wasmName } from './helpers.mjs';
import { makeApp, packDist } from './pack.mjs';

const WASM = fs.readFileSync(path.join(ROOT, 'dist', wasmName()));
const INDEX = (title, script) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${title}</title>
<script type="module" src="${script}"></script></head><body></body></html>
`;

/** Vite: the plain import; the wasm is found through new URL(…, import.meta.url). */
async function buildWithVite(tarball) {
  const app = await makeApp('vite', tarball, {
    'index.html': INDEX('vite app', '/main.js'),
    'main.js': 'import { connect } from "surrealauth";\nwindow.app = { connect };\n',
  });
  const out = path.join(app, 'out');
  await viteBuild({
    root: app, configFile: false, logLevel: 'warn', base: '/vite/',
    build: { outDir: out, emptyOutDir: true, license: true },
  });
  return out;
}

/** esbuild: the documented way, the wasm imported as a file and passed as wasmURL. */
async function buildWithEsbuild(tarball) {
  const app = await makeApp('esbuild', tarball, {
    'main.js': 'import { connect } from "surrealauth";\nimport wasmURL from "surrealauth/surrealauth.wasm";\n' +
      'window.app = { connect, wasmURL };\n',
  });
  const out = path.join(app, 'out');
  fs.rmSync(out, { recursive: true, force: true });
  await esbuild.build({
    absWorkingDir: app, entryPoints: ['main.js'], bundle: true, format: 'esm', minify: true,
    outdir: out, loader: { '.wasm': 'file' }, logLevel: 'warning',
  });
  fs.writeFileSync(path.join(out, 'index.html'), INDEX('esbuild app', 'main.js'));
  return out;
}

/** The wasm files a build emitted, with their bytes. */
function emittedWasm(dir) {
  return fs.readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.wasm'))
    .map((f) => ({ file: f, bytes: fs.readFileSync(path.join(dir, f)) }));
}

const env = {};
before(async () => {
  const { tarball } = await packDist('pack-bundlers');
  env.vite = await buildWithVite(tarball);
  env.esbuild = await buildWithEsbuild(tarball);
  env.server = await startServer(['--serve', `/vite=${env.vite}`, '--serve', `/esbuild=${env.esbuild}`]);
  env.browser = await launchBrowser();
});
after(async () => {
  await env.browser?.close();
  await env.server?.stop();
});

/** Opens an app's page, signs up through window.app.connect, and reports what happened. */
async function signupThrough(pathname, options = {}) {
  const context = await newContext(env.browser);
  const failed = [];
  context.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
  const page = await context.newPage();
  await page.goto(`${env.server.origin}${pathname}`);
  await page.waitForFunction(() => window.app !== undefined);
  const result = await page.evaluate(async ({ rpc, NS, DB, email, password, options }) => {
    const opts = { storage: 'memory', ...options };
    if (opts.wasmURL === true) opts.wasmURL = window.app.wasmURL;
    try {
      const db = await window.app.connect(rpc, opts);
      const token = await db.signup({ NS, DB, AC: 'allusers', email, password });
      const info = await db.info();
      await db.close();
      return { ok: true, token, id: info && info.id, email: info && info.email };
    } catch (e) {
      return { ok: false, name: e.name, code: e.code, message: e.message };
    }
  }, { rpc: env.server.rpc, NS, DB, email: options.email, password: PASSWORD, options: options.connect ?? {} });
  await context.close();
  return { result, failed };
}

describe(onEngine('bundlers'), () => {
  it('Vite: `import { connect } from "surrealauth"` emits the wasm with the bundle, and a sign-up works', async () => {
    const wasm = emittedWasm(env.vite);
    assert.equal(wasm.length, 1, 'one wasm in the build');
    assert.match(wasm[0].file, /^assets\/surrealauth\.[0-9a-f]{16}-[\w-]+\.wasm$/, "Vite keeps the content-hashed name and adds its own hash");
    assert.ok(wasm[0].bytes.equals(WASM), 'the package\'s wasm, byte for byte');
    const licences = fs.readFileSync(path.join(env.vite, '.vite', 'license.md'), 'utf8');
    assert.match(licences, /surrealauth[\s\S]*Apache-2\.0/, 'Vite\'s licence report finds the package\'s licence');

    const email = uniqueEmail('vite');
    const { result, failed } = await signupThrough('/vite/', { email });
    assert.deepEqual(failed, []);
    assert.equal(result.ok, true, result.message);
    assert.match(result.token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.match(result.id, /^user:/);
    assert.equal(result.email, email);
  });

  it('esbuild: `import wasmURL from "surrealauth/surrealauth.wasm"` with the file loader, passed as wasmURL', async () => {
    const wasm = emittedWasm(env.esbuild);
    assert.equal(wasm.length, 1);
    assert.ok(wasm[0].bytes.equals(WASM));
    const bundle = fs.readFileSync(path.join(env.esbuild, 'main.js'), 'utf8');
    assert.match(bundle, /Copyright 2018 The Go Authors/, 'the licence banner survives minification');

    const email = uniqueEmail('esbuild');
    const { result, failed } = await signupThrough('/esbuild/', { email, connect: { wasmURL: true } });
    assert.deepEqual(failed, []);
    assert.equal(result.ok, true, result.message);
    assert.match(result.id, /^user:/);
    assert.equal(result.email, email);
  });

  it('esbuild without wasmURL: the wasm is not beside the bundle, and connect says so', async (t) => {
    const { result } = await signupThrough('/esbuild/', { email: uniqueEmail('esbuild') });
    assert.equal(result.ok, false);
    assert.equal(result.name, 'SurrealAuthError');
    assert.equal(result.code, 'connection_failed');
    assert.match(result.message, new RegExp(`^cannot load surrealauth\\.wasm from ${env.server.origin}/esbuild/${wasmName().replace(/\./g, '\\.')}: HTTP 404 .*pass connect's wasmURL option`));
    t.diagnostic(result.message);
  });
});
