import { z } from 'zod';
import { REMINDER_REASONS } from '../../domain/reminders.ts';
import type { ReviewReminderView } from './reminders.service.ts';

/* What the reminders API reads and answers, and the presenter that gives exactly that. */

const preference = z
  .enum(['immediately', 'weekly', 'off'])
  .describe('immediately: each reminder as it happens; weekly: one digest on Mondays; off: none');

/** GET and PUT /api/account/reminders */
export const reminderPreferenceAnswer = z.object({ reminders: preference });

/** PUT /api/account/reminders: the account page's form. */
export const reminderPreferenceBody = z
  .object({ reminders: preference })
  .describe('How you want email reminders about the reviews you belong to.');

/** GET /api/reviews/:reviewId/reminders: as the coordinators' page lists them, newest first. */
export const reviewRemindersAnswer = z.object({
  illustrative: z
    .boolean()
    .describe('True for the demo: its reminders are recorded as the cycle would send them, and never mailed'),
  reminders: z.array(
    z.object({
      id: z.number(),
      recipient: z.string(),
      email: z.string(),
      reason: z.enum(REMINDER_REASONS),
      reasonText: z.string().describe('The reason in words, as the page shows it'),
      item: z.string().describe('What it is about'),
      path: z.string().describe('The page of what it is about, within Clasp'),
      status: z.enum(['pending', 'sent', 'failed']),
      statusText: z.string().describe('The status in words, as the page shows it (digests, retries)'),
      at: z.string().describe('When it was sent, or recorded if not sent yet (an ISO instant)'),
      error: z.string().nullable().describe('Why the last try to send it failed'),
      illustrative: z.boolean(),
    }),
  ),
});

export function reviewRemindersOf(view: ReviewReminderView): z.output<typeof reviewRemindersAnswer> {
  return {
    illustrative: view.illustrative !== null,
    reminders: view.rows.map((r) => ({
      id: r.id,
      recipient: r.recipient,
      email: r.email,
      reason: r.reasonCode,
      reasonText: r.reason,
      item: r.item,
      path: r.path,
      status: r.state,
      statusText: r.status,
      at: r.at,
      error: r.error,
      illustrative: r.illustrative,
    })),
  };
}
