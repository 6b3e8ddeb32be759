import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../../platform/db/database.ts';

/*
 * Search: words looked for, case-insensitively, in the plan's text. Each word must appear in
 * one of the item's fields (all words, any field). The words are passed as parameters with
 * LIKE's wildcards escaped, so a "%" or "_" typed is looked for as itself.
 */

const LIMIT = 50;

/** How many live actions of its recommendation come before action `a`: its number there, less one. */
// PostgreSQL counts as bigint, which arrives as text.
/** Whether a progress update or evidence item was withdrawn by whoever posted it. */
function withdrawn(column: 'progress_update_id' | 'evidence_item_id', ref: 'p.id' | 'e.id') {
  return sql<number | string>`(select count(*) from withdrawals w where w.${sql.ref(column)} = ${sql.ref(ref)})`.as(
    'withdrawn',
  );
}

const EARLIER = sql<number | string>`(select count(*) from actions b
  where b.recommendation_id = a.recommendation_id and b.archived_at is null and b.position < a.position)`.as('earlier');

/** A LIKE pattern that finds the word anywhere, with LIKE's own characters escaped by "!". */
function contains(word: string): string {
  return `%${word.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/** All the words, each in one of the columns. */
function allWords(words: readonly string[], columns: readonly string[]): Expression<SqlBool> {
  const each = words.map(
    (word) =>
      sql<SqlBool>`(${sql.join(
        columns.map((c) => sql`lower(${sql.ref(c)}) like ${contains(word)} escape '!'`),
        sql` or `,
      )})`,
  );
  return sql<SqlBool>`(${sql.join(each, sql` and `)})`;
}

export function searchRecommendations(db: Db, reviewIds: readonly number[], words: readonly string[]) {
  return db
    .selectFrom('recommendations as r')
    .select(['r.id', 'r.review_id', 'r.number', 'r.text'])
    .where('r.review_id', 'in', reviewIds)
    .where('r.archived_at', 'is', null)
    .where(allWords(words, ['r.number', 'r.text', 'r.outcome', 'r.responsible_officer']))
    .orderBy('r.review_id')
    .orderBy('r.position')
    .limit(LIMIT)
    .execute();
}

/** Actions by their words, their lead, or the name of one of their organisations. */
export function searchActions(db: Db, reviewIds: readonly number[], words: readonly string[]) {
  return db
    .selectFrom('actions as a')
    .innerJoin('recommendations as r', 'r.id', 'a.recommendation_id')
    .select(['a.id', 'a.review_id', 'a.action_text', 'a.lead_text', 'r.number as recommendation_number', EARLIER])
    .where('a.review_id', 'in', reviewIds)
    .where('a.archived_at', 'is', null)
    .where('r.archived_at', 'is', null)
    .where((eb) =>
      eb.and(
        words.map(
          (word) =>
            sql<SqlBool>`(lower(a.action_text) like ${contains(word)} escape '!'
              or lower(a.agency_text) like ${contains(word)} escape '!'
              or lower(a.lead_text) like ${contains(word)} escape '!'
              or exists (select 1 from action_organisations ao join organisations o on o.id = ao.organisation_id
                where ao.action_id = a.id and (lower(o.name) like ${contains(word)} escape '!'
                  or lower(o.short_name) like ${contains(word)} escape '!')))`,
        ),
      ),
    )
    .orderBy('a.review_id')
    .orderBy('r.position')
    .orderBy('a.position')
    .limit(LIMIT)
    .execute();
}

/** The organisations of some actions, by name, for showing beside them. */
export function listActionOrganisationNames(db: Db, actionIds: readonly number[]) {
  if (actionIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('action_organisations as ao')
    .innerJoin('organisations as o', 'o.id', 'ao.organisation_id')
    .select(['ao.action_id', 'o.name'])
    .where('ao.action_id', 'in', actionIds)
    .orderBy('o.name')
    .execute();
}

export function searchProgress(db: Db, reviewIds: readonly number[], words: readonly string[]) {
  return db
    .selectFrom('progress_updates as p')
    .innerJoin('actions as a', 'a.id', 'p.action_id')
    .innerJoin('recommendations as r', 'r.id', 'a.recommendation_id')
    .select([
      'p.id',
      'p.review_id',
      'p.action_id',
      'p.progress_on',
      'p.text',
      'p.author_name',
      'r.number',
      EARLIER,
      withdrawn('progress_update_id', 'p.id'),
    ])
    .where('p.review_id', 'in', reviewIds)
    .where('a.archived_at', 'is', null)
    .where(allWords(words, ['p.text', 'p.author_name']))
    .orderBy('p.progress_on', 'desc')
    .orderBy('p.id', 'desc')
    .limit(LIMIT)
    .execute();
}

export function searchEvidence(db: Db, reviewIds: readonly number[], words: readonly string[]) {
  return db
    .selectFrom('evidence_items as e')
    .innerJoin('actions as a', 'a.id', 'e.action_id')
    .innerJoin('recommendations as r', 'r.id', 'a.recommendation_id')
    .select([
      'e.id',
      'e.review_id',
      'e.action_id',
      'e.title',
      'e.status',
      'e.effective_on',
      'r.number',
      EARLIER,
      withdrawn('evidence_item_id', 'e.id'),
    ])
    .where('e.review_id', 'in', reviewIds)
    .where('a.archived_at', 'is', null)
    .where(allWords(words, ['e.title', 'e.added_by_name']))
    .orderBy('e.effective_on', 'desc')
    .orderBy('e.id', 'desc')
    .limit(LIMIT)
    .execute();
}

export function listReviewTitles(db: Db, reviewIds: readonly number[]) {
  return db.selectFrom('reviews').select(['id', 'area', 'title']).where('id', 'in', reviewIds).execute();
}

export function listAllReviewIds(db: Db) {
  return db.selectFrom('reviews').select('id').execute();
}
