import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import type { Database } from '../db/schema.ts';
import { changesSessions, SessionCache } from './session-cache.ts';

const db = new Kysely<Database>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new SqliteIntrospector(k),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

test('a write to a session, an account or a membership is seen as changing sessions; others are not', () => {
  const changes = [
    db.deleteFrom('sessions').where('id', '=', 'x'),
    db.updateTable('sessions').set({ csrf_token: 'y' }).where('id', '=', 'x'),
    db.updateTable('users').set({ disabled_at: 'now' }).where('id', '=', 1),
    db.deleteFrom('users').where('id', '=', 1),
    db
      .insertInto('memberships')
      .values({ user_id: 1, review_id: 1, organisation_id: 1, role: 'viewer', created_at: '' }),
    db.updateTable('memberships').set({ role: 'editor' }).where('id', '=', 1),
    db.deleteFrom('memberships as m').where('m.id', '=', 1),
  ];
  for (const query of changes) assert.equal(changesSessions(query.toOperationNode()), true, query.compile().sql);
  const others = [
    db.updateTable('sessions').set({ last_seen_at: 'now' }).where('id', '=', 'x'),
    db.insertInto('sessions').values({
      id: 'x',
      user_id: 1,
      csrf_token: '',
      created_at: '',
      last_seen_at: '',
      expires_at: '',
      ip: null,
      user_agent: null,
    }),
    db.selectFrom('sessions').selectAll(),
    db.updateTable('reviews').set({ area: 'A' }).where('id', '=', 1),
    db.deleteFrom('kept_forms').where('token_hash', '=', 'x'),
  ];
  for (const query of others) assert.equal(changesSessions(query.toOperationNode()), false, query.compile().sql);
});

test('SessionCache answers only while the changes are read, and keeps nothing read before a forgetting', () => {
  const cache = new SessionCache<{ user_id: number }>({ ttlMs: 5000 });
  const generation = cache.generation;
  cache.set('a', { user_id: 1 }, generation);
  assert.equal(cache.get('a'), undefined, 'no answer before the changes have been read');
  cache.changesRead();
  cache.set('a', { user_id: 1 }, cache.generation);
  cache.set('b', { user_id: 2 }, cache.generation);
  assert.deepEqual(cache.get('a'), { user_id: 1 });
  const before = cache.generation;
  cache.forgetUser(1);
  assert.equal(cache.get('a'), undefined);
  assert.deepEqual(cache.get('b'), { user_id: 2 });
  cache.set('a', { user_id: 1 }, before);
  assert.equal(cache.get('a'), undefined, 'read before the forgetting: not kept');
  cache.changesUnread();
  assert.equal(cache.get('b'), undefined, 'the changes could not be read: nothing answered from memory');
  const off = new SessionCache<{ user_id: number }>({ ttlMs: 0 });
  off.changesRead();
  off.set('a', { user_id: 1 }, off.generation);
  assert.equal(off.get('a'), undefined);
});
