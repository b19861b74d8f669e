// The profile phase of make bench: a CPU profile of ours (V8's sampling profiler through CDP) over
// a few hundred signins and authenticates, on a wasm built without -s so that the profile names
// Go functions, plus in-page marks per call (call → send, reply → settled). The summary is what
// bench/RESULTS.md shows: the top functions by self time and the time per call split by cause.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { summarize } from './stats.mjs';

/** Builds ./wasm with its name section into dir/surrealauth.wasm; returns its size. */
export function buildNamedWasm(root, dir) {
  fs.mkdirSync(dir, { recursive: true });
  const out = path.join(dir, 'surrealauth.wasm');
  execFileSync('go', ['build', '-trimpath', '-o', out, './wasm'], {
    cwd: root, env: { ...process.env, GOOS: 'js', GOARCH: 'wasm' }, stdio: ['ignore', 'inherit', 'inherit'],
  });
  return fs.statSync(out).size;
}

// Causes, checked in order against a sample's own (self) function. Go's names in the wasm are
// mangled: "/" in a package path becomes "_", "(*T).M" becomes "__T_.M".
const SDK = 'github\\.com_surrealauth_surrealauth_sdk';
const go = (src) => new RegExp(src.replaceAll('SDK', SDK));
const GO_CAUSES = [
  ['finalizers of JS value references', go('^runtime\\.(addspecial|removespecial|freeSpecial|addfinalizer|SetFinalizer|removefinalizer|runFinalizers|runfinq|queuefinalizer|gcScanFinalizer|createfing|wakefing|finq)|^syscall_js\\.(finalizeRef|makeValue)')],
  ['GC and allocation', go('^runtime\\.(mallocgc|gc|scan|grey|markroot|mark|sweep|bgsweep|bgscavenge|memclr|memmove|newobject|newarray|growslice|makeslice|makemap|mapassign|mapaccess|mapdelete|nextFree|heapBits|findObject|wbBuf|bulkBarrier|typedmemmove|typedslicecopy|deductAssistCredit|refill|__m|__gc|__page|__sweep|__span|__fixalloc|__scav|__limiter|__spanSet|concatstring|slicebytetostring|stringtoslicebyte|rawstring|rawbyteslice|intstring|wasmMove|wasmZero|memequal|heapSetType|writeHeapBits|spanOf)|^internal_runtime_maps\\.|^internal_runtime_gc')],
  ['JS ↔ Go calls (syscall/js, safejs)', go('^syscall_js\\.|^github\\.com_hack_pad_safejs|^runtime\\.(handleEvent|wasmExit|resume|callbackUpdate|beforeIdle|pause|getcallersp)|^_rt0|^wasm_export|^wasm_pc_f_loop')],
  ['goroutines, timers, scheduler', go('^runtime\\.(schedule|findRunnable|park|gopark|goready|ready|newproc|gogo|mcall|goexit|gosched|Gosched|execute|runq|globrunq|casgstatus|checkTimers|stealWork|wakep|startm|stopm|note|lock|unlock|chansend|chanrecv|closechan|selectgo|sellock|selunlock|send|recv|acquireSudog|releaseSudog|sema|nanotime|walltime|scheduleTimeoutEvent|clearTimeoutEvent|netpoll|__timer|__hchan|__waitq|__timeTimer|__p_|__g_|resetForSleep|timeSleep|goroutineReady|badTimer|procyield|osyield)|^time\\.|^context\\.|^sync\\.|^internal_sync\\.|^internal_runtime_atomic')],
  ['page WebSocket glue', go('^SDK_internal_rpc\\.__jsSocket_')],
  ['CBOR and the RPC connection', go('^SDK_internal_rpc\\.')],
  ['claims, JSON, base64', go('^SDK_internal_jsonx\\.|^SDK\\.(ParseClaims|__claimSet_|claimSet|decodeSegment|headerAlg|segments|sessionVerified|decodeStored|encodeStored|appendField)|^encoding_|^SDK_jsvalue\\.')],
  ['sdk', go('^SDK[._]')],
  ['wasm/ (the JS face)', go('^main\\.')],
  ['other Go (runtime, strings, strconv, fmt, reflect, …)', /^/],
];

/** The cause of a sample whose own function is frame. */
function cause(frame) {
  const { functionName: name, url } = frame;
  if (url.startsWith('wasm://') || url.endsWith('.wasm')) return GO_CAUSES.find(([, re]) => re.test(name))[0];
  if (name === '(garbage collector)') return 'V8 garbage collector';
  if (name === '(program)') return 'V8 itself (compile, runtime)';
  if (url.endsWith('/surrealauth.mjs') || url.endsWith('/surrealauth.js')) {
    return WASM_EXEC.has(name) ? 'JS ↔ Go calls (wasm_exec.js)' : 'bindings.js';
  }
  return 'page and browser (timing loop, WebSocket, Promise jobs)';
}

// wasm_exec.js's functions (Go's glue between the wasm and JS values), by name.
const WASM_EXEC = new Set([
  'storeValue', 'loadValue', 'loadSlice', 'loadSliceOfValues', 'loadString', 'setInt64', 'setInt32', 'getInt64',
  'syscall/js.finalizeRef', 'syscall/js.stringVal', 'syscall/js.valueGet', 'syscall/js.valueSet',
  'syscall/js.valueDelete', 'syscall/js.valueIndex', 'syscall/js.valueSetIndex', 'syscall/js.valueCall',
  'syscall/js.valueInvoke', 'syscall/js.valueNew', 'syscall/js.valueLength', 'syscall/js.valuePrepareString',
  'syscall/js.valueLoadString', 'syscall/js.valueInstanceOf', 'syscall/js.copyBytesToGo', 'syscall/js.copyBytesToJS',
  'runtime.wasmExit', 'runtime.wasmWrite', 'runtime.resetMemoryDataView', 'runtime.nanotime1', 'runtime.walltime',
  'runtime.scheduleTimeoutEvent', 'runtime.clearTimeoutEvent', 'runtime.getRandomData', 'debug',
  '_resume', '_makeFuncWrapper', 'wrapper', 'exit', 'run', 'mem', 'setTimeout', 'go.importObject',
]);

/** A Go name as Go writes it, shortened: "sdk/internal/rpc.(*Conn).Call". */
function readable(name) {
  return name.replace(/^github\.com_surrealauth_surrealauth_/, '').replace(/^github\.com_hack_pad_/, 'hack-pad/')
    .replace(/^(sdk|syscall|internal|encoding|crypto)_([a-z_]+)\./, (m, a, b) => `${a}/${b.replaceAll('_', '/')}.`)
    .replace(/\.__([A-Za-z0-9]+)_\./g, '.(*$1).');
}

/** Self time per function and per cause, from a CDP Profiler profile; times in ms. */
export function analyse(profile, calls) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]);
    const dt = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000;
    self.set(node, (self.get(node) ?? 0) + dt);
  }
  const fns = new Map();
  const causes = new Map();
  let busy = 0;
  for (const [node, ms] of self) {
    const f = node.callFrame;
    if (f.functionName === '(idle)') continue;
    busy += ms;
    const key = `${readable(f.functionName) || '(anonymous)'}\t${f.url.startsWith('wasm://') || f.url.endsWith('.wasm') ? 'wasm' : path.basename(f.url) || '-'}`;
    fns.set(key, (fns.get(key) ?? 0) + ms);
    const c = cause(f);
    causes.set(c, (causes.get(c) ?? 0) + ms);
  }
  const perCall = (ms) => ms / calls;
  return {
    calls,
    busyMsPerCall: perCall(busy),
    top: [...fns].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, ms]) => {
      const [name, where] = k.split('\t');
      return { name, where, msPerCall: perCall(ms), share: ms / busy };
    }),
    causes: [...causes].sort((a, b) => b[1] - a[1]).map(([name, ms]) => ({ name, msPerCall: perCall(ms), share: ms / busy })),
  };
}

/**
 * Profiles ours on page /profile.html?wasm=<wasmPath>: `warm` calls first (V8 tiers up), then
 * `calls` signins and `calls` authenticates, each under its own CPU profile.
 */
export async function profileOurs(ch, server, { wasmPath, warm, calls, user }) {
  const page = await ch.context.newPage();
  try {
    await page.goto(`${server.httpBase}/profile.html?wasm=${encodeURIComponent(wasmPath)}`);
    await page.waitForFunction(() => window.profReady === true, null, { timeout: 60_000 });
    const cdp = await ch.context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 50 }); // µs
    const token = await page.evaluate((u) => window.prof.token(u), user);
    const out = {};
    for (const [op, args] of [['signin', user], ['authenticate', { token }]]) {
      await page.evaluate(({ op, n, args }) => window.prof.run(op, n, args), { op, n: warm, args });
      await cdp.send('Profiler.start');
      const marks = await page.evaluate(({ op, n, args }) => window.prof.run(op, n, args), { op, n: calls, args });
      const { profile } = await cdp.send('Profiler.stop');
      out[op] = {
        ...analyse(profile, calls),
        marks: {
          total: summarize(marks.map((m) => m[0])),
          callToSend: summarize(marks.map((m) => m[1])),
          recvToSettled: summarize(marks.map((m) => m[2])),
        },
      };
    }
    await cdp.detach();
    return out;
  } finally {
    await page.close();
  }
}
