// The floor: a browser WebSocket sending SurrealDB's CBOR RPC by hand, with the least work a client
// can do: encode the request map, match the reply by id, decode it. No library.
//
// CBOR (RFC 8949) subset: unsigned/negative ints, byte and text strings, arrays, maps, tags,
// false/true/null/undefined, float16/32/64. Definite lengths only when encoding; both when decoding.

const te = new TextEncoder();
const td = new TextDecoder();

/** A CBOR tag as decoded: {tag, value}. */
export class Tagged {
  constructor(tag, value) {
    this.tag = tag;
    this.value = value;
  }
}

function head(out, major, n) {
  if (n < 24) out.push((major << 5) | n);
  else if (n < 0x100) out.push((major << 5) | 24, n);
  else if (n < 0x10000) out.push((major << 5) | 25, n >> 8, n & 0xff);
  else if (n < 0x100000000) out.push((major << 5) | 26, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
  else {
    const hi = Math.floor(n / 0x100000000);
    out.push((major << 5) | 27);
    for (const v of [hi, n >>> 0]) out.push((v >>> 24) & 0xff, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
  }
}

function enc(out, v) {
  if (v === null) out.push(0xf6);
  else if (v === undefined) out.push(0xf7);
  else if (v === false) out.push(0xf4);
  else if (v === true) out.push(0xf5);
  else if (typeof v === 'number' && Number.isSafeInteger(v)) {
    if (v >= 0) head(out, 0, v);
    else head(out, 1, -1 - v);
  } else if (typeof v === 'number') {
    const b = new DataView(new ArrayBuffer(8));
    b.setFloat64(0, v);
    out.push(0xfb);
    for (let i = 0; i < 8; i++) out.push(b.getUint8(i));
  } else if (typeof v === 'string') {
    const b = te.encode(v);
    head(out, 3, b.length);
    for (let i = 0; i < b.length; i++) out.push(b[i]);
  } else if (v instanceof Uint8Array) {
    head(out, 2, v.length);
    for (let i = 0; i < v.length; i++) out.push(v[i]);
  } else if (Array.isArray(v)) {
    head(out, 4, v.length);
    for (const x of v) enc(out, x);
  } else if (v instanceof Tagged) {
    head(out, 6, v.tag);
    enc(out, v.value);
  } else {
    const keys = Object.keys(v);
    head(out, 5, keys.length);
    for (const k of keys) {
      enc(out, k);
      enc(out, v[k]);
    }
  }
}

export function encode(v) {
  const out = [];
  enc(out, v);
  return new Uint8Array(out);
}

export function decode(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 0;
  const arg = (ai) => {
    if (ai < 24) return ai;
    if (ai === 24) return view.getUint8(p++);
    if (ai === 25) { const v = view.getUint16(p); p += 2; return v; }
    if (ai === 26) { const v = view.getUint32(p); p += 4; return v; }
    if (ai === 27) { const v = view.getUint32(p) * 0x100000000 + view.getUint32(p + 4); p += 8; return v; }
    if (ai === 31) return -1;
    throw new Error('bad CBOR');
  };
  const item = () => {
    const ib = view.getUint8(p++);
    const major = ib >> 5;
    const ai = ib & 31;
    if (major === 7) {
      if (ai === 20) return false;
      if (ai === 21) return true;
      if (ai === 22) return null;
      if (ai === 23) return undefined;
      if (ai === 25) { const h = view.getUint16(p); p += 2; return half(h); }
      if (ai === 26) { const v = view.getFloat32(p); p += 4; return v; }
      if (ai === 27) { const v = view.getFloat64(p); p += 8; return v; }
      if (ai === 31) return BREAK;
      return ai;
    }
    const n = arg(ai);
    switch (major) {
      case 0: return n;
      case 1: return -1 - n;
      case 2: case 3: {
        if (n < 0) {
          const parts = [];
          for (let x = item(); x !== BREAK; x = item()) parts.push(x);
          return major === 3 ? parts.join('') : concat(parts);
        }
        const b = bytes.subarray(p, p + n);
        p += n;
        return major === 3 ? td.decode(b) : b;
      }
      case 4: {
        const a = [];
        if (n < 0) for (let x = item(); x !== BREAK; x = item()) a.push(x);
        else for (let i = 0; i < n; i++) a.push(item());
        return a;
      }
      case 5: {
        const o = {};
        if (n < 0) for (let k = item(); k !== BREAK; k = item()) o[k] = item();
        else for (let i = 0; i < n; i++) { const k = item(); o[k] = item(); }
        return o;
      }
      default: return new Tagged(n, item());
    }
  };
  return item();
}

const BREAK = Symbol('break');
function half(h) {
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  const s = h & 0x8000 ? -1 : 1;
  if (e === 0) return s * 2 ** -14 * (m / 1024);
  if (e === 31) return m ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + m / 1024);
}
function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, b) => n + b.length, 0));
  let o = 0;
  for (const b of parts) { out.set(b, o); o += b.length; }
  return out;
}

/** One WebSocket, requests matched by id. call() resolves to the result or rejects with the error map. */
export class RawClient {
  #ws;
  #next = 1;
  #pending = new Map();

  static open(url) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, 'cbor');
      ws.binaryType = 'arraybuffer';
      ws.onopen = () => resolve(new RawClient(ws));
      ws.onerror = () => reject(new Error('raw: websocket error'));
    });
  }

  constructor(ws) {
    this.#ws = ws;
    ws.onmessage = (ev) => {
      const msg = decode(new Uint8Array(ev.data));
      const waiter = this.#pending.get(msg.id);
      if (!waiter) return;
      this.#pending.delete(msg.id);
      if (msg.error) waiter.reject(Object.assign(new Error(msg.error.message), { rpc: msg.error }));
      else waiter.resolve(msg.result);
    };
    ws.onclose = () => {
      for (const w of this.#pending.values()) w.reject(new Error('raw: closed'));
      this.#pending.clear();
    };
  }

  call(method, params) {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#ws.send(encode(params ? { id, method, params } : { id, method }));
    });
  }

  close() {
    this.#ws.close();
  }
}
