import type { FastifyInstance } from 'fastify';
import { reviewIdParams } from '../reviews/reviews.routes.ts';
import type { ReviewsContext } from '../reviews/reviews.service.ts';
import { getFinding, getFindingsList } from './findings.service.ts';

const findingParams = {
  type: 'object',
  required: ['reviewId', 'number'],
  properties: {
    reviewId: { type: 'integer', minimum: 1, maximum: 2147483647 },
    number: { type: 'string', pattern: '^[0-9]{1,3}(\\.[0-9]{1,3}){0,3}\\.?$' },
  },
} as const;

const KIND_TEXT = { concern: 'Concern', good_practice: 'Good practice' } as const;

export async function findingsRoutes(app: FastifyInstance, ctx: ReviewsContext): Promise<void> {
  app.get<{ Params: { reviewId: number } }>('/reviews/:reviewId/findings', { schema: { params: reviewIdParams } }, async (request, reply) => {
    const { review, findings } = await getFindingsList(ctx, request.params.reviewId);
    const base = `/reviews/${review.id}`;
    const sections: { name: string; findings: object[] }[] = [];
    for (const f of findings) {
      let section = sections.at(-1);
      if (!section || section.name !== f.section) {
        section = { name: f.section, findings: [] };
        sections.push(section);
      }
      section.findings.push({
        number: f.number,
        href: `${base}/findings/${encodeURIComponent(f.number)}`,
        text: f.text,
        kind: KIND_TEXT[f.kind],
        publicHealth: f.public_health === 1,
        recommendations: f.recommendations.map((n) => ({ number: n, href: `${base}/recommendations/${encodeURIComponent(n)}` })),
      });
    }
    return reply.page('findings/views/list.njk', {
      pageTitle: `Findings – ${review.area}`,
      area: review.area,
      count: findings.length,
      sections,
      breadcrumbs: [
        { text: 'Reviews', href: '/reviews' },
        { text: review.area, href: base },
      ],
    });
  });

  app.get<{ Params: { reviewId: number; number: string } }>(
    '/reviews/:reviewId/findings/:number',
    { schema: { params: findingParams } },
    async (request, reply) => {
      const { review, finding, recommendations } = await getFinding(ctx, request.params.reviewId, request.params.number.replace(/\.$/, ''));
      const base = `/reviews/${review.id}`;
      return reply.page('findings/views/finding.njk', {
        pageTitle: `Finding ${finding.number} – ${review.area}`,
        number: finding.number,
        section: finding.section,
        text: finding.text,
        kind: KIND_TEXT[finding.kind],
        publicHealth: finding.public_health === 1,
        recommendations: recommendations.map((r) => ({ number: r.number, text: r.text, href: `${base}/recommendations/${encodeURIComponent(r.number)}` })),
        breadcrumbs: [
          { text: 'Reviews', href: '/reviews' },
          { text: review.area, href: base },
          { text: 'Findings', href: `${base}/findings` },
        ],
      });
    },
  );

  app.get<{ Params: { reviewId: number } }>('/api/reviews/:reviewId/findings', { schema: { params: reviewIdParams } }, async (request) => {
    const { findings } = await getFindingsList(ctx, request.params.reviewId);
    return { findings };
  });
}
