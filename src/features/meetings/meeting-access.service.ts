import { createHash } from 'node:crypto';
import type { ReviewRow } from '../../platform/db/schema.ts';
import type { Trx } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { ForbiddenError } from '../../platform/auth/plugin.ts';
import { FormInvalid } from '../../platform/form-schema.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { canAssure, canCoordinate, type Actor } from '../../domain/permissions.ts';
import { FORUM_NAMES, type MeetingHeading } from '../../domain/meeting-records.ts';
import { formatLongDate } from '../../domain/dates.ts';
import { getReview } from '../reviews/reviews.service.ts';
import type { AppContext } from '../context.ts';
import { findMeeting, updateMeeting, type MeetingRow } from './meetings.repository.ts';

/*
 * Who may do what to a meeting, and what every meetings service shares: the meeting read with
 * its review, the refusal once its minutes are approved, its name and heading, its quorum.
 */

/** Members present for a meeting to be quorate when the review sets no number of its own. */
export const DEFAULT_QUORUM = 3;

export function quorumOf(review: ReviewRow): number {
  return review.meeting_quorum ?? DEFAULT_QUORUM;
}

export interface MeetingAccess {
  review: ReviewRow;
  meeting: MeetingRow;
  canCoordinate: boolean;
  /** Record attendance and decisions: reviewers and the coordinator. */
  canChair: boolean;
}

/** A meeting of a review this person can read (404 otherwise). */
export async function getMeetingAccess(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  meetingId: number,
): Promise<MeetingAccess> {
  const review = await getReview(ctx, actor, reviewId);
  const meeting = await findMeeting(ctx.db, reviewId, meetingId);
  if (!meeting) throw new NotFoundError(`Review ${reviewId} has no meeting ${meetingId}`);
  return {
    review,
    meeting,
    canCoordinate: canCoordinate(actor, reviewId),
    canChair: canAssure(actor, reviewId),
  };
}

export function requireCoordinator(actor: Actor, reviewId: number): void {
  if (!canCoordinate(actor, reviewId)) {
    throw new ForbiddenError('Only the plan coordinator can schedule meetings and change their agenda.');
  }
}

export function requireChair(actor: Actor, reviewId: number): void {
  if (!canAssure(actor, reviewId)) {
    throw new ForbiddenError("Only the review's reviewers and coordinators can record a meeting.");
  }
}

/** The refusal of any change to a meeting whose minutes are approved. */
export function refuseIfFrozen(meeting: MeetingRow, field = 'form'): void {
  if (meeting.minutes_status === 'approved') {
    throw FormInvalid.of(
      field,
      'The minutes of this meeting are approved, so its record cannot change. Record it at a later meeting instead.',
      409,
    );
  }
}

/** A meeting read again inside a transaction, locked, and refused when its minutes are approved. */
export async function lockOpenMeeting(trx: Trx, reviewId: number, meetingId: number, field = 'form') {
  const meeting = await findMeeting(trx, reviewId, meetingId, { lock: true });
  if (!meeting) throw new NotFoundError(`Review ${reviewId} has no meeting ${meetingId}`);
  refuseIfFrozen(meeting, field);
  return meeting;
}

export function auditOf(actor: Actor, reviewId: number) {
  const organisationId = actor.memberships.find((m) => m.reviewId === reviewId)?.organisationId ?? null;
  return { actor: actor.name, userId: actor.userId, organisationId, reviewId, requestId: actor.requestId ?? null };
}

/** Audits a change to a meeting, in the transaction that makes it. */
export async function auditMeeting(
  trx: Trx,
  actor: Actor,
  reviewId: number,
  meetingId: number,
  change: { action: string; before?: unknown; after: unknown },
  time: Date,
): Promise<void> {
  await recordAudit(trx, { ...auditOf(actor, reviewId), entityType: 'meeting', entityId: meetingId, ...change }, time);
}

/** "14 January 2027 at 14:00" */
export function meetingWhen(startsAt: string): string {
  const [day = '', time = ''] = startsAt.split('T');
  return `${formatLongDate(day)} at ${time}`;
}

/** "Peer challenge group, 14 January 2027" */
export function meetingName(meeting: Pick<MeetingRow, 'forum' | 'starts_at' | 'title'>): string {
  return `${meeting.title || FORUM_NAMES[meeting.forum]}, ${formatLongDate(meeting.starts_at.slice(0, 10))}`;
}

export function meetingHeading(review: ReviewRow, meeting: MeetingRow): MeetingHeading {
  return {
    reviewTitle: `${review.title || `${review.area} CLAS review`}: ${FORUM_NAMES[meeting.forum].toLowerCase()}`,
    area: review.area,
    forum: meeting.forum,
    title: meeting.title,
    startsAt: meeting.starts_at,
    place: meeting.place,
    illustrativeNotice: meeting.is_illustrative ? review.illustrative_notice : null,
  };
}

/** Marks a meeting's minutes as a draft once anything is recorded at it. */
export async function markMinutesDraft(trx: Trx, meeting: MeetingRow, now: string): Promise<void> {
  if (meeting.minutes_status === 'none') {
    await updateMeeting(trx, meeting.id, { minutes_status: 'draft', updated_at: now });
  }
}

/** The SHA-256 of approved minutes as stored, like an issued version's. */
export function digestOf(json: string): string {
  return createHash('sha256').update(json, 'utf8').digest('hex');
}

/**
 * Refuses a person who may not make this kind of change (404 outside the review, 403 without
 * the role) before their form is read, so nobody learns how a form is checked without the right.
 */
export async function mayChangeMeetings(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  meetingId: number | null,
  access: 'coordinate' | 'assure',
): Promise<void> {
  if (meetingId === null) await getReview(ctx, actor, reviewId);
  else await getMeetingAccess(ctx, actor, reviewId, meetingId);
  if (access === 'coordinate') requireCoordinator(actor, reviewId);
  else requireChair(actor, reviewId);
}
