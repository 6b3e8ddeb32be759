// Issue 12, section 3: no route rewrites history. Every history table refuses UPDATE, DELETE,
// INSERT OR REPLACE (SQLite) and TRUNCATE (PostgreSQL), on both databases.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { databaseTargets, type TestDatabase } from '../helpers/databases.ts';
import type { Db } from '../../src/platform/db/database.ts';
import { firstRow, HISTORY_TABLES, seedHistory, type History } from './history-fixtures.ts';

async function counts(db: Db): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of HISTORY_TABLES) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    result[table] = row.n;
  }
  return result;
}

/** The row written back over itself with one field changed: what a rewrite of history would do. */
function rewriteOf(table: string, row: Record<string, unknown>) {
  const changed: Record<string, unknown> = {
    ...row,
    created_at: '2000-01-01T00:00:00.000Z',
    at: '2000-01-01T00:00:00.000Z',
  };
  const columns = Object.keys(row);
  const values = columns.map((c) => changed[c]);
  return sql`${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) values (${sql.join(values)})`;
}

for (const target of databaseTargets) {
  describe(`history that cannot be rewritten on ${target.name}`, () => {
    let database: TestDatabase;
    let db: Db;
    let history: History;
    let before_: Record<string, number>;

    before(async () => {
      database = await target.open();
      db = database.handle.db;
      history = await seedHistory(db);
      before_ = await counts(db);
    });
    after(() => database.dispose());

    it('refuses to write a history row over one that exists (INSERT OR REPLACE, upsert)', async () => {
      for (const table of HISTORY_TABLES) {
        const row = await firstRow(db, table);
        const statements =
          target.name === 'sqlite'
            ? [sql`insert or replace into ${rewriteOf(table, row)}`, sql`replace into ${rewriteOf(table, row)}`]
            : [sql`insert into ${rewriteOf(table, row)} on conflict (id) do update set id = excluded.id`];
        for (const statement of statements) {
          await assert.rejects(statement.execute(db), /rows cannot be changed|never replaced/, table);
        }
        assert.deepEqual(await firstRow(db, table), row, `${table} is as it was`);
      }
      assert.deepEqual(await counts(db), before_);
    });

    it('refuses to replace an issued version by its number', async () => {
      const row = await firstRow(db, 'plan_versions');
      const { id: _id, ...withoutId } = row;
      const statement =
        target.name === 'sqlite'
          ? sql`insert or replace into ${rewriteOf('plan_versions', withoutId)}`
          : sql`insert into ${rewriteOf('plan_versions', withoutId)}
              on conflict (review_id, number) do update set snapshot = 'rewritten'`;
      await assert.rejects(statement.execute(db), /UNIQUE constraint failed|rows cannot be changed/);
      assert.deepEqual(await firstRow(db, 'plan_versions'), row);
    });

    it('refuses to update or delete any history row', async () => {
      for (const table of HISTORY_TABLES) {
        const time = sql.ref(table === 'audit_events' ? 'at' : 'created_at');
        await assert.rejects(
          sql`update ${sql.table(table)} set ${time} = 'x'`.execute(db),
          /rows cannot be changed/,
          `update ${table}`,
        );
        await assert.rejects(sql`delete from ${sql.table(table)}`.execute(db), /rows cannot be changed/, table);
      }
      assert.deepEqual(await counts(db), before_);
    });

    it('keeps a review with history: deleting it would delete history, so it is refused', async () => {
      await assert.rejects(db.deleteFrom('reviews').where('id', '=', history.reviewId).execute());
      assert.deepEqual(await counts(db), before_);
    });

    if (target.name === 'postgres') {
      it('refuses TRUNCATE of every history table, even by the owner', async () => {
        for (const table of HISTORY_TABLES) {
          await assert.rejects(sql`truncate ${sql.table(table)} cascade`.execute(db), /rows cannot be changed/, table);
        }
        assert.deepEqual(await counts(db), before_);
      });
    }

    it('still lets the app add history', async () => {
      await seedHistory(db);
      const now = await counts(db);
      for (const table of HISTORY_TABLES) assert.ok((now[table] ?? 0) > (before_[table] ?? 0), table);
    });
  });
}
