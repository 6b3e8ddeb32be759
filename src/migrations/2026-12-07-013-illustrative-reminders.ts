/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time and typed loosely on purpose */
import type { Kysely } from 'kysely';

// Frozen once landed: add a new dated migration instead of editing this one.

/*
 * The demo shows a reminder sent (issue 13). Its reminders are not mail that went anywhere:
 * when the demo is loaded it records the reminders Clasp's rules find due on the day the demo is
 * assessed at, as the cycle would have sent them that morning. is_illustrative marks those rows
 * (1), as on the demo's progress, ratings and evidence, so the coordinators' page labels them.
 * Reminder reasons are free text (checked in the code, src/domain/reminders.ts), so the new
 * reasons for revised due dates need no change here.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('reminders')
    .addColumn('is_illustrative', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

// Kysely's migrator awaits down(), so the refusal comes back as a rejected promise.
export function down(): Promise<void> {
  return Promise.reject(new Error('This migration cannot be undone: restore from a backup instead.'));
}
