// The surrealauth demo: sign up, sign in, see the session, keep notes that
// only you can see, reload, sign out. Plain ES module, no bundler. The API
// it shows is the whole of it: connect, signup, signin, info, query,
// invalidate, session, storage, onAuthStateChange, connectionState,
// onConnectionChange.
import { connect } from "/dist/surrealauth.mjs";

const NS = "surrealauth";
const DB = "demo";
const ACCESS = "allusers";
const ENDPOINT = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/rpc`;
const STORAGES = ["local", "session", "memory"];

const el = (id) => document.getElementById(id);

/** @type {import("/dist/surrealauth.mjs").SurrealAuthDB | null} */
let db = null;
let unsubscribe = null;
let unsubscribeConnection = null;

start(storageFromURL()).finally(markReady);
setInterval(renderExpiry, 1000);

el("user-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  if (!form.reportValidity()) return;
  const action = event.submitter && event.submitter.value === "signup" ? "signup" : "signin";
  const credentials = { NS, DB, SC: ACCESS, email: el("email").value.trim(), password: el("password").value };
  busy(action === "signup" ? "Could not sign up" : "Could not sign in", async () => {
    await db[action](credentials);
    el("password").value = ""; // no reason to keep it on the page
  });
});

el("root-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const credentials = { user: el("root-user").value, pass: el("root-pass").value };
  busy("Could not sign in as root", () => db.signin(credentials));
});

el("note-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = el("note-text").value.trim();
  if (!text) return;
  busy("Could not add the note", async () => {
    // owner is set by the server from $auth (devserver/schema.surql): it cannot be forged.
    await db.query("CREATE note SET text = $text", { text });
    el("note-text").value = "";
    await loadNotes();
  });
});

el("notes").addEventListener("click", (event) => {
  const button = event.target.closest("button[data-id]");
  if (!button) return;
  // Ids come back as "note:…" text; type::record makes a record id of it again.
  busy("Could not delete the note", async () => {
    await db.query("DELETE type::record($id)", { id: button.dataset.id });
    await loadNotes();
  });
});

el("signout").addEventListener("click", () => busy("Could not sign out cleanly", () => db.invalidate()));
el("reload-info").addEventListener("click", () => busy("Could not read info()", loadInfo));
el("storage").addEventListener("change", (event) => switchStorage(event.target.value));

/** Connects with the chosen storage; the stored session comes back before connect resolves. */
async function start(storage) {
  setStatus("Connecting…");
  try {
    db = await connect(ENDPOINT, { namespace: NS, database: DB, storage });
  } catch (err) {
    showError("Could not connect", err);
    setStatus("Not connected.");
    return;
  }
  el("storage").value = storage;
  el("storage").disabled = false;
  el("storage-key").textContent = db.storageKey;
  describeConnection();
  render(db.session);
  unsubscribe = db.onAuthStateChange(onAuthStateChange);
  unsubscribeConnection = db.onConnectionChange(describeConnection); // the server went away, or came back
  if (db.session) await loadSignedIn();
}

/** What a signed-in view shows besides the session: info() and the notes. */
function loadSignedIn() {
  return Promise.all([
    loadInfo().catch((err) => showError("Could not read info()", err)),
    loadNotes().catch((err) => showError("Could not load the notes", err)),
  ]);
}

function onAuthStateChange(event, session) {
  logEvent(event, session);
  render(session);
  describeConnection(); // a storage that failed on this change shows up here
  if (session && event !== "INITIAL_SESSION") loadSignedIn();
}

/** Moves the session to another storage: reconnect, then hand the token over. */
async function switchStorage(storage) {
  const url = new URL(location.href);
  url.searchParams.set("storage", storage);
  history.replaceState(null, "", url); // so that a reload keeps the choice
  const old = db;
  const token = old && old.session ? old.session.token : null;
  if (unsubscribe) unsubscribe();
  if (unsubscribeConnection) unsubscribeConnection();
  db = null;
  el("storage").disabled = true;
  if (old) {
    if (token) await old.invalidate().catch(() => {}); // forget it in the old storage
    await old.close();
  }
  await start(storage);
  if (token && db) await busy("Could not move the session", () => db.authenticate(token));
}

/** Runs an action with the buttons disabled; a failure is shown in words, not thrown. */
async function busy(what, action) {
  clearError();
  const buttons = document.querySelectorAll("button");
  buttons.forEach((b) => { b.disabled = true; });
  document.querySelector("main").setAttribute("aria-busy", "true");
  try {
    await action();
  } catch (err) {
    showError(what, err);
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
    document.querySelector("main").removeAttribute("aria-busy");
  }
}

async function loadInfo() {
  const record = db ? await db.info() : null;
  el("info").textContent = record === null
    ? "null (system users have no record)"
    : JSON.stringify(record, jsonSafe, 2);
}

/**
 * The signed-in user's notes, newest first. The query is the same for every
 * user: the table's PERMISSIONS decide what each sees. System users (root)
 * see every note and own none, so the list is for record users.
 */
async function loadNotes() {
  const session = db && db.session;
  const forUser = !!(session && session.access);
  el("notes-section").hidden = !forUser;
  if (!forUser) return;
  const [notes] = await db.query("SELECT id, text, created FROM note ORDER BY created DESC");
  const list = el("notes");
  list.replaceChildren(...notes.map(noteItem));
  el("notes-empty").hidden = notes.length > 0;
}

function noteItem(note) {
  const item = document.createElement("li");
  const text = document.createElement("span");
  text.className = "note-text";
  text.textContent = note.text;
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = "Delete";
  button.dataset.id = note.id;
  button.setAttribute("aria-label", `Delete note: ${note.text}`);
  item.append(text, button);
  return item;
}

function render(session) {
  el("signed-in").hidden = !session;
  el("signed-out").hidden = !!session;
  if (!session) {
    el("info").textContent = "";
    el("notes").replaceChildren();
    return;
  }
  el("s-id").textContent = session.id || "—";
  el("s-namespace").textContent = session.namespace || "— (root)";
  el("s-database").textContent = session.database || "—";
  el("s-access").textContent = session.access || "— (system user)";
  renderExpiry();
}

/** The live countdown: db.session computes expiresIn when read. */
function renderExpiry() {
  const session = db && db.session;
  if (!session) return;
  el("s-expires").textContent = session.expiresIn === null
    ? "never"
    : `${formatSeconds(session.expiresIn)} (at ${new Date(session.expiresAt).toLocaleTimeString()})`;
}

function formatSeconds(total) {
  if (total <= 0) return "expired";
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return [h && `${h} h`, (h || m) && `${m} min`, `${s} s`].filter(Boolean).join(" ");
}

function describeConnection() {
  if (!db) return;
  const where = { local: "localStorage", session: "sessionStorage", memory: "memory", custom: "a custom storage" }[db.storage];
  const state = {
    connected: `Connected to ${db.serverVersion}.`,
    reconnecting: "The connection was lost; reconnecting…",
    closed: "Disconnected.",
  }[db.connectionState];
  setStatus(`${state} The session is kept in ${where}.`);
}

function logEvent(event, session) {
  const item = document.createElement("li");
  const time = new Date().toLocaleTimeString();
  item.textContent = `${time} ${event}${session ? ` ${session.id}` : ""}`;
  const list = el("events");
  list.prepend(item);
  while (list.children.length > 20) list.lastElementChild.remove();
}

/**
 * Shows a failure in words: the library's messages are written for people
 * ("No user matches these credentials"); the stable code, for programs, is
 * kept out of the text (on data-code, for developers and tests).
 */
function showError(what, err) {
  const box = el("error");
  const message = err && err.message ? err.message : String(err);
  box.textContent = `${what}: ${message.replace(/\.?$/, ".")}`;
  box.dataset.code = (err && err.code) || "";
  box.hidden = false;
}

function clearError() {
  el("error").hidden = true;
  el("error").textContent = "";
  delete el("error").dataset.code;
}

function setStatus(text) {
  el("status").textContent = text;
}

function storageFromURL() {
  const s = new URLSearchParams(location.search).get("storage");
  return STORAGES.includes(s) ? s : "local";
}

/** JSON.stringify cannot show a bigint or bytes on its own. */
function jsonSafe(_key, value) {
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  return value;
}

/** Marks the page ready (tests wait for it) and shows how long that took. */
function markReady() {
  const ms = Math.round(performance.now());
  performance.mark("surrealauth-ready");
  document.documentElement.dataset.readyMs = String(ms);
  document.documentElement.dataset.ready = "true";
  el("ready-time").textContent = `Ready ${ms} ms after navigation.`;
}
