/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time and typed loosely on purpose */
import { createHash } from 'node:crypto';
import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen: never edit after it has landed. Add a new dated migration instead.

/*
 * History nobody can rewrite (issue 12, section 3).
 *
 * 1. Every history table refuses UPDATE, DELETE and, on SQLite, INSERT OR REPLACE (which removes
 *    the old row without firing a delete trigger); on PostgreSQL, TRUNCATE too. The application
 *    never updates or deletes these rows (it archives actions and recommendations instead, and
 *    never deletes a review), so nothing legitimate is lost. A review that has history can no
 *    longer be deleted by cascade either: history outlives the plan.
 * 2. Tamper evidence: each audit event carries the SHA-256 of the previous event's hash and its
 *    own fields (prev_hash, hash), so a changed or removed event breaks the chain. Events written
 *    before this migration are chained here, in id order. One row, audit_chain_head, holds the
 *    newest hash: writers lock it, so concurrent writers cannot fork the chain.
 * 3. Each issued version's frozen snapshot keeps its SHA-256 (snapshot_sha256).
 * 4. security_events: failed sign-ins, throttling, refused requests, resets, role changes, kept
 *    durably for administrators. Never changed; on PostgreSQL only the owner may delete them (to
 *    prune old ones), since the app's role is granted SELECT and INSERT only.
 */

const HISTORY_TABLES = ['audit_events', 'progress_updates', 'rating_events', 'rating_challenges', 'plan_versions'];

/** The hash a chain starts from. */
const GENESIS = '0'.repeat(64);

const CHAINED_FIELDS = [
  'at',
  'actor',
  'user_id',
  'organisation_id',
  'review_id',
  'action_id',
  'entity_type',
  'entity_id',
  'action',
  'before',
  'after',
  'request_id',
] as const;

/** A copy, frozen with this migration, of the chain's rule in src/platform/db/audit-chain.ts. */
function chainHash(prevHash: string, row: Record<string, unknown>): string {
  const fields = CHAINED_FIELDS.map((name) => row[name] ?? null);
  return createHash('sha256')
    .update(JSON.stringify([prevHash, ...fields]))
    .digest('hex');
}

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;

  await db.schema.alterTable('audit_events').addColumn('prev_hash', 'text').execute();
  await db.schema.alterTable('audit_events').addColumn('hash', 'text').execute();
  await db.schema.alterTable('plan_versions').addColumn('snapshot_sha256', 'text').execute();
  await db.schema
    .createTable('audit_chain_head')
    .addColumn('id', 'integer', (c) =>
      c
        .primaryKey()
        .notNull()
        .check(sql`id = 1`),
    )
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('security_events')
    .addColumn('id', 'integer', (c) =>
      pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
    )
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer')
    .addColumn('email', 'text')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('method', 'text')
    .addColumn('path', 'text')
    .addColumn('detail', 'text')
    .addColumn('request_id', 'text')
    .execute();
  await db.schema.createIndex('security_events_at').on('security_events').columns(['at']).execute();
  await db.schema.createIndex('security_events_kind').on('security_events').columns(['kind', 'at']).execute();

  // Chaining the events already written means updating them once, so the refusal is lifted
  // for these statements only, inside this migration's transaction.
  if (pg) {
    await sql`alter table audit_events disable trigger audit_events_append_only`.execute(db);
  } else {
    await sql`drop trigger audit_events_no_update`.execute(db);
  }
  let prev = GENESIS;
  let lastId = 0;
  for (;;) {
    const rows: Record<string, unknown>[] = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('id', '>', lastId)
      .orderBy('id')
      .limit(1000)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      const hash = chainHash(prev, row);
      await db
        .updateTable('audit_events')
        .set({ prev_hash: prev, hash })
        .where('id', '=', row.id as number)
        .execute();
      prev = hash;
      lastId = row.id as number;
    }
  }
  await db.insertInto('audit_chain_head').values({ id: 1, hash: prev }).execute();

  const versions: { id: number; snapshot: string }[] = await db
    .selectFrom('plan_versions')
    .select(['id', 'snapshot'])
    .where('snapshot', 'is not', null)
    .execute();
  for (const version of versions) {
    await db
      .updateTable('plan_versions')
      .set({ snapshot_sha256: createHash('sha256').update(version.snapshot).digest('hex') })
      .where('id', '=', version.id)
      .execute();
  }

  if (pg) {
    await sql`alter table audit_events enable trigger audit_events_append_only`.execute(db);
    await lockPostgres(db);
  } else {
    await lockSqlite(db);
  }
}

async function lockPostgres(db: Kysely<any>): Promise<void> {
  // audit_events already refuses update and delete; the others refused update only.
  for (const table of ['progress_updates', 'rating_events', 'rating_challenges']) {
    await sql
      .raw(
        `create trigger ${table}_never_deleted before delete on ${table}
        for each row execute function clasp_refuse_change()`,
      )
      .execute(db);
  }
  await sql
    .raw(
      `create trigger plan_versions_append_only before update or delete on plan_versions
      for each row execute function clasp_refuse_change()`,
    )
    .execute(db);
  // TRUNCATE fires no row trigger: a statement trigger catches it.
  await sql
    .raw(
      `create trigger security_events_never_changed before update on security_events
      for each row execute function clasp_refuse_change()`,
    )
    .execute(db);
  for (const table of HISTORY_TABLES) {
    await sql
      .raw(
        `create trigger ${table}_never_truncated before truncate on ${table}
        for each statement execute function clasp_refuse_change()`,
      )
      .execute(db);
  }
}

const NO_REPLACE = (table: string) => `when exists (select 1 from ${table} where id = new.id)`;

async function lockSqlite(db: Kysely<any>): Promise<void> {
  const refuse = (name: string, event: string, table: string, when = '', message = `${table} rows cannot be changed`) =>
    sql
      .raw(`create trigger ${name} before ${event} on ${table} ${when} begin select raise(abort, '${message}'); end`)
      .execute(db);
  await refuse('audit_events_no_update', 'update', 'audit_events');
  for (const table of ['progress_updates', 'rating_events', 'rating_challenges']) {
    await refuse(`${table}_never_deleted`, 'delete', table);
  }
  await refuse('plan_versions_no_update', 'update', 'plan_versions');
  await refuse('security_events_no_update', 'update', 'security_events');
  await refuse('security_events_no_replace', 'insert', 'security_events', NO_REPLACE('security_events'));
  await refuse('plan_versions_no_delete', 'delete', 'plan_versions');
  // INSERT OR REPLACE (and REPLACE INTO) deletes the row it collides with without firing any
  // delete trigger (recursive_triggers is off), so an insert that would collide is refused
  // before it starts. Ids the database picks itself (new.id null) never collide.
  for (const table of HISTORY_TABLES) {
    await refuse(`${table}_no_replace`, 'insert', table, NO_REPLACE(table));
  }
  // plan_versions has a second unique key. A plain insert colliding on it is the race between
  // two issuers, which issueVersion retries on a unique violation, so the message says so.
  await refuse(
    'plan_versions_no_replace_number',
    'insert',
    'plan_versions',
    'when exists (select 1 from plan_versions where review_id = new.review_id and number = new.number)',
    'UNIQUE constraint failed: plan_versions.review_id, plan_versions.number (versions are never replaced)',
  );
}

// Kysely's migrator awaits down(), so the refusal comes back as a rejected promise.
export function down(): Promise<void> {
  return Promise.reject(new Error('This migration cannot be undone: restore from a backup instead.'));
}
