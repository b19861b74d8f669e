// The demo page clicked through as a person would: sign up, reload, still
// signed in, sign out; notes per user through db.query; errors in words;
// root; the storage selector; a 390 px wide screen. Also
// measures page-load-to-ready (navigation start to "session shown"). Each
// test opens its own profile and does every step it relies on.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { ENGINE, OUT, PASSWORD, newContext, onEngine, uniqueEmail, useServerAndBrowser } from './helpers.mjs';

let env;

/** Navigates (or reloads) and waits for the page to say it is ready; returns its page-load-to-ready ms. */
async function load(page, url) {
  if (url) await page.goto(url);
  else await page.reload();
  await page.waitForSelector('html[data-ready="true"]', { timeout: 30_000 });
  return Number(await page.getAttribute('html', 'data-ready-ms'));
}

const text = (page, id) => page.locator(`#${id}`).innerText();
const shot = (page, name) => page.screenshot({ path: path.join(OUT, `demo-engine${ENGINE}-${name}.png`), fullPage: true });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A fresh profile with the demo loaded; check() asserts it logged no errors and closes it. */
async function demo(query = '') {
  const context = await newContext(env.browser);
  const page = await context.newPage();
  const ms = await load(page, `${env.server.origin}/${query}`);
  return {
    context, page, ms,
    async check() {
      const bad = context.logs.filter((l) => l.type === 'pageerror' || (l.type === 'error' && !/401|invalid_credentials/.test(l.text)));
      await context.close();
      assert.deepEqual(bad, [], 'no errors and no CSP violations logged');
    },
  };
}

/** Fills the record-user form and presses the button named (Sign up, Sign in). */
async function submitUser(page, button, email, password = PASSWORD) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: button, exact: true }).click();
}

/** Adds a note through the form and waits for it in the list. */
async function addNote(page, note) {
  const before = await page.locator('#notes li').count();
  await page.getByLabel('New note').fill(note);
  await page.getByRole('button', { name: 'Add note' }).click();
  await page.waitForFunction((n) => document.querySelectorAll('#notes li').length === n, before + 1);
}

/** The notes listed, top to bottom. */
const notes = (page) => page.locator('#notes .note-text').allInnerTexts();

/** Signs a new user up through the form and waits for the signed-in view; returns the email. */
async function signUp(page) {
  const email = uniqueEmail('demo');
  await submitUser(page, 'Sign up', email);
  await page.locator('#signed-in').waitFor({ state: 'visible' });
  return email;
}

describe(onEngine('the demo page'), () => {
  // Suite hooks, not file ones: Node 20 starts file-level before hooks at
  // once, without waiting for the one before.
  env = useServerAndBrowser([], { pages: false }); // the demo itself at "/"
  before(() => fs.mkdirSync(OUT, { recursive: true }));

  it('loads, connects and shows the signed-out forms', async (t) => {
    const d = await demo();
    t.diagnostic(`page-load-to-ready, cold (nothing cached): ${d.ms} ms`);
    assert.match(await text(d.page, 'status'), new RegExp(`Connected to surrealdb-${ENGINE}\\.`));
    assert.equal(await d.page.locator('#signed-out').isVisible(), true);
    assert.equal(await d.page.getByLabel('Keep the session in').inputValue(), 'local');
    assert.deepEqual([await d.page.inputValue('#root-user'), await d.page.inputValue('#root-pass')], ['', ''], 'the root form is not pre-filled');
    await d.check();
  });

  it('signs up with email and password and shows the session and info()', async () => {
    const d = await demo();
    const { page } = d;
    const email = await signUp(page);
    assert.match(await text(page, 's-id'), /^user:/);
    assert.equal(await text(page, 's-namespace'), 'surrealauth');
    assert.equal(await text(page, 's-database'), 'demo');
    assert.equal(await text(page, 's-access'), 'allusers');
    assert.match(await text(page, 's-expires'), /^59 min \d+ s|^1 h 0 min 0 s/);
    await page.waitForFunction(() => document.getElementById('info').textContent.includes('"id"'));
    const info = JSON.parse(await text(page, 'info'));
    assert.equal(info.email, email);
    assert.equal(info.id, await text(page, 's-id'));
    assert.equal(await page.getByLabel('Password', { exact: true }).count(), 1);
    assert.match(await text(page, 'events'), /SIGNED_IN user:/);
    await shot(page, 'signed-in');
    await d.check();
  });

  it('counts down the expiry live', async () => {
    const d = await demo();
    await signUp(d.page);
    const first = await text(d.page, 's-expires');
    await d.page.waitForFunction((was) => document.getElementById('s-expires').textContent !== was, first, { timeout: 3000 });
    await d.check();
  });

  it('is still signed in after a reload', async (t) => {
    const d = await demo();
    const { page } = d;
    await signUp(page);
    const id = await text(page, 's-id');
    const warm = [];
    for (let i = 0; i < 5; i++) warm.push(await load(page));
    t.diagnostic(`page-load-to-ready, reload with a stored session: ${warm.join(', ')} ms (median ${median(warm)})`);
    assert.equal(await page.locator('#signed-in').isVisible(), true);
    assert.equal(await text(page, 's-id'), id);
    assert.match(await text(page, 'events'), /INITIAL_SESSION user:/);
    assert.equal(JSON.parse(await text(page, 'info')).id, id);
    await shot(page, 'after-reload');
    await d.check();
  });

  it('signs out: the forms come back and storage is empty', async () => {
    const d = await demo();
    const { page } = d;
    await signUp(page);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#signed-out').waitFor({ state: 'visible' });
    assert.equal(await page.evaluate(() => localStorage.length), 0);
    assert.match(await text(page, 'events'), /SIGNED_OUT/);
    await load(page);
    assert.equal(await page.locator('#signed-out').isVisible(), true, 'and stays signed out after a reload');
    await shot(page, 'signed-out');
    await d.check();
  });

  it('shows refusals in words a person can read: a wrong password, a taken e-mail; no code, no stack trace', async () => {
    const d = await demo();
    const { page } = d;
    const email = await signUp(page); // a user that exists: only the password is wrong
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#signed-out').waitFor({ state: 'visible' });
    await submitUser(page, 'Sign in', email, 'not the password');
    const alert = page.getByRole('alert');
    await alert.waitFor({ state: 'visible' });
    const said = await alert.innerText();
    assert.equal(said, 'Could not sign in: No user matches these credentials.');
    assert.equal(await alert.getAttribute('data-code'), 'invalid_credentials', 'the code is for programs, off the text');
    assert.equal(await page.locator('#signed-out').isVisible(), true);
    await shot(page, 'error');
    await submitUser(page, 'Sign up', email);
    await page.waitForFunction((was) => {
      const box = document.getElementById('error');
      return !box.hidden && box.textContent !== was && box.textContent.startsWith('Could not sign up');
    }, said);
    const taken = await alert.innerText();
    assert.match(taken, /^Could not sign up: Sign-up was refused; the server does not say why \(often the e-mail is already registered/);
    for (const t of [said, taken]) {
      assert.doesNotMatch(t, /\n\s*at |\.js:\d+|invalid_credentials|SurrealAuthError|record access|No record was returned/);
    }
    await shot(page, 'error-taken-email');
    await d.check();
  });

  it("keeps notes per user: add, list, delete through db.query; another user's are invisible; a reload keeps them", async () => {
    const a = await demo();
    await signUp(a.page);
    await addNote(a.page, 'buy milk');
    await addNote(a.page, 'call Ada');
    assert.deepEqual(await notes(a.page), ['call Ada', 'buy milk'], 'newest first');

    const b = await demo(); // another profile, another user
    await signUp(b.page);
    await b.page.locator('#notes-empty').waitFor({ state: 'visible' });
    assert.deepEqual(await notes(b.page), [], "a's notes are invisible to b");
    await addNote(b.page, "b's own");
    assert.deepEqual(await notes(b.page), ["b's own"]);
    await b.check();

    await load(a.page);
    await a.page.waitForFunction(() => document.querySelectorAll('#notes li').length === 2);
    assert.deepEqual(await notes(a.page), ['call Ada', 'buy milk'], "after a reload, still signed in with a's notes (and not b's)");
    await a.page.getByRole('button', { name: 'Delete note: buy milk' }).click();
    await a.page.waitForFunction(() => document.querySelectorAll('#notes li').length === 1);
    assert.deepEqual(await notes(a.page), ['call Ada']);
    await shot(a.page, 'notes');
    await a.check();
  });

  it('works at 390 px wide: no horizontal scroll, controls large enough to tap', async () => {
    const d = await demo();
    const { page } = d;
    await page.setViewportSize({ width: 390, height: 844 });
    const fits = () => page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      width: document.documentElement.clientWidth,
      small: [...document.querySelectorAll('button, input, select')]
        .filter((c) => c.offsetParent !== null)
        .map((c) => c.getBoundingClientRect())
        .filter((r) => r.height < 40 || r.right > document.documentElement.clientWidth).length,
    }));
    const out = await fits();
    assert.ok(out.scroll <= out.width, `signed out: scrollWidth ${out.scroll} > ${out.width}`);
    assert.equal(out.small, 0, 'every visible control is at least 40 px tall and inside the page');
    await shot(page, '390px-signed-out');
    await signUp(page);
    await addNote(page, 'a long note without spaces: ' + 'x'.repeat(120));
    const inn = await fits();
    assert.ok(inn.scroll <= inn.width, `signed in: scrollWidth ${inn.scroll} > ${inn.width}`);
    assert.equal(inn.small, 0);
    await shot(page, '390px');
    await d.check();
  });

  it('signs in as root: a system user has no record; an earlier error is cleared', async () => {
    const d = await demo();
    const { page } = d;
    await submitUser(page, 'Sign in', uniqueEmail('nobody'), 'not the password');
    await page.getByRole('alert').waitFor({ state: 'visible' });
    await page.fill('#root-user', 'root'); // never pre-filled: a demo must not teach default passwords
    await page.fill('#root-pass', 'root');
    await page.getByRole('button', { name: 'Sign in as root' }).click();
    await page.locator('#signed-in').waitFor({ state: 'visible' });
    assert.equal(await text(page, 's-id'), 'root');
    assert.match(await text(page, 's-access'), /system user/);
    await page.waitForFunction(() => document.getElementById('info').textContent.startsWith('null'));
    assert.equal(await page.getByRole('alert').isVisible(), false, 'the earlier error is cleared');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#signed-out').waitFor({ state: 'visible' });
    await d.check();
  });

  it('switches storage: memory forgets on reload, and the choice survives it', async () => {
    const d = await demo();
    const { page } = d;
    await page.getByLabel('Keep the session in').selectOption('memory');
    await page.waitForFunction(() => document.getElementById('status').textContent.includes('kept in memory'));
    assert.match(page.url(), /\?storage=memory$/);
    await signUp(page);
    assert.equal(await page.evaluate(() => localStorage.length + sessionStorage.length), 0);
    await load(page);
    assert.equal(await page.getByLabel('Keep the session in').inputValue(), 'memory');
    assert.equal(await page.locator('#signed-out').isVisible(), true);
    await d.check();
  });

  it('moves a live session when the storage changes', async () => {
    const d = await demo();
    const { page } = d;
    await signUp(page);
    const id = await text(page, 's-id');
    await page.getByLabel('Keep the session in').selectOption('session');
    await page.waitForFunction(() => document.getElementById('status').textContent.includes('sessionStorage'));
    await page.locator('#signed-in').waitFor({ state: 'visible' });
    assert.equal(await text(page, 's-id'), id);
    assert.equal(await page.evaluate(() => sessionStorage.length), 1);
    await load(page);
    assert.equal(await text(page, 's-id'), id, 'restored from sessionStorage');
    await d.check();
  });
});
