import type { SelectQueryBuilder } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import type { Db } from '../../platform/db/database.ts';

export interface AuditEventRow {
  id: number;
  at: string;
  actor: string;
  user_id: number | null;
  organisation_id: number | null;
  organisation_name: string | null;
  review_id: number | null;
  action_id: number | null;
  entity_type: string;
  entity_id: string;
  action: string;
  before: string | null;
  after: string | null;
}

type EventQuery = SelectQueryBuilder<Database & { e: Database['audit_events'] }, 'e', object>;

function withDetails(query: EventQuery) {
  return query
    .leftJoin('organisations as o', 'o.id', 'e.organisation_id')
    .select([
      'e.id',
      'e.at',
      'e.actor',
      'e.user_id',
      'e.organisation_id',
      'o.name as organisation_name',
      'e.review_id',
      'e.action_id',
      'e.entity_type',
      'e.entity_id',
      'e.action',
      'e.before',
      'e.after',
    ]);
}

/** The action with what its history page needs to name it, archived or not. */
export async function findActionInReview(db: Db, reviewId: number, actionId: number) {
  return db
    .selectFrom('actions as a')
    .innerJoin('recommendations as r', 'r.id', 'a.recommendation_id')
    .select(['a.id', 'a.archived_at', 'r.number as recommendation_number'])
    .where('a.review_id', '=', reviewId)
    .where('a.id', '=', actionId)
    .executeTakeFirst();
}

/**
 * Every event of one action, newest first: those written with its id in action_id (its own
 * changes, progress, evidence and ratings; index audit_action) and any about the action row
 * written without it (index audit_entity).
 */
export async function listActionEvents(db: Db, actionId: number): Promise<AuditEventRow[]> {
  return withDetails(db.selectFrom('audit_events as e'))
    .where((eb) =>
      eb.or([
        eb('e.action_id', '=', actionId),
        eb.and([eb('e.entity_type', '=', 'action'), eb('e.entity_id', '=', String(actionId))]),
      ]),
    )
    .orderBy('e.at', 'desc')
    .orderBy('e.id', 'desc')
    .execute();
}

export interface TrailFilters {
  userId?: number;
  organisationId?: number;
  entityType?: string;
  action?: string;
  /** Events at or after this instant (ISO text). */
  fromInstant?: string;
  /** Events strictly before this instant (ISO text). */
  beforeInstant?: string;
}

/** One review's events with the filters applied: review_id and at lead, so index audit_review serves it. */
function reviewEvents(db: Db, reviewId: number, f: TrailFilters): EventQuery {
  let q = db.selectFrom('audit_events as e').where('e.review_id', '=', reviewId);
  if (f.fromInstant !== undefined) q = q.where('e.at', '>=', f.fromInstant);
  if (f.beforeInstant !== undefined) q = q.where('e.at', '<', f.beforeInstant);
  if (f.userId !== undefined) q = q.where('e.user_id', '=', f.userId);
  if (f.organisationId !== undefined) q = q.where('e.organisation_id', '=', f.organisationId);
  if (f.entityType !== undefined) q = q.where('e.entity_type', '=', f.entityType);
  if (f.action !== undefined) q = q.where('e.action', '=', f.action);
  return q;
}

export async function countReviewEvents(db: Db, reviewId: number, f: TrailFilters): Promise<number> {
  const row = await reviewEvents(db, reviewId, f)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listReviewEvents(
  db: Db,
  reviewId: number,
  f: TrailFilters,
  page: { limit: number; offset: number },
): Promise<AuditEventRow[]> {
  return withDetails(reviewEvents(db, reviewId, f))
    .orderBy('e.at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** Where a page of the trail ended: its last event's instant and id (the id breaks ties). */
export interface TrailKey {
  at: string;
  id: number;
}

/** Events that come after `key`, newest first: those older, or as old with a lower id. */
function after(query: EventQuery, key: TrailKey | null): EventQuery {
  if (!key) return query;
  return query.where((eb) =>
    eb.or([eb('e.at', '<', key.at), eb.and([eb('e.at', '=', key.at), eb('e.id', '<', key.id)])]),
  );
}

/** Up to `limit` events of the trail after `key` (keyset paging: a page never repeats or skips an event). */
export async function listReviewEventsAfter(
  db: Db,
  reviewId: number,
  f: TrailFilters,
  page: { limit: number; after: TrailKey | null },
): Promise<AuditEventRow[]> {
  return withDetails(after(reviewEvents(db, reviewId, f), page.after))
    .orderBy('e.at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(page.limit)
    .execute();
}

/** How many events of the trail come before `key`: the pages already listed. */
export async function countReviewEventsUpTo(db: Db, reviewId: number, f: TrailFilters, key: TrailKey): Promise<number> {
  const row = await reviewEvents(db, reviewId, f)
    .where((eb) => eb.or([eb('e.at', '>', key.at), eb.and([eb('e.at', '=', key.at), eb('e.id', '>=', key.id)])]))
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/* The choices of the filter form: only what appears in this review's trail. */

export async function listTrailPeople(db: Db, reviewId: number) {
  return db
    .selectFrom('users as u')
    .select(['u.id', 'u.name'])
    .where('u.id', 'in', (eb) =>
      eb
        .selectFrom('audit_events')
        .select('user_id')
        .where('review_id', '=', reviewId)
        .where('user_id', 'is not', null),
    )
    .orderBy('u.name')
    .orderBy('u.id')
    .execute() as Promise<{ id: number; name: string }[]>;
}

export async function listTrailOrganisations(db: Db, reviewId: number) {
  return db
    .selectFrom('organisations as o')
    .select(['o.id', 'o.name'])
    .where('o.id', 'in', (eb) =>
      eb
        .selectFrom('audit_events')
        .select('organisation_id')
        .where('review_id', '=', reviewId)
        .where('organisation_id', 'is not', null),
    )
    .orderBy('o.name')
    .execute();
}

export async function listTrailValues(db: Db, reviewId: number, column: 'entity_type' | 'action'): Promise<string[]> {
  const rows = await db
    .selectFrom('audit_events')
    .select(column)
    .distinct()
    .where('review_id', '=', reviewId)
    .orderBy(column)
    .execute();
  return rows.map((r) =>
    column === 'entity_type' ? (r as { entity_type: string }).entity_type : (r as { action: string }).action,
  );
}

/** Numbers of recommendations and findings named by events, archived ones included, to name and link them. */
export async function numbersOf(db: Db, reviewId: number, table: 'recommendations' | 'findings', ids: number[]) {
  if (ids.length === 0) return new Map<number, { number: string; archived: boolean }>();
  const rows = await db
    .selectFrom(table)
    .select(['id', 'number', 'archived_at'])
    .where('review_id', '=', reviewId)
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, { number: r.number, archived: r.archived_at !== null }]));
}
