import type { Db, Trx } from '../../platform/db/database.ts';
import type { Insertable } from 'kysely';
import type {
  DueDateChangeTable,
  MeetingAttendeeTable,
  MeetingItemTable,
  MeetingRequestTable,
  MeetingTable,
  QuestionTable,
  ReviewRow,
} from '../../platform/db/schema.ts';

/*
 * What the demo loader looks up before it writes: the demo is loaded once, and its organisations and
 * files once each.
 */

export async function findReviewBySourceKey(db: Db, key: string) {
  return db.selectFrom('reviews').select(['id']).where('source_key', '=', key).executeTakeFirst();
}

/** The organisation with exactly this name, if there is one. */
export async function findOrganisationIdByName(db: Db, name: string): Promise<number | undefined> {
  const row = await db.selectFrom('organisations').select('id').where('name', '=', name).executeTakeFirst();
  return row?.id;
}

/** Stores file content once per SHA-256: the same file added twice takes no more room. */
export async function storeBlob(db: Db, sha256: string, content: Uint8Array, now: string): Promise<void> {
  const existing = await db.selectFrom('blobs').select('sha256').where('sha256', '=', sha256).executeTakeFirst();
  if (existing) return;
  await db.insertInto('blobs').values({ sha256, size: content.byteLength, content, created_at: now }).execute();
}

/** The illustrative layer's revised due dates, in the order it gives them. */
export async function insertDueDateChanges(trx: Trx, rows: Insertable<DueDateChangeTable>[]): Promise<void> {
  if (rows.length > 0) await trx.insertInto('due_date_changes').values(rows).execute();
}

/** A recorded meeting of the illustrative history. */
export async function insertMeetingRow(trx: Trx, row: Insertable<MeetingTable>): Promise<number> {
  const { id } = await trx.insertInto('meetings').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function insertMeetingAttendees(trx: Trx, rows: Insertable<MeetingAttendeeTable>[]): Promise<void> {
  if (rows.length > 0) await trx.insertInto('meeting_attendees').values(rows).execute();
}

export async function insertMeetingItems(trx: Trx, rows: Insertable<MeetingItemTable>[]): Promise<void> {
  if (rows.length > 0) await trx.insertInto('meeting_items').values(rows).execute();
}

export async function insertMeetingRequests(trx: Trx, rows: Insertable<MeetingRequestTable>[]): Promise<void> {
  if (rows.length > 0) await trx.insertInto('meeting_requests').values(rows).execute();
}

export async function insertQuestions(trx: Trx, rows: Insertable<QuestionTable>[]): Promise<void> {
  if (rows.length > 0) await trx.insertInto('questions').values(rows).execute();
}

export async function updateMeetingMinutes(
  trx: Trx,
  meetingId: number,
  values: Partial<
    Pick<
      Insertable<MeetingTable>,
      | 'minutes_status'
      | 'minutes_approved_meeting_id'
      | 'minutes_approved_at'
      | 'minutes_snapshot'
      | 'minutes_sha256'
      | 'updated_at'
    >
  >,
): Promise<void> {
  await trx.updateTable('meetings').set(values).where('id', '=', meetingId).execute();
}

export async function findMeetingRow(trx: Trx, meetingId: number) {
  return trx.selectFrom('meetings').selectAll().where('id', '=', meetingId).executeTakeFirstOrThrow();
}

export async function findReviewRow(trx: Trx, reviewId: number): Promise<ReviewRow> {
  return trx.selectFrom('reviews').selectAll().where('id', '=', reviewId).executeTakeFirstOrThrow();
}

/** The evidence item of an action with this title. */
export async function findEvidenceId(trx: Trx, actionId: number, title: string): Promise<number> {
  const row = await trx
    .selectFrom('evidence_items')
    .select('id')
    .where('action_id', '=', actionId)
    .where('title', '=', title)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** How a completed action's effect will be shown to last, and when fresh evidence is due. */
export async function setLastingAssurance(
  trx: Trx,
  actionId: number,
  sustainHow: string,
  reassuranceDueOn: string,
): Promise<void> {
  await trx
    .updateTable('actions')
    .set({ sustain_how: sustainHow, reassurance_due_on: reassuranceDueOn })
    .where('id', '=', actionId)
    .execute();
}
