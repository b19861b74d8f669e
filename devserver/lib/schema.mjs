// Applies a .surql file through the engine's `query` method; every statement must report OK.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { text, uuidTag } from './cbor.mjs';
import { internalRequest, safeDecode } from './request.mjs';

/** Runs the file; resolves to the number of statements, throws with the first failure. */
export async function applySchema(engine, file) {
  const sql = fs.readFileSync(file, 'utf8');
  // 3.x: run in a throwaway session, so no connection inherits its USE or auth.
  const session = engine.major === 3 ? uuidTag(randomBytes(16)) : null;
  if (session) await engine.run(internalRequest('attach', [], session));
  try {
    const out = await engine.run(internalRequest('query', [text(sql)], session));
    if (!out.result) {
      const err = out.error ?? safeDecode(out.errorRaw);
      throw new Error(`schema ${file}: ${err?.message ?? 'query failed'}`);
    }
    const rows = safeDecode(out.result);
    if (!Array.isArray(rows)) throw new Error(`schema ${file}: unexpected query result`);
    rows.forEach((row, i) => {
      if (row?.status !== 'OK') {
        throw new Error(`schema ${file}: statement ${i + 1} failed: ${describe(row?.result)}`);
      }
    });
    return rows.length;
  } finally {
    if (session) await engine.run(internalRequest('detach', [], session));
  }
}

const describe = (v) => (typeof v === 'string' ? v : JSON.stringify(v));
