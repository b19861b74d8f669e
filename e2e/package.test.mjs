// The npm package as published: the tarball `npm pack` makes from dist/,
// checked as a user's tools check it. Its file list, arethetypeswrong, the
// types compiled by TypeScript under each module resolution, require() and
// import in Node, and the licences. No server or browser needed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { before, describe, it } from 'node:test';
import { ROOT, wasmName } from './helpers.mjs';
import { makeApp, packDist, sh } from './pack.mjs';

const ATTW = path.join(ROOT, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const API = ['CONNECTION_STATES', 'EVENTS', 'SurrealAuthError', 'connect', 'storedSession', 'version'];

let pack;
before(async () => { pack = await packDist(); });

describe('the npm package', () => {
  it('holds what a server needs and nothing else: no .br/.gz copies', (t) => {
    assert.deepEqual(pack.files, [
      'CHANGELOG.md', 'LICENSE', 'README.md', 'THIRD-PARTY-NOTICES', 'package.json',
      'surrealauth.d.mts', 'surrealauth.d.ts', 'surrealauth.js', 'surrealauth.mjs',
      wasmName(), 'surrealauth.wasm.d.ts',
    ].sort());
    assert.match(wasmName(), /^surrealauth\.[0-9a-f]{16}\.wasm$/, 'named after its content');
    t.diagnostic(`${path.basename(pack.tarball)}: ${pack.size} bytes packed, ${pack.unpackedSize} unpacked`);
    const wasm = fs.statSync(path.join(ROOT, 'dist', wasmName())).size;
    assert.ok(pack.size < wasm / 2, `the tarball (${pack.size} B) is the gzip of the files, not copies of them`);
  });

  it('passes arethetypeswrong for every entry point', async (t) => {
    // The .mjs subpath is ESM by name, so require() of it is out of scope
    // (the esm-only profile); every other entry is checked strictly.
    const strict = await sh(process.execPath, [ATTW, pack.tarball, '--exclude-entrypoints', './surrealauth.mjs', '--format', 'ascii', '--no-color']);
    const esm = await sh(process.execPath, [ATTW, pack.tarball, '--entrypoints', './surrealauth.mjs', '--profile', 'esm-only', '--format', 'ascii', '--no-color']);
    // attw exits non-zero on any problem (sh() then throws); the strict run has none at all.
    assert.match(strict.stdout, /No problems found/);
    assert.doesNotMatch(esm.stdout.replace(/^.*\(ignored.*$/gm, ''), /⚠️|💀|❌/u);
    t.diagnostic(strict.stdout.split('\n').filter((l) => /^"|node|bundler/.test(l)).join(' | '));
  });

  it('has types that TypeScript compiles against, for import, require, the .mjs subpath and the wasm URL', async () => {
    const use = `
      const db = await connect("wss://db.example.com/rpc", { storage: "session", wasmURL });
      const rows: RecordValue[] = await db.query("SELECT * FROM note WHERE owner = $who", { who: "user:a", at: new Date(), n: 1n });
      await db.use({ namespace: "ns", database: "db" });
      const detach: () => void = db.attach({ authenticate: async (t: string) => t, invalidate: async () => {} }, { onError: (e, event) => { void e; void event; } });
      const fields = (e: InstanceType<typeof SurrealAuthError>): [ErrorReason | undefined, number | undefined, string | undefined] => [e.reason, e.statement, e.serverMessage];
      void rows; void detach; void fields;
      const token: string = await db.signin({ NS: "ns", DB: "db", AC: "users", email: "a@b.c", password: "pw" });
      db.onAuthStateChange((event, session) => { const id: string | null | undefined = session?.id; void event; void id; });
      const code: ErrorCode = "invalid_credentials";
      const stored = storedSession("wss://db.example.com/rpc", { storage: "local", storageKey: "k" });
      const verified: boolean | undefined = stored?.verified;
      void token; void code; void SurrealAuthError; void version; void verified;
    `;
    const app = await makeApp('types', pack.tarball, {
      'esm.mts': `import { connect, storedSession, SurrealAuthError, version, type ErrorCode, type ErrorReason, type RecordValue } from "surrealauth";\n` +
        `import wasmURL from "surrealauth/surrealauth.wasm";\n${use}\nexport {};\n`,
      'subpath.mts': `import SurrealAuth, { connect, storedSession, SurrealAuthError, version, type ErrorCode, type ErrorReason, type RecordValue } from "surrealauth/surrealauth.mjs";\n` +
        `const wasmURL = "/x.wasm";\n${use}\nvoid SurrealAuth.EVENTS;\nexport {};\n`,
      'cjs.cts': `import SurrealAuth = require("surrealauth");\n` +
        `const { connect, storedSession, SurrealAuthError, version } = SurrealAuth;\ntype ErrorCode = SurrealAuth.ErrorCode;\ntype ErrorReason = SurrealAuth.ErrorReason;\ntype RecordValue = SurrealAuth.RecordValue;\n` +
        `async function main(wasmURL: string) {\n${use}\n}\nvoid main;\n`,
      'bundler.ts': `import { connect, storedSession, SurrealAuthError, version, type ErrorCode, type ErrorReason, type RecordValue } from "surrealauth";\n` +
        `import wasmURL from "surrealauth/surrealauth.wasm";\n${use}\nexport {};\n`,
      'tsconfig.node16.json': JSON.stringify({ compilerOptions: { module: 'node16', moduleResolution: 'node16', target: 'es2022', strict: true, noEmit: true, esModuleInterop: true, lib: ['es2022', 'dom'], types: [] }, files: ['esm.mts', 'subpath.mts', 'cjs.cts'] }),
      'tsconfig.bundler.json': JSON.stringify({ compilerOptions: { module: 'esnext', moduleResolution: 'bundler', target: 'es2022', strict: true, noEmit: true, esModuleInterop: true, lib: ['es2022', 'dom'], types: [] }, files: ['bundler.ts'] }),
    });
    for (const config of ['tsconfig.node16.json', 'tsconfig.bundler.json']) {
      await sh(process.execPath, [TSC, '-p', config], { cwd: app });
    }
  });

  it('loads with require() and import in Node; without a wasmURL require()\'s connect says to pass one', async () => {
    const app = await makeApp('node', pack.tarball, {});
    const cjs = createRequire(path.join(app, 'package.json'))('surrealauth');
    assert.deepEqual(Object.keys(cjs).sort(), API);
    const esm = await import(pathToFileURL(path.join(app, 'node_modules', 'surrealauth', 'surrealauth.mjs')).href);
    assert.deepEqual(Object.keys(esm).filter((k) => k !== 'default').sort(), API);
    assert.equal(esm.version, JSON.parse(fs.readFileSync(path.join(ROOT, 'js', 'package.json'), 'utf8')).version);
    await assert.rejects(cjs.connect('ws://127.0.0.1:1/rpc'), (err) => {
      assert.equal(err.name, 'SurrealAuthError');
      assert.equal(err.code, 'connection_failed');
      assert.match(err.message, /pass connect's wasmURL option/);
      return true;
    });
    await assert.rejects(cjs.connect('ws://127.0.0.1:1/rpc', { wasmURL: 42 }), { name: 'SurrealAuthError', code: 'invalid_params' });
  });

  it('carries its licence and the notices of everything it includes', async () => {
    const dist = (f) => fs.readFileSync(path.join(ROOT, 'dist', f), 'utf8');
    const pkg = JSON.parse(dist('package.json'));
    assert.equal(pkg.license, 'Apache-2.0');
    assert.equal(dist('LICENSE'), fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8'));
    assert.match(dist('LICENSE'), /Apache License\s+Version 2\.0, January 2004/);
    const notices = dist('THIRD-PARTY-NOTICES');
    const goLicence = fs.readFileSync(path.join((await sh('go', ['env', 'GOROOT'])).stdout.trim(), 'LICENSE'), 'utf8');
    assert.ok(notices.includes(goLicence), "Go's licence (wasm_exec.js and the runtime)");
    const { stdout } = await sh('go', ['list', '-deps', '-f', '{{with .Module}}{{if not .Main}}{{.Path}}{{end}}{{end}}', './wasm'], {
      cwd: ROOT, env: { ...process.env, GOOS: 'js', GOARCH: 'wasm' },
    });
    const modules = [...new Set(stdout.split('\n').filter(Boolean))];
    assert.ok(modules.length > 0);
    for (const m of modules) assert.match(notices, new RegExp(`^${m.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} v`, 'm'), m);
    for (const f of ['surrealauth.js', 'surrealauth.mjs']) {
      assert.match(dist(f).slice(0, 400), /^\/\*! surrealauth [\d.]+ .*Apache-2\.0.*\n \* Includes Go's wasm_exec\.js: Copyright 2018 The Go Authors/, f);
    }
  });
});
