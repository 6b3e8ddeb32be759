import { PostgresAdapter, sql } from 'kysely';
import type { Db } from './database.ts';

/**
 * Holds a lock named `name` until the transaction `trx` ends, so that two instances doing the same
 * check-then-write at once (loading the demo, importing a review) take turns. PostgreSQL: a
 * transaction-scoped advisory lock. SQLite needs none: it has one writer at a time, and only one
 * process uses its file.
 */
export async function holdTransactionLock(trx: Db, name: string): Promise<void> {
  if (!(trx.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`select pg_advisory_xact_lock(hashtext(${name}))`.execute(trx);
}
