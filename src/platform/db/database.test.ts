import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { withKeptStatements } from './database.ts';

describe('SQLite statements kept for reuse', () => {
  it('prepares a query once and gives the same answers each time it runs', async () => {
    const sqlite = new SQLite(':memory:');
    let prepared = 0;
    const counting = new Proxy(sqlite, {
      get(target, name) {
        if (name === 'prepare')
          return (source: string) => {
            prepared += 1;
            return target.prepare(source);
          };
        const value = Reflect.get(target, name, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const db = new Kysely<{ t: { n: number } }>({
      dialect: new SqliteDialect({ database: withKeptStatements(counting) }),
    });
    await sql`create table t (n integer)`.execute(db);
    for (const n of [1, 2, 3]) await db.insertInto('t').values({ n }).execute();
    const before = prepared;
    for (const least of [1, 2, 3]) {
      const rows = await db.selectFrom('t').select('n').where('n', '>=', least).orderBy('n').execute();
      assert.deepEqual(
        rows.map((r) => r.n),
        [1, 2, 3].filter((n) => n >= least),
      );
    }
    assert.equal(prepared - before, 1, 'the same query text is prepared once');
    await db.destroy();
  });

  it('keeps no more than its limit, dropping the least recently used', () => {
    const sqlite = new SQLite(':memory:');
    const kept = withKeptStatements(sqlite, 2);
    const one = kept.prepare('select 1');
    const firstTwo = kept.prepare('select 2');
    assert.equal(kept.prepare('select 1'), one);
    kept.prepare('select 3');
    assert.equal(kept.prepare('select 1'), one, 'used recently, so still kept');
    assert.notEqual(kept.prepare('select 2'), firstTwo, 'the least recently used was dropped');
    kept.close();
  });

  it('prepares afresh a statement still being read', () => {
    const sqlite = new SQLite(':memory:');
    const kept = withKeptStatements(sqlite);
    const first = kept.prepare('select 1 as n union all select 2');
    const reading = first.iterate();
    reading.next();
    const second = kept.prepare('select 1 as n union all select 2');
    assert.notEqual(second, first);
    assert.deepEqual(second.all(), [{ n: 1 }, { n: 2 }]);
    reading.return?.();
    kept.close();
  });
});
