/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time and typed loosely on purpose */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen once landed: add a new dated migration instead of editing this one.

/*
 * Imports that are safe to confirm (issue 15).
 *
 * import_id on the rows a plan import writes (groups, recommendations, finding links, actions,
 *   their organisations, progress, ratings, challenges and evidence): which import wrote them, so
 *   a confirmed import can be reverted. Null for rows written any other way.
 * imports.confirmed_revision: the review's plan_revision just after the import was written. While
 *   the review is still at that revision nothing has been built on the import since, so it can be
 *   reverted (within a day). imports.reverted_at / reverted_by_user_id / reverted_by_name record the
 *   revert; the import row and its audit events stay.
 * imports.read_state: while a file is being read, how far the reading has got (JSON), so the page
 *   can say so; null once read.
 * agency_mappings: what a review's coordinator said an agency cell of an imported plan means, so the
 *   next import of a plan into the review reads it the same way. agency_key is the cell's words in the
 *   form the importer compares them (case, spacing and quote marks aside). One row per organisation
 *   the words stand for; a row with a null organisation_id says the words stand for none.
 */

const WRITTEN_BY_IMPORTS = [
  'recommendation_groups',
  'recommendations',
  'finding_recommendations',
  'actions',
  'action_organisations',
  'progress_updates',
  'rating_events',
  'rating_challenges',
  'evidence_items',
];

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  for (const table of WRITTEN_BY_IMPORTS) {
    await db.schema
      .alterTable(table)
      .addColumn('import_id', 'integer', (c) => c.references('imports.id').onDelete('set null'))
      .execute();
    await db.schema.createIndex(`${table}_import`).on(table).column('import_id').execute();
  }
  await db.schema.alterTable('imports').addColumn('confirmed_revision', 'integer').execute();
  await db.schema.alterTable('imports').addColumn('reverted_at', 'text').execute();
  await db.schema
    .alterTable('imports')
    .addColumn('reverted_by_user_id', 'integer', (c) => c.references('users.id'))
    .execute();
  await db.schema.alterTable('imports').addColumn('reverted_by_name', 'text').execute();
  await db.schema.alterTable('imports').addColumn('read_state', 'text').execute();
  await db.schema.createIndex('imports_review_file').on('imports').columns(['review_id', 'blob_sha256']).execute();

  await db.schema
    .createTable('agency_mappings')
    .addColumn('id', 'integer', (c) =>
      pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
    )
    .addColumn('review_id', 'integer', (c) => c.notNull().references('reviews.id').onDelete('cascade'))
    .addColumn('agency_key', 'text', (c) => c.notNull())
    .addColumn('agency_text', 'text', (c) => c.notNull())
    .addColumn('organisation_id', 'integer', (c) => c.references('organisations.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('agency_mappings_review')
    .on('agency_mappings')
    .columns(['review_id', 'agency_key'])
    .execute();
  // One row per organisation for the same words; the null row (no organisation) at most once.
  await sql`create unique index agency_mappings_once
    on agency_mappings (review_id, agency_key, coalesce(organisation_id, 0))`.execute(db);
}

// Kysely's migrator awaits down(), so the refusal comes back as a rejected promise.
export function down(): Promise<void> {
  return Promise.reject(new Error('This migration cannot be undone: restore from a backup instead.'));
}
