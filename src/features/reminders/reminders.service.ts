import { ForbiddenError } from '../../platform/auth/plugin.ts';
import path from 'node:path';
import { z } from 'zod';
import type { Insertable } from 'kysely';
import type { ReminderTable } from '../../platform/db/schema.ts';
import { createMailer, type Mailer } from '../../platform/mail.ts';
import { recordAudit } from '../../platform/audit.ts';
import { canCoordinate, type Actor } from '../../domain/permissions.ts';
import { planDueDate } from '../../domain/working-days.ts';
import {
  isoWeek,
  nextMonday,
  remindersDue,
  REMINDER_REASON_NAMES,
  type Reminder,
  type ReminderPreference,
  type ReminderReason,
} from '../../domain/reminders.ts';
import { publicBase } from '../accounts/accounts.service.ts';
import { getReview } from '../reviews/reviews.service.ts';
import type { AppContext } from '../context.ts';
import {
  claim,
  digestItems,
  findDueToSend,
  findPreference,
  listLiveReviews,
  listReviewReminders,
  loadReminderActions,
  loadReminderPeople,
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

function itemPath(reviewId: number, reminder: Pick<Reminder, 'subject'>): string {
  const subject = reminder.subject;
  switch (subject.type) {
    case 'action':
      return `/reviews/${reviewId}/actions/${subject.id}`;
    case 'evidence':
      return `/reviews/${reviewId}/actions/${subject.actionId}#evidence-${subject.id}`;
    case 'review':
      return `/reviews/${reviewId}`;
  }
}

/** Every reminder due today across the live reviews. */
export async function findDueReminders(ctx: RemindersContext): Promise<Reminder[]> {
  const reviews = await listLiveReviews(ctx.db);
  const ids = reviews.map((r) => r.id);
  const [actions, people] = await Promise.all([loadReminderActions(ctx.db, ids), loadReminderPeople(ctx.db, ids)]);
  const today = ctx.today();
  return reviews.flatMap((review) => {
    const received = review.report_received ?? review.report_published;
    return remindersDue(
      {
        reviewId: review.id,
        area: review.area,
        scale: review.rating_scale,
        staleDays: review.stale_days ?? ctx.staleDays,
        planDue: received ? planDueDate(received) : null,
        planIssued: review.plan_issued,
        actions: actions.get(review.id) ?? [],
      },
      people.get(review.id) ?? [],
      { today },
    );
  });
}

function rowsFor(ctx: RemindersContext, reminders: Reminder[]): Insertable<ReminderTable>[] {
  const now = ctx.now().toISOString();
  const base = publicBase(ctx.config);
  const monday = nextMonday(ctx.today());
  const rows: Insertable<ReminderTable>[] = [];
  const digests = new Map<string, Insertable<ReminderTable>>();
  for (const r of reminders) {
    const digestKey = r.preference === 'weekly' ? `digest:${r.userId}:${isoWeek(monday)}` : null;
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
    if (digestKey !== null && !digests.has(digestKey)) {
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
  if (row.reason === 'digest') {
    const items = await digestItems(ctx.db, row.key);
    if (items.length === 0) return null;
    const text = [
      `Dear ${row.name},`,
      '',
      `Your Clasp reminders for this week (${items.length}):`,
      '',
      ...items.flatMap((i) => [`- ${i.summary}`, `  ${i.link}`]),
      '',
      ...SIGN_OFF(base),
    ].join('\n');
    const html = htmlOf([
      [`Dear ${row.name},`],
      [`Your Clasp reminders for this week (${items.length}):`],
      ...items.map((i) => [i.summary, { text: 'Open it in Clasp', href: i.link }]),
      [SIGN_OFF(base)[0] ?? '', { text: 'Your account', href: `${base}/account` }],
    ]);
    return { to: row.email, subject: `Your Clasp reminders: ${items.length} this week`, text, html };
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

function mailerOf(ctx: RemindersContext): Mailer {
  return (
    ctx.mailer ??
    createMailer({
      smtpUrl: ctx.config.smtpUrl,
      from: ctx.config.mailFrom,
      outboxDir: path.join(ctx.config.dataDir, 'outbox'),
      now: ctx.now,
    })
  );
}

function minutesAfter(now: Date, minutes: number): string {
  return new Date(now.getTime() + minutes * 60_000).toISOString();
}

/** Sends every message whose time has come and that no other sender holds. */
async function sendDue(ctx: RemindersContext, run: ReminderRun): Promise<void> {
  const mailer = mailerOf(ctx);
  const due = await findDueToSend(ctx.db, ctx.now().toISOString());
  for (const row of due) {
    const now = ctx.now();
    if (!(await claim(ctx.db, row, minutesAfter(now, CLAIM_MINUTES)))) continue;
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
  run.recorded = await recordReminders(ctx.db, rowsFor(ctx, reminders));
  await sendDue(ctx, run);
  return run;
}

/* The coordinators' page: what was sent for their review. */

export interface ReviewReminderView {
  reviewId: number;
  area: string;
  rows: {
    recipient: string;
    email: string;
    reason: string;
    item: string;
    /** The item's page, within Clasp. */
    path: string;
    status: string;
    when: string;
    error: string | null;
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
    rows: rows.map((r) => ({
      recipient: r.name,
      email: r.email,
      reason: REMINDER_REASON_NAMES[r.reason as ReminderReason],
      item: r.subject_label,
      path: pathOf(r.link),
      status:
        r.status === 'sent'
          ? r.digest_key === null
            ? 'Sent'
            : 'Sent in weekly digest'
          : r.status === 'failed'
            ? r.next_attempt_at === null
              ? `Failed after ${r.attempts} tries`
              : `Failed, will try again`
            : r.digest_key === null
              ? 'Waiting to be sent'
              : 'Waiting for weekly digest',
      when: whenInEngland(r.sent_at ?? r.created_at),
      error: r.last_error,
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
