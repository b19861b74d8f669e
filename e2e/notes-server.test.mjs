// End to end (issue 14, server rendering): the browser signs in on the dev
// server's page with the cookie option, and the Go example server
// (examples/notes, its own port on the same host: cookies ignore ports)
// renders that user's own notes from the cookie, and "signed out" once the
// page signed out. 3.x only: the example serves requests on sessions of
// one socket, which 2.x does not have (httpauth.New fails with unsupported).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '../devserver/testing.mjs';
import { DB, NS, OUT, PAGES_ARGS, PASSWORD, ROOT, V2, launchBrowser, newContext, onEngine, openPage, startServer, uniqueEmail } from './helpers.mjs';

/** Runs cmd to completion; rejects with its output when it fails. */
function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { out += d; });
    p.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')}: exit ${code}\n${out}`))));
  });
}

/** Starts the built notes-server on a free port; resolves with its URL and stop(). */
function startNotes(bin, rpc) {
  const proc = spawn(bin, ['-db', rpc, '-addr', '127.0.0.1:0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`notes-server not ready in 30 s\n${stderr}`)); }, 30_000);
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`notes-server exited (${code})\n${stderr}`)); });
    proc.stdout.on('data', (d) => {
      stdout += d;
      const m = /notes-server ready (http:\/\/\S+\/)/.exec(stdout);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        url: m[1],
        async stop() {
          if (proc.exitCode !== null || proc.signalCode !== null) return;
          proc.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}

/** Signs token's user's notes in over a raw socket, as that user (the schema sets the owner). */
async function addNotes(rpc, token, texts) {
  const c = await Client.open(rpc);
  try {
    await c.rpc('authenticate', [token]);
    for (const t of texts) await c.rpc('query', ['CREATE note SET text = $t', { t }]);
  } finally {
    await c.close();
  }
}

/** What the notes page shows: the email, the notes, or signed out. */
const rendered = (page) => page.evaluate(() => ({
  email: document.querySelector('#email')?.textContent ?? null,
  notes: [...document.querySelectorAll('#notes li:not(.empty)')].map((li) => li.textContent),
  signedOut: document.querySelector('#signed-out') !== null,
}));

describe(onEngine('the notes example server renders the browser\'s user from its cookie'), { skip: V2 && '2.x has one session per socket: httpauth is unsupported there' }, () => {
  let server;
  let browser;
  let notes;
  before(async () => {
    const bin = path.join(OUT, 'notes-server');
    await run(process.env.GO || 'go', ['build', '-o', bin, './examples/notes/cmd/notes-server']);
    server = await startServer(PAGES_ARGS);
    browser = await launchBrowser();
    notes = await startNotes(bin, server.rpc);
  });
  after(async () => {
    await notes?.stop();
    await browser?.close();
    await server?.stop();
  });

  it('lists only the signed-in user\'s notes, and signed out after sign-out', async () => {
    // Another user with notes of its own, made without the browser.
    const other = await Client.open(server.rpc);
    const otherToken = await other.rpc('signup', [{ NS, DB, AC: 'allusers', email: uniqueEmail('other'), password: PASSWORD }]);
    await other.close();
    await addNotes(server.rpc, typeof otherToken === 'string' ? otherToken : otherToken.access, ['not yours 1', 'not yours 2']);

    const context = await newContext(browser);
    const app = await openPage(context, server);
    const email = uniqueEmail('notes');
    const token = await app.evaluate(async ({ rpc, creds }) => {
      window.db = await lib.connect(rpc, { cookie: true });
      return db.signup(creds);
    }, { rpc: server.rpc, creds: { NS, DB, SC: 'allusers', email, password: PASSWORD } });
    await addNotes(server.rpc, token, ['first note', 'second note']);

    const view = await context.newPage();
    await view.goto(notes.url);
    const signedIn = await rendered(view);
    assert.equal(signedIn.email, email, 'the server knows the user from the cookie');
    assert.deepEqual(signedIn.notes, ['first note', 'second note'], 'only that user\'s notes');
    assert.equal(signedIn.signedOut, false);

    await app.evaluate(() => db.invalidate());
    await view.reload();
    const after = await rendered(view);
    assert.equal(after.signedOut, true, 'signed out once the page signed out');
    assert.equal(after.email, null);
    assert.deepEqual(after.notes, []);
    await context.close();
  });
});
