// Live queries: the engine reports every notification on one shared channel; the front hands each
// one to the connection that started the query, as {result: notification} without an id, like the
// real server. Ownership is learnt from the results of `live`, `query` (LIVE SELECT) and `kill`.
import { decode, mapEntries, rawMap, uuidBytes } from './cbor.mjs';
import { param, safeDecode } from './request.mjs';

export class LiveOwners {
  #owners = new Map(); // live query uuid (hex) → conn

  /** Updates ownership after a successful request. */
  noteResult(conn, req, resultRaw) {
    if (req.method === 'live') {
      this.#own(conn, uuidBytes(safeDecode(resultRaw)));
    } else if (req.method === 'kill') {
      const id = uuidBytes(safeDecode(param(req, 0)));
      if (id) this.#owners.delete(id.toString('hex'));
    } else if (req.method === 'query') {
      const sql = safeDecode(param(req, 0));
      if (typeof sql !== 'string' || !/\blive\b/i.test(sql)) return;
      const rows = safeDecode(resultRaw);
      if (!Array.isArray(rows)) return;
      for (const row of rows) {
        // 3.x marks LIVE statements with type "live"; 2.x has no type, so any uuid result counts.
        if (row?.status === 'OK' && (row.type === 'live' || row.type === undefined)) this.#own(conn, uuidBytes(row.result));
      }
    }
  }

  #own(conn, id) {
    if (id) this.#owners.set(id.toString('hex'), conn);
  }

  owns(conn) {
    for (const c of this.#owners.values()) if (c === conn) return true;
    return false;
  }

  owner(idBytes) {
    return idBytes ? this.#owners.get(idBytes.toString('hex')) : undefined;
  }

  /** Forgets and returns the live query ids (16-byte Buffers) owned by conn. */
  release(conn) {
    const ids = [];
    for (const [hex, c] of this.#owners) {
      if (c === conn) {
        ids.push(Buffer.from(hex, 'hex'));
        this.#owners.delete(hex);
      }
    }
    return ids;
  }

  delete(idBytes) {
    if (idBytes) this.#owners.delete(idBytes.toString('hex'));
  }
}

/** Splits a notification into its raw fields. */
export function notificationFields(raw) {
  const fields = new Map();
  for (const e of mapEntries(raw, 0)) fields.set(decode(raw.subarray(e.keyStart, e.keyEnd)), raw.subarray(e.valueStart, e.valueEnd));
  return fields;
}

/** The frame a client receives for a notification. */
export const notificationFrame = (notificationRaw) => rawMap([['result', notificationRaw]]);

/** Reads the engine's notification channel until it closes, calling route(rawBytes) for each. */
export async function pumpNotifications(engine, route, log) {
  let receiver;
  try {
    receiver = await engine.notifications();
  } catch (err) {
    log.error(`live notifications unavailable: ${err.message}`);
    return;
  }
  for (;;) {
    let msg;
    try {
      msg = await receiver.recv();
    } catch (err) {
      log.error(`live notification channel failed: ${err.message}`);
      return;
    }
    if (msg == null) return;
    try {
      route(Buffer.from(msg));
    } catch (err) {
      log.error(`could not route a live notification: ${err.message}`);
    }
  }
}
