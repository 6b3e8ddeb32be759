import type { ReviewRow } from '../../platform/db/schema.ts';
import { recordAudit } from '../../platform/audit.ts';
import { FormInvalid } from '../../platform/form-schema.ts';
import { createMailer } from '../../platform/mail.ts';
import { canCoordinate, type Actor } from '../../domain/permissions.ts';
import { FORUM_NAMES } from '../../domain/meeting-records.ts';
import { publicBase } from '../accounts/accounts.service.ts';
import { getReview } from '../reviews/reviews.service.ts';
import type { AppContext } from '../context.ts';
import {
  insertAttendees,
  insertMeeting,
  listAttendees,
  listEvidenceByIds,
  listItems,
  listMeetings,
  listReviewPeople,
  setMeetingQuorum,
  updateAttendance,
  updateMeeting,
  type MeetingRow,
} from './meetings.repository.ts';
import {
  auditMeeting,
  auditOf,
  getMeetingAccess,
  lockOpenMeeting,
  markMinutesDraft,
  meetingName,
  meetingWhen,
  quorumOf,
  refuseIfFrozen,
  requireChair,
  requireCoordinator,
} from './meeting-access.service.ts';
import { buildAgendaPack, buildMinutes, numberedItems, quorumOfAttendees } from './meeting-records.service.ts';
import { decisionsFor } from './meeting-decisions.service.ts';
import { agendaPackDocument, minutesDocument } from '../outputs/meeting-documents/meeting-documents.service.ts';
import { ratingsOf } from '../../domain/ratings.ts';
import type { AttendanceCommand, GuestCommand, QuorumCommand, ScheduleCommand } from './meetings.forms.ts';
import { proposedAgenda, writeProposedAgenda } from './meeting-agenda.service.ts';

/*
 * Meetings of a review (docs/meetings.md): the coordinator schedules them and invites people;
 * the chair (a reviewer or the coordinator) records who came. Every change is audited in the
 * transaction that makes it. Once a meeting's minutes are approved at a later meeting, its
 * record is frozen: no more attendance or decisions.
 */

export interface MeetingsList {
  review: ReviewRow;
  upcoming: MeetingRow[];
  past: MeetingRow[];
  quorum: number;
  canCoordinate: boolean;
}

/** The meetings of a review, upcoming (soonest first) and past (latest first). */
export async function getMeetingsList(ctx: AppContext, actor: Actor, reviewId: number): Promise<MeetingsList> {
  const review = await getReview(ctx, actor, reviewId);
  const meetings = await listMeetings(ctx.db, reviewId);
  const today = ctx.today();
  return {
    review,
    upcoming: meetings.filter((m) => m.starts_at.slice(0, 10) >= today),
    past: meetings.filter((m) => m.starts_at.slice(0, 10) < today).reverse(),
    quorum: quorumOf(review),
    canCoordinate: canCoordinate(actor, reviewId),
  };
}

/** The people of the review the coordinator may invite: one tick box each. */
export async function listInvitable(ctx: AppContext, actor: Actor, reviewId: number) {
  await getReview(ctx, actor, reviewId);
  requireCoordinator(actor, reviewId);
  const seen = new Set<number>();
  return (await listReviewPeople(ctx.db, reviewId)).filter((p) => !seen.has(p.userId) && seen.add(p.userId));
}

/** Schedules a meeting with its invitations and its proposed agenda, in one transaction. */
export async function scheduleMeeting(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  command: ScheduleCommand,
): Promise<number> {
  const review = await getReview(ctx, actor, reviewId);
  requireCoordinator(actor, reviewId);
  const people = await listInvitable(ctx, actor, reviewId);
  const now = ctx.now().toISOString();
  const agenda = await proposedAgenda(ctx, review, command.startsAt);
  return ctx.db.transaction().execute(async (trx) => {
    const meetingId = await insertMeeting(trx, {
      review_id: reviewId,
      forum: command.forum,
      title: command.title,
      starts_at: command.startsAt,
      place: command.place,
      created_by_user_id: actor.userId,
      created_at: now,
      updated_at: now,
    });
    const members = people.filter((p) => command.memberIds.includes(p.userId));
    await insertAttendees(trx, [
      ...members.map((p) => ({
        meeting_id: meetingId,
        user_id: p.userId,
        name: p.name,
        email: p.email,
        organisation_name: p.organisation,
        role: 'member' as const,
        created_at: now,
      })),
      ...command.guests.map((g) => ({
        meeting_id: meetingId,
        user_id: null,
        name: g.name,
        email: g.email,
        organisation_name: g.organisation,
        role: 'guest' as const,
        created_at: now,
      })),
    ]);
    const items = await writeProposedAgenda(trx, meetingId, agenda, now);
    await auditMeeting(
      trx,
      actor,
      reviewId,
      meetingId,
      {
        action: 'created',
        after: {
          forum: command.forum,
          title: command.title,
          starts_at: command.startsAt,
          place: command.place,
          members: members.map((m) => m.name),
          guests: command.guests.map((g) => g.name),
          agenda_items: items,
        },
      },
      ctx.now(),
    );
    return meetingId;
  });
}

/** The coordinator sets how many members must be present for the review's meetings to be quorate. */
export async function setQuorum(ctx: AppContext, actor: Actor, reviewId: number, command: QuorumCommand) {
  const review = await getReview(ctx, actor, reviewId);
  requireCoordinator(actor, reviewId);
  const time = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    await setMeetingQuorum(trx, reviewId, command.quorum, time.toISOString());
    await recordAudit(
      trx,
      {
        ...auditOf(actor, reviewId),
        entityType: 'review',
        entityId: reviewId,
        action: 'updated',
        before: { meeting_quorum: review.meeting_quorum },
        after: { meeting_quorum: command.quorum },
      },
      time,
    );
  });
}

/** The chair records who came: present, apologies or absent, per person invited. */
export async function recordAttendance(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  meetingId: number,
  command: AttendanceCommand,
): Promise<void> {
  await getMeetingAccess(ctx, actor, reviewId, meetingId);
  requireChair(actor, reviewId);
  const time = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    const meeting = await lockOpenMeeting(trx, reviewId, meetingId);
    const before = await listAttendees(trx, meetingId);
    const changed = command.filter((c) => before.find((a) => a.id === c.attendeeId)?.attendance !== c.attendance);
    for (const mark of changed) await updateAttendance(trx, meetingId, mark.attendeeId, mark.attendance);
    if (!changed.length) return;
    await markMinutesDraft(trx, meeting, time.toISOString());
    const name = (id: number) => before.find((a) => a.id === id)?.name ?? String(id);
    await auditMeeting(
      trx,
      actor,
      reviewId,
      meetingId,
      {
        action: 'attendance',
        before: Object.fromEntries(
          changed.map((c) => [name(c.attendeeId), before.find((a) => a.id === c.attendeeId)?.attendance]),
        ),
        after: Object.fromEntries(changed.map((c) => [name(c.attendeeId), c.attendance])),
      },
      time,
    );
  });
}

/** Adds a guest to a meeting (the coordinator before it, or the chair on the day). */
export async function addGuest(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  meetingId: number,
  command: GuestCommand,
): Promise<void> {
  await getMeetingAccess(ctx, actor, reviewId, meetingId);
  requireChair(actor, reviewId);
  const time = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    await lockOpenMeeting(trx, reviewId, meetingId, 'name');
    await insertAttendees(trx, [
      {
        meeting_id: meetingId,
        user_id: null,
        name: command.name,
        email: command.email,
        organisation_name: command.organisation,
        role: 'guest',
        created_at: time.toISOString(),
      },
    ]);
    await auditMeeting(
      trx,
      actor,
      reviewId,
      meetingId,
      {
        action: 'guest_added',
        after: { name: command.name, organisation: command.organisation, email: command.email },
      },
      time,
    );
  });
}

/**
 * Emails everyone invited who has an email address a short message with a link to the meeting's
 * page, and records when the agenda was sent. Returns how many were sent.
 */
export async function sendAgenda(ctx: AppContext, actor: Actor, reviewId: number, meetingId: number) {
  const { review, meeting } = await getMeetingAccess(ctx, actor, reviewId, meetingId);
  requireCoordinator(actor, reviewId);
  refuseIfFrozen(meeting);
  const attendees = (await listAttendees(ctx.db, meetingId)).filter((a) => a.email);
  if (!attendees.length) {
    throw FormInvalid.of('form', 'Nobody invited has an email address. Invite members or add guests with one first.');
  }
  const link = `${publicBase(ctx.config)}/reviews/${reviewId}/meetings/${meetingId}`;
  const mailer = createMailer({
    smtpUrl: ctx.config.smtpUrl,
    from: ctx.config.mailFrom,
    outboxDir: `${ctx.config.dataDir}/outbox`,
    now: ctx.now,
  });
  const name = meetingName(meeting);
  try {
    for (const a of attendees) {
      await mailer.send({
        to: a.email ?? '',
        subject: `${review.area}: agenda for the ${name}`,
        text: [
          `Dear ${a.name},`,
          '',
          `The agenda for the ${FORUM_NAMES[meeting.forum].toLowerCase()} on ${meetingWhen(meeting.starts_at)}` +
            ' is ready.',
          `Place: ${meeting.place}`,
          '',
          `The meeting's page, with the agenda pack in Word and PDF: ${link}`,
          '',
          'Clasp',
        ].join('\n'),
      });
    }
  } finally {
    mailer.close();
  }
  const time = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    await updateMeeting(trx, meetingId, { agenda_sent_at: time.toISOString(), updated_at: time.toISOString() });
    await auditMeeting(
      trx,
      actor,
      reviewId,
      meetingId,
      { action: 'agenda_sent', after: { to: attendees.map((a) => a.email) } },
      time,
    );
  });
  return attendees.length;
}

/** Everything the meeting's page shows: agenda, attendance, quorum, the minutes so far. */
export async function getMeetingPage(ctx: AppContext, actor: Actor, reviewId: number, meetingId: number) {
  const access = await getMeetingAccess(ctx, actor, reviewId, meetingId);
  const { review, meeting } = access;
  const [attendees, items, minutes] = await Promise.all([
    listAttendees(ctx.db, meetingId),
    listItems(ctx.db, meetingId),
    buildMinutes(ctx, review, meeting),
  ]);
  const numbered = numberedItems(items);
  const evidence = await listEvidenceByIds(
    ctx.db,
    reviewId,
    numbered.flatMap((i) => (i.evidence_item_id === null ? [] : [i.evidence_item_id])),
  );
  return {
    ...access,
    attendees,
    items: numbered.map((i) => ({
      ...i,
      decisions: decisionsFor(i),
      evidenceVersion: evidence.find((e) => e.id === i.evidence_item_id)?.version ?? null,
    })),
    removed: items.filter((i) => i.removed_at !== null),
    quorum: quorumOfAttendees(review, attendees),
    minutes,
    ratings: ratingsOf(review.rating_scale),
    frozen: meeting.minutes_status === 'approved',
  };
}

export type MeetingPage = Awaited<ReturnType<typeof getMeetingPage>>;

export interface MeetingFile {
  fileName: string;
  mediaType: string;
  content: Buffer;
}

const MEDIA = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
} as const;

/** The agenda pack or the minutes as Word or PDF; approved minutes come from their snapshot. */
export async function meetingDocument(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  meetingId: number,
  which: 'agenda' | 'minutes',
  format: 'docx' | 'pdf',
): Promise<MeetingFile> {
  const { review, meeting } = await getMeetingAccess(ctx, actor, reviewId, meetingId);
  const content =
    which === 'agenda'
      ? await agendaPackDocument(await buildAgendaPack(ctx, review, meeting), format)
      : await minutesDocument(await buildMinutes(ctx, review, meeting), format);
  const day = meeting.starts_at.slice(0, 10);
  const name = `${review.area} ${FORUM_NAMES[meeting.forum]} ${day} ${which === 'agenda' ? 'agenda pack' : 'minutes'}`;
  return { fileName: `${name}.${format}`, mediaType: MEDIA[format], content };
}
