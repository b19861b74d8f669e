// The `query` RPC as each engine answers it: params, one result per statement, failed statements,
// transactions, whole-call errors and the CBOR types in results. Pinned because the client's
// db.query (issue 13) is written against exactly these shapes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DB, NS, isNone, uniqueEmail, useServer } from '../testing.mjs';

const TIME = /^\d+(\.\d+)?(ns|µs|ms|s)$/;

for (const engine of ['3', '2']) {
  describe(`query results, engine ${engine}`, () => {
    const env = useServer(before, after, ['--engine', engine]);
    const v3 = engine === '3';
    let user; // a signed-in record user
    let guest; // guests act as owner in the embedded engine: only for shapes, never for permissions
    before(async () => {
      user = await env.open();
      await user.rpc('signup', [{ NS, DB, AC: 'allusers', email: uniqueEmail('q'), password: 'pw' }]);
      guest = await env.open();
      await guest.rpc('use', [NS, `query_${engine}_${process.pid}`]);
    });

    /** Asserts the envelope of one statement's entry and returns [status, result, rest]. */
    function entry(e) {
      const { status, result, time, type, ...rest } = e;
      assert.match(time, TIME);
      if (v3) assert.ok(type === 'live' || isNone(type), `type is NONE or "live": ${type}`);
      else assert.equal(type, undefined, '2.x has no type');
      return [status, result, rest];
    }

    test('[sql] and [sql, vars]: one {status, result, time[, type]} per statement', async () => {
      const rows = await user.rpc('query', ['RETURN 1; RETURN $x', { x: 'two' }]);
      assert.equal(rows.length, 2);
      assert.deepEqual(rows.map((r) => Object.keys(r).sort()), Array(2).fill(v3 ? ['result', 'status', 'time', 'type'] : ['result', 'status', 'time']));
      assert.deepEqual(rows.map((r) => entry(r).slice(0, 2)), [['OK', 1], ['OK', 'two']]);
      assert.deepEqual(await user.rpc('query', ['']), [], 'no statements, no entries');
      const [live] = await user.rpc('query', ['LIVE SELECT * FROM note']);
      assert.equal(live.result.tag, 37, 'LIVE SELECT gives the live query uuid');
      assert.equal(live.type, v3 ? 'live' : undefined);
    });

    test('a failed statement is status ERR with the message as result; the others still run', async () => {
      const rows = await user.rpc('query', ['RETURN 1; THROW "boom"; RETURN 3; UPDATE $auth SET email = "nope"']);
      assert.deepEqual(rows.map((r) => entry(r)[0]), ['OK', 'ERR', 'OK', 'ERR']);
      const [, thrown, thrownRest] = entry(rows[1]);
      assert.equal(thrown, 'An error occurred: boom');
      assert.deepEqual(thrownRest, v3 ? { kind: 'Thrown' } : {});
      const [, asserted, assertedRest] = entry(rows[3]);
      assert.match(asserted, /^Found 'nope' for field `email`, with record `user:\w+`, but field must conform to: string::is(_|::)email\(\$value\)$/);
      assert.deepEqual(assertedRest, v3 ? { kind: 'Internal' } : {});
      const [denied] = await user.rpc('query', ['INFO FOR DB']);
      const [, message, rest] = entry(denied);
      assert.equal(message, 'IAM error: Not enough permissions to perform this action');
      if (v3) {
        assert.equal(rest.kind, 'NotAllowed');
        assert.equal(rest.details.kind, 'Auth');
        assert.equal(rest.details.details.kind, 'NotAllowed');
        assert.equal(rest.details.details.details.action, 'View');
      } else assert.deepEqual(rest, {});
    });

    test('what PERMISSIONS filter out is just an empty, OK result', async () => {
      const rows = await user.rpc('query', ['SELECT * FROM plainuser; CREATE plainuser SET email = "a@b.cc", pass = "x"; DELETE user']);
      assert.deepEqual(rows.map((r) => entry(r).slice(0, 2)), [['OK', []], ['OK', []], ['OK', []]]);
    });

    test('a parse error fails the whole call; nothing runs', async () => {
      const res = await user.call('query', ['CREATE note SET text = "ran"; RETURN (']);
      const { cause, ...error } = res.error;
      if (v3) {
        assert.ok(isNone(cause));
        assert.deepEqual(Object.keys(error).sort(), ['code', 'kind', 'message']);
        assert.deepEqual([error.code, error.kind], [-32000, 'Validation']);
        assert.match(error.message, /^Parse error: Unexpected end of file, expected an expression\n --> \[1:38\]/);
      } else {
        assert.equal(cause, undefined);
        assert.equal(error.code, -32000);
        assert.match(error.message, /^There was a problem with the database: Parse error: Unexpected end of file, expected an expression\n --> \[1:38\]/);
      }
      const [notes] = await user.rpc('query', ['SELECT * FROM note WHERE text = "ran"']);
      assert.deepEqual(notes.result, []);
    });

    test('bad params are whole-call errors', async () => {
      const cases = v3
        ? [[undefined, -32603, 'Expected (query:string, vars:object)'], [[5], -32603, 'Expected query to be string'],
          [['RETURN 1', 5], -32603, 'Expected vars to be object, got Some(Number(Int(5)))'],
          [['RETURN 1', {}, 3], -32603, 'Expected (query:string, vars:object)'],
          [['RETURN $auth', { auth: 1 }], -32600, "'auth' is a protected variable and cannot be set"]]
        : [[undefined, -32602, 'Invalid params'], [[5], -32602, 'Invalid params'], [['RETURN 1', 5], -32602, 'Invalid params'],
          [['RETURN 1', {}, 3], -32602, 'Invalid params'],
          [['RETURN $auth', { auth: 1 }], -32000, "There was a problem with the database: 'auth' is a protected variable and cannot be set"]];
      for (const [params, code, message] of cases) {
        const { error } = await user.call('query', params);
        assert.deepEqual([error.code, error.message], [code, message], JSON.stringify(params));
      }
    });

    test('transactions: statements after a failure are not run; 3.x also lists BEGIN and COMMIT', async () => {
      const t = `t${Date.now()}`;
      const ok = await guest.rpc('query', [`BEGIN; CREATE ${t}:1; CREATE ${t}:2; COMMIT`]);
      assert.deepEqual(ok.map((r) => entry(r)[0]), v3 ? ['OK', 'OK', 'OK', 'OK'] : ['OK', 'OK']);
      if (v3) assert.ok(isNone(ok[0].result) && isNone(ok[3].result), 'BEGIN and COMMIT entries are NONE');
      const failed = await guest.rpc('query', [`BEGIN; CREATE ${t}:3; THROW "in txn"; CREATE ${t}:4; COMMIT; SELECT VALUE id FROM ${t}`]);
      const summary = failed.map((r) => { const [status, result, rest] = entry(r); return [status, status === 'ERR' ? result : '…', rest.details?.kind]; });
      const notExecuted = 'The query was not executed due to a failed transaction';
      assert.deepEqual(summary, v3
        ? [['OK', '…', undefined], ['ERR', notExecuted, 'NotExecuted'], ['ERR', 'An error occurred: in txn', undefined],
          ['ERR', 'The query was not executed due to a cancelled transaction', 'Cancelled'], ['OK', '…', undefined]]
        : [['ERR', notExecuted, undefined], ['ERR', 'An error occurred: in txn', undefined], ['ERR', notExecuted, undefined], ['OK', '…', undefined]]);
      assert.deepEqual(failed.at(-1).result.map((id) => id.value[1]), [1, 2], 'nothing of the failed transaction was kept');
    });

    test('a RETURN inside a transaction ends it early: the entries do not line up with the statements', async () => {
      const t = `r${Date.now()}`;
      const rows = await guest.rpc('query', [`BEGIN; CREATE ${t}:1; RETURN 5; CREATE ${t}:2; COMMIT; SELECT VALUE id FROM ${t}`]);
      const results = rows.map((r) => (isNone(r.result) ? 'NONE' : r.result));
      if (v3) assert.deepEqual(results.map((r) => (Array.isArray(r) ? r.length : r)), ['NONE', 1, 5, 'NONE', 1]);
      else assert.deepEqual(results.map((r) => (Array.isArray(r) ? r.length : r)), [5, 1]);
    });

    test('CBOR types in results', async () => {
      const [row] = await guest.rpc('query', ['RETURN [d"2024-01-01T00:00:00Z", 1.5dec, 2h, u"0190c2e0-0000-7000-8000-000000000000", NONE, NULL, <bytes>"ab", 1.5f, user:x, <set>[1, 2], 90m]']);
      const [date, dec, dur, uuid, none, nul, bytes, float, rid, set, mins] = row.result;
      assert.deepEqual([date.tag, date.value], [12, [1704067200, 0]]);
      assert.deepEqual([dec.tag, dec.value], [10, '1.5']);
      assert.deepEqual([dur.tag, dur.value], [14, [7200]]);
      assert.deepEqual([mins.tag, mins.value], [14, [5400]]);
      assert.equal(uuid.tag, 37);
      assert.equal(Buffer.from(uuid.value).toString('hex'), '0190c2e0000070008000000000000000');
      assert.ok(isNone(none));
      assert.equal(nul, null);
      assert.deepEqual(Buffer.from(bytes), Buffer.from('ab'));
      assert.equal(float, 1.5);
      assert.deepEqual([rid.tag, rid.value], [8, ['user', 'x']]);
      if (v3) assert.deepEqual([set.tag, set.value], [56, [1, 2]]);
      else assert.deepEqual(set, [1, 2], '2.x has no set type: an array');
    });
  });
}
