#!/usr/bin/env node
// surrealauth devserver: the real SurrealDB engine (@surrealdb/node, in memory or on disk) behind a WebSocket
// /rpc endpoint that speaks SurrealDB's CBOR RPC, plus the demo's static files. See README.md.
import http from 'node:http';
import { createV2Backend } from './lib/backend-v2.mjs';
import { createV3Backend } from './lib/backend-v3.mjs';
import { USAGE, parseCli } from './lib/cli.mjs';
import { explainOpenError, fileSha256, prepareDataDir } from './lib/data.mjs';
import { openEngine } from './lib/engine.mjs';
import { createGuard } from './lib/guard.mjs';
import { createLogger } from './lib/log.mjs';
import { createRpcFront, refuse } from './lib/rpc.mjs';
import { applySchema } from './lib/schema.mjs';
import { createStaticHandler, send } from './lib/static.mjs';

async function main() {
  let opts;
  try {
    opts = parseCli(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err.message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const log = createLogger({ quiet: opts.quiet });
  if (opts.forwardAccessErrors) {
    // Read by the engine (SurrealDB's cnf) the first time an access method fails: set before it runs.
    process.env.SURREAL_INSECURE_FORWARD_ACCESS_ERRORS = 'true';
    log.info('--forward-access-errors: signin/signup failures carry the engine\'s real error (leaks record ids)');
  }

  const data = opts.data ? prepareDataDir(opts.data, opts.engine, log) : null;
  let engine;
  try {
    engine = await openEngine(opts.engine, data ? { url: data.url } : {});
  } catch (err) {
    throw data ? explainOpenError(err, data) : err;
  }
  log.info(`engine surrealdb-${engine.version} (${data ? data.url : 'in memory'})`);
  if (!data || data.fresh) {
    const statements = await applySchema(engine, opts.schema);
    log.info(`schema applied: ${opts.schema} (${statements} statements)`);
    data?.markInitialised({ engine: `surrealdb-${engine.version}`, schema: opts.schema, schemaSha256: fileSha256(opts.schema) });
  } else {
    log.info(`existing data (created ${data.marker.created}): schema not applied again`);
    if (data.marker.schemaSha256 !== fileSha256(opts.schema)) {
      log.error(`${opts.schema} changed since ${data.dir} was created; it is NOT re-applied (remove the directory to start afresh)`);
    }
  }

  const backend = opts.engine === 3 ? createV3Backend(engine, log) : await createV2Backend(engine, log);
  const front = createRpcFront({ backend, major: opts.engine, log });
  const serveStatic = createStaticHandler({ web: opts.web, dist: opts.dist, mounts: opts.mounts, extraHeaders: opts.headers });

  const guard = createGuard({ listenHost: opts.host, allowOrigins: opts.allowOrigins });
  const server = createHttpServer({ guard, front, serveStatic, log });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, resolve);
  });
  const { port } = server.address();
  guard.setPort(port);
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  const mounted = opts.mounts.map((m) => `, ${m.prefix} ${m.root}`).join('');
  log.info(`listening on http://${host}:${port} (web ${opts.web}, dist ${opts.dist}${mounted})`);
  process.stdout.write(`surrealauth devserver ready ws://${host}:${port}/rpc engine=surrealdb-${engine.version}\n`);

  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: shutting down`);
    setTimeout(() => {
      log.error('shutdown took too long; exiting anyway');
      process.exit(0);
    }, 1500).unref();
    server.close();
    await front.closeAll(1001, 'server shutting down');
    server.closeAllConnections();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** The one port's HTTP side: every request passes the guard (see lib/guard.mjs), then /rpc or files. */
function createHttpServer({ guard, front, serveStatic, log }) {
  const server = http.createServer((req, res) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const hostProblem = guard.hostProblem(req);
    if (hostProblem) return send(res, 403, `${hostProblem}\n`);
    const { pathname } = new URL(req.url, 'http://localhost');
    if (pathname === '/healthz') return send(res, 200, 'ok');
    if (pathname === '/rpc') return send(res, 400, 'WebSocket upgrade with the cbor subprotocol required');
    serveStatic(req, res, pathname).catch(() => res.destroy());
  });
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => {});
    const problem = guard.hostProblem(req) ?? guard.originProblem(req);
    if (problem) {
      log.info(`refused an upgrade from ${req.socket.remoteAddress}: ${problem}`);
      return refuse(socket, 403, `${problem}\n`);
    }
    const { pathname } = new URL(req.url, 'http://localhost');
    if (pathname !== '/rpc') return refuse(socket, 404, 'not found');
    front.handleUpgrade(req, socket, head);
  });
  return server;
}

main().catch((err) => {
  const detail = process.env.DEVSERVER_DEBUG ? err.stack : err.message;
  process.stderr.write(`[devserver] error: ${detail ?? err}\n`);
  process.exit(1);
});
