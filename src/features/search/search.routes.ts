import { z } from 'zod';
import type { ClaspApp } from '../../platform/http/typed-app.ts';
import { requireActor } from '../../platform/auth/plugin.ts';
import { id } from '../../platform/route-params.ts';
import { linkNextPage, pageOfList, pageQuery } from '../../platform/http/api-conventions.ts';
import type { AppContext } from '../context.ts';
import { search, type SearchResult } from './search.service.ts';

/* Search: GET /search?q=…[&review=ID] and its JSON twin, GET /api/search. */

const searchQuery = z.object({
  q: z
    .string()
    .optional()
    .transform((q) => (q ?? '').slice(0, 200)),
  review: id.nullable().optional().catch(null),
});

const searchApiQuery = searchQuery.extend(pageQuery);

const hit = z.object({
  kind: z.enum(['recommendation', 'action', 'progress', 'evidence']),
  reviewId: z.number().int(),
  review: z.string(),
  title: z.string(),
  text: z.string(),
  href: z.string(),
});

const searchAnswer = z.object({
  query: z.string(),
  words: z.array(z.string()).describe('The words looked for: at most eight, of two characters or more'),
  reviewId: z.number().int().nullable().describe('The review searched, or null for every review you may read'),
  reviewArea: z.string().nullable(),
  hits: z.array(hit),
});

const KIND_HEADINGS = {
  recommendation: 'Recommendations',
  action: 'Actions',
  progress: 'Progress updates',
  evidence: 'Evidence',
} as const;

function presentSearch(result: SearchResult) {
  const reviewArea = result.reviewArea;
  const groups = (Object.keys(KIND_HEADINGS) as (keyof typeof KIND_HEADINGS)[])
    .map((kind) => ({
      kind,
      heading: KIND_HEADINGS[kind],
      hits: result.hits.filter((h) => h.kind === kind),
    }))
    .filter((g) => g.hits.length > 0);
  const where = reviewArea ? ` in ${reviewArea}` : '';
  return {
    pageTitle: result.query ? `Search${where}: ${result.query}` : `Search${where}`,
    navCurrent: 'search',
    query: result.query,
    reviewId: result.reviewId,
    reviewArea,
    searched: result.words.length > 0,
    tooShort: result.query !== '' && result.words.length === 0,
    count: result.hits.length,
    groups,
    severalReviews: new Set(result.hits.map((h) => h.reviewId)).size > 1,
  };
}

export function searchRoutes(app: ClaspApp, ctx: AppContext): void {
  app.get(
    '/search',
    { schema: { querystring: searchQuery }, config: { access: 'signed in' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const result = await search(ctx, actor, request.query.q, request.query.review ?? null);
      return reply.page('search/views/search.njk', presentSearch(result));
    },
  );

  app.get(
    '/api/search',
    {
      schema: {
        summary: 'Search the reviews you can read',
        description:
          'Hits a page at a time, recommendations first, then actions, progress and evidence: follow the ' +
          'Link rel="next" header until there is none.',
        querystring: searchApiQuery,
        response: { 200: searchAnswer },
      },
      config: { access: 'signed in' },
    },
    async (request, reply) => {
      const result = await search(ctx, requireActor(request), request.query.q, request.query.review ?? null);
      const page = pageOfList(result.hits, (hit) => hit.key, request.query);
      linkNextPage(request, reply, page.next);
      return { ...result, hits: page.items };
    },
  );
}
