// Shared by the browser tests: a dev server per test file, Debian's Chromium
// through playwright-core, and two blank pages on the server's origin that
// load the bundle as a classic script and as an ES module (e2e/pages/).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

export const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const OUT = path.join(ROOT, 'test-output');
export const NS = 'surrealauth';
export const DB = 'demo';
/**
 * Server arguments that serve e2e/pages/ at "/" instead of the demo. The
 * pages must come from the server itself: Chromium's local network access
 * checks block a page that Playwright fulfilled (no address, so "public")
 * from opening a WebSocket to 127.0.0.1.
 */
export const PAGES_ARGS = ['--web', path.join(ROOT, 'e2e', 'pages')];
export const PASSWORD = 'correct horse battery staple';

/**
 * The wasm's file name in dist/: js/build.sh names it after its content
 * (surrealauth.<hash>.wasm) and exports it as "surrealauth/surrealauth.wasm".
 */
export function wasmName() {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'dist', 'package.json'), 'utf8'));
  return pkg.exports['./surrealauth.wasm'].default.replace(/^\.\//, '');
}

/**
 * The engine of this run: E2E_ENGINE=3 (SurrealDB 3.x, the default) or 2
 * (2.x). `make test-browser` runs the whole suite once per engine.
 */
export const ENGINE = process.env.E2E_ENGINE || '3';
if (ENGINE !== '3' && ENGINE !== '2') throw new Error(`E2E_ENGINE must be 3 or 2, not ${JSON.stringify(ENGINE)}`);
/** True on SurrealDB 2.x: no refresh tokens (no WITH REFRESH accesses, no refresh/revoke RPC). */
export const V2 = ENGINE === '2';
/** Skip reason for tests that need WITH REFRESH (`refreshing`, `shortrefresh`), false on 3.x. */
export const NEEDS_REFRESH = V2 && '2.x has no WITH REFRESH accesses and no refresh RPC';
/** A suite title that names the engine, so every test's line in the output says which run it is. */
export const onEngine = (title) => `engine=${ENGINE} ${title}`;

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/**
 * Starts `node devserver/server.mjs --port 0 --engine ENGINE` (unless args
 * name an --engine themselves) and resolves once it prints its ready line.
 * stop() ends it (SIGTERM, then SIGKILL if it lingers).
 */
export function startServer(args = []) {
  if (!args.includes('--engine')) args = [...args, '--engine', ENGINE];
  for (const f of ['surrealauth.js', 'surrealauth.mjs', 'package.json']) {
    if (!fs.existsSync(path.join(ROOT, 'dist', f))) throw new Error(`dist/${f} is missing: run make dist first`);
  }
  const proc = spawn(process.execPath, [path.join(ROOT, 'devserver', 'server.mjs'), '--port', '0', '--quiet', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`dev server not ready in 30 s\n${stderr}`)); }, 30_000);
    const early = (code) => { clearTimeout(timer); reject(new Error(`dev server exited (${code}) before it was ready\n${stderr}`)); };
    proc.once('exit', early);
    proc.stdout.on('data', (d) => {
      stdout += d;
      const m = /surrealauth devserver ready (ws:\/\/(\S+)\/rpc) engine=(\S+)/.exec(stdout);
      if (!m) return;
      clearTimeout(timer);
      proc.off('exit', early);
      resolve({
        rpc: m[1],
        origin: `http://${m[2]}`,
        engine: m[3],
        stderr: () => stderr,
        async stop() {
          if (proc.exitCode !== null || proc.signalCode !== null) return;
          proc.kill('SIGTERM');
          const t = setTimeout(() => proc.kill('SIGKILL'), 3000);
          await exited;
          clearTimeout(t);
        },
      });
    });
  });
}

/** Launches Chromium headless; every browser.newContext() is a fresh profile. */
export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/**
 * The usual file set-up: one dev server (PAGES_ARGS plus extraArgs, on
 * ENGINE) and one Chromium for the whole file, stopped after it. Returns an
 * object whose .server and .browser are set once the before hook ran.
 * Call it at file level only when the file has no other file-level before
 * hook that needs them: Node 20 starts file-level before hooks at once, one
 * does not wait for the other (inside a describe they run in order).
 */
export function useServerAndBrowser(extraArgs = [], { pages = true } = {}) {
  const env = { server: undefined, browser: undefined };
  before(async () => {
    env.server = await startServer([...(pages ? PAGES_ARGS : []), ...extraArgs]);
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

/** A fresh context (a new profile) with console messages collected in context.logs. */
export async function newContext(browser) {
  const context = await browser.newContext();
  context.logs = [];
  context.on('page', (page) => {
    page.on('console', (msg) => context.logs.push({ type: msg.type(), text: msg.text() }));
    page.on('pageerror', (err) => context.logs.push({ type: 'pageerror', text: String(err) }));
  });
  return context;
}

/**
 * Opens e2e/pages/<style>.html ("classic" or "module"), which loads the bundle
 * and sets window.lib. The server must have been started with PAGES_ARGS.
 */
export async function openPage(context, server, style = 'classic') {
  const page = await context.newPage();
  await page.goto(`${server.origin}/${style}.html`);
  await page.waitForFunction(() => window.lib !== undefined);
  return page;
}

/** A new e-mail address per call, so tests never collide on the unique index. */
export function uniqueEmail(tag = 'user') {
  return `${tag}.${Date.now().toString(36)}.${Math.random().toString(36).slice(2, 8)}@example.com`;
}

