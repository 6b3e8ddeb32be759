import type { ClaspApp } from '../../platform/http/typed-app.ts';
import { requireActor } from '../../platform/auth/plugin.ts';
import type { AppContext } from '../context.ts';
import { countMyWork, getChaseList, getMyWork, myWorkKey } from './my-work.service.ts';
import { reviewIdParams } from '../../platform/route-params.ts';
import { contentDisposition } from '../../platform/http/downloads.ts';
import { csvFile } from '../../platform/csv.ts';
import { formatDate } from '../../domain/dates.ts';
import { presentMyWork } from './my-work.presenter.ts';
import { chaseListAnswer, myWorkAnswer, myWorkQuery, pageOfMyWork } from './my-work.schemas.ts';
import { DEFAULT_PAGE_SIZE, linkNextPage } from '../../platform/http/api-conventions.ts';

/* My work: where a person lands after signing in, and its JSON twin. */

export function myWorkRoutes(app: ClaspApp, ctx: AppContext): void {
  app.get('/my-work', { config: { access: 'signed in' } }, async (request, reply) => {
    const actor = requireActor(request);
    // Kept per person until one of their plans, their roles or the day changes.
    const key = await myWorkKey(ctx, actor);
    return reply.cachedPage(key, 'my-work/views/my-work.njk', async () =>
      presentMyWork(await getMyWork(ctx, actor), actor),
    );
  });

  // The coordinator's chase list: a page to read or print, and the same as CSV.
  app.get(
    '/reviews/:reviewId/chase-list',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const { review, asOf, lines } = await getChaseList(ctx, requireActor(request), request.params.reviewId);
      const organisations = [...new Set(lines.map((l) => l.organisation))].map((name) => ({
        name,
        lines: lines
          .filter((l) => l.organisation === name)
          .map((l) => ({ ...l, why: l.why === 'overdue' ? 'Overdue' : 'No recent progress' })),
      }));
      return reply.page('my-work/views/chase-list.njk', {
        pageTitle: `Chase list – ${review.area}`,
        area: review.area,
        reviewHref: `/reviews/${review.id}`,
        breadcrumbs: [
          { text: 'Reviews', href: '/reviews' },
          { text: review.area, href: `/reviews/${review.id}` },
        ],
        csvHref: `/reviews/${review.id}/chase-list/csv`,
        asOf: formatDate(asOf),
        count: lines.length,
        organisations,
      });
    },
  );

  app.get(
    '/api/reviews/:reviewId/chase-list',
    {
      schema: {
        summary:
          "The coordinator's chase list: each organisation's actions that are overdue or without recent progress",
        params: reviewIdParams,
        response: { 200: chaseListAnswer },
      },
      config: { access: 'coordinate' },
    },
    async (request) => {
      const { review, asOf, lines } = await getChaseList(ctx, requireActor(request), request.params.reviewId);
      return { review: { id: review.id, area: review.area }, asOf, lines };
    },
  );

  app.get(
    '/reviews/:reviewId/chase-list/csv',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const { review, asOf, lines } = await getChaseList(ctx, requireActor(request), request.params.reviewId);
      const file = csvFile([
        ['Organisation', 'Action', 'Why', 'Detail', 'Due date', 'Address'],
        ...lines.map((l) => [
          l.organisation,
          l.action,
          l.why === 'overdue' ? 'Overdue' : 'No recent progress',
          l.detail,
          l.dueDate ?? '',
          l.href,
        ]),
      ]);
      const name = `Chase list ${review.area} ${asOf}.csv`;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', contentDisposition(name, { inline: false }))
        .send(file);
    },
  );

  app.get(
    '/api/my-work',
    {
      schema: {
        summary: 'List the work waiting for you, by review',
        description:
          'Items a page at a time, review by review: follow the Link rel="next" header until there is none. ' +
          'A page lists only the reviews with items on it; count is every item.',
        querystring: myWorkQuery,
        response: { 200: myWorkAnswer },
      },
      config: { access: 'signed in' },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { limit, cursor } = request.query;
      const count = await countMyWork(ctx, actor);
      // Most people's work fits on one page: that answer is kept, as the page is, until their work changes.
      if (cursor === undefined && limit === undefined && count <= DEFAULT_PAGE_SIZE) {
        return reply.cachedJson(await myWorkKey(ctx, actor), async () =>
          myWorkAnswer.parse(await getMyWork(ctx, actor)),
        );
      }
      const page = pageOfMyWork(myWorkAnswer.parse(await getMyWork(ctx, actor)), request.query);
      linkNextPage(request, reply, page.next);
      return page.answer;
    },
  );
}
