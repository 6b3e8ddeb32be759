import { PostgresAdapter, type Insertable } from 'kysely';
import type { EvidenceItemTable, EvidenceStatus } from '../../../platform/db/schema.ts';
import type { Db } from '../../../platform/db/database.ts';

/* Queries behind adding evidence to an action, its files, and decisions on it. */

/**
 * Stores file content under its SHA-256 unless it is already there: the same bytes uploaded
 * twice are kept once. Returns whether a new blob was written.
 */
export async function insertBlobIfAbsent(
  db: Db,
  blob: { sha256: string; content: Buffer; createdAt: string },
): Promise<boolean> {
  const result = await db
    .insertInto('blobs')
    .values({ sha256: blob.sha256, size: blob.content.byteLength, content: blob.content, created_at: blob.createdAt })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function insertEvidenceItem(db: Db, row: Insertable<EvidenceItemTable>): Promise<number> {
  const { id } = await db.insertInto('evidence_items').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

/**
 * Whether rows read in a transaction can be locked until it ends. PostgreSQL runs transactions
 * side by side, so a rule read inside one holds at its commit only if its rows are locked;
 * SQLite runs one transaction at a time, so what a transaction reads cannot change under it.
 */
export function locksRows(db: Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * One evidence item of this review, or undefined when the review has no such item. With
 * `lock`, inside a transaction, nobody can decide on it until the transaction ends.
 */
export async function findEvidence(db: Db, reviewId: number, evidenceId: number, options: { lock?: boolean } = {}) {
  const query = db
    .selectFrom('evidence_items')
    .select([
      'id',
      'review_id',
      'action_id',
      'kind',
      'title',
      'effective_on',
      'period_start',
      'blob_sha256',
      'file_name',
      'media_type',
      'size',
      'url',
      'note',
      'status',
      'status_reason',
      'status_by_name',
      'status_by_user_id',
      'status_at',
      'added_by_user_id',
      'added_by_name',
      'progress_update_id',
      'created_at',
      'version',
    ])
    .where('review_id', '=', reviewId)
    .where('id', '=', evidenceId);
  return (options.lock && locksRows(db) ? query.forUpdate() : query).executeTakeFirst();
}

export type EvidenceRow = NonNullable<Awaited<ReturnType<typeof findEvidence>>>;

/**
 * The accepted evidence of an action dated from `from` to `to`, oldest first. Inside a
 * transaction the items stay locked until it ends: a rejection waits, so a rating agreed on
 * them is agreed on evidence still accepted.
 */
export async function listAcceptedEvidenceBetween(db: Db, actionId: number, window: { from: string; to: string }) {
  const query = db
    .selectFrom('evidence_items')
    .select(['id', 'title', 'effective_on'])
    .where('action_id', '=', actionId)
    .where('status', '=', 'accepted')
    .where('effective_on', '>=', window.from)
    .where('effective_on', '<=', window.to)
    .orderBy('effective_on')
    .orderBy('id');
  return (locksRows(db) ? query.forShare() : query).execute();
}

export async function findBlobContent(db: Db, sha256: string): Promise<Buffer | undefined> {
  const row = await db.selectFrom('blobs').select('content').where('sha256', '=', sha256).executeTakeFirst();
  if (!row) return undefined;
  const { content } = row;
  return Buffer.isBuffer(content) ? content : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
}

/**
 * Records a decision on evidence only if nobody has changed the item since the form was
 * opened at `version`. Returns false when the version has moved on.
 */
export async function updateEvidenceDecision(
  db: Db,
  evidenceId: number,
  version: number,
  decision: {
    status: EvidenceStatus;
    reason: string | null;
    byName: string;
    byUserId: number;
    at: string;
    /** The meeting that decided it; null on the evidence's own form. */
    meetingId: number | null;
  },
): Promise<boolean> {
  const result = await db
    .updateTable('evidence_items')
    .set((eb) => ({
      status: decision.status,
      status_reason: decision.reason,
      status_by_name: decision.byName,
      status_by_user_id: decision.byUserId,
      status_at: decision.at,
      status_meeting_id: decision.meetingId,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', evidenceId)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
