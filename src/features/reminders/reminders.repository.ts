import type { Db, Trx } from '../../platform/db/database.ts';
import type { ReminderStatus, ReminderTable } from '../../platform/db/schema.ts';
import type { Insertable } from 'kysely';
import { ratingHistoryOf } from '../../domain/ratings.ts';
import { actionLabel } from '../../domain/words.ts';
import type { ReminderAction, ReminderPerson, ReminderPreference } from '../../domain/reminders.ts';
import type { RatingScale } from '../../domain/ratings.ts';
import { notWithdrawn } from '../../platform/db/withdrawn.ts';

/* Reading plans and people for reminders across every review, and the reminders table. */

export interface ReminderReviewRow {
  id: number;
  area: string;
  rating_scale: RatingScale;
  stale_days: number | null;
  report_received: string | null;
  report_published: string | null;
  plan_issued: string | null;
  question_days: number | null;
  assignment_days: number | null;
}

const REVIEW_COLUMNS = [
  'id',
  'area',
  'rating_scale',
  'stale_days',
  'report_received',
  'report_published',
  'plan_issued',
  'question_days',
  'assignment_days',
] as const;

/** One review as reminders read it, live or not: for the demo's record of what would have been sent. */
export function findReminderReview(db: Db, reviewId: number): Promise<ReminderReviewRow | undefined> {
  return db.selectFrom('reviews').select(REVIEW_COLUMNS).where('id', '=', reviewId).executeTakeFirst();
}

/**
 * The reviews reminders are about: those running today. A review assessed as of a past date
 * (a historic review, the demo) is a record, not a live plan, so nobody is reminded about it.
 */
export function listLiveReviews(db: Db): Promise<ReminderReviewRow[]> {
  return db.selectFrom('reviews').select(REVIEW_COLUMNS).where('assessed_as_of', 'is', null).orderBy('id').execute();
}

function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}

/**
 * The open actions of these reviews with what reminders need, by review: a few queries for them
 * all. Decisions on revised due dates are read from `decisionsSince` (an ISO instant) on.
 */
export async function loadReminderActions(
  db: Db,
  reviewIds: number[],
  decisionsSince: string,
): Promise<Map<number, ReminderAction[]>> {
  if (reviewIds.length === 0) return new Map();
  const [actions, numbers, orgs, progress, ratings, challenges, evidence, decisions, accepted] = await Promise.all([
    db
      .selectFrom('actions')
      .select(['id', 'review_id', 'recommendation_id', 'due_date', 'created_on', 'lead_user_id', 'reassurance_due_on'])
      .where('review_id', 'in', reviewIds)
      .where('archived_at', 'is', null)
      .orderBy('recommendation_id')
      .orderBy('position')
      .execute(),
    db
      .selectFrom('recommendations')
      .select(['id', 'number'])
      .where('review_id', 'in', reviewIds)
      .where('archived_at', 'is', null)
      .execute(),
    db
      .selectFrom('action_organisations as ao')
      .innerJoin('actions as a', 'a.id', 'ao.action_id')
      .select(['ao.action_id', 'ao.organisation_id'])
      .where('a.review_id', 'in', reviewIds)
      .execute(),
    db
      .selectFrom('progress_updates as pu')
      .select((eb) => ['action_id', eb.fn.max('progress_on').as('last')])
      .where('review_id', 'in', reviewIds)
      // A withdrawn update is no progress.
      .where(notWithdrawn('progress_update_id', 'pu.id'))
      .groupBy('action_id')
      .execute(),
    db
      .selectFrom('rating_events as re')
      .select(['action_id', 'kind', 'rating', 'decided_on', 'effective_on', 'created_at', 'override_reason'])
      .where('review_id', 'in', reviewIds)
      // A rating proposed with a progress update that was withdrawn waits for nobody.
      .where(notWithdrawn('rating_event_id', 're.id'))
      .orderBy('decided_on')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('rating_challenges')
      .select(['action_id', 'rating', 'decided_on', 'created_at', 'rationale'])
      .where('review_id', 'in', reviewIds)
      .orderBy('decided_on')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('evidence_items as e')
      .select(['id', 'action_id', 'title', 'status', 'created_at', 'status_at'])
      .where('review_id', 'in', reviewIds)
      .where('status', '!=', 'accepted')
      // Withdrawn evidence waits for nobody.
      .where(notWithdrawn('evidence_item_id', 'e.id'))
      .execute(),
    db
      .selectFrom('due_date_changes as d')
      .innerJoin('due_date_changes as p', 'p.id', 'd.proposal_id')
      .select([
        'd.id',
        'd.action_id',
        'd.kind',
        'd.from_date',
        'd.to_date',
        'd.reason',
        'd.created_at',
        'p.user_id as proposed_by',
      ])
      .where('d.review_id', 'in', reviewIds)
      .where('d.kind', 'in', ['agreed', 'refused'])
      .where('d.created_at', '>=', decisionsSince)
      .orderBy('d.id')
      .execute(),
    // Accepted evidence: for lasting assurance, and for when evidence was last added.
    db
      .selectFrom('evidence_items')
      .select(['action_id', 'effective_on', 'created_at'])
      .where('review_id', 'in', reviewIds)
      .where('status', '=', 'accepted')
      .execute(),
  ]);
  const numberOf = new Map(numbers.map((r) => [r.id, r.number]));
  const orgsByAction = groupBy(orgs, (r) => r.action_id);
  const lastProgress = new Map(progress.map((r) => [r.action_id, r.last as string | null]));
  const ratingsByAction = groupBy(ratings, (r) => r.action_id);
  const challengesByAction = groupBy(challenges, (r) => r.action_id);
  const evidenceByAction = groupBy(evidence, (r) => r.action_id);
  const decisionsByAction = groupBy(decisions, (r) => r.action_id);
  const acceptedByAction = groupBy(accepted, (r) => r.action_id);
  const seen = new Map<number, number>();
  const byReview = new Map<number, ReminderAction[]>();
  for (const a of actions) {
    // Actions of an archived recommendation are not in the plan.
    const number = numberOf.get(a.recommendation_id);
    if (number === undefined) continue;
    const position = (seen.get(a.recommendation_id) ?? 0) + 1;
    seen.set(a.recommendation_id, position);
    const addedAts = [...(evidenceByAction.get(a.id) ?? []), ...(acceptedByAction.get(a.id) ?? [])].map(
      (e) => e.created_at,
    );
    const list = byReview.get(a.review_id) ?? [];
    byReview.set(a.review_id, list);
    list.push({
      id: a.id,
      label: actionLabel(position, number),
      organisationIds: (orgsByAction.get(a.id) ?? []).map((r) => r.organisation_id),
      dueDate: a.due_date,
      createdOn: a.created_on,
      lastProgressOn: lastProgress.get(a.id) ?? null,
      ratingHistory: ratingHistoryOf(ratingsByAction.get(a.id) ?? [], challengesByAction.get(a.id) ?? []),
      evidence: (evidenceByAction.get(a.id) ?? []).map((e) => ({
        id: e.id,
        title: e.title,
        status: e.status,
        addedOn: e.created_at.slice(0, 10),
        decidedOn: e.status_at?.slice(0, 10) ?? null,
      })),
      dueDateDecisions: (decisionsByAction.get(a.id) ?? []).map((d) => ({
        id: d.id,
        kind: d.kind === 'agreed' ? 'agreed' : 'refused',
        proposedDate: d.to_date,
        agreedBefore: d.from_date,
        decidedOn: d.created_at.slice(0, 10),
        reason: d.reason,
        proposedByUserId: d.proposed_by,
      })),
      archived: false,
      leadUserId: a.lead_user_id,
      reassuranceDueOn: a.reassurance_due_on,
      acceptedEvidenceDates: (acceptedByAction.get(a.id) ?? []).map((e) => e.effective_on),
      lastEvidenceAddedAt: addedAts.reduce<string | null>(
        (latest, at) => (latest === null || at > latest ? at : latest),
        null,
      ),
    });
  }
  return byReview;
}

/** The numbers of these reviews' recommendations, archived ones too: what a question is about. */
export function listRecommendationNumbers(db: Db, reviewIds: readonly number[]) {
  if (reviewIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('recommendations').select(['id', 'number']).where('review_id', 'in', reviewIds).execute();
}

/** The members of these reviews with their roles and reminder choice, by review; disabled accounts left out. */
export async function loadReminderPeople(db: Db, reviewIds: number[]): Promise<Map<number, ReminderPerson[]>> {
  if (reviewIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .leftJoin('reminder_preferences as p', 'p.user_id', 'm.user_id')
    .select(['m.review_id', 'm.role', 'm.organisation_id', 'u.id as user_id', 'u.email', 'u.name', 'p.choice'])
    .where('m.review_id', 'in', reviewIds)
    .where('u.disabled_at', 'is', null)
    .orderBy('u.id')
    .execute();
  const byReview = new Map<number, Map<number, ReminderPerson>>();
  for (const r of rows) {
    const people = byReview.get(r.review_id) ?? new Map<number, ReminderPerson>();
    byReview.set(r.review_id, people);
    const person = people.get(r.user_id) ?? {
      userId: r.user_id,
      email: r.email,
      name: r.name,
      preference: r.choice ?? 'immediately',
      memberships: [],
    };
    people.set(r.user_id, person);
    person.memberships.push({ role: r.role, organisationId: r.organisation_id });
  }
  return new Map([...byReview].map(([id, people]) => [id, [...people.values()]]));
}

/** Which of these keys are recorded already. */
export async function recordedKeys(db: Db, keys: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < keys.length; i += 500) {
    const rows = await db
      .selectFrom('reminders')
      .select('key')
      .where('key', 'in', keys.slice(i, i + 500))
      .execute();
    for (const r of rows) found.add(r.key);
  }
  return found;
}

/** Records reminders; a key recorded already is left as it is. Returns how many were new. */
export async function recordReminders(db: Db, rows: Insertable<ReminderTable>[]): Promise<number> {
  let added = 0;
  for (let i = 0; i < rows.length; i += 200) {
    const result = await db
      .insertInto('reminders')
      .values(rows.slice(i, i + 200))
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    added += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return added;
}

export type ReminderRow = Awaited<ReturnType<typeof findDueToSend>>[number];

/** Messages (single reminders and digests) whose time to be sent has come. */
export function findDueToSend(db: Db, now: string) {
  return db
    .selectFrom('reminders as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .selectAll('r')
    .select(['u.email', 'u.name'])
    .where('r.digest_key', 'is', null)
    .where('r.status', 'in', ['pending', 'failed'])
    .where('r.next_attempt_at', '<=', now)
    .orderBy('r.id')
    .execute();
}

/**
 * Takes a message to send, if nobody else has: moves its next try on by the lease, on the
 * condition that it is still as read. Only one of two instances racing for it succeeds.
 */
export async function claim(db: Db, row: { id: number; next_attempt_at: string | null }, leaseUntil: string) {
  if (row.next_attempt_at === null) return false;
  const result = await db
    .updateTable('reminders')
    .set((eb) => ({ next_attempt_at: leaseUntil, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', row.id)
    .where('status', 'in', ['pending', 'failed'])
    .where('next_attempt_at', '=', row.next_attempt_at)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function markSent(db: Db, key: string, at: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('reminders')
      .set({ status: 'sent', sent_at: at, next_attempt_at: null, last_error: null })
      .where('key', '=', key)
      .execute();
    await trx
      .updateTable('reminders')
      .set({ status: 'sent', sent_at: at, next_attempt_at: null })
      .where('digest_key', '=', key)
      .execute();
  });
}

export async function markFailed(db: Db, id: number, error: string, retryAt: string | null): Promise<void> {
  await db
    .updateTable('reminders')
    .set({ status: 'failed' satisfies ReminderStatus, last_error: error, next_attempt_at: retryAt })
    .where('id', '=', id)
    .execute();
}

/** The items a digest carries, oldest first. */
export function digestItems(db: Db, digestKey: string) {
  return db
    .selectFrom('reminders')
    .select(['reason', 'summary', 'link', 'review_id'])
    .where('digest_key', '=', digestKey)
    .orderBy('id')
    .execute();
}

/** What was sent, or is waiting to be, about one review: newest first. */
export function listReviewReminders(db: Db, reviewId: number, limit: number) {
  return (
    db
      .selectFrom('reminders as r')
      .innerJoin('users as u', 'u.id', 'r.user_id')
      // An item waiting for a digest goes when its digest does.
      .leftJoin('reminders as d', 'd.key', 'r.digest_key')
      .select([
        'd.next_attempt_at as digest_due',
        'd.reason as digest_reason',
        'r.id',
        'r.reason',
        'r.subject_label',
        'r.link',
        'r.status',
        'r.attempts',
        'r.last_error',
        'r.created_at',
        'r.sent_at',
        'r.next_attempt_at',
        'r.digest_key',
        'r.is_illustrative',
        'u.name',
        'u.email',
      ])
      .where('r.review_id', '=', reviewId)
      .orderBy('r.id', 'desc')
      .limit(limit)
      .execute()
  );
}

export async function findPreference(db: Db | Trx, userId: number): Promise<ReminderPreference> {
  const row = await db
    .selectFrom('reminder_preferences')
    .select('choice')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.choice ?? 'immediately';
}

export async function savePreference(
  db: Db | Trx,
  userId: number,
  choice: ReminderPreference,
  at: string,
): Promise<void> {
  await db
    .insertInto('reminder_preferences')
    .values({ user_id: userId, choice, updated_at: at })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ choice, updated_at: at }))
    .execute();
}
