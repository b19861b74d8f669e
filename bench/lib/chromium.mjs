// Debian's Chromium, started by us with exactly the flags the benchmark names and a fresh
// user-data-dir (so the HTTP cache and the code cache live on disk, as for a real profile), then
// driven through the DevTools protocol by playwright-core (connectOverCDP).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Starts Chromium; resolves to {browser, context, userDataDir, version, close()}. */
export async function launch({ extraFlags = [] } = {}) {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install chromium (make chromium)`);
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'surrealauth-bench-profile-'));
  const proc = spawn(CHROMIUM, [...FLAGS, ...extraFlags, `--user-data-dir=${userDataDir}`, '--remote-debugging-port=0', 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true, // its own process group: close() ends the helpers (renderers, crashpad) too
  });
  let stderr = '';
  const wsEndpoint = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`chromium: no DevTools endpoint in 30 s\n${stderr}`)), 30_000);
    proc.stderr.on('data', (d) => {
      stderr += d;
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`chromium exited (${code})\n${stderr}`)); });
  });
  proc.stderr.resume();
  const browser = await chromium.connectOverCDP(wsEndpoint);
  const context = browser.contexts()[0];
  const cdp = await browser.newBrowserCDPSession();
  const { product } = await cdp.send('Browser.getVersion');
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  return {
    browser,
    context,
    cdp,
    userDataDir,
    version: product,
    pid: proc.pid,
    async close() {
      await browser.close().catch(() => {});
      const group = (sig) => { try { process.kill(-proc.pid, sig); } catch { /* gone */ } };
      if (proc.exitCode === null && proc.signalCode === null) group('SIGTERM');
      const t = setTimeout(() => group('SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
      group('SIGKILL'); // stragglers of the group, if any
      for (let i = 0; ; i++) {
        try {
          fs.rmSync(userDataDir, { recursive: true, force: true });
          break;
        } catch (err) {
          if (i === 20) { process.stderr.write(`[bench] could not remove ${userDataDir}: ${err.message}\n`); break; }
          await new Promise((r) => setTimeout(r, 250));
        }
      }
    },
  };
}

/** Files and bytes under <profile>/Default/Code Cache/{js,wasm}. */
export function codeCacheStats(userDataDir) {
  const out = {};
  for (const kind of ['js', 'wasm']) {
    const dir = path.join(userDataDir, 'Default', 'Code Cache', kind);
    let files = 0;
    let bytes = 0;
    const walk = (d) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.isFile() && /_0$/.test(e.name)) { files++; bytes += fs.statSync(p).size; }
      }
    };
    if (fs.existsSync(dir)) walk(dir);
    out[kind] = { files, bytes };
  }
  return out;
}
