// --data <dir>: the engine's data kept on disk, so a restarted dev server still knows its users,
// its access methods' signing keys (old tokens stay valid) and its system users' passwords.
//
// Layout inside <dir>, one pair per engine major version (the 2.x and 3.x on-disk formats differ):
//   surrealdb-3/        RocksDB files of the 3.x engine (rocksdb://…; both napi builds have it)
//   surrealdb-3.json    written once the schema was applied: {engine, store, schema, schemaSha256, created}
//
// The schema is applied only when the data is new. Re-running it is not an option: its plain
// DEFINEs fail on existing definitions, and DEFINE … OVERWRITE would generate new random JWT keys
// for every access method and new keys for every system user, so every old token would be refused.
// A store without its marker is the remains of a start that died before the schema was complete;
// it is removed and created again.
//
// Why RocksDB and not SurrealKV (both are compiled into @surrealdb/node 3.0.3 and 2.6.1): the 2.6.1
// SurrealKV store takes no lock, so two servers on one directory would both write to it; RocksDB
// refuses the second one (LOCK file) with both engines. Both survive SIGKILL right after a write.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const STORE = 'rocksdb';

/**
 * Prepares <dir> for engine `major`. Returns {url, dir, fresh, marker, markInitialised(info)};
 * `fresh` says whether the schema must be applied. Throws with a readable message.
 */
export function prepareDataDir(dir, major, log) {
  const root = path.resolve(dir);
  try {
    fs.mkdirSync(root, { recursive: true });
  } catch (err) {
    throw new Error(`--data ${root}: cannot create the directory (${err.code ?? err.message})`);
  }
  const storeDir = path.join(root, `surrealdb-${major}`);
  const markerFile = path.join(root, `surrealdb-${major}.json`);
  let marker = null;
  if (fs.existsSync(markerFile)) {
    try {
      marker = JSON.parse(fs.readFileSync(markerFile, 'utf8'));
    } catch (err) {
      throw new Error(`--data ${root}: ${path.basename(markerFile)} is unreadable (${err.message}); remove the directory to start afresh`);
    }
    if (!fs.existsSync(storeDir)) {
      throw new Error(`--data ${root}: ${path.basename(markerFile)} exists but ${path.basename(storeDir)}/ does not; remove the directory to start afresh`);
    }
  } else if (fs.existsSync(storeDir)) {
    // Only our own sub-directory, and only when it never finished its schema.
    log.info(`data ${storeDir} was never completed (no ${path.basename(markerFile)}): starting it afresh`);
    fs.rmSync(storeDir, { recursive: true, force: true });
  }
  return {
    url: `${STORE}://${storeDir}`,
    dir: storeDir,
    fresh: marker === null,
    marker,
    markInitialised(info) {
      const tmp = `${markerFile}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, `${JSON.stringify({ ...info, store: STORE, created: new Date().toISOString() }, null, 2)}\n`);
      fs.renameSync(tmp, markerFile);
    },
  };
}

/** sha256 of a file, hex (recorded in the marker; a changed schema file is reported, not applied). */
export function fileSha256(file) {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Turns the store's "already locked" failure into a sentence. */
export function explainOpenError(err, data) {
  const msg = String(err?.message ?? err);
  if (/LOCK|lock/.test(msg)) {
    return new Error(`--data: ${data.dir} is in use by another process (another dev server on the same directory?): ${msg}`);
  }
  return new Error(`--data: cannot open ${data.url}: ${msg}`);
}
