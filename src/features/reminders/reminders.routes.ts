import { formBody, type ClaspApp } from '../../platform/http/typed-app.ts';
import { requireActor } from '../../platform/auth/plugin.ts';
import { parseForm } from '../../platform/form-schema.ts';
import { reviewIdParams } from '../../platform/route-params.ts';
import type { AppContext } from '../context.ts';
import { getReminderPreference, getReviewReminders, reminderForm, setReminderPreference } from './reminders.service.ts';
import {
  reminderPreferenceAnswer,
  reminderPreferenceBody,
  reviewRemindersAnswer,
  reviewRemindersOf,
} from './reminders.schemas.ts';

/*
 * /reviews/:reviewId/reminders: the email reminders sent, or waiting to be, about a review.
 * Its JSON twin, and the JSON twin of the account page's choice of reminders (the form itself
 * is on /account), use the same services and checks.
 */

export function remindersRoutes(app: ClaspApp, ctx: AppContext): void {
  app.get(
    '/reviews/:reviewId/reminders',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const view = await getReviewReminders(ctx, requireActor(request), request.params.reviewId);
      return reply.page('reminders/views/reminders.njk', {
        ...view,
        pageTitle: `Reminders sent – ${view.area}`,
        breadcrumbs: [
          { text: 'Reviews', href: '/reviews' },
          { text: view.area, href: `/reviews/${view.reviewId}` },
        ],
      });
    },
  );

  app.get(
    '/api/reviews/:reviewId/reminders',
    {
      schema: {
        summary: 'List the email reminders sent, or waiting to be, about a review',
        params: reviewIdParams,
        response: { 200: reviewRemindersAnswer },
      },
      config: { access: 'coordinate' },
    },
    async (request) => reviewRemindersOf(await getReviewReminders(ctx, requireActor(request), request.params.reviewId)),
  );

  app.get(
    '/api/account/reminders',
    {
      schema: { summary: 'Show how you want email reminders', response: { 200: reminderPreferenceAnswer } },
      config: { access: 'signed in' },
    },
    async (request) => ({ reminders: await getReminderPreference(ctx, requireActor(request)) }),
  );

  app.put(
    '/api/account/reminders',
    {
      schema: {
        summary: 'Choose how you want email reminders',
        body: formBody(reminderPreferenceBody),
        response: { 200: reminderPreferenceAnswer },
      },
      config: { access: 'signed in' },
    },
    async (request) => {
      const actor = requireActor(request);
      const { reminders } = await parseForm(reminderForm, request.body);
      await setReminderPreference(ctx, actor, reminders);
      return { reminders };
    },
  );
}
