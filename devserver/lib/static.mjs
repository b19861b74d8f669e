// Static files for the demo page: "/" → <web>/index.html, "/<file>" from <web>, "/dist/<file>" from
// <dist>. GET and HEAD only. No directory traversal (every path is resolved and must stay inside its
// root). A precompressed sibling (<file>.br, <file>.gz) is served with Content-Encoding when the
// client accepts it. Cache-Control: no-cache + a strong ETag (size, mtime, encoding), so a warm cache
// revalidates and gets 304.
import fs from 'node:fs';
import path from 'node:path';

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

export function createStaticHandler({ web, dist }) {
  const roots = { web: path.resolve(web), dist: path.resolve(dist) };

  return function serveStatic(req, res, pathname) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
    }
    const file = resolveFile(roots, pathname);
    if (!file) return send(res, 404, 'not found');
    const variant = pickVariant(file, req.headers['accept-encoding']);
    if (!variant) return send(res, 404, 'not found');
    const { stat, encoding } = variant;
    const etag = `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}${encoding ? `-${encoding}` : ''}"`;
    const headers = {
      'Content-Type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Cache-Control': 'no-cache',
      ETag: etag,
      Vary: 'Accept-Encoding',
      ...(encoding ? { 'Content-Encoding': encoding } : {}),
    };
    if (etagMatches(req.headers['if-none-match'], etag)) {
      res.writeHead(304, headers);
      return res.end();
    }
    res.writeHead(200, { ...headers, 'Content-Length': stat.size });
    if (req.method === 'HEAD') return res.end();
    fs.createReadStream(variant.path).on('error', () => res.destroy()).pipe(res);
  };
}

/** The absolute file a URL path names, or null when it is outside its root or undecodable. */
function resolveFile(roots, pathname) {
  let rel;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (rel.includes('\0') || rel.includes('\\')) return null;
  let root = roots.web;
  if (rel === '/dist' || rel.startsWith('/dist/')) {
    root = roots.dist;
    rel = rel.slice('/dist'.length);
  }
  if (rel === '' || rel.endsWith('/')) rel += 'index.html';
  const file = path.resolve(root, `.${path.posix.normalize(rel)}`);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  return file;
}

function pickVariant(file, acceptEncoding) {
  const accepted = parseAcceptEncoding(acceptEncoding);
  for (const [encoding, ext] of ENCODINGS) {
    if (!accepted.has(encoding)) continue;
    const stat = statFile(file + ext);
    if (stat) return { path: file + ext, stat, encoding };
  }
  const stat = statFile(file);
  return stat && { path: file, stat, encoding: null };
}

function statFile(file) {
  try {
    const stat = fs.statSync(file);
    return stat.isFile() ? stat : null;
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
