/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time and typed loosely on purpose */
import { sql, type Kysely } from 'kysely';

// Frozen once landed: add a new dated migration instead of editing this one.

/*
 * Two-step verification for password accounts (OWASP ASVS 2.8): an authenticator app's
 * time-based codes (RFC 6238) and single-use recovery codes.
 *
 * - users.totp_secret: the shared secret once the person has confirmed a code from it;
 *   totp_pending_secret: one being set up, not yet confirmed. totp_last_step: the time step of
 *   the last code accepted, so a code cannot be used twice. second_factor_required: set by an
 *   administrator; the person then sets it up at their next sign-in.
 * - recovery_codes: SHA-256 of each code (they are random, 50 bits, so a plain hash is enough);
 *   a used code keeps its row with used_at, so the account page can say how many are left.
 * - sign_in_challenges: between the password and the code, a short-lived record of who is
 *   half signed in, found by the SHA-256 of a cookie that only /sign-in pages receive.
 * - api_tokens.last_used_ip: where a token was last used, so use from a new place is seen.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('totp_secret', 'text').execute();
  await db.schema.alterTable('users').addColumn('totp_pending_secret', 'text').execute();
  await db.schema.alterTable('users').addColumn('totp_enabled_at', 'text').execute();
  await db.schema.alterTable('users').addColumn('totp_last_step', 'integer').execute();
  await db.schema
    .alterTable('users')
    .addColumn('second_factor_required', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('recovery_codes')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addPrimaryKeyConstraint('recovery_codes_pk', ['user_id', 'code_hash'])
    .execute();

  await db.schema
    .createTable('sign_in_challenges')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('code','set-up')`))
    .addColumn('next', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('sign_in_challenges_user').on('sign_in_challenges').column('user_id').execute();

  await db.schema.alterTable('api_tokens').addColumn('last_used_ip', 'text').execute();
}

// Kysely's migrator awaits down(), so the refusal comes back as a rejected promise.
export function down(): Promise<void> {
  return Promise.reject(new Error('This migration cannot be undone: restore from a backup instead.'));
}
