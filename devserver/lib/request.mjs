// Building and taking apart RPC envelopes without touching the bytes of their values.
import { arrayItems, decode, itemEnd, majorAt, mapEntries, rawArray, rawMap, text } from './cbor.mjs';

/**
 * Parses one RPC request frame. Returns {fields: Map<key, rawValueBytes>, method} or
 * {fail: 'parse'} for bytes that are not one well-formed CBOR item, {fail: 'invalid'} for a
 * non-map, a non-text key, or a missing or non-text method.
 */
export function parseRequest(buf) {
  try {
    if (itemEnd(buf, 0) !== buf.length) return { fail: 'parse' };
  } catch {
    return { fail: 'parse' };
  }
  if (majorAt(buf, 0) !== 5) return { fail: 'invalid' };
  const fields = new Map();
  for (const e of mapEntries(buf, 0)) {
    const key = safeDecode(buf.subarray(e.keyStart, e.keyEnd));
    if (typeof key !== 'string') return { fail: 'invalid' };
    fields.set(key, buf.subarray(e.valueStart, e.valueEnd));
  }
  const method = fields.has('method') ? safeDecode(fields.get('method')) : undefined;
  if (typeof method !== 'string') return { fail: 'invalid' };
  return { buf, fields, method };
}

/** Decodes CBOR bytes, or returns undefined when they do not decode. */
export function safeDecode(bytes) {
  if (!bytes) return undefined;
  try {
    return decode(bytes);
  } catch {
    return undefined;
  }
}

/** Raw bytes of params[i], or undefined when params is not an array or is too short. */
export function param(req, i) {
  const raw = req.fields.get('params');
  if (!raw || majorAt(raw, 0) !== 4) return undefined;
  const item = arrayItems(raw, 0)[i];
  return item && raw.subarray(item.start, item.end);
}

/** The request re-built with its session field replaced (sessionRaw) or removed (null). */
export function withSession(req, sessionRaw) {
  const entries = [];
  for (const [k, v] of req.fields) if (k !== 'session') entries.push([k, v]);
  if (sessionRaw) entries.push(['session', sessionRaw]);
  return rawMap(entries);
}

/** A request the devserver sends on its own behalf: {method, params:[...raw]}. */
export function internalRequest(method, paramsRaw = [], sessionRaw = null) {
  const entries = [['method', text(method)], ['params', rawArray(paramsRaw)]];
  if (sessionRaw) entries.push(['session', sessionRaw]);
  return rawMap(entries);
}
