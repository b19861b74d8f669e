// Helpers for tests (devserver/test, and any other Node test that wants them): start the devserver
// as a child process and talk CBOR RPC to it.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { Tag, decode, encode } from './lib/cbor.mjs';

export { Tag, decode, encode };

const here = path.dirname(fileURLToPath(import.meta.url));
const serverPath = path.join(here, 'server.mjs');
export const NS = 'surrealauth';
export const DB = 'demo';

/** Starts `node devserver/server.mjs --port 0 --quiet ...args`; resolves once the ready line is out. */
export function startServer(args = [], { quiet = true } = {}) {
  const flags = ['--port', '0', ...(quiet ? ['--quiet'] : []), ...args];
  const proc = spawn(process.execPath, [serverPath, ...flags], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    let stdout = '';
    // A server that is not ready in time is killed: left running, its pipes would keep the test
    // process alive for ever. 60 s, because the machine may be shared and busy.
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`devserver not ready in 60 s\n${stderr}`));
    }, 60000);
    proc.stdout.on('data', (d) => {
      stdout += d;
      const m = /^surrealauth devserver ready (ws:\/\/\S+\/rpc) engine=(\S+)$/m.exec(stdout);
      if (!m) return;
      clearTimeout(timer);
      const url = m[1];
      resolve({
        url,
        engine: m[2],
        httpBase: url.replace(/^ws/, 'http').replace(/\/rpc$/, ''),
        proc,
        exited,
        stderr: () => stderr,
        stop: async () => {
          if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
          return exited;
        },
      });
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`devserver exited ${code}\n${stderr}`)); });
  });
}

/** A minimal CBOR RPC client: call() sends {id, method, params} and resolves to the whole response. */
export class Client {
  #pending = new Map();
  #nextId = 1;
  orphans = []; // responses without a known id
  notifications = [];

  /** Opens a socket; wsOptions go to the `ws` package (e.g. {origin}, {headers: {Host}}). */
  static open(url, protocols = ['cbor'], wsOptions = {}) {
    const c = new Client();
    c.ws = new WebSocket(url, protocols, wsOptions);
    c.closed = new Promise((resolve) => c.ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
    c.ws.on('message', (data) => c.#onMessage(data));
    c.ws.on('close', () => {
      for (const { reject } of c.#pending.values()) reject(new Error('socket closed'));
      c.#pending.clear();
    });
    return new Promise((resolve, reject) => {
      c.ws.once('open', () => resolve(c));
      c.ws.once('error', reject);
    });
  }

  #onMessage(data) {
    const msg = decode(data);
    const key = msg && 'id' in msg ? JSON.stringify(msg.id) : undefined;
    const waiter = key !== undefined && this.#pending.get(key);
    if (waiter) {
      this.#pending.delete(key);
      return waiter.resolve(msg);
    }
    if (msg?.result?.action) this.notifications.push(msg);
    else this.orphans.push(msg);
  }

  /** Sends raw bytes or an object; resolves to the response with the matching id. */
  send(request, id = request.id) {
    const p = new Promise((resolve, reject) => this.#pending.set(JSON.stringify(id), { resolve, reject }));
    this.ws.send(Buffer.isBuffer(request) ? request : encode(request));
    return p;
  }

  call(method, params, extra = {}) {
    const id = String(this.#nextId++);
    return this.send({ id, method, ...(params ? { params } : {}), ...extra });
  }

  /** Like call() but resolves to the result and throws the server's error. */
  async rpc(method, params, extra) {
    const res = await this.call(method, params, extra);
    if (res.error) throw Object.assign(new Error(res.error.message), { rpc: res.error });
    return res.result;
  }

  /** Waits for the next message that has no pending id (orphan errors). */
  async nextOrphan(timeoutMs = 2000) {
    const start = Date.now();
    while (!this.orphans.length) {
      if (Date.now() - start > timeoutMs) throw new Error('no orphan message');
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.orphans.shift();
  }

  close() {
    this.ws.close();
    return this.closed;
  }
}

export const isNone = (v) => v instanceof Tag && v.tag === 6 && v.value === null;
export const uniqueEmail = (prefix = 'u') => `${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 10)}@example.com`;
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const record = (v) => (v instanceof Tag && v.tag === 8 ? v.value : undefined);

// useServer registers before/after hooks (call it inside a describe) that
// start a dev server with args and close it and every client it opened.
// It returns { open() → Client, get server() }.
export function useServer(before, after, args = []) {
  let server;
  const clients = [];
  before(async () => { server = await startServer(args); });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await server?.stop();
  });
  return {
    get server() { return server; },
    async open() {
      const c = await Client.open(server.url);
      clients.push(c);
      return c;
    },
  };
}

/** The test-only identity-provider key (devserver/testdata/idp-test-key.pem) as a KeyObject. */
export const idpTestKey = () => crypto.createPrivateKey(fs.readFileSync(path.join(here, 'testdata', 'idp-test-key.pem')));

/**
 * An RS256 JWT as an identity provider would mint it, signed with `key` (default: the test-only key
 * the schemas' idp and idpuser accesses trust). Claims go in as given: add exp yourself, e.g.
 * mintIdpToken({ns: NS, db: DB, ac: 'idpuser', id: 'user:abc', exp: nowSeconds() + 5}).
 */
export function mintIdpToken(claims, { key = idpTestKey(), header = { alg: 'RS256', typ: 'JWT' } } = {}) {
  const part = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${part(header)}.${part(claims)}`;
  return `${input}.${crypto.sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);
