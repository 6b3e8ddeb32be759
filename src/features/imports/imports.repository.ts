import type { Selectable } from 'kysely';
import type { ImportTable, OrganisationKind } from '../../platform/db/schema.ts';
import type { Db } from '../../platform/db/database.ts';

/* Pending and finished imports, the files they came from, and what they need to know of the reviews. */

export type ImportRow = Selectable<ImportTable>;
export type NewImport = Omit<
  ImportRow,
  'id' | 'confirmed_revision' | 'reverted_at' | 'reverted_by_user_id' | 'reverted_by_name'
>;

export function findImportById(db: Db, importId: number): Promise<ImportRow | undefined> {
  return db.selectFrom('imports').selectAll().where('id', '=', importId).executeTakeFirst();
}

export async function insertImport(db: Db, row: NewImport): Promise<number> {
  const { id } = await db.insertInto('imports').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

/**
 * Changes a pending import (what was read, the choices made on its preview). False when it was
 * no longer pending, and so was left as it was.
 */
export async function updatePendingImport(
  db: Db,
  importId: number,
  change: Partial<Pick<ImportRow, 'draft' | 'options' | 'read_state'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('imports')
    .set(change)
    .where('id', '=', importId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Marks a pending import imported or discarded. False when it was no longer pending: the
 * check and the change are one statement, so of two confirmations at once only one wins.
 */
export async function decideImport(
  db: Db,
  importId: number,
  status: 'imported' | 'discarded',
  decidedAt: string,
): Promise<boolean> {
  const result = await db
    .updateTable('imports')
    .set({ status, decided_at: decidedAt })
    .where('id', '=', importId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** What an import did, once it has: the review it went into, its summary and the choices it was made with. */
export async function recordImportOutcome(
  db: Db,
  importId: number,
  outcome: Pick<ImportRow, 'summary' | 'options'> & { review_id: number; confirmed_revision?: number | null },
): Promise<void> {
  await db.updateTable('imports').set(outcome).where('id', '=', importId).execute();
}

/** The imports done into a review, newest first. */
export function listImportsDone(db: Db, reviewId: number) {
  return db
    .selectFrom('imports')
    .select([
      'id',
      'kind',
      'review_id',
      'file_name',
      'actor_name',
      'user_id',
      'summary',
      'decided_at',
      'confirmed_revision',
      'reverted_at',
      'reverted_by_name',
    ])
    .where('review_id', '=', reviewId)
    .where('status', '=', 'imported')
    .orderBy('id', 'desc')
    .execute();
}

/** Stores a file's content once per SHA-256: the same file uploaded twice takes no more room. */
export async function storeBlob(db: Db, sha256: string, content: Uint8Array, now: string): Promise<void> {
  const existing = await db.selectFrom('blobs').select('sha256').where('sha256', '=', sha256).executeTakeFirst();
  if (existing) return;
  await db.insertInto('blobs').values({ sha256, size: content.byteLength, content, created_at: now }).execute();
}

export async function readBlob(db: Db, sha256: string): Promise<Uint8Array> {
  const blob = await db.selectFrom('blobs').select('content').where('sha256', '=', sha256).executeTakeFirstOrThrow();
  return new Uint8Array(blob.content);
}

export function findReviewTitle(db: Db, reviewId: number) {
  return db.selectFrom('reviews').select(['id', 'title']).where('id', '=', reviewId).executeTakeFirst();
}

export function findReviewReportDates(db: Db, reviewId: number) {
  return db
    .selectFrom('reviews')
    .select(['report_received', 'report_published'])
    .where('id', '=', reviewId)
    .executeTakeFirst();
}

/** The review a loaded file made, by the key it was given (a report's is its SHA-256). */
export function findReviewBySourceKey(db: Db, sourceKey: string) {
  return db.selectFrom('reviews').select(['id', 'title']).where('source_key', '=', sourceKey).executeTakeFirst();
}

/** Reviews of the same area, published the same day, started the same day (or neither saying when). */
export function listReviewsOfSameDates(
  db: Db,
  r: { area: string; published: string; reviewStart: string | null },
): Promise<{ id: number; title: string }[]> {
  return db
    .selectFrom('reviews')
    .select(['id', 'title'])
    .where('area', '=', r.area)
    .where('report_published', '=', r.published)
    .where('review_start', r.reviewStart === null ? 'is' : '=', r.reviewStart)
    .execute();
}

export type KnownOrganisation = { id: number; name: string; short_name: string; kind: OrganisationKind };

export function listKnownOrganisations(db: Db): Promise<KnownOrganisation[]> {
  return db.selectFrom('organisations').select(['id', 'name', 'short_name', 'kind']).orderBy('id').execute();
}

/**
 * The latest import of this very file (by its SHA-256) that was confirmed and not reverted: into the
 * review, for a plan; into any review, for a report. Its reading can be shown again without reading
 * the file.
 */
export function findImportedFile(db: Db, kind: 'report' | 'plan', reviewId: number | null, sha256: string) {
  let query = db
    .selectFrom('imports')
    .selectAll()
    .where('kind', '=', kind)
    .where('blob_sha256', '=', sha256)
    .where('status', '=', 'imported')
    .where('reverted_at', 'is', null);
  if (reviewId !== null) query = query.where('review_id', '=', reviewId);
  return query.orderBy('id', 'desc').executeTakeFirst();
}

/** The review's plan_revision: what changes whenever anything shown on the plan's pages does. */
export async function findPlanRevision(db: Db, reviewId: number): Promise<number> {
  const row = await db.selectFrom('reviews').select('plan_revision').where('id', '=', reviewId).executeTakeFirst();
  return row?.plan_revision ?? 0;
}

/** Replaces what the review's coordinators said an agency cell stands for; null ids go back to its name. */
export async function replaceAgencyMapping(
  db: Db,
  row: {
    review_id: number;
    agency_key: string;
    agency_text: string;
    user_id: number | null;
    actor_name: string;
    created_at: string;
  },
  organisationIds: number[] | null,
): Promise<void> {
  await db
    .deleteFrom('agency_mappings')
    .where('review_id', '=', row.review_id)
    .where('agency_key', '=', row.agency_key)
    .execute();
  if (organisationIds === null) return;
  const ids: (number | null)[] = organisationIds.length ? organisationIds : [null];
  await db
    .insertInto('agency_mappings')
    .values(ids.map((organisation_id) => ({ ...row, organisation_id })))
    .execute();
}

/** Records that an import was reverted, and by whom. */
export async function markReverted(
  db: Db,
  importId: number,
  by: { at: string; userId: number | null; name: string },
): Promise<void> {
  await db
    .updateTable('imports')
    .set({ reverted_at: by.at, reverted_by_user_id: by.userId, reverted_by_name: by.name })
    .where('id', '=', importId)
    .execute();
}
