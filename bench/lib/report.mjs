// bench/RESULTS.md from results.json. Units: ms; bytes with KB = 1000 B, MB = 10^6 B (wasm memory
// in MiB, as it grows in 64 KiB pages).

const f = (v, d = 2) => (v === null || v === undefined || Number.isNaN(v) ? '–' : Number(v).toFixed(d));
const ms = (v) => (v === null || v === undefined ? '–' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const kb = (b) => (b === null || b === undefined ? '–' : `${(b / 1000).toFixed(1)} KB`);
const mb = (b) => (b === null || b === undefined ? '–' : `${(b / 1e6).toFixed(2)} MB`);
const mib = (b) => (b === null || b === undefined ? '–' : `${(b / 2 ** 20).toFixed(1)} MiB`);
const signed = (v, unit, d = 2) => (v === null || v === undefined ? '–' : `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(d)}${unit}`);
const x = (r) => (r === null || r === undefined ? '–' : `${r.toFixed(2)}×`);
const met = (ok) => (ok ? 'yes' : '**no**');

/** Ours' wasm in the wire table (its name is its content's hash). */
export const oursWasm = (r) => Object.entries(r.wire.ours.files).find(([f]) => f.endsWith('.wasm'))[1];

/** The targets of issue 12, each with what it was measured as in this run. */
export function goals(r) {
  const h = r.heap.ours;
  const heapGrowth = h.jsGrowth + (h.wasmGrowth ?? 0);
  const w = oursWasm(r);
  const over = r.overheadOverFloorMs;
  const L = r.load;
  const fp = L.ours.firstPaint;
  return [
    ['wasm, brotli (stretch 0.60 MB)', '≤ 0.70 MB', mb(w.brotli), w.brotli <= 0.70e6],
    ['wasm, raw (V8 compiles this much)', '≤ 3.2 MB', mb(w.raw), w.raw <= 3.2e6],
    ['signin p50, ours ÷ surrealdb.js (`plain`)', '≤ 1.10×', x(r.ratios.signinPlainP50), r.ratios.signinPlainP50 <= 1.10],
    ['authenticate p50, ours ÷ surrealdb.js', '≤ 1.10×', x(r.ratios.authenticateP50), r.ratios.authenticateP50 <= 1.10],
    ['overhead per call over the raw WebSocket, signin p50', '≤ 0.3 ms', signed(over.signinPlainP50, ' ms'), over.signinPlainP50 <= 0.3],
    ['overhead per call over the raw WebSocket, authenticate p50', '≤ 0.3 ms', signed(over.authenticateP50, ' ms'), over.authenticateP50 <= 0.3],
    ['page load → ready, cold, ours ÷ surrealdb.js', '≤ 1.3×', `${x(r.ratios.readyCold)} (${ms(L.ours.cold.p50)} vs ${ms(L.theirs.cold.p50)} ms)`, r.ratios.readyCold <= 1.3],
    ['page load → ready, warm, ours ÷ surrealdb.js', '≤ 1.3×', `${x(r.ratios.readyWarm)} (${ms(L.ours.warm.p50)} vs ${ms(L.theirs.warm.p50)} ms)`, r.ratios.readyWarm <= 1.3],
    ['navigation → storedSession (kept session), vs surrealdb.js ready', '< theirs', `${ms(fp.restored.p50)} vs ${ms(L.theirs.restored.p50)} ms`, fp.restored.p50 < L.theirs.restored.p50],
    [`heap growth over ${h.cycles.toLocaleString('en')} signin/invalidate cycles (JS heap + wasm memory)`, '≤ 1 MB',
      `${signed(h.jsGrowth / 1e6, ' MB', 3)} JS, ${signed((h.wasmGrowth ?? 0) / 1e6, ' MB')} wasm`, heapGrowth <= 1e6],
  ].map(([goal, target, measured, ok]) => ({ goal, target, measured, ok }));
}

function goalTable(r) {
  const rows = goals(r).map((g) => `| ${g.goal} | ${g.target} | ${g.measured} | ${met(g.ok)} |`);
  return ['| target (issue 12) | target | measured | met |', '|---|---|---|---|', ...rows].join('\n');
}

function latencyTable(r) {
  const L = r.latency;
  const row = (name, s, note = '') => {
    const o = s.ours;
    const t = s.theirs;
    const w = s.raw;
    return `| ${name} | ${o ? `${ms(o.p50)} / ${ms(o.p95)}` : '–'} | ${t ? `${ms(t.p50)} / ${ms(t.p95)}` : '–'} | ${w ? `${ms(w.p50)} / ${ms(w.p95)}` : '–'} | ` +
      `${o && t ? `${x(o.p50 / t.p50)} / ${x(o.p95 / t.p95)}` : '–'} | ${o && w ? signed(o.p50 - w.p50, '') : '–'} | ${t && w ? signed(t.p50 - w.p50, '') : '–'} | ${o?.n ?? t?.n ?? '–'}${note} |`;
  };
  return [
    '| operation (ms, p50 / p95) | ours | surrealdb.js | raw WebSocket | ours ÷ theirs (p50 / p95) | ours − raw (p50) | theirs − raw (p50) | calls per client |',
    '|---|---|---|---|---|---|---|---|',
    row('signin, `plain` access', L.signinPlain),
    row('signin, `allusers` access (argon2)', L.signinArgon2),
    row('authenticate, valid token ¹', L.authenticate),
    row('`version` round trip ¹', L.version),
  ].join('\n');
}

function throughputTable(r) {
  const T = r.throughput;
  const Q = r.queryThroughput;
  const cell = (S, c) => `${ms(S.ms[c].p50)} ms (${Math.round(S.perSecond[c]).toLocaleString('en')}/s)`;
  const rows = [
    `| ${T.signins} concurrent signins on one connection (\`plain\`), median of ${T.ms.ours.n} | ${cell(T, 'ours')} | ${cell(T, 'theirs')} | ${cell(T, 'raw')} | ${x(r.ratios.throughput)} |`,
  ];
  if (Q) {
    rows.push(`| ${Q.queries} concurrent \`${Q.sql}\` on one connection, signed in, median of ${Q.ms.ours.n} | ${cell(Q, 'ours')} | ${cell(Q, 'theirs')} | ${cell(Q, 'raw')} | ${x(r.ratios.queryThroughput)} |`);
  }
  const failures = [T.errors && `a signin burst: ${T.errors.failed} × ${T.errors.client} (${T.errors.error})`,
    Q?.errors && `a query burst: ${Q.errors.failed} × ${Q.errors.client} (${Q.errors.error})`].filter(Boolean);
  return [
    '| burst: wall time (calls per second) | ours | surrealdb.js | raw WebSocket | ours ÷ theirs (rate) |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n') + (failures.length ? `\n\nFailures during ${failures.join('; ')}.` : '');
}

function loadTable(r) {
  const L = r.load;
  const cell = (s) => `${ms(s.p50)} (${ms(s.min)}–${ms(s.max)})`;
  return [
    `| page load → ready (ms, median (min–max) of ${L.ours.cold.n}) | ours | surrealdb.js | raw WebSocket | ours ÷ theirs |`,
    '|---|---|---|---|---|',
    `| cold: HTTP cache and code cache cleared | ${cell(L.ours.cold)} | ${cell(L.theirs.cold)} | ${cell(L.raw.cold)} | ${x(r.ratios.readyCold)} |`,
    `| warm HTTP cache (every file revalidated: 304) | ${cell(L.ours.warm)} | ${cell(L.theirs.warm)} | ${cell(L.raw.warm)} | ${x(r.ratios.readyWarm)} |`,
    `| warm cache, kept session → authenticated ² | ${cell(L.ours.restored)} | ${cell(L.theirs.restored)} | ${cell(L.raw.restored)} | ${x(r.ratios.readyRestored)} |`,
    `| navigation → storedSession() (ours): what a page can paint at once | ${ms(L.ours.firstPaint.cold.p50)} / ${ms(L.ours.firstPaint.warm.p50)} / ${ms(L.ours.firstPaint.restored.p50)} | – | – | (cold / warm / session) |`,
    `| ready − raw floor (median): the client's own share | ${ms(L.ours.cold.p50 - L.raw.cold.p50)} / ${ms(L.ours.warm.p50 - L.raw.warm.p50)} / ${ms(L.ours.restored.p50 - L.raw.restored.p50)} | ${ms(L.theirs.cold.p50 - L.raw.cold.p50)} / ${ms(L.theirs.warm.p50 - L.raw.warm.p50)} / ${ms(L.theirs.restored.p50 - L.raw.restored.p50)} | 0 | (cold / warm / session) |`,
    `| library bytes transferred, cold (browser's count) | ${kb(L.ours.coldTransfer)} | ${kb(L.theirs.coldTransfer)} | ${kb(L.raw.coldTransfer)} | |`,
    `| library bytes transferred, warm | ${kb(L.ours.warmTransfer)} | ${kb(L.theirs.warmTransfer)} | ${kb(L.raw.warmTransfer)} | |`,
  ].join('\n') + timeline(L);
}

function timeline(L) {
  if (!L.ours.timeline) return '';
  const rows = [];
  for (const [client, label] of [['ours', 'ours'], ['theirs', 'surrealdb.js'], ['raw', 'raw WebSocket']]) {
    for (const k of ['cold', 'warm']) {
      const t = L[client].timeline[k];
      rows.push(`| ${label}, ${k} | ${ms(t.htmlEnd)} | ${ms(t.firstRequest)} | ${ms(t.lastResponseEnd)} | ${ms(t.ready)} | ${ms(t.ready - t.lastResponseEnd)} |`);
    }
  }
  return ['', '', 'Where the time goes (medians, ms since navigation start; for ours the last response is the',
    '`.wasm`, compiled while it streams in, and "after" is instantiation, the Go runtime\'s start and `connect`):', '',
    '| load | HTML in | first library request | last library response end | ready | ready − last response |',
    '|---|---|---|---|---|---|', ...rows].join('\n');
}

function wireTable(r) {
  const W = r.wire;
  const rows = [];
  for (const [client, label] of [['ours', 'ours'], ['theirs', 'surrealdb.js'], ['raw', 'raw WebSocket']]) {
    for (const [file, s] of Object.entries(W[client].files)) {
      rows.push(`| ${label} | \`${file}\` | ${kb(s.raw)} | ${kb(s.gzip)} | ${kb(s.brotli)} |`);
    }
    if (Object.keys(W[client].files).length > 1) {
      const t = W[client].total;
      rows.push(`| **${label}, total** | | **${kb(t.raw)}** | **${kb(t.gzip)}** | **${kb(t.brotli)}** |`);
    }
  }
  return [
    '| client | file | raw | gzip -9 | brotli q11 |',
    '|---|---|---|---|---|',
    ...rows,
    `| ours ÷ theirs | | ${x(W.ours.total.raw / W.theirs.total.raw)} | ${x(W.ours.total.gzip / W.theirs.total.gzip)} | ${x(r.ratios.brotliBytes)} |`,
  ].join('\n');
}

function heapTable(r) {
  const H = r.heap;
  const row = (name, fn) => `| ${name} | ${fn(H.ours)} | ${fn(H.theirs)} | ${fn(H.raw)} |`;
  return [
    `| after ${H.ours.cycles.toLocaleString('en')} signin + invalidate cycles (\`plain\`) | ours | surrealdb.js | raw WebSocket |`,
    '|---|---|---|---|',
    row('JS heap used, before → after (after GC)', (h) => `${mb(h.before.jsUsed)} → ${mb(h.after.jsUsed)}`),
    row('JS heap growth', (h) => signed(h.jsGrowth / 1e6, ' MB', 3)),
    row('wasm linear memory, before → after ³', (h) => (h.before.wasm === null ? '–' : `${mib(h.before.wasm)} → ${mib(h.after.wasm)}`)),
    row('wasm linear memory growth', (h) => (h.wasmGrowth === null ? '–' : signed(h.wasmGrowth / 2 ** 20, ' MiB', 1))),
    row('ms per cycle (two calls)', (h) => f(h.msPerCycle, 3)),
    row(`JS heap per ${(H.ours.cycles / (H.ours.series.length - 1)).toLocaleString('en')} cycles (MB)`, (h) => h.series.map((p) => (p.jsUsed / 1e6).toFixed(2)).join(' ')),
    row('wasm memory per step (MiB)', (h) => (h.before.wasm === null ? '–' : h.series.map((p) => (p.wasm / 2 ** 20).toFixed(1)).join(' '))),
  ].join('\n');
}

function notes(r) {
  const cc = r.load.codeCache;
  const wasmCached = cc?.atEnd?.wasm?.files > 0;
  return [
    '1. The JS API of ours has no `version()` or `ping`, so the protocol round trip of all three',
    '   clients is measured with `authenticate` and a valid token (a real auth call that changes',
    '   nothing); `version` is shown for surrealdb.js and the raw socket only.',
    '2. surrealdb.js keeps tokens in memory only: its page keeps the token in `localStorage` itself and',
    '   calls `authenticate` after `connect` (what an app has to write); the raw page does the same.',
    '   Ours restores the session it stored (`storage: "local"`) inside `connect()`.',
    '3. Go\'s heap lives in the wasm linear memory, which only grows. Its size is read through a',
    '   wrapper around `WebAssembly.instantiateStreaming` in the bench page (bench/pages/heap.html),',
    '   because the JS API exports no `runtime.MemStats`; the Go heap in use (HeapAlloc after a GC)',
    '   would need such an export. The JS heap is V8\'s used size after two forced GCs (CDP).',
    '',
    `Timers: the pages are cross-origin isolated (COOP same-origin + COEP require-corp, sent by the dev server's \`--header\`), so \`performance.now()\` has 5 µs resolution instead of 100 µs: ${r.crossOriginIsolated ? 'confirmed' : '**not isolated in this run**'}.`,
    '',
    'How it was measured: one dev server, one Chromium (flags above, fresh profile on disk), pages served',
    'by the dev server from `bench/pages/` with `dist/` (precompressed by bench/run.mjs: brotli q11,',
    'gzip -9) and surrealdb\'s browser build (`node_modules/surrealdb/dist/surrealdb.mjs`, compressed',
    'by the dev server the same way) on the same origin. Latencies are timed in the page (`performance.now()` around each',
    'awaited call), each client on its own WebSocket, after a warm-up, in rounds that rotate which',
    'client goes first. Ours runs with `storage: "memory"` in the latency, throughput and memory',
    'phases (surrealdb.js keeps tokens in memory only). Page loads open a new tab each time (a new',
    'renderer process); "ready" is `performance.now()` (ms since navigation start) when the page can',
    'act on its auth state: ours `connect()` resolved, theirs `connect()` (+ `authenticate`), raw: socket',
    'open (+ `authenticate`).',
    '',
    `Code cache: every cold page stays open ${r.config.dwellMs ?? 0} ms after it is ready (a visitor does not leave at once; V8 writes ` +
      'its wasm code cache about 2 s after functions tier up). After the first warm load of ours the profile held ' +
      `${cc?.afterOursWarmLoad?.wasm?.files ?? '–'} wasm (${kb(cc?.afterOursWarmLoad?.wasm?.bytes)}) and ${cc?.afterOursWarmLoad?.js?.files ?? '–'} JS ` +
      `(${kb(cc?.afterOursWarmLoad?.js?.bytes)}) code-cache entries. ` +
      (wasmCached || cc?.afterOursWarmLoad?.wasm?.files
        ? `The wasm entry is small next to the ${mb(oursWasm(r).raw)} module: with dynamic tiering V8 caches only the functions that were optimized (TurboFan), so a warm load still compiles the rest (Liftoff, streaming).`
        : 'Chromium cached no compiled wasm in this run, so every load compiled the module again (streaming, as `application/wasm` allows).'),
    `Warm loads revalidated every library file with a 304 (no body), but ours' wasm, which is named after its content, served \`immutable\` and taken from the cache without a request: ${r.load.ours.warmRevalidated && r.load.theirs.warmRevalidated && r.load.raw.warmRevalidated ? 'yes' : '**no**'} (ours' wasm from the cache on every warm load: ${r.load.ours.warmWasmFromCache ? 'yes' : '**no**'}).`,
  ].join('\n');
}

export function renderMarkdown(r, { summaryOnly = false } = {}) {
  const m = r.machine;
  const head = [
    `# make bench: surrealauth vs surrealdb.js ${m.surrealdbJs} vs a raw WebSocket`,
    '',
    r.quick ? '**QUICK RUN (`--quick`): too few samples to mean anything.**\n' : '',
    `${r.date.slice(0, 16).replace('T', ' ')} UTC, ${r.durationSeconds} s. Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB; ${m.os}; ` +
      `load average (1/5/15 min) ${m.loadAverage?.start?.join(' ') ?? '?'} at the start, ${m.loadAverage?.end?.join(' ') ?? '?'} at the end ` +
      '(anything else running on the machine shows up here and in the spread of every number); ' +
      `Node ${m.node}; ${m.go ?? 'Go ?'}; ${m.chromium} headless (\`${m.chromiumFlags.join(' ')}\`, fresh profile); ${m.server}. ` +
      `surrealauth ${m.surrealauth}, surrealdb.js ${m.surrealdbJs}. Ratios are ours ÷ theirs (below 1 is better for ours).`,
    '',
  ].filter((s) => s !== '');
  const body = [
    '## Goals', '', goalTable(r), '',
    '## Latency', '', latencyTable(r), '', '![latency distributions](latency.svg)', '',
    '## Throughput', '', throughputTable(r), '',
    '## Page load', '', loadTable(r), '',
    '## Bytes on the wire', '', 'Everything each client loads besides the page itself (the raw client\'s own code is `bench/pages/raw.js`).', '', wireTable(r), '',
    '## Memory', '', heapTable(r), '',
    ...(r.profile ? ['## Profile: where ours spends a call', '', profileIntro(r), '', profileTables(r.profile), ''] : []),
    '## Notes', '', notes(r), '',
  ];
  if (summaryOnly) return `${[...head, '', goalTable(r), '', latencyTable(r), ''].join('\n')}\n`;
  return `${[...head, '', ...body].join('\n')}`;
}

/** The profile phase: per operation, the marks, the time per call by cause and the top functions. */
export function profileTables(p) {
  const out = [];
  for (const [op, r] of Object.entries(p)) {
    const m = r.marks;
    out.push(`### ${op}: ${r.calls} calls, ${f(r.busyMsPerCall, 3)} ms of CPU per call in the page's renderer`, '',
      `In-page marks (p50): the whole call ${ms(m.total.p50)} ms; call → its request sent ${f(m.callToSend.p50, 3)} ms; ` +
      `reply arrived → Promise settled ${f(m.recvToSettled.p50, 3)} ms.`, '',
      '| cause (self time) | ms per call | share |', '|---|---|---|',
      ...r.causes.map((c) => `| ${c.name} | ${f(c.msPerCall, 3)} | ${(c.share * 100).toFixed(1)} % |`), '',
      '| top functions (self time) | where | ms per call | share |', '|---|---|---|---|',
      ...r.top.slice(0, 15).map((t) => `| \`${t.name}\` | ${t.where} | ${f(t.msPerCall, 3)} | ${(t.share * 100).toFixed(1)} % |`), '');
  }
  return out.join('\n');
}

function profileIntro(r) {
  return [
    `V8's sampling profiler (CDP \`Profiler\`, 50 µs) over ${r.profile.signin.calls} sequential calls of each, after a warm-up,`,
    'in one page (bench/pages/profile.html) running ours on a wasm built without `-s` so that Go functions have',
    'their names; the profiler slows every call down, so the times are for comparing causes, not for the tables',
    'above. Self time of each sample\'s own function, by cause (bench/lib/profile.mjs says which functions are which;',
    '"page and browser" is the timing loop, WebSocket sends, Promise jobs and the event loop).',
  ].join('\n');
}
