/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time and typed loosely on purpose */
import type { Kysely } from 'kysely';

// Frozen once landed: add a new dated migration instead of editing this one.

/*
 * Throttling that holds under parallel requests. Each throttled thing (an email address tried
 * at sign-in, a client address, an account's current-password checks, reset requests) has one
 * row: when its window started and how many attempts it has reserved in it. An attempt is
 * reserved by one `insert … on conflict … do update … returning` statement before any password
 * is checked, so the count is exact however many requests arrive at once and on however many
 * instances. It replaces the failure log, which was counted before a check and written after
 * it, so requests sent together all saw the same count and were all checked.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('throttles')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('window_started_at', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('throttles_window').on('throttles').column('window_started_at').execute();
  await db.schema.dropTable('sign_in_failures').execute();
}

// Kysely's migrator awaits down(), so the refusal comes back as a rejected promise.
export function down(): Promise<void> {
  return Promise.reject(new Error('This migration cannot be undone: restore from a backup instead.'));
}
