/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time and typed loosely on purpose */
import { PostgresAdapter, sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely } from 'kysely';

// Frozen: never edit after it has landed. Add a new dated migration instead.

type Table = CreateTableBuilder<string>;

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

function withId(db: Kysely<any>, table: Table): Table {
  return isPostgres(db)
    ? table.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

const notNull = (c: ColumnDefinitionBuilder) => c.notNull();
const text = (c: ColumnDefinitionBuilder) => c.notNull().defaultTo('');

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const create = (name: string) => withId(db, db.schema.createTable(name));

  await create('organisations')
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('short_name', 'text', notNull)
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .check(sql`kind in ('commissioner','nhs_trust','gp_practice','local_authority','nhs_england','other')`),
    )
    .addColumn('created_at', 'text', notNull)
    .execute();

  await create('users')
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', notNull)
    .addColumn('password_hash', 'text')
    .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', notNull)
    .addColumn('disabled_at', 'text')
    .execute();

  await create('reviews')
    .addColumn('source_key', 'text', (c) => c.unique())
    .addColumn('title', 'text', notNull)
    .addColumn('type', 'text', (c) => c.notNull().defaultTo('CLAS'))
    .addColumn('area', 'text', notNull)
    .addColumn('review_start', 'text')
    .addColumn('review_end', 'text')
    .addColumn('report_published', 'text')
    .addColumn('report_received', 'text')
    .addColumn('inspectors', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('cqc_region', 'text')
    .addColumn('nhs_england_area', 'text')
    .addColumn('children_cases', 'integer')
    .addColumn('lead_organisation_id', 'integer', (c) => c.references('organisations.id'))
    .addColumn('rating_scale', 'text', (c) =>
      c
        .notNull()
        .defaultTo('BRAG')
        .check(sql`rating_scale in ('BRAG','RAG')`),
    )
    .addColumn('plan_issued', 'text')
    .addColumn('stale_days', 'integer')
    .addColumn('assessed_as_of', 'text')
    .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('illustrative_notice', 'text')
    .addColumn('created_at', 'text', notNull)
    .addColumn('updated_at', 'text', notNull)
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('plan_revision', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('review_organisations')
    .addColumn('review_id', 'integer', (c) => c.notNull().references('reviews.id').onDelete('cascade'))
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addPrimaryKeyConstraint('review_organisations_pk', ['review_id', 'organisation_id'])
    .execute();

  await create('findings')
    .addColumn('review_id', 'integer', (c) => c.notNull().references('reviews.id').onDelete('cascade'))
    .addColumn('number', 'text', notNull)
    .addColumn('section', 'text', notNull)
    .addColumn('text', 'text', notNull)
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('concern','good_practice')`))
    .addColumn('public_health', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('position', 'integer', notNull)
    .addUniqueConstraint('findings_review_number', ['review_id', 'number'])
    .execute();

  await create('recommendation_groups')
    .addColumn('review_id', 'integer', (c) => c.notNull().references('reviews.id').onDelete('cascade'))
    .addColumn('number', 'integer', notNull)
    .addColumn('heading', 'text', notNull)
    .addColumn('position', 'integer', notNull)
    .addUniqueConstraint('groups_review_number', ['review_id', 'number'])
    .execute();

  await db.schema
    .createTable('recommendation_group_organisations')
    .addColumn('group_id', 'integer', (c) => c.notNull().references('recommendation_groups.id').onDelete('cascade'))
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addPrimaryKeyConstraint('group_organisations_pk', ['group_id', 'organisation_id'])
    .execute();

  await create('recommendations')
    .addColumn('review_id', 'integer', (c) => c.notNull().references('reviews.id').onDelete('cascade'))
    .addColumn('group_id', 'integer', (c) => c.notNull().references('recommendation_groups.id'))
    .addColumn('number', 'text', notNull)
    .addColumn('text', 'text', notNull)
    .addColumn('outcome', 'text', text)
    .addColumn('anticipated_evidence', 'text', text)
    .addColumn('assurance', 'text', text)
    .addColumn('responsible_officer', 'text', text)
    .addColumn('position', 'integer', notNull)
    .addColumn('archived_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('recommendations_review_number', ['review_id', 'number'])
    .execute();

  await db.schema
    .createTable('finding_recommendations')
    .addColumn('finding_id', 'integer', (c) => c.notNull().references('findings.id').onDelete('cascade'))
    .addColumn('recommendation_id', 'integer', (c) => c.notNull().references('recommendations.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('finding_recommendations_pk', ['finding_id', 'recommendation_id'])
    .execute();

  await create('actions')
    .addColumn('review_id', 'integer', (c) => c.notNull().references('reviews.id').onDelete('cascade'))
    .addColumn('recommendation_id', 'integer', (c) => c.notNull().references('recommendations.id'))
    .addColumn('position', 'integer', notNull)
    .addColumn('agency_text', 'text', text)
    .addColumn('action_text', 'text', notNull)
    .addColumn('lead_text', 'text', text)
    .addColumn('lead_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('date_words', 'text', text)
    .addColumn('due_date', 'text')
    .addColumn('measure', 'text', text)
    .addColumn('assurance', 'text', text)
    .addColumn('created_on', 'text', notNull)
    .addColumn('created_at', 'text', notNull)
    .addColumn('updated_at', 'text', notNull)
    .addColumn('archived_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('action_organisations')
    .addColumn('action_id', 'integer', (c) => c.notNull().references('actions.id').onDelete('cascade'))
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addPrimaryKeyConstraint('action_organisations_pk', ['action_id', 'organisation_id'])
    .execute();

  await create('progress_updates')
    .addColumn('review_id', 'integer', (c) => c.notNull().references('reviews.id').onDelete('cascade'))
    .addColumn('action_id', 'integer', (c) => c.notNull().references('actions.id').onDelete('cascade'))
    .addColumn('progress_on', 'text', notNull)
    .addColumn('text', 'text', notNull)
    .addColumn('author_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('author_name', 'text', notNull)
    .addColumn('proposed_rating', 'text', (c) => c.check(sql`proposed_rating in ('blue','green','amber','red')`))
    .addColumn('is_illustrative', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', notNull)
    .execute();

  await create('rating_events')
    .addColumn('review_id', 'integer', (c) => c.notNull().references('reviews.id').onDelete('cascade'))
    .addColumn('action_id', 'integer', (c) => c.notNull().references('actions.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('proposed','agreed')`))
    .addColumn('rating', 'text', (c) => c.notNull().check(sql`rating in ('blue','green','amber','red')`))
    .addColumn('decided_on', 'text', notNull)
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('actor_name', 'text', notNull)
    .addColumn('rationale', 'text', text)
    .addColumn('override_reason', 'text')
    .addColumn('is_illustrative', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', notNull)
    .execute();

  await db.schema
    .createTable('blobs')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('size', 'integer', notNull)
    .addColumn('content', pg ? 'bytea' : 'blob', notNull)
    .addColumn('created_at', 'text', notNull)
    .execute();

  await create('evidence_items')
    .addColumn('review_id', 'integer', (c) => c.notNull().references('reviews.id').onDelete('cascade'))
    .addColumn('action_id', 'integer', (c) => c.notNull().references('actions.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('file','link','note')`))
    .addColumn('title', 'text', notNull)
    .addColumn('effective_on', 'text', notNull)
    .addColumn('blob_sha256', 'text', (c) => c.references('blobs.sha256'))
    .addColumn('file_name', 'text')
    .addColumn('media_type', 'text')
    .addColumn('size', 'integer')
    .addColumn('url', 'text')
    .addColumn('note', 'text')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('submitted')
        .check(sql`status in ('submitted','accepted','rejected')`),
    )
    .addColumn('status_reason', 'text')
    .addColumn('status_by_name', 'text')
    .addColumn('status_at', 'text')
    .addColumn('added_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('added_by_name', 'text', notNull)
    .addColumn('is_illustrative', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', notNull)
    .execute();

  await create('plan_versions')
    .addColumn('review_id', 'integer', (c) => c.notNull().references('reviews.id').onDelete('cascade'))
    .addColumn('number', 'text', notNull)
    .addColumn('issued_on', 'text')
    .addColumn('author', 'text', notNull)
    .addColumn('purpose', 'text', text)
    .addColumn('action_text', 'text', text)
    .addColumn('comment', 'text', text)
    .addColumn('recipients', 'text', text)
    .addColumn('snapshot', 'text')
    .addColumn('created_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', notNull)
    .addUniqueConstraint('plan_versions_review_number', ['review_id', 'number'])
    .execute();

  await create('memberships')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('review_id', 'integer', (c) => c.notNull().references('reviews.id').onDelete('cascade'))
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('coordinator','editor','reviewer','viewer')`))
    .addColumn('created_at', 'text', notNull)
    .addUniqueConstraint('memberships_unique', ['user_id', 'review_id', 'organisation_id', 'role'])
    .execute();

  await create('audit_events')
    .addColumn('at', 'text', notNull)
    .addColumn('user_id', 'integer')
    .addColumn('actor', 'text', notNull)
    .addColumn('organisation_id', 'integer')
    .addColumn('review_id', 'integer')
    .addColumn('entity_type', 'text', notNull)
    .addColumn('entity_id', 'text', notNull)
    .addColumn('action', 'text', notNull)
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .addColumn('request_id', 'text')
    .execute();

  const indexes: [string, string, string[]][] = [
    ['actions_recommendation', 'actions', ['recommendation_id', 'position']],
    ['actions_review', 'actions', ['review_id']],
    ['action_organisations_org', 'action_organisations', ['organisation_id']],
    ['progress_action', 'progress_updates', ['action_id', 'progress_on']],
    // Covers "latest progress per action" for a whole review without touching the table.
    ['progress_review', 'progress_updates', ['review_id', 'action_id', 'progress_on']],
    ['rating_events_action', 'rating_events', ['action_id', 'decided_on']],
    ['rating_events_review', 'rating_events', ['review_id']],
    ['evidence_action', 'evidence_items', ['action_id']],
    ['evidence_review', 'evidence_items', ['review_id']],
    ['recommendations_review', 'recommendations', ['review_id', 'position']],
    ['findings_review', 'findings', ['review_id', 'position']],
    ['finding_recommendations_rec', 'finding_recommendations', ['recommendation_id']],
    ['memberships_user', 'memberships', ['user_id']],
    ['audit_review', 'audit_events', ['review_id', 'at']],
    ['audit_entity', 'audit_events', ['entity_type', 'entity_id']],
  ];
  for (const [name, table, columns] of indexes) {
    await db.schema.createIndex(name).on(table).columns(columns).execute();
  }

  // History is append-only: the audit trail can be neither changed nor deleted, and a
  // progress update or rating decision, once written, is never overwritten (they may only
  // go when their whole review is removed). The database itself refuses, so even a
  // mistaken query or a hand-run statement cannot rewrite history.
  if (pg) {
    await sql`
      create function clasp_refuse_change() returns trigger language plpgsql as $$
      begin
        raise exception '% rows cannot be changed', tg_table_name;
      end $$`.execute(db);
    await sql`
      create trigger audit_events_append_only before update or delete on audit_events
      for each row execute function clasp_refuse_change()`.execute(db);
    for (const table of ['progress_updates', 'rating_events']) {
      await sql`create trigger ${sql.raw(`${table}_never_overwritten`)} before update on ${sql.table(table)}
        for each row execute function clasp_refuse_change()`.execute(db);
    }
  } else {
    const refuse = (name: string, when: string, table: string) =>
      sql`create trigger ${sql.raw(name)} before ${sql.raw(when)} on ${sql.table(table)}
        begin select raise(abort, ${sql.lit(`${table} rows cannot be changed`)}); end`.execute(db);
    await refuse('audit_events_no_update', 'update', 'audit_events');
    await refuse('audit_events_no_delete', 'delete', 'audit_events');
    await refuse('progress_updates_never_overwritten', 'update', 'progress_updates');
    await refuse('rating_events_never_overwritten', 'update', 'rating_events');
  }

  await createPlanRevisionTriggers(db, pg);
}

/*
 * Every change to a review's plan bumps reviews.plan_revision, done by the database so no
 * write path can forget it. Anything derived from a plan (roll-ups, exceptions) can be cached
 * under the revision it was computed from, on one app instance or several.
 */
const PLAN_TABLES: { table: string; reviewOf: (row: 'new' | 'old') => string }[] = [
  { table: 'review_organisations', reviewOf: (r) => `${r}.review_id` },
  { table: 'findings', reviewOf: (r) => `${r}.review_id` },
  { table: 'recommendation_groups', reviewOf: (r) => `${r}.review_id` },
  { table: 'recommendations', reviewOf: (r) => `${r}.review_id` },
  { table: 'actions', reviewOf: (r) => `${r}.review_id` },
  { table: 'progress_updates', reviewOf: (r) => `${r}.review_id` },
  { table: 'rating_events', reviewOf: (r) => `${r}.review_id` },
  { table: 'evidence_items', reviewOf: (r) => `${r}.review_id` },
  { table: 'plan_versions', reviewOf: (r) => `${r}.review_id` },
  {
    table: 'recommendation_group_organisations',
    reviewOf: (r) => `(select review_id from recommendation_groups where id = ${r}.group_id)`,
  },
  { table: 'finding_recommendations', reviewOf: (r) => `(select review_id from findings where id = ${r}.finding_id)` },
  { table: 'action_organisations', reviewOf: (r) => `(select review_id from actions where id = ${r}.action_id)` },
];

async function createPlanRevisionTriggers(db: Kysely<any>, pg: boolean): Promise<void> {
  // Organisation names appear on every review's pages, and renaming one is rare: bump them all.
  if (pg) {
    await sql
      .raw(
        `
      create function organisations_bump_plan_revision() returns trigger language plpgsql as $$
      begin
        update reviews set plan_revision = plan_revision + 1;
        return null;
      end $$`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger organisations_plan_revision after update on organisations
      for each statement execute function organisations_bump_plan_revision()`,
      )
      .execute(db);
  } else {
    await sql
      .raw(
        `create trigger organisations_plan_revision after update on organisations
      begin update reviews set plan_revision = plan_revision + 1; end`,
      )
      .execute(db);
  }
  for (const { table, reviewOf } of PLAN_TABLES) {
    if (pg) {
      const fn = `${table}_bump_plan_revision`;
      await sql
        .raw(
          `
        create function ${fn}() returns trigger language plpgsql as $$
        begin
          if tg_op in ('INSERT', 'UPDATE') then
            update reviews set plan_revision = plan_revision + 1 where id = ${reviewOf('new')};
          end if;
          if tg_op in ('UPDATE', 'DELETE') then
            update reviews set plan_revision = plan_revision + 1 where id = ${reviewOf('old')};
          end if;
          return null;
        end $$`,
        )
        .execute(db);
      await sql
        .raw(
          `create trigger ${table}_plan_revision after insert or update or delete on ${table}
        for each row execute function ${fn}()`,
        )
        .execute(db);
    } else {
      for (const [event, row] of [
        ['insert', 'new'],
        ['update', 'new'],
        ['delete', 'old'],
      ] as const) {
        await sql
          .raw(
            `create trigger ${table}_plan_revision_${event} after ${event} on ${table}
          begin update reviews set plan_revision = plan_revision + 1 where id = ${reviewOf(row)}; end`,
          )
          .execute(db);
      }
    }
  }
}

// Kysely's migrator awaits down(), so the refusal comes back as a rejected promise.
export function down(): Promise<void> {
  return Promise.reject(new Error('The first migration cannot be undone: restore from a backup instead.'));
}
