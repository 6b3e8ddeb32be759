/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time and typed loosely on purpose */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen: never edit after it has landed. Add a new dated migration instead.

/*
 * On PostgreSQL, bump a review's plan_revision once per transaction rather than once per row.
 * An import writes thousands of rows in one transaction; updating the same reviews row for
 * each of them made PostgreSQL keep thousands of versions of it, and the cost grew faster than
 * the plan. Readers only ever see committed data, so one bump per transaction tells every
 * cache that the plan changed just as well. The mark lives in a transaction-local setting
 * (set_config(…, true)), so it needs no column and vanishes at commit or rollback.
 * SQLite keeps its per-row triggers: there the same writes cost nothing measurable.
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
  { table: 'rating_challenges', reviewOf: (r) => `${r}.review_id` },
  { table: 'memberships', reviewOf: (r) => `${r}.review_id` },
  {
    table: 'recommendation_group_organisations',
    reviewOf: (r) => `(select review_id from recommendation_groups where id = ${r}.group_id)`,
  },
  { table: 'finding_recommendations', reviewOf: (r) => `(select review_id from findings where id = ${r}.finding_id)` },
  { table: 'action_organisations', reviewOf: (r) => `(select review_id from actions where id = ${r}.action_id)` },
];

export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql
    .raw(
      `create function clasp_bump_plan_revision(review integer) returns void language plpgsql as $$
      begin
        if review is null or current_setting('clasp.bumped_' || review, true) = '1' then
          return;
        end if;
        update reviews set plan_revision = plan_revision + 1 where id = review;
        perform set_config('clasp.bumped_' || review, '1', true);
      end $$`,
    )
    .execute(db);
  // The triggers stay as they are; only the functions they call change.
  for (const { table, reviewOf } of PLAN_TABLES) {
    await sql
      .raw(
        `create or replace function ${table}_bump_plan_revision() returns trigger language plpgsql as $$
        begin
          if tg_op in ('INSERT', 'UPDATE') then
            perform clasp_bump_plan_revision(${reviewOf('new')});
          end if;
          if tg_op in ('UPDATE', 'DELETE') then
            perform clasp_bump_plan_revision(${reviewOf('old')});
          end if;
          return null;
        end $$`,
      )
      .execute(db);
  }
}

// Kysely's migrator awaits down(), so the refusal comes back as a rejected promise.
export function down(): Promise<void> {
  return Promise.reject(new Error('This migration cannot be undone: restore from a backup instead.'));
}
