#!/usr/bin/env node
// The profile phase of make bench on its own (bench/lib/profile.mjs), for working on the cost per
// call: builds the wasm with its name section, profiles ours over signins and authenticates, and
// prints the summary (JSON with --json).
//
//   node bench/profile.mjs [--calls 300] [--warm 150] [--json]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Client, DB, NS, startServer } from '../devserver/testing.mjs';
import { launch } from './lib/chromium.mjs';
import { buildNamedWasm, profileOurs } from './lib/profile.mjs';
import { profileTables } from './lib/report.mjs';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { values: argv } = parseArgs({
  options: {
    calls: { type: 'string', default: '300' },
    warm: { type: 'string', default: '150' },
    json: { type: 'boolean', default: false },
  },
});

const dir = path.join(ROOT, 'bench', 'out', 'profile');
buildNamedWasm(ROOT, dir);
const server = await startServer([
  '--web', path.join(ROOT, 'bench', 'pages'), '--dist', path.join(ROOT, 'dist'), '--serve', `/profile=${dir}`,
  '--header', 'Cross-Origin-Opener-Policy: same-origin', '--header', 'Cross-Origin-Embedder-Policy: require-corp',
]);
let ch;
try {
  const user = { access: 'plain', email: `profile-${process.pid}@example.com`, password: 'bench password' };
  const seed = await Client.open(server.url);
  await seed.rpc('signup', [{ NS, DB, AC: user.access, email: user.email, password: user.password }]);
  await seed.close();
  ch = await launch();
  const p = await profileOurs(ch, server, { wasmPath: '/profile/surrealauth.wasm', warm: +argv.warm, calls: +argv.calls, user });
  process.stdout.write(argv.json ? `${JSON.stringify(p, null, 1)}\n` : `${profileTables(p)}\n`);
} finally {
  await ch?.close();
  await server.stop();
}
