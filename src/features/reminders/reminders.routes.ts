import type { ClaspApp } from '../../platform/http/typed-app.ts';
import { requireActor } from '../../platform/auth/plugin.ts';
import { reviewIdParams } from '../../platform/route-params.ts';
import type { AppContext } from '../context.ts';
import { getReviewReminders } from './reminders.service.ts';

/* /reviews/:reviewId/reminders: the email reminders sent, or waiting to be, about a review. */

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
}
