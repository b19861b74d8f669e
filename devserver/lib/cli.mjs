// Command line: node devserver/server.mjs [--host 127.0.0.1] [--port 8000] [--engine 3|2]
//   [--schema path] [--data dir] [--web dir] [--dist dir] [--serve prefix=dir]... [--header 'Name: value']...
//   [--allow-origin origin]... [--forward-access-errors] [--quiet]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseOrigin } from './guard.mjs';
import { parseHeaders, parseMount } from './static.mjs';

const devserverDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const repoRoot = path.dirname(devserverDir);

export const USAGE = `usage: node devserver/server.mjs [options]
  --host <addr>     listen address (default 127.0.0.1)
  --port <n>        port; 0 picks a free one (default 8000)
  --engine <3|2>    SurrealDB major version: 3 = @surrealdb/node 3.0.3 (SurrealDB 3.0.2),
                    2 = @surrealdb/node 2.6.1 (SurrealDB 2.6.0) (default 3)
  --schema <file>   .surql applied at start (default devserver/schema.surql, or schema-v2.surql for --engine 2)
  --data <dir>      keep the engine's data in <dir> (RocksDB), so a restart keeps users, signing
                    keys and passwords; the schema is applied only when the data is new
                    (default: in memory, gone at exit)
  --web <dir>       static files served at / (default web/)
  --dist <dir>      static files served at /dist/ (default dist/)
  --serve <p>=<dir> also serve <dir> at URL prefix <p>, e.g. --serve /vendor/surrealdb=node_modules/surrealdb/dist
                    (repeatable; the longest matching prefix wins)
  --header <h>      add "Name: value" to every static file response (repeatable), e.g. the two headers
                    of cross-origin isolation: "Cross-Origin-Opener-Policy: same-origin" and
                    "Cross-Origin-Embedder-Policy: require-corp"
  --allow-origin <o> let pages of origin <o> (e.g. http://localhost:5173) open /rpc (repeatable); by
                    default only pages this server serves may, and clients that send no Origin
  --forward-access-errors
                    signin/signup failures carry the engine's real error (index, assertion…) instead
                    of "The record access signup query failed" (SurrealDB's
                    SURREAL_INSECURE_FORWARD_ACCESS_ERRORS; leaks record ids: tests only)
  --quiet           log errors only
  --help            this text`;

/** Parses argv into options; throws an Error with a readable message on bad input. */
export function parseCli(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8000' },
      engine: { type: 'string', default: '3' },
      schema: { type: 'string' },
      data: { type: 'string' },
      web: { type: 'string' },
      dist: { type: 'string' },
      serve: { type: 'string', multiple: true, default: [] },
      header: { type: 'string', multiple: true, default: [] },
      'allow-origin': { type: 'string', multiple: true, default: [] },
      'forward-access-errors': { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port number: ${values.port}`);
  if (values.engine !== '3' && values.engine !== '2') throw new Error(`--engine: must be 3 or 2, not ${values.engine}`);
  const engine = Number(values.engine);
  if (values.data === '') throw new Error('--data: needs a directory');
  const fromCwd = (p) => path.resolve(process.cwd(), p);
  return {
    help: values.help,
    host: values.host,
    port,
    engine,
    quiet: values.quiet,
    schema: values.schema !== undefined
      ? fromCwd(values.schema)
      : path.join(devserverDir, engine === 3 ? 'schema.surql' : 'schema-v2.surql'),
    data: values.data !== undefined ? fromCwd(values.data) : null,
    web: values.web !== undefined ? fromCwd(values.web) : path.join(repoRoot, 'web'),
    dist: values.dist !== undefined ? fromCwd(values.dist) : path.join(repoRoot, 'dist'),
    mounts: values.serve.map((spec) => parseMount(spec)),
    headers: parseHeaders(values.header),
    allowOrigins: values['allow-origin'].map((o) => parseOrigin(o)),
    forwardAccessErrors: values['forward-access-errors'],
  };
}
