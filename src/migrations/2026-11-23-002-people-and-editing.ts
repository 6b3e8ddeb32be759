/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time and typed loosely on purpose */
import { PostgresAdapter, sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely } from 'kysely';

// Frozen once landed: add a new dated migration instead of editing this one.
// Accounts, sessions, single-use links, sign-in throttling, API tokens, challenges to
// proposed ratings, and the columns that editing needs (versions, archiving, links).

type Table = CreateTableBuilder<string>;

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

const notNull = (c: ColumnDefinitionBuilder) => c.notNull();

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const withId = (table: Table): Table =>
    pg
      ? table.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
      : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());

  // A session is known by the SHA-256 of its cookie value, so a copy of the database
  // cannot be used to sign in as anyone.
  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', notNull)
    .addColumn('created_at', 'text', notNull)
    .addColumn('last_seen_at', 'text', notNull)
    .addColumn('expires_at', 'text', notNull)
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();

  await db.schema
    .createTable('one_time_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('reset','invite')`))
    .addColumn('created_at', 'text', notNull)
    .addColumn('expires_at', 'text', notNull)
    .addColumn('used_at', 'text')
    .execute();

  await withId(db.schema.createTable('sign_in_failures') as Table)
    .addColumn('key', 'text', notNull)
    .addColumn('at', 'text', notNull)
    .execute();

  await withId(db.schema.createTable('api_tokens') as Table)
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', notNull)
    .addColumn('created_at', 'text', notNull)
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();

  // The peer challenge group does not accept a proposed rating: the proposal stays
  // unagreed and the plan shows it as challenged, with the group's reasons.
  await withId(db.schema.createTable('rating_challenges') as Table)
    .addColumn('review_id', 'integer', (c) => c.notNull().references('reviews.id').onDelete('cascade'))
    .addColumn('action_id', 'integer', (c) => c.notNull().references('actions.id').onDelete('cascade'))
    .addColumn('rating', 'text', (c) => c.notNull().check(sql`rating in ('blue','green','amber','red')`))
    .addColumn('decided_on', 'text', notNull)
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('actor_name', 'text', notNull)
    .addColumn('rationale', 'text', notNull)
    .addColumn('created_at', 'text', notNull)
    .execute();

  const addColumns: [string, string, string, (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder][] = [
    ['users', 'version', 'integer', (c) => c.notNull().defaultTo(1)],
    ['organisations', 'version', 'integer', (c) => c.notNull().defaultTo(1)],
    ['findings', 'version', 'integer', (c) => c.notNull().defaultTo(1)],
    ['findings', 'archived_at', 'text', (c) => c],
    ['recommendation_groups', 'version', 'integer', (c) => c.notNull().defaultTo(1)],
    ['recommendation_groups', 'archived_at', 'text', (c) => c],
    ['evidence_items', 'version', 'integer', (c) => c.notNull().defaultTo(1)],
    ['evidence_items', 'progress_update_id', 'integer', (c) => c.references('progress_updates.id')],
    ['evidence_items', 'status_by_user_id', 'integer', (c) => c.references('users.id')],
    // Evidence may cover a period (a quarter's audit) ending on effective_on, or one day when null.
    ['evidence_items', 'period_start', 'text', (c) => c],
    ['audit_events', 'action_id', 'integer', (c) => c],
  ];
  for (const [table, column, type, build] of addColumns) {
    await db.schema
      .alterTable(table)
      .addColumn(column, type as 'text', build)
      .execute();
  }

  const indexes: [string, string, string[]][] = [
    ['sessions_user', 'sessions', ['user_id']],
    ['one_time_tokens_user', 'one_time_tokens', ['user_id']],
    ['sign_in_failures_key', 'sign_in_failures', ['key', 'at']],
    ['api_tokens_user', 'api_tokens', ['user_id']],
    ['rating_challenges_action', 'rating_challenges', ['action_id', 'decided_on']],
    ['rating_challenges_review', 'rating_challenges', ['review_id']],
    ['audit_action', 'audit_events', ['action_id', 'at']],
    ['memberships_review', 'memberships', ['review_id']],
    ['evidence_blob', 'evidence_items', ['blob_sha256']],
  ];
  for (const [name, table, columns] of indexes) {
    await db.schema.createIndex(name).on(table).columns(columns).execute();
  }

  // Challenges are history like rating decisions: never overwritten, and they change the plan.
  if (pg) {
    await sql`create trigger rating_challenges_never_overwritten before update on rating_challenges
      for each row execute function clasp_refuse_change()`.execute(db);
    // Challenges change the plan; memberships decide what each person sees of it, so pages
    // kept for a role change with them too.
    for (const table of ['rating_challenges', 'memberships']) {
      await sql
        .raw(
          `
        create function ${table}_bump_plan_revision() returns trigger language plpgsql as $$
        begin
          if tg_op in ('INSERT', 'UPDATE') then
            update reviews set plan_revision = plan_revision + 1 where id = new.review_id;
          end if;
          if tg_op in ('UPDATE', 'DELETE') then
            update reviews set plan_revision = plan_revision + 1 where id = old.review_id;
          end if;
          return null;
        end $$`,
        )
        .execute(db);
      await sql
        .raw(
          `create trigger ${table}_plan_revision after insert or update or delete on ${table}
        for each row execute function ${table}_bump_plan_revision()`,
        )
        .execute(db);
    }
  } else {
    await sql`create trigger rating_challenges_never_overwritten before update on rating_challenges
      begin select raise(abort, 'rating_challenges rows cannot be changed'); end`.execute(db);
    for (const table of ['rating_challenges', 'memberships']) {
      for (const [event, row] of [
        ['insert', 'new'],
        ['update', 'new'],
        ['delete', 'old'],
      ] as const) {
        await sql
          .raw(
            `create trigger ${table}_plan_revision_${event} after ${event} on ${table}
          begin update reviews set plan_revision = plan_revision + 1 where id = ${row}.review_id; end`,
          )
          .execute(db);
      }
    }
  }
}

// Kysely's migrator awaits down(), so the refusal comes back as a rejected promise.
export function down(): Promise<void> {
  return Promise.reject(new Error('This migration cannot be undone: restore from a backup instead.'));
}
