/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time and typed loosely on purpose */
import type { Kysely } from 'kysely';

// Frozen once landed: add a new dated migration instead of editing this one.

/*
 * A rating proposed with a progress update is dated as the update is: a proposal sent on
 * 7 December with an update dated 1 July is "proposed 1 July" in the rating history, and
 * counts from 1 July when the plan is assessed as at a date. decided_on stays the day it was
 * recorded, which keeps the order of events; effective_on is the day it speaks for, null when
 * that is the day it was recorded. Adding a column changes no row, so the history tables'
 * guards against rewriting are untouched.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('rating_events').addColumn('effective_on', 'text').execute();
}

// Kysely's migrator awaits down(), so the refusal comes back as a rejected promise.
export function down(): Promise<void> {
  return Promise.reject(new Error('This migration cannot be undone: restore from a backup instead.'));
}
