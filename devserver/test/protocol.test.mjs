// The /rpc envelope: subprotocol, ids, invalid requests, concurrency.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { Client, DB, NS, Tag, decode, encode, isNone, startServer, uniqueEmail } from '../testing.mjs';

for (const engine of ['3', '2']) {
  describe(`rpc envelope, engine ${engine}`, () => {
    let server;
    let c;
    before(async () => {
      server = await startServer(['--engine', engine]);
      c = await Client.open(server.url);
    });
    after(async () => {
      await c?.close();
      await server?.stop();
    });

    test('ready line names the engine', () => {
      assert.match(server.url, /^ws:\/\/127\.0\.0\.1:\d+\/rpc$/);
      assert.equal(server.engine, engine === '3' ? 'surrealdb-3.0.2' : 'surrealdb-2.6.0');
    });

    test('the cbor subprotocol is selected', () => {
      assert.equal(c.ws.protocol, 'cbor');
    });

    test('a client that does not offer cbor is refused with HTTP 400', async () => {
      for (const protocols of [[], ['json']]) {
        const status = await new Promise((resolve, reject) => {
          const ws = new WebSocket(server.url, protocols);
          ws.on('unexpected-response', (_req, res) => resolve(res.statusCode));
          ws.on('open', () => reject(new Error('opened without cbor')));
          ws.on('error', () => {});
        });
        assert.equal(status, 400);
      }
    });

    test('cbor among other offered subprotocols is accepted', async () => {
      const other = await Client.open(server.url, ['json', 'cbor']);
      assert.equal(other.ws.protocol, 'cbor');
      assert.equal(await other.rpc('version'), server.engine);
      await other.close();
    });

    test('string and int ids are echoed as sent', async () => {
      const a = await c.send({ id: 'abc-1', method: 'ping' });
      assert.equal(a.id, 'abc-1');
      assert.ok(isNone(a.result));
      const b = await c.send({ id: 42, method: 'version' });
      assert.equal(b.id, 42);
      assert.equal(b.result, server.engine);
      const big = await c.send({ id: 2 ** 40, method: 'ping' });
      assert.equal(big.id, 2 ** 40);
    });

    test('a request without id gets a response without id', async () => {
      c.ws.send(encode({ method: 'ping' }));
      const msg = await c.nextOrphan();
      assert.deepEqual(Object.keys(msg), ['result']);
    });

    test('invalid requests get an error without id', async () => {
      for (const bad of [[1, 2], 'ping', { id: 'x1' }, { id: 'x2', method: 5 }]) {
        c.ws.send(encode(bad));
        const msg = await c.nextOrphan();
        assert.equal('id' in msg, false, JSON.stringify(bad));
        assert.equal(msg.error.code, -32600);
        assert.match(msg.error.message, /^Invalid request$/i);
      }
    });

    test('undecodable bytes get a parse error without id', async () => {
      c.ws.send(Buffer.from([0xa2, 0x62, 0x69])); // truncated map
      const msg = await c.nextOrphan();
      assert.equal('id' in msg, false);
      assert.equal(msg.error.code, -32700);
    });

    test('a text frame gets a parse error without id', async () => {
      c.ws.send('{"id":1,"method":"ping"}');
      const msg = await c.nextOrphan();
      assert.equal('id' in msg, false);
      assert.equal(msg.error.code, -32700);
    });

    test('an unknown method is an error with the id', async () => {
      const res = await c.send({ id: 'm1', method: 'nosuchmethod' });
      assert.equal(res.id, 'm1');
      assert.equal(res.error.code, -32601);
      assert.equal(res.error.message, 'Method not found');
    });

    test('50 concurrent requests are all answered with matching ids', async () => {
      const calls = [];
      for (let i = 0; i < 50; i++) {
        const req = i % 2 ? { id: `s${i}`, method: 'query', params: [`RETURN ${i}`] } : { id: i, method: 'query', params: [`RETURN ${i}`] };
        calls.push(c.send(req).then((res) => ({ i, res })));
      }
      for (const { i, res } of await Promise.all(calls)) {
        assert.equal(res.id, i % 2 ? `s${i}` : i);
        assert.equal(res.result[0].result, i);
      }
    });

    test('tags in params reach the engine and come back unchanged', async () => {
      const uuid = new Tag(Buffer.from('0195d4a0b1c27000800000000000abcd', 'hex'), 37);
      const res = await c.send({ id: 't1', method: 'query', params: ['RETURN [$u, <string> $u]', { u: uuid }] });
      const [u, asText] = res.result[0].result;
      assert.equal(u.tag, 37);
      assert.equal(Buffer.from(u.value).toString('hex'), '0195d4a0b1c27000800000000000abcd');
      assert.equal(asText, '0195d4a0-b1c2-7000-8000-00000000abcd');
    });

    test('the raw response bytes carry the id first and the result untouched', async () => {
      const raw = await new Promise((resolve) => {
        const ws = new WebSocket(server.url, ['cbor']);
        ws.on('open', () => ws.send(encode({ id: 7, method: 'ping' })));
        ws.on('message', (data) => { resolve(Buffer.from(data)); ws.close(); });
      });
      // {id: 7, result: NONE} = a2 62 'id' 07 66 'result' c6 f6
      assert.equal(raw.toString('hex'), 'a262696407' + '66726573756c74' + 'c6f6');
      assert.deepEqual(decode(raw), { id: 7, result: new Tag(null, 6) });
    });
  });
}

test('logs connections to stderr, never params', async () => {
  const server = await startServer([], { quiet: false });
  const c = await Client.open(server.url);
  const password = 'pw-never-logged-7f3a';
  const token = await c.rpc('signup', [{ NS, DB, AC: 'plain', email: uniqueEmail(), password }]);
  await c.rpc('authenticate', [token]);
  await c.close();
  await server.stop();
  const log = server.stderr();
  assert.match(log, /^\[devserver\] schema applied: /m);
  assert.match(log, /^\[devserver\] conn 1 open from /m);
  assert.match(log, /^\[devserver\] conn 1 close 1005$/m);
  assert.match(log, /^\[devserver\] stopped$/m);
  assert.ok(log.split('\n').every((l) => l === '' || l.startsWith('[devserver] ')), log);
  assert.equal(log.includes(password), false);
  assert.equal(log.includes(token), false);
});
