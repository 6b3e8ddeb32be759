/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time and typed loosely on purpose */
import type { Kysely } from 'kysely';

// Frozen once landed: add a new dated migration instead of editing this one.

/*
 * Forms sent after a session ended, kept for a short time so nothing typed is lost: the person
 * signs in again and finds the form filled in as they left it.
 *
 * - token_hash: SHA-256 of a random token in a short-lived cookie, so only the browser that sent
 *   the form can find it again.
 * - user_id: whose session ended, when that is known; else the first account to sign in with
 *   that cookie. Nobody else is shown it.
 * - page: the address of the form page the fields go back into.
 * - form: JSON of the fields as typed (never the CSRF token or a password field) and whether
 *   a file was left out.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('kept_forms')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('page', 'text', (c) => c.notNull())
    .addColumn('form', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('kept_forms_expires').on('kept_forms').column('expires_at').execute();
}

// Kysely's migrator awaits down(), so the refusal comes back as a rejected promise.
export function down(): Promise<void> {
  return Promise.reject(new Error('This migration cannot be undone: restore from a backup instead.'));
}
