// CBOR for the RPC front.
//
// The front never decodes-and-re-encodes what a client sent: it walks the request with a small byte
// scanner (itemEnd, mapEntries, arrayItems) and splices the original bytes of `id`, `params`, … into
// what it forwards and answers, so every value and tag reaches the engine and the client exactly as
// written. cbor-x is only used to *inspect* small pieces (method, session, a token) and to encode the
// few values the devserver builds itself (errors, session lists).
import { Decoder, Encoder, Tag, addExtension } from 'cbor-x';

export { Tag };

// cbor-x gives some tags its own meaning (0/1 → Date, 2/3 → BigInt, 6/51 → "packed values",
// 14/15 → bundled strings, 27 → Error, 28/29 → shared refs, 105 → records, 258 → Set, 259 → Map,
// 64-87 → typed arrays). SurrealDB uses several of these numbers differently (6 = NONE, 14 = duration,
// 15 = future, 51 = excluded range bound), so every one of them is decoded as a plain Tag here.
const PLAIN_TAGS = [0, 1, 2, 3, 4, 5, 6, 14, 15, 27, 28, 29, 51, 105, 258, 259];
for (let t = 64; t <= 87; t++) PLAIN_TAGS.push(t);
for (const tag of PLAIN_TAGS) addExtension({ tag, decode: (value) => new Tag(value, tag) });

const decoder = new Decoder({ useRecords: false, mapsAsObjects: true });
// tagUint8Array:false: bytes are plain CBOR byte strings (a UUID is Tag(16 bytes, 37)), not tag 64.
const encoder = new Encoder({ useRecords: false, tagUint8Array: false, mapsAsObjects: true });

/** Decodes one complete CBOR item (throws on bad or trailing bytes). Tags come back as Tag objects. */
export const decode = (bytes) => decoder.decode(bytes);
/** Encodes a JS value; Tag objects and Uint8Arrays round-trip unchanged. */
export const encode = (value) => encoder.encode(value);

export const NONE = new Tag(null, 6);
export const NONE_BYTES = Buffer.from([0xc6, 0xf6]);

export class CborError extends Error {}

function byteAt(buf, pos) {
  if (pos >= buf.length) throw new CborError('truncated CBOR');
  return buf[pos];
}

// Reads the argument of the initial byte at `pos`: [value, offsetAfterHead]; value -1 = indefinite.
// Only used where the argument is a length or a count (strings, arrays, maps, tags).
function readHead(buf, pos) {
  const ai = byteAt(buf, pos) & 31;
  const p = pos + 1;
  if (ai < 24) return [ai, p];
  if (ai === 31) return [-1, p];
  if (ai > 27) throw new CborError('reserved CBOR additional info');
  checkEnd(buf, p + (1 << (ai - 24)));
  switch (ai) {
    case 24: return [buf[p], p + 1];
    case 25: return [buf.readUInt16BE(p), p + 2];
    case 26: return [buf.readUInt32BE(p), p + 4];
    default: {
      const n = buf.readBigUInt64BE(p);
      if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new CborError('CBOR length too large');
      return [Number(n), p + 8];
    }
  }
}

// Size of the head of an item whose argument is a value, not a length (integers, floats, simple).
function scalarEnd(buf, pos) {
  const ai = byteAt(buf, pos) & 31;
  if (ai < 24) return pos + 1;
  if (ai > 27) throw new CborError(ai === 31 ? 'unexpected CBOR break' : 'reserved CBOR additional info');
  return checkEnd(buf, pos + 1 + (1 << (ai - 24)));
}

/** Offset just past the CBOR data item that starts at `pos`. Throws CborError on malformed input. */
export function itemEnd(buf, pos = 0, depth = 0) {
  if (depth > 256) throw new CborError('CBOR nested too deep');
  const major = byteAt(buf, pos) >> 5;
  if (major === 0 || major === 1 || major === 7) return scalarEnd(buf, pos);
  const [n, p] = readHead(buf, pos);
  switch (major) {
    case 2: case 3:
      if (n >= 0) return checkEnd(buf, p + n);
      return indefinite(buf, p, (q) => {
        if (byteAt(buf, q) >> 5 !== major || (buf[q] & 31) === 31) throw new CborError('bad string chunk');
        return itemEnd(buf, q, depth + 1);
      });
    case 4: case 5: {
      if (n < 0) return indefinite(buf, p, (q) => itemEnd(buf, q, depth + 1));
      let q = p;
      for (let i = 0; i < (major === 5 ? 2 * n : n); i++) q = itemEnd(buf, q, depth + 1);
      return q;
    }
    default: // 6: a tag, then one item
      if (n < 0) throw new CborError('indefinite tag');
      return itemEnd(buf, p, depth + 1);
  }
}

function checkEnd(buf, end) {
  if (end > buf.length) throw new CborError('truncated CBOR');
  return end;
}

function indefinite(buf, p, step) {
  let q = p;
  while (byteAt(buf, q) !== 0xff) q = step(q);
  return q + 1;
}

/** Major type of the item at `pos` (5 = map, 4 = array, 3 = text, 6 = tag…). */
export const majorAt = (buf, pos = 0) => byteAt(buf, pos) >> 5;

/** The entries of the map at `pos` as byte ranges: [{keyStart, keyEnd, valueStart, valueEnd}]. */
export function mapEntries(buf, pos = 0) {
  if (majorAt(buf, pos) !== 5) throw new CborError('not a map');
  return pairs(items(buf, pos));
}

/** The items of the array at `pos` as byte ranges: [{start, end}]. */
export function arrayItems(buf, pos = 0) {
  if (majorAt(buf, pos) !== 4) throw new CborError('not an array');
  return items(buf, pos);
}

function items(buf, pos) {
  const isMap = majorAt(buf, pos) === 5;
  const [n, p] = readHead(buf, pos);
  const out = [];
  let q = p;
  const count = n < 0 ? Infinity : (isMap ? 2 * n : n);
  while (out.length < count && !(n < 0 && byteAt(buf, q) === 0xff)) {
    const end = itemEnd(buf, q, 1);
    out.push({ start: q, end });
    q = end;
  }
  return out;
}

function pairs(list) {
  const out = [];
  for (let i = 0; i + 1 < list.length; i += 2) {
    out.push({ keyStart: list[i].start, keyEnd: list[i].end, valueStart: list[i + 1].start, valueEnd: list[i + 1].end });
  }
  return out;
}

/** CBOR head bytes for a major type and length. */
export function head(major, n) {
  const m = major << 5;
  if (n < 24) return Buffer.from([m | n]);
  if (n < 0x100) return Buffer.from([m | 24, n]);
  if (n < 0x10000) return Buffer.from([m | 25, n >> 8, n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = m | 26;
  b.writeUInt32BE(n, 1);
  return b;
}

/** Encodes a text string. */
export function text(s) {
  const body = Buffer.from(s, 'utf8');
  return Buffer.concat([head(3, body.length), body]);
}

/** Builds a map from [key, rawValueBytes] pairs, splicing the raw values in unchanged. */
export function rawMap(entries) {
  const parts = [head(5, entries.length)];
  for (const [key, raw] of entries) parts.push(text(key), raw);
  return Buffer.concat(parts);
}

/** Builds an array from raw item bytes. */
export function rawArray(itemsRaw) {
  return Buffer.concat([head(4, itemsRaw.length), ...itemsRaw]);
}

/** Tag 37 over 16 raw bytes: how SurrealDB encodes a UUID. */
export function uuidTag(bytes16) {
  return Buffer.concat([Buffer.from([0xd8, 0x25, 0x50]), bytes16]);
}

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** 16 UUID bytes from a decoded value (Tag 37 over bytes, or a UUID string), else null. */
export function uuidBytes(value) {
  if (value instanceof Tag && value.tag === 37 && value.value instanceof Uint8Array && value.value.length === 16) {
    return Buffer.from(value.value);
  }
  if (typeof value === 'string' && UUID_TEXT.test(value)) return Buffer.from(value.replace(/-/g, ''), 'hex');
  return null;
}

/** The canonical 8-4-4-4-12 text form of 16 UUID bytes. */
export function uuidText(bytes16) {
  const h = Buffer.from(bytes16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
