// The docs say what is true: README.md's HTML snippet runs in Chromium
// against the dev server and its Go program runs against it too; every make
// target, Go name and error code README.md, SECURITY.md and js/README.md
// mention exists; SECURITY.md quotes the demo's Content-Security-Policy
// exactly; every docs/*.md#anchor cited anywhere is a heading there; and no
// file points at notes the repository does not have.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DB, NS, OUT, PASSWORD, ROOT, launchBrowser, newContext, startServer, uniqueEmail } from './helpers.mjs';
import { sh } from './pack.mjs';

const read = (f) => fs.readFileSync(path.join(ROOT, f), 'utf8');
const README = read('README.md');
const SECURITY = read('SECURITY.md');
const PACKAGE_README = read('js/README.md');

/** The body of the first ```lang block in markdown. */
function codeBlock(markdown, lang) {
  const m = new RegExp('^```' + lang + '\\n([\\s\\S]*?)^```$', 'm').exec(markdown);
  assert.ok(m, `a \`\`\`${lang} block`);
  return m[1];
}

/** Every file of the repository that git knows, plus new ones not ignored. */
async function repoFiles() {
  const { stdout } = await sh('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: ROOT });
  return stdout.split('\n').filter((f) => f && fs.existsSync(path.join(ROOT, f)));
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchor = (heading) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');

const env = {};
before(async () => {
  // README's HTML snippet as a page of its own, pointed at this server and at the demo schema.
  const dir = path.join(OUT, 'readme-page');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  env.dir = dir;
  env.server = await startServer(['--serve', `/readme=${dir}`]);
  env.browser = await launchBrowser();
});
after(async () => {
  await env.browser?.close();
  await env.server?.stop();
});

describe('the docs', () => {
  it("README's web page snippet runs as written: connect, sign up, info, a note, sign out, sign in and query", async () => {
    // The only changes: this server for the example's, the demo schema's names for the example's.
    const page = codeBlock(README, 'html')
      .replace('wss://db.example.com/rpc', env.server.rpc)
      .replaceAll('"my_ns"', `"${NS}"`).replaceAll('"my_db"', `"${DB}"`);
    fs.writeFileSync(path.join(env.dir, 'index.html'), `<!doctype html>\n<meta charset="utf-8">\n<link rel="icon" href="data:,">\n${page}`);
    const context = await newContext(env.browser);
    const tab = await context.newPage();
    await tab.goto(`${env.server.origin}/readme/`);
    const email = uniqueEmail('readme');
    const r = await tab.evaluate(async ({ email, password }) => {
      await ready;
      const me = await signUp(email, password);
      await addNote('first note');
      await signOut();
      const session = (await ready).session;
      const refused = await signIn(email, 'not the password');
      const notes = await signIn(email, password);
      await signOut();
      return { me, session, refused, notes };
    }, { email, password: PASSWORD });
    const logs = context.logs.map((l) => `${l.type}: ${l.text}`);
    await context.close();
    assert.match(r.me.id, /^user:/);
    assert.equal(r.me.email, email);
    assert.equal(r.session, null);
    assert.equal(r.refused, 'No user matches these credentials');
    assert.deepEqual(r.notes, ['first note'], "the user's own notes, as that user");
    assert.deepEqual(logs.filter((l) => /^(pageerror|error)/.test(l)), []);
    assert.ok(logs.includes('log: INITIAL_SESSION undefined'), logs.join('\n'));
    assert.ok(logs.includes(`log: SIGNED_IN ${r.me.id}`), logs.join('\n'));
    assert.ok(logs.includes('log: SIGNED_OUT undefined'), logs.join('\n'));
  });

  it("README's Go program compiles and runs as written against the dev server", async () => {
    const program = codeBlock(README, 'go');
    assert.match(program, /^package main\n/);
    // Inside the module (for its go.mod), in a folder ./... skips (leading underscore).
    const dir = path.join(OUT, '_readme');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'main.go'), program.replace('ws://127.0.0.1:8000/rpc', env.server.rpc));
    const { stdout } = await sh('go', ['run', `./${path.relative(ROOT, dir)}`], { cwd: ROOT });
    assert.match(stdout, /^signed in as user:\S+\n$/);
  });

  it('every make target they mention exists', async () => {
    const targets = new Set();
    for (const doc of [README, SECURITY, PACKAGE_README, read('bench/README.md')]) {
      for (const m of doc.matchAll(/\bmake ([a-z][\w-]*)/g)) targets.add(m[1]);
    }
    assert.ok(targets.has('demo') && targets.has('test'));
    for (const target of targets) {
      await sh('make', ['-n', target], { cwd: ROOT }); // "No rule to make target" fails
    }
    assert.ok(fs.existsSync(path.join(ROOT, 'bench', 'wasmsize', 'main.go')), 'go run ./bench/wasmsize');
  });

  it('every Go name they mention exists (sdk.X, verify.X, the methods go doc lists)', async () => {
    const names = new Map(); // go doc argument → where
    for (const [doc, text] of [['README.md', README], ['SECURITY.md', SECURITY]]) {
      for (const m of text.matchAll(/\b(sdk|verify)\.([A-Z]\w*)/g)) names.set(`${m[1] === 'sdk' ? './sdk' : './sdk/verify'} ${m[2]}`, doc);
    }
    const listed = /`go doc \.\/sdk` has the rest: ([^.]+)/.exec(README);
    assert.ok(listed, "README's go doc sentence");
    for (const m of listed[1].matchAll(/`([A-Z]\w*)`/g)) {
      names.set(m[1] === 'Session' ? './sdk Client.Session' : `./sdk Client.${m[1]}`, 'README.md');
    }
    assert.ok(names.size >= 15, [...names.keys()].join(', '));
    const missing = [];
    for (const [arg, doc] of names) {
      try {
        await sh('go', ['doc', ...arg.split(' ')], { cwd: ROOT });
      } catch {
        missing.push(`${doc}: ${arg}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('every error code they mention is one the types declare', () => {
    const declared = /export type ErrorCode =([^;]+);/.exec(read('js/bindings.d.ts'))[1];
    const codes = new Set([...declared.matchAll(/"(\w+)"/g)].map((m) => m[1]));
    for (const text of [README, SECURITY, PACKAGE_README]) {
      for (const m of text.matchAll(/`([a-z]+(?:_[a-z]+)+)`/g)) {
        if (/^(wasm_exec|go_js_wasm_exec)$/.test(m[1])) continue;
        assert.ok(codes.has(m[1]), `${m[1]} is not an ErrorCode`);
      }
    }
  });

  it("SECURITY.md quotes the demo's Content-Security-Policy exactly", () => {
    const demo = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(read('web/index.html'))[1];
    const quoted = /The demo's policy[\s\S]*?`(default-src [^`]+)`/.exec(SECURITY)[1];
    assert.equal(quoted, demo);
  });

  it('every docs/*.md#anchor cited in the repository is a heading of that file', async () => {
    const files = await repoFiles();
    const headings = {};
    for (const doc of ['docs/protocol.md', 'docs/architecture.md']) {
      headings[doc] = new Set([...read(doc).matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchor(m[1])));
    }
    const broken = [];
    for (const f of files) {
      if (/\.(png|svg|wasm|json)$|package-lock/.test(f)) continue;
      const text = read(f);
      for (const m of text.matchAll(/docs\/(protocol|architecture)\.md#([\w-]+)/g)) {
        if (!headings[`docs/${m[1]}.md`].has(m[2])) broken.push(`${f}: docs/${m[1]}.md#${m[2]}`);
      }
    }
    assert.deepEqual(broken, []);
  });

  it('every test docs/*.md names as evidence exists, with the titles quoted', () => {
    const goTests = (dir) => fs.readdirSync(path.join(ROOT, dir)).filter((f) => f.endsWith('_test.go'))
      .map((f) => read(path.join(dir, f))).join('\n');
    const go = {
      '': goTests('sdk'), 'rpc.': goTests('sdk/internal/rpc'), 'verify.': goTests('sdk/verify'),
      'httpauth.': goTests('sdk/httpauth'), 'notes.': goTests('examples/notes'), 'jsonx.': goTests('sdk/internal/jsonx'),
    };
    // A quoted title may abbreviate with …: its pieces must appear, in order.
    const hasTitle = (text, title) => {
      let at = 0;
      for (const piece of title.split('…').map((p) => p.trim()).filter(Boolean)) {
        at = text.indexOf(piece, at);
        if (at < 0) return false;
        at += piece.length;
      }
      return true;
    };
    const missing = [];
    let cited = 0;
    for (const doc of ['docs/protocol.md', 'docs/architecture.md']) {
      const text = read(doc).replace(/\s+/g, ' ');
      for (const m of text.matchAll(/`(rpc\.|verify\.|httpauth\.|notes\.|jsonx\.)?((?:Test|Fuzz)\w+)`(?: › ((?:"[^"]*"(?:, )?)+))?/g)) {
        const [, pkg = '', name, titles] = m;
        if (name === 'TestX') continue; // the how-to-read example
        cited++;
        const body = go[pkg];
        if (!new RegExp(`^func ${name}\\(`, 'm').test(body)) missing.push(`${doc}: ${pkg}${name}`);
        for (const [, t] of (titles ?? '').matchAll(/"([^"]*)"/g)) if (!hasTitle(body, t)) missing.push(`${doc}: ${pkg}${name} › "${t}"`);
      }
      for (const m of text.matchAll(/\b(devserver|e2e): ([\w-]+\.test\.mjs)(?: › ((?:"[^"]*"(?:, )?)+))?/g)) {
        cited++;
        const [, dir, file, titles] = m;
        const f = path.join(dir === 'devserver' ? 'devserver/test' : 'e2e', file);
        if (!fs.existsSync(path.join(ROOT, f))) {
          missing.push(`${doc}: ${f}`);
          continue;
        }
        const body = read(f).replace(/\\'/g, "'");
        for (const [, t] of (titles ?? '').matchAll(/"([^"]*)"/g)) if (!hasTitle(body, t)) missing.push(`${doc}: ${f} › "${t}"`);
      }
    }
    assert.ok(cited > 50, `${cited} citations found`);
    assert.deepEqual(missing, []);
  });

  it('no file points at notes the repository lacks, and every relative link resolves', async () => {
    const files = await repoFiles();
    const stale = [];
    for (const f of files.filter((f) => !/\.(png|svg|wasm)$|package-lock|^e2e\/docs\.test\.mjs$/.test(f))) {
      const text = read(f);
      for (const m of text.matchAll(/\b(PROTOCOL|DESIGN|STYLE)\.md\b|\/work\/shared|\.\.\/shared\//g)) stale.push(`${f}: ${m[0]}`);
    }
    assert.deepEqual(stale, []);
    const broken = [];
    for (const f of files.filter((f) => f.endsWith('.md'))) {
      for (const m of read(f).matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(m[1])) continue; // a URL
        if (!fs.existsSync(path.join(ROOT, path.dirname(f), m[1]))) broken.push(`${f}: ${m[1]}`);
      }
    }
    assert.deepEqual(broken, []);
  });
});
