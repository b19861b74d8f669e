#!/usr/bin/env node
// make bench (issue 5): this client against surrealdb.js v2 and against the floor (a raw browser
// WebSocket sending the same CBOR requests), in one headless Chromium, against one dev server.
//
//   node bench/run.mjs [--quick] [--out <dir>]
//
// Starts the dev server (SurrealDB 3.x in memory; --web bench/pages, dist/ precompressed into
// bench/out/dist/, surrealdb's browser build mounted) and Chromium once, then measures,
// alternating the clients in rounds so drift (thermal, GC, the server warming up) falls on all
// of them alike:
//   1. page load → ready: cold (HTTP and code caches cleared), warm cache, warm + a kept session;
//   2. signin latency, p50/p95 over ≥ 200 calls, `plain` and `allusers` (argon2) accesses;
//   3. protocol round trip: `version` (theirs, raw) and `authenticate` with a valid token (all three);
//   4. throughput: 1000 concurrent signins on one connection, and 1000 concurrent
//      `SELECT * FROM $auth` queries on one connection, signed in (both clients pipeline them);
//   5. memory after 10 000 signin/invalidate cycles (JS heap; ours also the wasm linear memory);
//   6. bytes on the wire: raw / gzip / brotli of everything each client loads;
//   7. a CPU profile of ours over a few hundred signins and authenticates (bench/lib/profile.mjs),
//      on a wasm built with its name section, split by cause.
// Writes <out>/results.json, <out>/RESULTS.md and <out>/latency.svg. Goals are reported, not asserted.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { Client, DB, NS, startServer } from '../devserver/testing.mjs';
import { codeCacheStats, FLAGS, launch } from './lib/chromium.mjs';
import { buildNamedWasm, profileOurs } from './lib/profile.mjs';
import { renderMarkdown } from './lib/report.mjs';
import { median, ratio, rotate, summarize } from './lib/stats.mjs';
import { latencyChart } from './lib/svg.mjs';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { values: argv } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, out: { type: 'string', default: path.join(ROOT, 'bench') } },
});
const OUT = path.resolve(argv.out);

// Sizes of each phase. --quick is a smoke run (seconds), not a measurement.
const CFG = argv.quick
  ? { loadRounds: 2, dwellMs: 2500, plain: [5, 3, 5], argon: [1, 2, 2], rtt: [5, 3, 5], burst: [1, 2, 200], queryBurst: [1, 2, 200], heap: [50, 2, 100], profile: [20, 30] }
  : {
    loadRounds: 10, // × (cold, warm, restored) × 3 clients
    dwellMs: 2500, // the cold page stays open this long, as a visitor would: V8 writes its wasm code cache ~2 s after tier-up
    plain: [150, 25, 10], // warm-up calls per client (V8 tiers up wasm and JS meanwhile), rounds, calls per round → 250
    argon: [5, 20, 10], // → 200
    rtt: [100, 25, 20], // → 500
    burst: [1, 5, 1000], // warm-up bursts, rounds, signins per burst
    queryBurst: [1, 7, 1000], // warm-up bursts, rounds, queries per burst
    heap: [500, 10, 1000], // warm-up cycles, samples, cycles per sample → 10 000
    profile: [150, 300], // warm-up calls, profiled calls (each of signin and authenticate)
  };
const CLIENTS = ['ours', 'theirs', 'raw'];
const PASSWORD = 'bench password';
const USERS = { plain: `bench-plain-${process.pid}@example.com`, allusers: `bench-argon-${process.pid}@example.com` };

const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);
const t0 = Date.now();

const loadAtStart = os.loadavg();

function machine(chromiumVersion, engine) {
  const cpus = os.cpus();
  let osName = `${os.type()} ${os.release()}`;
  try {
    const rel = fs.readFileSync('/etc/os-release', 'utf8');
    osName = `${/^PRETTY_NAME="?([^"\n]*)/m.exec(rel)?.[1] ?? os.type()}, kernel ${os.release()}`;
  } catch { /* not Linux */ }
  let goVersion = null;
  try {
    goVersion = execFileSync('go', ['version'], { encoding: 'utf8' }).trim().replace(/^go version /, '');
  } catch { /* no go on PATH */ }
  const pkg = (name) => JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  return {
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGB: +(os.totalmem() / 2 ** 30).toFixed(1),
    os: osName,
    node: process.version,
    go: goVersion,
    chromium: chromiumVersion,
    chromiumFlags: FLAGS,
    server: `dev server, ${engine} (@surrealdb/node ${pkg('@surrealdb/node')}), in memory, loopback`,
    surrealdbJs: pkg('surrealdb'),
    loadAverage: { start: loadAtStart.map((v) => +v.toFixed(2)), end: os.loadavg().map((v) => +v.toFixed(2)) },
    surrealauth: JSON.parse(fs.readFileSync(path.join(ROOT, 'dist', 'package.json'), 'utf8')).version,
  };
}

// --------------------------------------------------------------------------------------------
// Bytes: what each client's page loads besides the page itself, as files and as compressed on the
// wire. Ours is served from bench/out/dist/, dist/'s files with .br/.gz siblings made here (a
// production server precompresses a 5.5 MB wasm at build time: the dev server compresses on the
// fly only files up to 4 MB, and brotli q11 of the wasm takes ~30 s); other files are compressed
// by the dev server with the same settings: brotli q11, gzip -9.

const SERVED_DIST = path.join(ROOT, 'bench', 'out', 'dist');
/** The wasm's name: js/build.sh names it after its content and exports it as ./surrealauth.wasm. */
const WASM = JSON.parse(fs.readFileSync(path.join(ROOT, 'dist', 'package.json'), 'utf8')).exports['./surrealauth.wasm'].default.replace(/^\.\//, '');
const OURS = ['surrealauth.mjs', 'surrealauth.js', WASM];

/**
 * Copies dist/'s bundles and wasm to SERVED_DIST with .br and .gz beside each, compressing only
 * what changed since the last run (compared by size and mtime).
 */
function precompressDist() {
  fs.mkdirSync(SERVED_DIST, { recursive: true });
  for (const f of OURS) {
    const from = path.join(ROOT, 'dist', f);
    const to = path.join(SERVED_DIST, f);
    const src = fs.statSync(from);
    const dst = fs.statSync(to, { throwIfNoEntry: false });
    const fresh = dst && dst.size === src.size && dst.mtimeMs === src.mtimeMs &&
      fs.existsSync(`${to}.br`) && fs.existsSync(`${to}.gz`);
    if (fresh) continue;
    log(`compressing ${f} (brotli q11, gzip -9)`);
    const buf = fs.readFileSync(from);
    const sizes = compressedBuffers(buf);
    fs.writeFileSync(`${to}.br`, sizes.brotli);
    fs.writeFileSync(`${to}.gz`, sizes.gzip);
    fs.copyFileSync(from, to);
    fs.utimesSync(to, src.atime, src.mtime);
  }
}

function compressedBuffers(buf) {
  return {
    gzip: zlib.gzipSync(buf, { level: 9 }),
    brotli: zlib.brotliCompressSync(buf, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length },
    }),
  };
}

function fileSizes(file) {
  const out = { raw: fs.statSync(file).size };
  const siblings = [['gzip', '.gz'], ['brotli', '.br']];
  if (siblings.every(([, ext]) => fs.existsSync(file + ext))) {
    for (const [enc, ext] of siblings) out[enc] = fs.statSync(file + ext).size; // what is really served
    return out;
  }
  const c = compressedBuffers(fs.readFileSync(file)); // what the dev server sends
  return { ...out, gzip: c.gzip.length, brotli: c.brotli.length };
}

function wireSizes() {
  const files = {
    ours: ['dist/surrealauth.mjs', `dist/${WASM}`],
    theirs: ['node_modules/surrealdb/dist/surrealdb.mjs'],
    raw: ['bench/pages/raw.js'],
  };
  const out = {};
  // Ours are measured where they are served from (SERVED_DIST), under their dist/ names.
  const served = (f) => (f.startsWith('dist/') ? path.join(SERVED_DIST, f.slice('dist/'.length)) : path.join(ROOT, f));
  for (const [client, list] of Object.entries(files)) {
    const perFile = Object.fromEntries(list.map((f) => [f, fileSizes(served(f))]));
    const total = { raw: 0, gzip: 0, brotli: 0 };
    for (const s of Object.values(perFile)) for (const k of Object.keys(total)) total[k] += s[k];
    out[client] = { files: perFile, total };
  }
  return out;
}

/** GETs a path with an Accept-Encoding, so the dev server compresses it before anything is timed. */
function prewarm(base, pathname, encoding) {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(base);
    http.get({ hostname, port, path: pathname, headers: { 'Accept-Encoding': encoding } }, (res) => {
      res.resume();
      res.on('end', resolve);
    }).on('error', reject);
  });
}

// --------------------------------------------------------------------------------------------
// 1. Page load → ready.

async function pageLoads(ch, server) {
  const control = ch.context.pages()[0] ?? await ch.context.newPage();
  const net = await ch.context.newCDPSession(control);
  const origin = server.httpBase;
  const clearCaches = () => net.send('Network.clearBrowserCache');
  const clearStorage = () => net.send('Storage.clearDataForOrigin', { origin, storageTypes: 'local_storage' });

  async function load(client, after, dwellMs = 0) {
    const page = await ch.context.newPage();
    try {
      await page.goto(`${origin}/load-${client}.html`);
      await page.waitForFunction(() => window.result, null, { timeout: 60_000 });
      const r = await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0];
        return {
          ...window.result,
          html: { transferSize: nav.transferSize, responseEnd: nav.responseEnd },
          resources: performance.getEntriesByType('resource').map((e) => ({
            url: new URL(e.name).pathname,
            start: e.startTime,
            end: e.responseEnd,
            transferSize: e.transferSize,
            encodedBodySize: e.encodedBodySize,
            decodedBodySize: e.decodedBodySize,
          })),
        };
      });
      if (after) await after(page);
      if (dwellMs) await page.waitForTimeout(dwellMs);
      return r;
    } finally {
      await page.close();
    }
  }

  const samples = Object.fromEntries(CLIENTS.map((c) => [c, { cold: [], warm: [], restored: [] }]));
  let codeCacheAfterWarm = null;
  for (let round = 0; round < CFG.loadRounds; round++) {
    for (const client of rotate(CLIENTS, round)) {
      await clearCaches();
      await clearStorage();
      const cold = await load(client, null, CFG.dwellMs);
      const warm = await load(client, (page) => page.evaluate(({ email, password }) => window.keepSession('plain', email, password), { email: USERS.plain, password: PASSWORD }));
      if (client === 'ours' && round === 0) codeCacheAfterWarm = codeCacheStats(ch.userDataDir);
      const restored = await load(client);
      if (cold.restored || warm.restored || !restored.restored) {
        throw new Error(`${client}: unexpected session state (cold ${cold.restored}, warm ${warm.restored}, restored ${restored.restored})`);
      }
      samples[client].cold.push(cold);
      samples[client].warm.push(warm);
      samples[client].restored.push(restored);
      await clearStorage();
    }
    log(`page loads: round ${round + 1}/${CFG.loadRounds}`);
  }
  await net.detach();

  const out = {};
  for (const client of CLIENTS) {
    const s = samples[client];
    const lib = (r) => r.resources.filter((e) => !e.url.endsWith('.html'));
    const firstPaint = (k) => (client === 'ours' ? summarize(s[k].map((r) => r.firstPaint)) : null);
    out[client] = {
      cold: summarize(s.cold.map((r) => r.ready)),
      warm: summarize(s.warm.map((r) => r.ready)),
      restored: summarize(s.restored.map((r) => r.ready)),
      // Ours: navigation → storedSession() returned, the session a page can paint before ready.
      firstPaint: client === 'ours' ? { cold: firstPaint('cold'), warm: firstPaint('warm'), restored: firstPaint('restored') } : null,
      storedSeen: client === 'ours' ? s.restored.every((r) => r.stored) : null,
      // What the browser reports for the library files of one load.
      coldTransfer: median(s.cold.map((r) => lib(r).reduce((n, e) => n + e.transferSize, 0))),
      coldDecoded: median(s.cold.map((r) => lib(r).reduce((n, e) => n + e.decodedBodySize, 0))),
      warmTransfer: median(s.warm.map((r) => lib(r).reduce((n, e) => n + e.transferSize, 0))),
      // A warm load revalidates every file (no-cache + ETag → 304: a few hundred bytes of headers, no
      // body), except ours' wasm, named after its content and immutable: taken from the cache, 0 bytes.
      warmRevalidated: s.warm.every((r) => lib(r).every((e) => (e.url.endsWith('.wasm') && e.transferSize === 0)
        || (e.transferSize > 0 && e.transferSize < 1000 && e.encodedBodySize > 0))),
      warmWasmFromCache: client === 'ours' ? s.warm.every((r) => lib(r).filter((e) => e.url.endsWith('.wasm')).every((e) => e.transferSize === 0)) : null,
      firstSample: { cold: s.cold[0], warm: s.warm[0] },
      // Where the time goes (medians, ms since navigation start): the page's HTML is in, the
      // library's first request starts, its last response ends, ready.
      timeline: Object.fromEntries(['cold', 'warm', 'restored'].map((k) => [k, {
        htmlEnd: median(s[k].map((r) => r.html.responseEnd)),
        firstRequest: median(s[k].map((r) => Math.min(...lib(r).map((e) => e.start)))),
        lastResponseEnd: median(s[k].map((r) => Math.max(...lib(r).map((e) => e.end)))),
        ready: median(s[k].map((r) => r.ready)),
      }])),
      samples: { cold: s.cold.map((r) => r.ready), warm: s.warm.map((r) => r.ready), restored: s.restored.map((r) => r.ready) },
    };
  }
  out.codeCache = { afterOursWarmLoad: codeCacheAfterWarm, atEnd: codeCacheStats(ch.userDataDir) };
  return out;
}

// --------------------------------------------------------------------------------------------
// 2–4. Latency and throughput, all three clients in one page (lab.html), each on its own socket.

async function lab(ch, server) {
  const page = await ch.context.newPage();
  await page.goto(`${server.httpBase}/lab.html`);
  await page.waitForFunction(() => window.labReady === true);
  await page.evaluate((names) => window.lab.open(names), CLIENTS);
  const isolated = await page.evaluate(() => window.crossOriginIsolated);
  if (!isolated) log('warning: the lab page is not cross-origin isolated: timer resolution is 100 µs');
  const time = (name, op, n, args) => page.evaluate(({ name, op, n, args }) => window.lab.time(name, op, n, args), { name, op, n, args });

  async function rounds(label, clients, op, args, [warm, nRounds, perRound]) {
    const series = Object.fromEntries(clients.map((c) => [c, []]));
    for (const c of clients) await time(c, op, warm, args);
    for (let r = 0; r < nRounds; r++) {
      for (const c of rotate(clients, r)) series[c].push(...await time(c, op, perRound, args));
    }
    log(`${label}: ${clients.map((c) => `${c} p50 ${summarize(series[c]).p50.toFixed(3)} ms`).join(', ')}`);
    return series;
  }

  const signin = {
    plain: await rounds('signin plain', CLIENTS, 'signin', { access: 'plain', email: USERS.plain, password: PASSWORD }, CFG.plain),
    allusers: await rounds('signin allusers', CLIENTS, 'signin', { access: 'allusers', email: USERS.allusers, password: PASSWORD }, CFG.argon),
  };
  // A valid token of the same user for each client's own authenticate.
  const tokens = {};
  for (const c of CLIENTS) tokens[c] = await page.evaluate(({ c, args }) => window.lab.token(c, args), { c, args: { access: 'plain', email: USERS.plain, password: PASSWORD } });
  const authenticate = Object.fromEntries(CLIENTS.map((c) => [c, []]));
  {
    const [warm, nRounds, perRound] = CFG.rtt;
    for (const c of CLIENTS) await time(c, 'authenticate', warm, { token: tokens[c] });
    for (let r = 0; r < nRounds; r++) {
      for (const c of rotate(CLIENTS, r)) authenticate[c].push(...await time(c, 'authenticate', perRound, { token: tokens[c] }));
    }
    log(`authenticate: ${CLIENTS.map((c) => `${c} p50 ${summarize(authenticate[c]).p50.toFixed(3)} ms`).join(', ')}`);
  }
  const version = await rounds('version', ['theirs', 'raw'], 'version', {}, CFG.rtt);

  const [burstWarm, burstRounds, burstN] = CFG.burst;
  const burst = Object.fromEntries(CLIENTS.map((c) => [c, []]));
  const burstArgs = { access: 'plain', email: USERS.plain, password: PASSWORD };
  const runBurst = (c, n) => page.evaluate(({ c, n, args }) => window.lab.burst(c, n, args), { c, n, args: burstArgs });
  for (const c of CLIENTS) for (let i = 0; i < burstWarm; i++) await runBurst(c, Math.min(200, burstN));
  let burstErrors = null;
  for (let r = 0; r < burstRounds; r++) {
    for (const c of rotate(CLIENTS, r)) {
      const b = await runBurst(c, burstN);
      if (b.failed) burstErrors = { client: c, failed: b.failed, error: b.firstError };
      burst[c].push(b.ms);
    }
  }
  log(`burst ${burstN}: ${CLIENTS.map((c) => `${c} ${median(burst[c]).toFixed(0)} ms`).join(', ')}`);
  const queries = await queryBursts(page, burstArgs);
  await page.close();
  return { signin, authenticate, version, burst: { n: burstN, ms: burst, errors: burstErrors }, queries, isolated };
}

/** 1000 concurrent queries as the signed-in user on each client's one connection, in rotated rounds. */
async function queryBursts(page, user) {
  const [warm, nRounds, n] = CFG.queryBurst;
  const sql = 'SELECT * FROM $auth';
  const ms = Object.fromEntries(CLIENTS.map((c) => [c, []]));
  let errors = null;
  for (const c of CLIENTS) await page.evaluate(({ c, user }) => window.lab.token(c, user), { c, user }); // signed in: $auth is the user
  const run = (c, k) => page.evaluate(({ c, k, sql }) => window.lab.queryBurst(c, k, sql), { c, k, sql });
  for (const c of CLIENTS) for (let i = 0; i < warm; i++) await run(c, Math.min(200, n));
  for (let r = 0; r < nRounds; r++) {
    for (const c of rotate(CLIENTS, r)) {
      const b = await run(c, n);
      if (b.failed) errors = { client: c, failed: b.failed, error: b.firstError };
      ms[c].push(b.ms);
    }
  }
  log(`query burst ${n}: ${CLIENTS.map((c) => `${c} ${median(ms[c]).toFixed(0)} ms`).join(', ')}`);
  return { n, sql, ms, errors };
}

// --------------------------------------------------------------------------------------------
// 5. Memory: one client per page, so one page's heap holds one client.

async function heap(ch, server) {
  const [warm, samples, per] = CFG.heap;
  const out = {};
  for (const client of CLIENTS) {
    const page = await ch.context.newPage();
    await page.goto(`${server.httpBase}/heap.html?client=${client}`);
    await page.waitForFunction(() => window.heapReady === true, null, { timeout: 60_000 });
    const cdp = await ch.context.newCDPSession(page);
    const measure = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      const h = await cdp.send('Runtime.getHeapUsage');
      return { jsUsed: h.usedSize, jsTotal: h.totalSize, backingStorage: h.backingStorageSize ?? null, wasm: await page.evaluate(() => window.heap.wasmBytes()) };
    };
    const cycles = (n) => page.evaluate(({ n, email, password }) => window.heap.cycles(n, 'plain', email, password), { n, email: USERS.plain, password: PASSWORD });
    await cycles(warm);
    const before = await measure();
    const series = [before];
    let ms = 0;
    for (let i = 0; i < samples; i++) {
      ms += await cycles(per);
      series.push(await measure());
    }
    const after = series[series.length - 1];
    out[client] = {
      cycles: samples * per,
      msPerCycle: ms / (samples * per),
      before,
      after,
      jsGrowth: after.jsUsed - before.jsUsed,
      wasmGrowth: before.wasm === null ? null : after.wasm - before.wasm,
      series,
    };
    log(`heap ${client}: JS ${(before.jsUsed / 1e6).toFixed(2)} → ${(after.jsUsed / 1e6).toFixed(2)} MB` +
      (before.wasm === null ? '' : `, wasm memory ${(before.wasm / 2 ** 20).toFixed(1)} → ${(after.wasm / 2 ** 20).toFixed(1)} MiB`));
    await cdp.detach();
    await page.close();
  }
  return out;
}

// --------------------------------------------------------------------------------------------

function latencyStats(series) {
  return Object.fromEntries(Object.entries(series).map(([c, v]) => [c, summarize(v)]));
}

async function main() {
  for (const f of ['dist/surrealauth.mjs', `dist/${WASM}`, 'node_modules/surrealdb/dist/surrealdb.mjs']) {
    if (!fs.existsSync(path.join(ROOT, f))) throw new Error(`${f} is missing: run make dist (and make deps) first`);
  }
  fs.mkdirSync(OUT, { recursive: true });
  precompressDist();
  const profileDir = path.join(ROOT, 'bench', 'out', 'profile');
  const namedWasm = buildNamedWasm(ROOT, profileDir);
  log(`profile build (with names): ${(namedWasm / 1e6).toFixed(2)} MB`);
  const server = await startServer([
    '--serve', `/profile=${profileDir}`,
    '--web', path.join(ROOT, 'bench', 'pages'),
    '--dist', SERVED_DIST,
    '--serve', `/vendor/surrealdb=${path.join(ROOT, 'node_modules', 'surrealdb', 'dist')}`,
    // Cross-origin isolation: performance.now() at 5 µs instead of 100 µs (all files are same-origin).
    '--header', 'Cross-Origin-Opener-Policy: same-origin', '--header', 'Cross-Origin-Embedder-Policy: require-corp',
  ]);
  let ch;
  try {
    log(`dev server ${server.engine} at ${server.url}`);
    for (const p of ['/vendor/surrealdb/surrealdb.mjs', '/raw.js', '/clients.js', '/lab.html', '/heap.html', ...CLIENTS.map((c) => `/load-${c}.html`)]) {
      for (const enc of ['br', 'gzip']) await prewarm(server.httpBase, p, enc);
    }
    const seed = await Client.open(server.url);
    for (const [access, email] of Object.entries(USERS)) await seed.rpc('signup', [{ NS, DB, AC: access, email, password: PASSWORD }]);
    await seed.close();

    ch = await launch();
    log(`${ch.version}, profile ${ch.userDataDir}`);
    const results = {
      date: new Date().toISOString(),
      quick: argv.quick,
      config: CFG,
      machine: machine(ch.version, server.engine),
      wire: wireSizes(),
    };
    results.load = await pageLoads(ch, server);
    const l = await lab(ch, server);
    results.latency = {
      signinPlain: latencyStats(l.signin.plain),
      signinArgon2: latencyStats(l.signin.allusers),
      authenticate: latencyStats(l.authenticate),
      version: latencyStats(l.version),
    };
    results.crossOriginIsolated = l.isolated;
    results.throughput = {
      signins: l.burst.n,
      ms: Object.fromEntries(CLIENTS.map((c) => [c, summarize(l.burst.ms[c])])),
      perSecond: Object.fromEntries(CLIENTS.map((c) => [c, l.burst.n / (median(l.burst.ms[c]) / 1000)])),
      errors: l.burst.errors,
    };
    results.queryThroughput = {
      queries: l.queries.n,
      sql: l.queries.sql,
      ms: Object.fromEntries(CLIENTS.map((c) => [c, summarize(l.queries.ms[c])])),
      perSecond: Object.fromEntries(CLIENTS.map((c) => [c, l.queries.n / (median(l.queries.ms[c]) / 1000)])),
      errors: l.queries.errors,
    };
    results.heap = await heap(ch, server);
    results.profile = await profileOurs(ch, server, {
      wasmPath: '/profile/surrealauth.wasm', warm: CFG.profile[0], calls: CFG.profile[1],
      user: { access: 'plain', email: USERS.plain, password: PASSWORD },
    });
    log(`profile: signin ${results.profile.signin.busyMsPerCall.toFixed(3)} ms of CPU per call, authenticate ${results.profile.authenticate.busyMsPerCall.toFixed(3)}`);
    results.samples = { signinPlain: l.signin.plain, signinArgon2: l.signin.allusers, authenticate: l.authenticate, version: l.version, burstMs: l.burst.ms, queryBurstMs: l.queries.ms };
    results.durationSeconds = Math.round((Date.now() - t0) / 1000);
    results.machine.loadAverage.end = os.loadavg().map((v) => +v.toFixed(2));

    const p = results.latency;
    results.ratios = {
      signinPlainP50: ratio(p.signinPlain.ours.p50, p.signinPlain.theirs.p50),
      signinPlainP95: ratio(p.signinPlain.ours.p95, p.signinPlain.theirs.p95),
      signinArgon2P50: ratio(p.signinArgon2.ours.p50, p.signinArgon2.theirs.p50),
      signinArgon2P95: ratio(p.signinArgon2.ours.p95, p.signinArgon2.theirs.p95),
      authenticateP50: ratio(p.authenticate.ours.p50, p.authenticate.theirs.p50),
      authenticateP95: ratio(p.authenticate.ours.p95, p.authenticate.theirs.p95),
      throughput: ratio(results.throughput.perSecond.ours, results.throughput.perSecond.theirs),
      queryThroughput: ratio(results.queryThroughput.perSecond.ours, results.queryThroughput.perSecond.theirs),
      readyCold: ratio(results.load.ours.cold.p50, results.load.theirs.cold.p50),
      readyWarm: ratio(results.load.ours.warm.p50, results.load.theirs.warm.p50),
      readyRestored: ratio(results.load.ours.restored.p50, results.load.theirs.restored.p50),
      firstPaintVsTheirsReady: ratio(results.load.ours.firstPaint.restored.p50, results.load.theirs.restored.p50),
      brotliBytes: ratio(results.wire.ours.total.brotli, results.wire.theirs.total.brotli),
    };
    results.overheadOverFloorMs = {
      signinPlainP50: p.signinPlain.ours.p50 - p.signinPlain.raw.p50,
      signinPlainP50Theirs: p.signinPlain.theirs.p50 - p.signinPlain.raw.p50,
      authenticateP50: p.authenticate.ours.p50 - p.authenticate.raw.p50,
      authenticateP50Theirs: p.authenticate.theirs.p50 - p.authenticate.raw.p50,
    };

    const svg = latencyChart([
      { title: 'signin, "plain" access (plain-text compare)', series: l.signin.plain },
      { title: 'signin, "allusers" access (argon2)', series: l.signin.allusers },
      { title: 'authenticate with a valid token', series: l.authenticate },
    ], {
      title: `Call latency in Chromium: surrealauth vs surrealdb.js ${results.machine.surrealdbJs} vs raw WebSocket`,
      note: `${results.machine.cpu}, ${results.machine.cores} cores; ${results.machine.chromium}; ${server.engine}; ${results.date.slice(0, 10)}${argv.quick ? ' (QUICK RUN: not a measurement)' : ''}`,
    });
    fs.writeFileSync(path.join(OUT, 'results.json'), `${JSON.stringify(results, null, 1)}\n`);
    fs.writeFileSync(path.join(OUT, 'latency.svg'), svg);
    fs.writeFileSync(path.join(OUT, 'RESULTS.md'), renderMarkdown(results));
    log(`wrote ${path.relative(process.cwd(), OUT) || '.'}/{results.json,RESULTS.md,latency.svg} in ${results.durationSeconds} s`);
    process.stdout.write(renderMarkdown(results, { summaryOnly: true }));
  } finally {
    await ch?.close();
    await server.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`[bench] failed: ${err.stack ?? err}\n`);
  process.exit(1);
});
