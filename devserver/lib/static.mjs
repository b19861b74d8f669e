// Static files for the demo page: "/" → <web>/index.html, "/<file>" from <web>, "/dist/<file>" from
// <dist>, and "<prefix>/<file>" from each --serve mount (e.g. /vendor/surrealdb=node_modules/surrealdb/dist).
// GET and HEAD only. No directory traversal: every path is resolved and must stay inside its root,
// and so must the file it really is (symlinks are followed only when their target is inside the root).
// A precompressed sibling (<file>.br, <file>.gz) is served with Content-Encoding when the client
// accepts it; a compressible file without one (≤ 4 MB: JS, HTML, CSS, JSON, SVG, wasm, text) is
// compressed once in memory (brotli quality 11, gzip level 9, as bench/run.mjs precompresses its copy) and served the
// same way. Cache-Control: no-cache + a strong ETag (size, mtime, encoding), so a warm cache revalidates
// and gets 304; except the wasm named after its content (surrealauth.<16 hex>.wasm, js/build.sh), which
// never changes under its name: public, max-age=31536000, immutable, as README.md's deploy rule says.
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.surql': 'text/plain; charset=utf-8',
};
const ENCODINGS = [['br', '.br'], ['gzip', '.gz']]; // in order of preference
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.wasm', '.svg', '.txt', '.ts', '.surql']);
const MAX_ON_THE_FLY = 4 << 20;
/** A file named after its content: cached for a year, never revalidated. */
const HASHED = /\.[0-9a-f]{16}\.wasm$/;
const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Parses --header values "Name: value" into an object; throws a readable Error. */
export function parseHeaders(specs) {
  const out = {};
  for (const spec of specs) {
    const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*)$/.exec(spec);
    if (!m || /[\r\n]/.test(m[2])) throw new Error(`--header: expected "Name: value", got ${JSON.stringify(spec)}`);
    out[m[1]] = m[2];
  }
  return out;
}

/** Parses a --serve value "<prefix>=<dir>" into {prefix, root}; throws a readable Error. */
export function parseMount(spec, cwd = process.cwd()) {
  const eq = spec.indexOf('=');
  if (eq < 0) throw new Error(`--serve: expected <url-prefix>=<dir>, got ${spec}`);
  let prefix = spec.slice(0, eq);
  const dir = spec.slice(eq + 1);
  if (!prefix.startsWith('/')) prefix = `/${prefix}`;
  prefix = prefix.replace(/\/+$/, '');
  if (!prefix || !/^(\/[A-Za-z0-9._~@+-]+)+$/.test(prefix) || prefix.split('/').some((p) => p === '.' || p === '..')) {
    throw new Error(`--serve: bad URL prefix in ${spec} (use /name[/name…])`);
  }
  if (prefix === '/rpc' || prefix === '/healthz') throw new Error(`--serve: ${prefix} is reserved`);
  if (!dir) throw new Error(`--serve: no directory in ${spec}`);
  const root = path.resolve(cwd, dir);
  if (!fs.statSync(root, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`--serve: ${root} is not a directory`);
  return { prefix, root };
}

export function createStaticHandler({ web, dist, mounts = [], extraHeaders = {} }) {
  // Longest prefix first, so /vendor/a/b wins over /vendor/a.
  const roots = {
    web: path.resolve(web),
    mounts: [{ prefix: '/dist', root: path.resolve(dist) }, ...mounts.map((m) => ({ prefix: m.prefix, root: path.resolve(m.root) }))]
      .sort((a, b) => b.prefix.length - a.prefix.length),
  };
  const compressed = new Map(); // `${file}\0${encoding}` → {key, promise of Buffer}

  return async function serveStatic(req, res, pathname) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
    }
    const target = resolveFile(roots, pathname);
    if (!target) return send(res, 404, 'not found');
    const { file } = target;
    let variant;
    try {
      variant = await pickVariant(target, req.headers['accept-encoding'], compressed);
    } catch {
      variant = null;
    }
    if (!variant) return send(res, 404, 'not found');
    const { stat, encoding } = variant;
    const etag = `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}${encoding ? `-${encoding}` : ''}"`;
    const headers = {
      'Content-Type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Cache-Control': HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache',
      ETag: etag,
      Vary: 'Accept-Encoding',
      ...(encoding ? { 'Content-Encoding': encoding } : {}),
      ...extraHeaders,
    };
    if (etagMatches(req.headers['if-none-match'], etag)) {
      res.writeHead(304, headers);
      return res.end();
    }
    res.writeHead(200, { ...headers, 'Content-Length': variant.body ? variant.body.length : stat.size });
    if (req.method === 'HEAD') return res.end();
    if (variant.body) return res.end(variant.body);
    fs.createReadStream(variant.path).on('error', () => res.destroy()).pipe(res);
  };
}

/** {file, root}: the absolute file a URL path names and its root; null when outside it or undecodable. */
function resolveFile(roots, pathname) {
  let rel;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (rel.includes('\0') || rel.includes('\\')) return null;
  let root = roots.web;
  const mount = roots.mounts.find((m) => rel === m.prefix || rel.startsWith(`${m.prefix}/`));
  if (mount) {
    root = mount.root;
    rel = rel.slice(mount.prefix.length);
  }
  if (rel === '' || rel.endsWith('/')) rel += 'index.html';
  const file = path.resolve(root, `.${path.posix.normalize(rel)}`);
  if (!inside(file, root)) return null;
  return { file, root };
}

const inside = (file, root) => file === root || file.startsWith(root + path.sep);

async function pickVariant({ file: named, root }, acceptEncoding, cache) {
  const accepted = parseAcceptEncoding(acceptEncoding);
  // Resolved per request: a root may be a symlink, or appear after start (dist/ after a build).
  const real = fs.realpathSync(root);
  for (const [encoding, ext] of ENCODINGS) {
    if (!accepted.has(encoding)) continue;
    const sibling = realFile(named + ext, real);
    if (sibling) return { path: sibling.path, stat: sibling.stat, encoding };
  }
  const found = realFile(named, real);
  if (!found) return null;
  const { path: file, stat } = found;
  if (!COMPRESSIBLE.has(path.extname(named).toLowerCase()) || stat.size > MAX_ON_THE_FLY || stat.size < 256) {
    return { path: file, stat, encoding: null };
  }
  // No sibling on disk: compress once, keyed by size and mtime (a changed file is compressed again).
  for (const [encoding] of ENCODINGS) {
    if (!accepted.has(encoding)) continue;
    const key = `${stat.size}-${stat.mtimeMs}`;
    let entry = cache.get(`${file}\0${encoding}`);
    if (!entry || entry.key !== key) {
      const data = fs.promises.readFile(file);
      const promise = data.then((buf) => (encoding === 'br'
        ? brotli(buf, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length } })
        : gzip(buf, { level: 9 })));
      entry = { key, promise };
      cache.set(`${file}\0${encoding}`, entry);
      promise.catch(() => cache.delete(`${file}\0${encoding}`));
    }
    return { path: file, stat, encoding, body: await entry.promise };
  }
  return { path: file, stat, encoding: null };
}

/** {path, stat} of the regular file `file` really is, when that is inside `realRoot`; else null. */
function realFile(file, realRoot) {
  try {
    const real = fs.realpathSync(file);
    if (!inside(real, realRoot)) return null;
    const stat = fs.statSync(real);
    return stat.isFile() ? { path: real, stat } : null;
  } catch {
    return null;
  }
}

/** Encodings with q > 0; `*` adds br and gzip unless they were refused explicitly. */
function parseAcceptEncoding(header) {
  const out = new Set();
  const refused = new Set();
  for (const part of String(header ?? '').split(',')) {
    const [name, ...opts] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = opts.map((o) => o.trim()).find((o) => o.startsWith('q='));
    const zero = q !== undefined && Number(q.slice(2)) === 0;
    (zero ? refused : out).add(name);
  }
  if (out.has('*')) for (const [e] of ENCODINGS) if (!refused.has(e)) out.add(e);
  return out;
}

function etagMatches(header, etag) {
  if (!header) return false;
  return header.split(',').some((t) => {
    const v = t.trim();
    return v === '*' || v === etag || v === `W/${etag}`;
  });
}

export function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}
