// The note table's per-user PERMISSIONS and the user's own-row UPDATE, through the `query` RPC as
// signed-in record users (guests act as owner in the embedded engine, so they prove nothing).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DB, NS, record, uniqueEmail, useServer } from '../testing.mjs';

for (const engine of ['3', '2']) {
  describe(`notes and own rows, engine ${engine}`, () => {
    const env = useServer(before, after, ['--engine', engine]);

    async function user(prefix) {
      const c = await env.open();
      const email = uniqueEmail(prefix);
      await c.rpc('signup', [{ NS, DB, AC: 'allusers', email, password: 'pw' }]);
      const [me] = await c.rpc('query', ['RETURN $auth']);
      return { c, email, id: me.result };
    }
    /** Runs one statement and returns its result; fails the test on ERR. */
    async function one(c, sql, vars) {
      const [row] = await c.rpc('query', vars ? [sql, vars] : [sql]);
      assert.equal(row.status, 'OK', `${sql}: ${row.result}`);
      return row.result;
    }
    const texts = (rows) => rows.map((n) => n.text).sort();

    test('each user creates notes and sees only their own', async () => {
      const a = await user('a');
      const b = await user('b');
      const [created] = await one(a.c, 'CREATE note SET text = $t', { t: 'a1' });
      assert.deepEqual(record(created.owner), record(a.id), 'owner is set from $auth');
      assert.equal(created.created.tag, 12, 'created is a datetime set by the server');
      await one(a.c, 'CREATE note SET text = "a2"');
      await one(b.c, 'CREATE note SET text = "b1"');
      assert.deepEqual(texts(await one(a.c, 'SELECT * FROM note')), ['a1', 'a2']);
      assert.deepEqual(texts(await one(b.c, 'SELECT * FROM note')), ['b1']);
      assert.deepEqual(await one(b.c, 'SELECT * FROM $id', { id: created.id }), [], "another user's note is invisible by id too");
    });

    test("update and delete of another user's note change nothing", async () => {
      const a = await user('a');
      const b = await user('b');
      const [note] = await one(a.c, 'CREATE note SET text = "mine"');
      assert.deepEqual(await one(b.c, 'UPDATE $id SET text = "hacked"', { id: note.id }), []);
      assert.deepEqual(await one(b.c, 'UPDATE note SET text = "hacked"'), []);
      assert.deepEqual(await one(b.c, 'DELETE $id RETURN BEFORE', { id: note.id }), []);
      assert.deepEqual(await one(b.c, 'DELETE note RETURN BEFORE'), []);
      assert.deepEqual(texts(await one(a.c, 'SELECT * FROM note')), ['mine'], 'still there, unchanged');
      const [edited] = await one(a.c, 'UPDATE $id SET text = "edited"', { id: note.id });
      assert.equal(edited.text, 'edited');
      assert.deepEqual(edited.created, note.created, 'created does not move');
      const [gone] = await one(a.c, 'DELETE $id RETURN BEFORE', { id: note.id });
      assert.equal(gone.text, 'edited');
      assert.deepEqual(await one(a.c, 'SELECT * FROM note'), []);
    });

    test('the owner cannot be forged or changed', async () => {
      const a = await user('a');
      const b = await user('b');
      assert.deepEqual(await one(a.c, 'CREATE note SET text = "forged", owner = $o', { o: b.id }), [], 'create as someone else is refused');
      assert.deepEqual(await one(b.c, 'SELECT * FROM note'), []);
      const [note] = await one(a.c, 'CREATE note SET text = "x", created = d"2000-01-01T00:00:00Z"');
      assert.notEqual(note.created.value[0], 946684800, 'created cannot be chosen');
      const [changed] = await a.c.rpc('query', ['UPDATE $id SET owner = $o', { id: note.id, o: b.id }]);
      assert.equal(changed.status, 'ERR');
      assert.match(changed.result, /readonly/);
      assert.deepEqual(record((await one(a.c, 'SELECT * FROM $id', { id: note.id }))[0].owner), record(a.id));
    });

    test('a user updates their own row, not anyone else’s', async () => {
      const a = await user('a');
      const b = await user('b');
      const email = uniqueEmail('renamed');
      const [updated] = await one(a.c, 'UPDATE $auth SET email = $e', { e: email });
      assert.equal(updated.email, email);
      assert.equal('pass' in updated, false, 'the hash stays hidden');
      assert.equal((await a.c.rpc('info')).email, email);
      assert.deepEqual(await one(a.c, 'UPDATE $id SET email = "stolen@example.com"', { id: b.id }), []);
      assert.equal((await b.c.rpc('info')).email, b.email);
      assert.deepEqual((await one(a.c, 'SELECT email FROM user')).map((r) => r.email), [email], 'only the own row is visible');
    });
  });
}
