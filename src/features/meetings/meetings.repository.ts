import { PostgresAdapter, type Insertable, type Updateable } from 'kysely';
import type {
  MeetingAttendeeTable,
  MeetingItemTable,
  MeetingRequestTable,
  MeetingTable,
} from '../../platform/db/schema.ts';
import type { Db } from '../../platform/db/database.ts';

/* Every query of the meetings feature: meetings, their attendees, agenda items and requests. */

/** PostgreSQL runs transactions side by side, so a meeting is locked while it changes; SQLite runs one at a time. */
function locksRows(db: Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

const MEETING_COLUMNS = [
  'id',
  'review_id',
  'forum',
  'title',
  'starts_at',
  'place',
  'minutes_status',
  'minutes_approved_meeting_id',
  'minutes_approved_at',
  'minutes_snapshot',
  'minutes_sha256',
  'agenda_sent_at',
  'is_illustrative',
  'created_at',
  'version',
] as const;

export async function listMeetings(db: Db, reviewId: number) {
  return db
    .selectFrom('meetings')
    .select(MEETING_COLUMNS)
    .where('review_id', '=', reviewId)
    .orderBy('starts_at')
    .orderBy('id')
    .execute();
}

export type MeetingRow = Awaited<ReturnType<typeof listMeetings>>[number];

/** One meeting of the review. With `lock`, inside a transaction, other changes to it wait until it ends. */
export async function findMeeting(db: Db, reviewId: number, meetingId: number, options: { lock?: boolean } = {}) {
  const query = db
    .selectFrom('meetings')
    .select(MEETING_COLUMNS)
    .where('review_id', '=', reviewId)
    .where('id', '=', meetingId);
  return (options.lock && locksRows(db) ? query.forUpdate() : query).executeTakeFirst();
}

export async function insertMeeting(db: Db, row: Insertable<MeetingTable>): Promise<number> {
  const { id } = await db.insertInto('meetings').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function updateMeeting(db: Db, meetingId: number, patch: Updateable<MeetingTable>): Promise<void> {
  await db
    .updateTable('meetings')
    .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
    .where('id', '=', meetingId)
    .execute();
}

export async function listAttendees(db: Db, meetingId: number) {
  return db
    .selectFrom('meeting_attendees')
    .select(['id', 'user_id', 'name', 'email', 'organisation_name', 'role', 'attendance'])
    .where('meeting_id', '=', meetingId)
    .orderBy('role', 'desc')
    .orderBy('id')
    .execute();
}

export type AttendeeRow = Awaited<ReturnType<typeof listAttendees>>[number];

export async function insertAttendees(db: Db, rows: Insertable<MeetingAttendeeTable>[]): Promise<void> {
  if (rows.length) await db.insertInto('meeting_attendees').values(rows).execute();
}

export async function updateAttendance(
  db: Db,
  meetingId: number,
  attendeeId: number,
  attendance: AttendeeRow['attendance'],
): Promise<void> {
  await db
    .updateTable('meeting_attendees')
    .set({ attendance })
    .where('meeting_id', '=', meetingId)
    .where('id', '=', attendeeId)
    .execute();
}

/** The agenda, in order, removed items included (removed_at set). */
export async function listItems(db: Db, meetingId: number) {
  return db
    .selectFrom('meeting_items as i')
    .leftJoin('organisations as o', 'o.id', 'i.organisation_id')
    .select([
      'i.id',
      'i.position',
      'i.kind',
      'i.action_id',
      'i.evidence_item_id',
      'i.question_id',
      'i.organisation_id',
      'o.name as organisation',
      'i.title',
      'i.outcome',
      'i.outcome_note',
      'i.removed_at',
    ])
    .where('i.meeting_id', '=', meetingId)
    .orderBy('i.position')
    .orderBy('i.id')
    .execute();
}

export type ItemRow = Awaited<ReturnType<typeof listItems>>[number];

export async function insertItems(db: Db, rows: Insertable<MeetingItemTable>[]): Promise<void> {
  if (rows.length) await db.insertInto('meeting_items').values(rows).execute();
}

export async function updateItem(
  db: Db,
  meetingId: number,
  itemId: number,
  patch: Updateable<MeetingItemTable>,
): Promise<void> {
  await db
    .updateTable('meeting_items')
    .set(patch)
    .where('meeting_id', '=', meetingId)
    .where('id', '=', itemId)
    .execute();
}

export async function insertRequest(db: Db, row: Insertable<MeetingRequestTable>): Promise<number> {
  const { id } = await db.insertInto('meeting_requests').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function listRequests(db: Db, meetingId: number) {
  return db
    .selectFrom('meeting_requests')
    .select(['id', 'action_id', 'text', 'owner_user_id', 'owner_name', 'due_on', 'status'])
    .where('meeting_id', '=', meetingId)
    .orderBy('id')
    .execute();
}

/** The people of the review, one row per person, with the organisation of their first membership. */
export async function listReviewPeople(db: Db, reviewId: number) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .select(['u.id as userId', 'u.name', 'u.email', 'o.name as organisation', 'm.role'])
    .where('m.review_id', '=', reviewId)
    .where('u.disabled_at', 'is', null)
    .orderBy('u.name')
    .orderBy('m.id')
    .execute();
}

export async function setMeetingQuorum(db: Db, reviewId: number, quorum: number, now: string): Promise<void> {
  await db.updateTable('reviews').set({ meeting_quorum: quorum, updated_at: now }).where('id', '=', reviewId).execute();
}

/** Evidence sent for a decision and still waiting: submitted, neither withdrawn nor decided. */
export async function listWaitingEvidence(db: Db, reviewId: number) {
  return db
    .selectFrom('evidence_items as e')
    .leftJoin('withdrawals as w', 'w.evidence_item_id', 'e.id')
    .select(['e.id', 'e.action_id', 'e.title', 'e.effective_on', 'e.version'])
    .where('e.review_id', '=', reviewId)
    .where('e.status', '=', 'submitted')
    .where('w.id', 'is', null)
    .orderBy('e.effective_on')
    .orderBy('e.id')
    .execute();
}

/** Questions from boards and panels whose response is not yet published. */
export async function listOpenQuestions(db: Db, reviewId: number) {
  return db
    .selectFrom('questions')
    .select(['id', 'action_id', 'organisation_id', 'text', 'asked_by', 'asked_on'])
    .where('review_id', '=', reviewId)
    .where('response_status', '!=', 'published')
    .orderBy('asked_on')
    .orderBy('id')
    .execute();
}

/** Evidence items by id, for the versions and titles a meeting decides on. */
export async function listEvidenceByIds(db: Db, reviewId: number, ids: number[]) {
  if (!ids.length) return [];
  return db
    .selectFrom('evidence_items')
    .select(['id', 'action_id', 'title', 'status', 'version', 'status_meeting_id'])
    .where('review_id', '=', reviewId)
    .where('id', 'in', ids)
    .execute();
}

/** The leads of a review's actions: the person named as lead, if any, and the plan's words. */
export async function listActionLeads(db: Db, reviewId: number) {
  return db
    .selectFrom('actions as a')
    .leftJoin('users as u', 'u.id', 'a.lead_user_id')
    .select(['a.id', 'a.lead_text', 'a.lead_user_id', 'u.name as lead_user_name'])
    .where('a.review_id', '=', reviewId)
    .execute();
}

/** What a meeting decided, from the decision rows that carry its id. */
export async function listMeetingDecisions(db: Db, meetingId: number) {
  const [ratings, challenges, evidence, dueDates] = await Promise.all([
    db
      .selectFrom('rating_events')
      .select(['id', 'action_id', 'rating', 'rationale', 'override_reason'])
      .where('meeting_id', '=', meetingId)
      .where('kind', '=', 'agreed')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('rating_challenges')
      .select(['id', 'action_id', 'rating', 'rationale'])
      .where('meeting_id', '=', meetingId)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('evidence_items')
      .select(['id', 'action_id', 'title', 'status', 'status_reason'])
      .where('status_meeting_id', '=', meetingId)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('due_date_changes')
      .select(['id', 'action_id', 'kind', 'from_date', 'to_date', 'reason'])
      .where('meeting_id', '=', meetingId)
      .orderBy('id')
      .execute(),
  ]);
  return { ratings, challenges, evidence, dueDates };
}

/** What an agenda pack shows of each action: its words, latest progress and evidence. */
export async function listPackDetails(db: Db, reviewId: number, actionIds: number[]) {
  if (!actionIds.length) return { actions: [], progress: [], evidence: [] };
  const [actions, progress, evidence] = await Promise.all([
    db
      .selectFrom('actions')
      .select(['id', 'action_text', 'lead_text', 'due_date'])
      .where('review_id', '=', reviewId)
      .where('id', 'in', actionIds)
      .execute(),
    db
      .selectFrom('progress_updates as p')
      .leftJoin('withdrawals as w', 'w.progress_update_id', 'p.id')
      .select(['p.action_id', 'p.progress_on', 'p.text', 'p.author_name'])
      .where('p.review_id', '=', reviewId)
      .where('p.action_id', 'in', actionIds)
      .where('w.id', 'is', null)
      .orderBy('p.progress_on')
      .orderBy('p.id')
      .execute(),
    db
      .selectFrom('evidence_items as e')
      .leftJoin('withdrawals as w', 'w.evidence_item_id', 'e.id')
      .select(['e.action_id', 'e.title', 'e.effective_on', 'e.status', 'e.file_name', 'e.url', 'w.id as withdrawn'])
      .where('e.review_id', '=', reviewId)
      .where('e.action_id', 'in', actionIds)
      .orderBy('e.effective_on')
      .orderBy('e.id')
      .execute(),
  ]);
  return { actions, progress, evidence };
}
