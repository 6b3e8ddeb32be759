/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time and typed loosely on purpose */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen once landed: add a new dated migration instead of editing this one.

/*
 * Sessions resolved from memory for a few seconds (src/platform/auth/session-cache.ts) must be
 * forgotten when anything they hold changes, on every Clasp process sharing the database. The
 * database records each such change itself, whichever process or command made it:
 *
 * - session_changes: one row per change to a session or to what it resolves to (a session
 *   ended or changed other than its last-seen time, an account's name, email, administrator
 *   flag or disabled time changed, an account deleted, a membership added, changed or removed),
 *   naming the account, with the time by the database's clock. Each process reads the recent
 *   rows once a second and forgets the sessions of the accounts named; old rows are deleted.
 *
 * Written by triggers, so no code path that changes these tables can forget to record it.
 */

const NOW_SQLITE = `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;
const NOW_PG = `to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Each trigger: its table, event, the account it names, and when it fires. */
const TRIGGERS: { name: string; table: string; event: string; userOf: string; when?: string }[] = [
  { name: 'sessions_ended', table: 'sessions', event: 'delete', userOf: 'old.user_id' },
  {
    name: 'sessions_changed',
    table: 'sessions',
    event: 'update',
    userOf: 'old.user_id',
    when:
      'old.user_id is distinct from new.user_id or old.csrf_token is distinct from new.csrf_token or ' +
      'old.expires_at is distinct from new.expires_at or old.id is distinct from new.id',
  },
  {
    name: 'users_changed',
    table: 'users',
    event: 'update',
    userOf: 'old.id',
    when:
      'old.email is distinct from new.email or old.name is distinct from new.name or ' +
      'old.is_admin is distinct from new.is_admin or old.disabled_at is distinct from new.disabled_at',
  },
  { name: 'users_deleted', table: 'users', event: 'delete', userOf: 'old.id' },
  { name: 'memberships_added', table: 'memberships', event: 'insert', userOf: 'new.user_id' },
  { name: 'memberships_changed', table: 'memberships', event: 'update', userOf: 'old.user_id' },
  { name: 'memberships_removed', table: 'memberships', event: 'delete', userOf: 'old.user_id' },
];

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('session_changes')
    .addColumn('id', 'integer', (c) =>
      pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
    )
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('session_changes_changed_at').on('session_changes').column('changed_at').execute();

  for (const t of TRIGGERS) {
    if (pg) {
      // A membership moved to another account names both.
      const alsoNew =
        t.table === 'memberships' && t.event === 'update'
          ? `if new.user_id is distinct from old.user_id then
               insert into session_changes (user_id, changed_at) values (new.user_id, ${NOW_PG});
             end if;`
          : '';
      await sql
        .raw(
          `create function clasp_${t.name}() returns trigger language plpgsql as $$
          begin
            insert into session_changes (user_id, changed_at) values (${t.userOf}, ${NOW_PG});
            ${alsoNew}
            return null;
          end $$`,
        )
        .execute(db);
      await sql
        .raw(
          `create trigger clasp_${t.name} after ${t.event} on ${t.table} for each row
          ${t.when ? `when (${t.when})` : ''} execute function clasp_${t.name}()`,
        )
        .execute(db);
    } else {
      const when = t.when ? `when ${t.when.replaceAll('is distinct from', 'is not')}` : '';
      const alsoNew =
        t.table === 'memberships' && t.event === 'update'
          ? `insert into session_changes (user_id, changed_at)
               select new.user_id, ${NOW_SQLITE} where new.user_id is not old.user_id;`
          : '';
      await sql
        .raw(
          `create trigger clasp_${t.name} after ${t.event} on ${t.table} for each row ${when}
          begin
            insert into session_changes (user_id, changed_at) values (${t.userOf}, ${NOW_SQLITE});
            ${alsoNew}
          end`,
        )
        .execute(db);
    }
  }
}

// Kysely's migrator awaits down(), so the refusal comes back as a rejected promise.
export function down(): Promise<void> {
  return Promise.reject(new Error('This migration cannot be undone: restore from a backup instead.'));
}
