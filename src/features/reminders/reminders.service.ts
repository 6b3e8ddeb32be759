import { ForbiddenError } from '../../platform/auth/plugin.ts';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import type { Insertable } from 'kysely';
import type { ReminderTable } from '../../platform/db/schema.ts';
import { createMailer, POOLED_CONNECTIONS, type Mailer } from '../../platform/mail.ts';
import { recordAudit } from '../../platform/audit.ts';
import { canCoordinate, type Actor } from '../../domain/permissions.ts';
import { planDueDate } from '../../domain/working-days.ts';
import { addDays, formatLongDate } from '../../domain/dates.ts';
import {
  isoWeek,
  nextMonday,
  remindersDue,
  RECENT_DECISION_DAYS,
  REMINDER_REASON_NAMES,
  type Reminder,
  type ReminderAssignment,
  type ReminderPreference,
  type ReminderQuestion,
  type ReminderReason,
  type ReminderRequest,
} from '../../domain/reminders.ts';
import { publicBase } from '../accounts/accounts.service.ts';
import { loadWaitingOn } from '../my-work/my-work.service.ts';
import { getReview } from '../reviews/reviews.service.ts';
import type { AppContext } from '../context.ts';
import type { Db } from '../../platform/db/database.ts';
import {
  claim,
  digestItems,
  findDueToSend,
  findReminderReview,
  findPreference,
  listLiveReviews,
  listReviewReminders,
  loadReminderActions,
  loadReminderPeople,
  listRecommendationNumbers,
  markFailed,
  markSent,
  recordedKeys,
  recordReminders,
  savePreference,
  type ReminderRow,
} from './reminders.repository.ts';

/*
 * The reminder cycle: find what is due in every live review, record each reminder by its
 * key before anything is sent, then send what is due (single reminders now, weekly digests
 * on Mondays), retrying failures with backoff. See docs/reminders.md.
 */

export type RemindersContext = Pick<AppContext, 'db' | 'now' | 'today' | 'staleDays' | 'config'> & {
  /** The mail layer; by default the configured one (SMTP or the outbox folder). */
  mailer?: Mailer;
};

/** A sender holds a message this long; if it dies mid-send, another may try after that. */
export const CLAIM_MINUTES = 10;
/** A failed send is retried after 5, 10, 20… minutes, at most a day apart, and given up after this many tries. */
export const MAX_ATTEMPTS = 8;

export function retryDelayMinutes(attempts: number): number {
  return Math.min(5 * 2 ** Math.max(0, attempts - 1), 24 * 60);
}

export interface ReminderRun {
  /** Reminders due today, recorded or not. */
  due: number;
  /** Reminders recorded by this run (none on a dry run). */
  recorded: number;
  sent: number;
  failed: number;
  /** One line per reminder a dry run would record, or per message a run sent or failed to send. */
  lines: string[];
}

function itemPath(reviewId: number, reminder: Pick<Reminder, 'subject' | 'reason'>): string {
  const subject = reminder.subject;
  switch (subject.type) {
    case 'action':
      // A decision on a revised due date opens the action at its due date and their history.
      return reminder.reason === 'revised_date_agreed' || reminder.reason === 'revised_date_refused'
        ? `/reviews/${reviewId}/actions/${subject.id}#due-date`
        : `/reviews/${reviewId}/actions/${subject.id}`;
    case 'evidence':
      return `/reviews/${reviewId}/actions/${subject.actionId}#evidence-${subject.id}`;
    case 'review':
      return `/reviews/${reviewId}`;
    case 'question':
      return `/reviews/${reviewId}/questions/${subject.id}`;
  }
}

interface ReminderQueues {
  requests: ReminderRequest[];
  questions: ReminderQuestion[];
  assignments: ReminderAssignment[];
}

/**
 * What meetings, questions and assignments wait on, by review, read as My work reads it: open
 * requests for more evidence, questions without a published response, and actions given to an
 * organisation that has not answered.
 */
async function loadReminderQueues(db: Db, reviewIds: number[]): Promise<Map<number, ReminderQueues>> {
  const byReview = new Map<number, ReminderQueues>();
  if (reviewIds.length === 0) return byReview;
  const [waiting, numbers] = await Promise.all([
    loadWaitingOn(db, reviewIds),
    listRecommendationNumbers(db, reviewIds),
  ]);
  const queuesOf = (reviewId: number) => {
    let q = byReview.get(reviewId);
    if (!q) {
      q = { requests: [], questions: [], assignments: [] };
      byReview.set(reviewId, q);
    }
    return q;
  };
  for (const r of waiting.requests) {
    queuesOf(r.review_id).requests.push({
      id: r.id,
      actionId: r.action_id,
      text: r.text,
      ownerUserId: r.owner_user_id,
      dueOn: r.due_on,
      madeAt: r.created_at,
      forum: r.forum,
      meetingOn: r.starts_at.slice(0, 10),
    });
  }
  const numberOf = new Map(numbers.map((r) => [r.id, r.number]));
  for (const q of waiting.questions) {
    const recommendation = q.recommendation_id === null ? undefined : numberOf.get(q.recommendation_id);
    queuesOf(q.review_id).questions.push({
      id: q.id,
      actionId: q.action_id,
      about: recommendation !== undefined ? `Recommendation ${recommendation}` : 'The review',
      text: q.text,
      askedBy: q.asked_by,
      forum: q.forum,
      askedOn: q.asked_on,
      organisationId: q.organisation_id,
      responseStatus: q.response_status === 'draft' ? 'draft' : 'none',
    });
  }
  // Any answer, accepted or disputed, means the organisation has answered: a dispute is the coordinator's.
  for (const a of waiting.assignments) {
    if (a.latest !== null) continue;
    queuesOf(a.reviewId).assignments.push({
      actionId: a.actionId,
      organisationId: a.organisationId,
      organisationName: a.organisationName,
      assignedOn: a.assignedAt.slice(0, 10),
    });
  }
  return byReview;
}

/** Every reminder due today across the live reviews. */
export async function findDueReminders(ctx: RemindersContext): Promise<Reminder[]> {
  return remindersOf(ctx.db, await listLiveReviews(ctx.db), ctx.today(), ctx.staleDays);
}

async function remindersOf(
  db: Db,
  reviews: Awaited<ReturnType<typeof listLiveReviews>>,
  today: string,
  staleDays: number,
): Promise<Reminder[]> {
  const ids = reviews.map((r) => r.id);
  // Decisions older than the window send nothing; a day more covers any time zone.
  const decisionsSince = `${addDays(today, -RECENT_DECISION_DAYS - 1)}T00:00:00.000Z`;
  const [actions, people, queues] = await Promise.all([
    loadReminderActions(db, ids, decisionsSince),
    loadReminderPeople(db, ids),
    loadReminderQueues(db, ids),
  ]);
  return reviews.flatMap((review) => {
    const received = review.report_received ?? review.report_published;
    const waiting = queues.get(review.id);
    return remindersDue(
      {
        reviewId: review.id,
        area: review.area,
        scale: review.rating_scale,
        staleDays: review.stale_days ?? staleDays,
        planDue: received ? planDueDate(received) : null,
        planIssued: review.plan_issued,
        actions: actions.get(review.id) ?? [],
        requests: waiting?.requests ?? [],
        questions: waiting?.questions ?? [],
        assignments: waiting?.assignments ?? [],
        questionDays: review.question_days,
        assignmentDays: review.assignment_days,
      },
      people.get(review.id) ?? [],
      { today },
    );
  });
}

/*
 * The demo is assessed as at a past day, so the cycle never reminds anyone about it. To show what a
 * sent reminder looks like, the demo loader records the reminders these same rules find due on that
 * day, as the cycle would have sent them at 8 in the morning, marked illustrative. No mail is sent:
 * the demo's addresses (.invalid) cannot receive any, and the links name no real server.
 */

/** Where the demo's illustrative reminders point: a host that can never exist (RFC 2606). */
const ILLUSTRATIVE_BASE = 'https://demo.clasp.invalid';

/** Records the reminders due in one review on one day as sent that morning, illustrative. Returns how many. */
export async function recordIllustrativeReminders(
  db: Db,
  reviewId: number,
  day: string,
  staleDays: number,
): Promise<number> {
  const review = await findReminderReview(db, reviewId);
  if (!review) return 0;
  const at = `${day}T08:00:00.000Z`;
  const reminders = await remindersOf(db, [review], day, staleDays);
  return recordReminders(
    db,
    reminders.map((r) => ({
      key: `illustrative:${r.key}`,
      user_id: r.userId,
      review_id: r.reviewId,
      reason: r.reason,
      subject_type: r.subject.type,
      subject_id: r.subject.id,
      subject_label: r.subject.label,
      period: r.period,
      summary: r.summary,
      link: `${ILLUSTRATIVE_BASE}${itemPath(r.reviewId, r)}`,
      digest_key: null,
      status: 'sent',
      attempts: 1,
      next_attempt_at: null,
      created_at: at,
      sent_at: at,
      is_illustrative: 1,
    })),
  );
}

function rowsFor(ctx: RemindersContext, reminders: Reminder[]): Insertable<ReminderTable>[] {
  const now = ctx.now().toISOString();
  const base = publicBase(ctx.config);
  const monday = nextMonday(ctx.today());
  const rows: Insertable<ReminderTable>[] = [];
  const digests = new Map<string, Insertable<ReminderTable>>();
  // Someone who gets reminders as they happen, and has several found in this run, gets them in
  // one email: a first run over a whole plan would otherwise send them dozens at once.
  const keysFound = new Map<number, string[]>();
  for (const r of reminders) {
    if (r.preference === 'weekly') continue;
    const keys = keysFound.get(r.userId);
    if (keys) keys.push(r.key);
    else keysFound.set(r.userId, [r.key]);
  }
  const foundNow = new Map([...keysFound].map(([userId, keys]) => [userId, keys.length]));
  // The email of several is named by what it carries, not by when it was found: two instances
  // running at the same moment find the same reminders, so they make the same key and only one
  // of them records it (a key from the time would leave the other's recorded with nothing in it).
  const runKey = new Map(
    [...keysFound].map(([userId, keys]) => [
      userId,
      `run:${userId}:${createHash('sha256').update(keys.sort().join('\n')).digest('hex').slice(0, 24)}`,
    ]),
  );
  for (const r of reminders) {
    const together = r.preference !== 'weekly' && (foundNow.get(r.userId) ?? 0) > 1;
    const digestKey =
      r.preference === 'weekly'
        ? `digest:${r.userId}:${isoWeek(monday)}`
        : together
          ? (runKey.get(r.userId) ?? null)
          : null;
    rows.push({
      key: r.key,
      user_id: r.userId,
      review_id: r.reviewId,
      reason: r.reason,
      subject_type: r.subject.type,
      subject_id: r.subject.id,
      subject_label: r.subject.label,
      period: r.period,
      summary: r.summary,
      link: `${base}${itemPath(r.reviewId, r)}`,
      digest_key: digestKey,
      status: 'pending',
      next_attempt_at: digestKey === null ? now : null,
      created_at: now,
    });
    if (together && digestKey !== null && !digests.has(digestKey)) {
      digests.set(digestKey, {
        key: digestKey,
        user_id: r.userId,
        review_id: null,
        reason: 'together',
        subject_type: 'digest',
        subject_id: null,
        subject_label: 'Reminders found together',
        period: now,
        summary: `${String(foundNow.get(r.userId) ?? 0)} reminders in one email`,
        link: `${base}/my-work`,
        digest_key: null,
        status: 'pending',
        next_attempt_at: now,
        created_at: now,
      });
    } else if (digestKey !== null && !digests.has(digestKey)) {
      digests.set(digestKey, {
        key: digestKey,
        user_id: r.userId,
        review_id: null,
        reason: 'digest',
        subject_type: 'digest',
        subject_id: null,
        subject_label: 'Weekly digest',
        period: isoWeek(monday),
        summary: `Reminders for the week to ${monday}`,
        link: `${base}/`,
        digest_key: null,
        status: 'pending',
        // Sent on the Monday: the week's items are in it by then.
        next_attempt_at: `${monday}T00:00:00.000Z`,
        created_at: now,
      });
    }
  }
  // Digests first: an item never waits for a digest row that is not there yet.
  return [...digests.values(), ...rows];
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const SIGN_OFF = (base: string) => [
  'You can choose to get reminders as they happen, in one email a week, or not at all, on your account page:',
  `${base}/account`,
];

function htmlOf(paragraphs: (string | { text: string; href: string })[][]): string {
  const body = paragraphs
    .map(
      (lines) =>
        `<p>${lines
          .map((l) =>
            typeof l === 'string' ? escapeHtml(l) : `<a href="${escapeHtml(l.href)}">${escapeHtml(l.text)}</a>`,
          )
          .join('<br>')}</p>`,
    )
    .join('\n');
  const style = 'font-family: Arial, sans-serif; font-size: 16px; color: #212b32';
  return `<!DOCTYPE html><html lang="en"><body style="${style}">\n${body}\n</body></html>`;
}

async function compose(ctx: RemindersContext, row: ReminderRow) {
  const base = publicBase(ctx.config);
  if (row.reason === 'digest' || row.reason === 'together') {
    const items = await digestItems(ctx.db, row.key);
    if (items.length === 0) return null;
    const weekly = row.reason === 'digest';
    const heading = weekly
      ? `Your Clasp reminders for this week (${items.length}):`
      : `You have ${items.length} Clasp reminders:`;
    const text = [
      `Dear ${row.name},`,
      '',
      heading,
      '',
      ...items.flatMap((i) => [`- ${i.summary}`, `  ${i.link}`]),
      '',
      ...SIGN_OFF(base),
    ].join('\n');
    const html = htmlOf([
      [`Dear ${row.name},`],
      [heading],
      ...items.map((i) => [i.summary, { text: 'Open it in Clasp', href: i.link }]),
      [SIGN_OFF(base)[0] ?? '', { text: 'Your account', href: `${base}/account` }],
    ]);
    const subject = weekly
      ? `Your Clasp reminders: ${items.length} this week`
      : `Your Clasp reminders: ${items.length}`;
    return { to: row.email, subject, text, html };
  }
  const name = REMINDER_REASON_NAMES[row.reason as ReminderReason];
  const text = [`Dear ${row.name},`, '', row.summary, '', 'Open it in Clasp:', row.link, '', ...SIGN_OFF(base)].join(
    '\n',
  );
  const html = htmlOf([
    [`Dear ${row.name},`],
    [row.summary],
    [{ text: 'Open it in Clasp', href: row.link }],
    [SIGN_OFF(base)[0] ?? '', { text: 'Your account', href: `${base}/account` }],
  ]);
  return { to: row.email, subject: `${name}: ${row.subject_label}`, text, html };
}

/** The mailer for a run, and whether the run made it (and so closes it). */
function mailerOf(ctx: RemindersContext): { mailer: Mailer; own: boolean } {
  if (ctx.mailer) return { mailer: ctx.mailer, own: false };
  const mailer = createMailer({
    smtpUrl: ctx.config.smtpUrl,
    from: ctx.config.mailFrom,
    outboxDir: path.join(ctx.config.dataDir, 'outbox'),
    now: ctx.now,
    pooled: true,
  });
  return { mailer, own: true };
}

/** Messages sent at once: one per pooled connection. */
const SENDERS = POOLED_CONNECTIONS;

function minutesAfter(now: Date, minutes: number): string {
  return new Date(now.getTime() + minutes * 60_000).toISOString();
}

/** Sends every message whose time has come and that no other sender holds. */
async function sendDue(ctx: RemindersContext, run: ReminderRun): Promise<void> {
  const { mailer, own } = mailerOf(ctx);
  const due = await findDueToSend(ctx.db, ctx.now().toISOString());
  // A few senders share the list, each message claimed before it is sent, so a slow server
  // costs the run its round trips a few at a time rather than one after another.
  let next = 0;
  const sender = async () => {
    for (let row = due[next++]; row !== undefined; row = due[next++]) await sendOne(ctx, mailer, row, run);
  };
  try {
    await Promise.all(Array.from({ length: SENDERS }, sender));
  } finally {
    if (own) mailer.close();
  }
}

async function sendOne(ctx: RemindersContext, mailer: Mailer, row: ReminderRow, run: ReminderRun): Promise<void> {
  const now = ctx.now();
  if (!(await claim(ctx.db, row, minutesAfter(now, CLAIM_MINUTES)))) return;
  const attempts = row.attempts + 1;
  try {
    const message = await compose(ctx, row);
    if (message !== null) await mailer.send(message);
    await markSent(ctx.db, row.key, ctx.now().toISOString());
    run.sent += 1;
    run.lines.push(
      row.reason === 'digest' ? `Sent the weekly digest to ${row.email}.` : `Sent to ${row.email}: ${row.summary}`,
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const retryAt = attempts >= MAX_ATTEMPTS ? null : minutesAfter(ctx.now(), retryDelayMinutes(attempts));
    await markFailed(ctx.db, row.id, reason.slice(0, 500), retryAt);
    run.failed += 1;
    run.lines.push(
      `Could not send to ${row.email} (try ${attempts}): ${reason}` +
        (retryAt === null ? ' — given up.' : ` — will try again after ${retryAt}.`),
    );
  }
}

/**
 * One run of the cycle. With dryRun, says what would be recorded and sent and changes nothing.
 * Safe to run twice, or in two instances at once: a reminder's key is recorded once, and a
 * message is sent only by the sender that claimed it.
 */
export async function runReminders(ctx: RemindersContext, options: { dryRun: boolean }): Promise<ReminderRun> {
  const reminders = await findDueReminders(ctx);
  const run: ReminderRun = { due: reminders.length, recorded: 0, sent: 0, failed: 0, lines: [] };
  if (options.dryRun) {
    const known = await recordedKeys(
      ctx.db,
      reminders.map((r) => r.key),
    );
    for (const r of reminders) {
      if (known.has(r.key)) continue;
      const how = r.preference === 'weekly' ? `in the digest of ${nextMonday(ctx.today())}` : 'now';
      run.lines.push(`Would send to ${r.email} ${how}: ${r.summary}`);
    }
    return run;
  }
  // Only what is new is grouped: a reminder recorded by an earlier run (or another instance) stays as it was.
  const known = await recordedKeys(
    ctx.db,
    reminders.map((r) => r.key),
  );
  run.recorded = await recordReminders(
    ctx.db,
    rowsFor(
      ctx,
      reminders.filter((r) => !known.has(r.key)),
    ),
  );
  await sendDue(ctx, run);
  return run;
}

/* The coordinators' page: what was sent for their review. */

export interface ReviewReminderView {
  reviewId: number;
  area: string;
  /** For the demo: its notice, and the day its illustrative reminders are recorded as sent. */
  illustrative: { notice: string; asOf: string } | null;
  rows: {
    id: number;
    recipient: string;
    email: string;
    /** The reason as the API names it, e.g. action_overdue. */
    reasonCode: ReminderReason;
    reason: string;
    item: string;
    /** The item's page, within Clasp. */
    path: string;
    status: string;
    /** The status as the API names it. */
    state: 'pending' | 'sent' | 'failed';
    when: string;
    /** When it was sent, or recorded if not sent yet: an ISO instant. */
    at: string;
    error: string | null;
    /** Recorded by the demo, never mailed. */
    illustrative: boolean;
  }[];
}

/** The most recent this many are shown. */
const SHOWN = 500;

const englandTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

function pathOf(link: string): string {
  const url = new URL(link);
  return `${url.pathname}${url.hash}`;
}

/** '9 December 2026, 08:00', in England. */
function whenInEngland(at: string): string {
  return englandTime.format(new Date(at)).replace(' at ', ', ');
}

export async function getReviewReminders(
  ctx: RemindersContext,
  actor: Actor,
  reviewId: number,
): Promise<ReviewReminderView> {
  const review = await getReview(ctx, actor, reviewId);
  // Members who do not coordinate it are told they cannot, as on the review's other coordinator pages.
  if (!canCoordinate(actor, reviewId)) throw new ForbiddenError('Only the plan’s coordinators can see its reminders.');
  const rows = await listReviewReminders(ctx.db, reviewId, SHOWN);
  return {
    reviewId,
    area: review.area,
    illustrative:
      review.is_demo === 1 && review.illustrative_notice !== null
        ? { notice: review.illustrative_notice, asOf: formatLongDate(review.assessed_as_of ?? review.created_at) }
        : null,
    rows: rows.map((r) => ({
      id: r.id,
      recipient: r.name,
      email: r.email,
      reasonCode: r.reason as ReminderReason,
      reason: REMINDER_REASON_NAMES[r.reason as ReminderReason],
      item: r.subject_label,
      path: pathOf(r.link),
      status:
        r.status === 'sent'
          ? r.digest_key === null
            ? 'Sent'
            : r.digest_reason === 'together'
              ? 'Sent, with others found at the same time'
              : 'Sent in weekly digest'
          : r.status === 'failed'
            ? r.next_attempt_at === null
              ? `Failed after ${r.attempts} tries`
              : `Failed, will try again`
            : r.digest_key === null || r.digest_reason === 'together'
              ? 'Waiting to be sent'
              : r.digest_due === null
                ? 'Waiting for weekly digest'
                : `Waiting for weekly digest (sent ${formatLongDate(r.digest_due.slice(0, 10))})`,
      state: r.status,
      when: whenInEngland(r.sent_at ?? r.created_at),
      at: r.sent_at ?? r.created_at,
      error: r.last_error,
      illustrative: r.is_illustrative === 1,
    })),
  };
}

/* Each person's choice. */

/** The account page's form: how this person wants reminders. */
export const reminderForm = z.object({
  reminders: z.enum(['immediately', 'weekly', 'off'], {
    error: 'Choose how you want email reminders: as they happen, in a weekly digest, or not at all',
  }),
});

export function getReminderPreference(ctx: Pick<AppContext, 'db'>, actor: Actor): Promise<ReminderPreference> {
  return findPreference(ctx.db, actor.userId);
}

export async function setReminderPreference(
  ctx: Pick<AppContext, 'db' | 'now'>,
  actor: Actor,
  choice: ReminderPreference,
): Promise<void> {
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await findPreference(trx, actor.userId);
    await savePreference(trx, actor.userId, choice, now.toISOString());
    await recordAudit(
      trx,
      {
        actor: actor.name,
        userId: actor.userId,
        entityType: 'reminder_preference',
        entityId: actor.userId,
        action: 'update',
        before: { choice: before },
        after: { choice },
        requestId: actor.requestId ?? null,
      },
      now,
    );
  });
}
