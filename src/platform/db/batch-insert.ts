import type { Insertable } from 'kysely';
import type { Database } from './schema.ts';
import type { Db } from './database.ts';

// Values one statement carries at most: well inside SQLite's (32,766) and PostgreSQL's (65,535)
// limits on parameters. 400 rows of a dozen values, fewer rows when they are wider.
const VALUES_PER_STATEMENT = 4800;
const ROWS_PER_STATEMENT = 400;

/**
 * Inserts many rows in as few statements as the databases allow, in the order given (so the
 * ids the database makes follow that order), in the caller's transaction. No rows, no statement.
 * For imports and loaders: thousands of one-row statements were most of an import's time.
 */
export async function insertInBatches<T extends keyof Database>(
  db: Db,
  table: T,
  rows: readonly Insertable<Database[T]>[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = rows.reduce((most, row) => Math.max(most, Object.keys(row).length), 1);
  const size = Math.max(1, Math.min(ROWS_PER_STATEMENT, Math.floor(VALUES_PER_STATEMENT / columns)));
  for (let i = 0; i < rows.length; i += size) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + size))
      .execute();
  }
}
