// Runs a command with a dev server beside it: the server starts on a free
// port, the command gets SURREAL_URL, and the server stops when it ends.
// Used where the tests cannot start processes themselves (Go's js/wasm
// tests run inside Node).
//
//   node devserver/with-server.mjs [--engine 3|2] -- command args...
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import readline from 'node:readline';

const argv = process.argv.slice(2);
const sep = argv.indexOf('--');
if (sep < 0 || sep === argv.length - 1) {
  console.error('usage: node devserver/with-server.mjs [--engine 3|2] -- command args...');
  process.exit(2);
}
const serverArgs = argv.slice(0, sep);
const [cmd, ...cmdArgs] = argv.slice(sep + 1);
const here = path.dirname(fileURLToPath(import.meta.url));

const server = spawn(process.execPath, [path.join(here, 'server.mjs'), '--port', '0', '--quiet', ...serverArgs], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const stop = () => { if (server.exitCode === null) server.kill('SIGTERM'); };
process.on('exit', stop);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { stop(); process.exit(130); });

const timer = setTimeout(() => { console.error('with-server: dev server not ready after 60 s'); stop(); process.exit(1); }, 60_000);
server.on('exit', (code) => { console.error(`with-server: dev server exited (${code}) before it was ready`); process.exit(1); });

for await (const line of readline.createInterface({ input: server.stdout })) {
  const m = /ready (ws:\/\/\S+\/rpc) engine=(\S+)/.exec(line);
  if (!m) continue;
  clearTimeout(timer);
  server.removeAllListeners('exit');
  console.error(`with-server: ${m[2]} at ${m[1]}`);
  const child = spawn(cmd, cmdArgs, { stdio: 'inherit', env: { ...process.env, SURREAL_URL: m[1] } });
  child.on('exit', (code, signal) => { stop(); process.exit(code ?? (signal ? 1 : 0)); });
  break;
}
