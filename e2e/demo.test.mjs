// The demo page clicked through as a person would: sign up, reload, still
// signed in, sign out; errors in words; root; the storage selector. Also
// measures page-load-to-ready (navigation start to "session shown").
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { ENGINE, OUT, PASSWORD, newContext, onEngine, uniqueEmail, useServerAndBrowser } from './helpers.mjs';

let env;
let context;
let page;
const email = uniqueEmail('demo');

/** Navigates (or reloads) and waits for the page to say it is ready; returns its page-load-to-ready ms. */
async function load(url) {
  if (url) await page.goto(url);
  else await page.reload();
  await page.waitForSelector('html[data-ready="true"]', { timeout: 30_000 });
  return Number(await page.getAttribute('html', 'data-ready-ms'));
}

const text = (id) => page.locator(`#${id}`).innerText();
const shot = (name) => page.screenshot({ path: path.join(OUT, `demo-engine${ENGINE}-${name}.png`), fullPage: true });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe(onEngine('the demo page'), () => {
  // Suite hooks, not file ones: Node 20 starts file-level before hooks at
  // once, without waiting for the one before.
  env = useServerAndBrowser([], { pages: false }); // the demo itself at "/"
  before(async () => {
    fs.mkdirSync(OUT, { recursive: true });
    context = await newContext(env.browser);
    page = await context.newPage();
  });

  it('loads, connects and shows the signed-out forms', async (t) => {
    const cold = await load(`${env.server.origin}/`);
    t.diagnostic(`page-load-to-ready, cold (nothing cached): ${cold} ms`);
    assert.match(await text('status'), new RegExp(`Connected to surrealdb-${ENGINE}\\.`));
    assert.equal(await page.locator('#signed-out').isVisible(), true);
    assert.equal(await page.getByLabel('Keep the session in').inputValue(), 'local');
  });

  it('signs up with email and password and shows the session and info()', async () => {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.locator('#signed-in').waitFor({ state: 'visible' });
    assert.match(await text('s-id'), /^user:/);
    assert.equal(await text('s-namespace'), 'surrealauth');
    assert.equal(await text('s-database'), 'demo');
    assert.equal(await text('s-access'), 'allusers');
    assert.match(await text('s-expires'), /^59 min \d+ s|^1 h 0 min 0 s/);
    await page.waitForFunction(() => document.getElementById('info').textContent.includes('"id"'));
    const info = JSON.parse(await text('info'));
    assert.equal(info.email, email);
    assert.equal(info.id, await text('s-id'));
    assert.equal(await page.getByLabel('Password', { exact: true }).count(), 1);
    assert.match(await text('events'), /SIGNED_IN user:/);
    await shot('signed-in');
  });

  it('counts down the expiry live', async () => {
    const first = await text('s-expires');
    await page.waitForFunction((was) => document.getElementById('s-expires').textContent !== was, first, { timeout: 3000 });
  });

  it('is still signed in after a reload', async (t) => {
    const id = await text('s-id');
    const warm = [];
    for (let i = 0; i < 5; i++) warm.push(await load());
    t.diagnostic(`page-load-to-ready, reload with a stored session: ${warm.join(', ')} ms (median ${median(warm)})`);
    assert.equal(await page.locator('#signed-in').isVisible(), true);
    assert.equal(await text('s-id'), id);
    assert.match(await text('events'), /INITIAL_SESSION user:/);
    assert.equal(JSON.parse(await text('info')).id, id);
    await shot('after-reload');
  });

  it('signs out: the forms come back and storage is empty', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#signed-out').waitFor({ state: 'visible' });
    assert.equal(await page.evaluate(() => localStorage.length), 0);
    assert.match(await text('events'), /SIGNED_OUT/);
    await load();
    assert.equal(await page.locator('#signed-out').isVisible(), true, 'and stays signed out after a reload');
    await shot('signed-out');
  });

  it('shows a refusal in words, with its code and no stack trace', async () => {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor({ state: 'visible' });
    const said = await alert.innerText();
    assert.match(said, /^Could not sign in: .+ \(code invalid_credentials\)$/);
    assert.doesNotMatch(said, /\n\s*at |\.js:\d+/);
    assert.equal(await page.locator('#signed-out').isVisible(), true);
    await shot('error');
  });

  it('signs in as root: a system user has no record', async () => {
    await page.fill('#root-user', 'root'); // never pre-filled: a demo must not teach default passwords
    await page.fill('#root-pass', 'root');
    await page.getByRole('button', { name: 'Sign in as root' }).click();
    await page.locator('#signed-in').waitFor({ state: 'visible' });
    assert.equal(await text('s-id'), 'root');
    assert.match(await text('s-access'), /system user/);
    await page.waitForFunction(() => document.getElementById('info').textContent.startsWith('null'));
    assert.equal(await page.getByRole('alert').isVisible(), false, 'the earlier error is cleared');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#signed-out').waitFor({ state: 'visible' });
  });

  it('switches storage: memory forgets on reload, and the choice survives it', async () => {
    await page.getByLabel('Keep the session in').selectOption('memory');
    await page.waitForFunction(() => document.getElementById('status').textContent.includes('kept in memory'));
    assert.match(page.url(), /\?storage=memory$/);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.locator('#signed-in').waitFor({ state: 'visible' });
    assert.equal(await page.evaluate(() => localStorage.length + sessionStorage.length), 0);
    await load();
    assert.equal(await page.getByLabel('Keep the session in').inputValue(), 'memory');
    assert.equal(await page.locator('#signed-out').isVisible(), true);
  });

  it('moves a live session when the storage changes', async () => {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.locator('#signed-in').waitFor({ state: 'visible' });
    const id = await text('s-id');
    await page.getByLabel('Keep the session in').selectOption('session');
    await page.waitForFunction(() => document.getElementById('status').textContent.includes('sessionStorage'));
    await page.locator('#signed-in').waitFor({ state: 'visible' });
    assert.equal(await text('s-id'), id);
    assert.equal(await page.evaluate(() => sessionStorage.length), 1);
    await load();
    assert.equal(await text('s-id'), id, 'restored from sessionStorage');
  });

  it('logged no errors and no CSP violations', () => {
    const bad = context.logs.filter((l) => l.type === 'pageerror' || (l.type === 'error' && !/401|invalid_credentials/.test(l.text)));
    assert.deepEqual(bad, []);
  });
});
