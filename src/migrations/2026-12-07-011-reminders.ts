/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time and typed loosely on purpose */
import { PostgresAdapter, type Kysely } from 'kysely';

// Frozen once landed: add a new dated migration instead of editing this one.

/*
 * Email reminders, recorded before they are sent so each goes once (see docs/reminders.md).
 *
 * reminders: one row per message, or per item of a weekly digest.
 * - key: recipient, review, reason, subject and period ('100:5:action_due:action-10:2026-12-31-7'),
 *   or 'digest:<user>:<ISO week>' for a digest. Unique: inserted with "on conflict do nothing",
 *   so two instances, a restart or a second run never make a second row, nor a second message.
 * - digest_key: on an item of a weekly digest, the key of the digest row that carries it.
 * - status: 'pending', 'sent' or 'failed'; attempts, last_error and next_attempt_at drive the
 *   retries with backoff. A sender claims a row by moving next_attempt_at on, conditionally.
 *
 * reminder_preferences: each person's choice, 'immediately' (the default, no row), 'weekly' or 'off'.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('reminders')
    .addColumn('id', 'integer', (c) =>
      pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
    )
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('review_id', 'integer', (c) => c.references('reviews.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'integer')
    .addColumn('subject_label', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('link', 'text', (c) => c.notNull())
    .addColumn('digest_key', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('next_attempt_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema.createIndex('reminders_due').on('reminders').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('reminders_digest').on('reminders').column('digest_key').execute();
  await db.schema.createIndex('reminders_review').on('reminders').columns(['review_id', 'created_at']).execute();
  await db.schema
    .createTable('reminder_preferences')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('choice', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

// Kysely's migrator awaits down(), so the refusal comes back as a rejected promise.
export function down(): Promise<void> {
  return Promise.reject(new Error('This migration cannot be undone: restore from a backup instead.'));
}
