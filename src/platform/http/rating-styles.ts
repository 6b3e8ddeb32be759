import type { FastifyInstance } from 'fastify';
import { RATING_COLOURS, type RatingOrNone } from '../../domain/ratings.ts';

/** Where pages load the rating tags' colours from. */
export const RATING_STYLES_PATH = '/static/ratings.css';

/**
 * The rating tags' colours, written from the domain's one set of rating colours so that a tag
 * on a page is the colour of the same rating in every document.
 */
export function ratingStyles(): string {
  return (Object.entries(RATING_COLOURS) as [RatingOrNone, { fill: string; text: string }][])
    .map(
      ([rating, { fill, text }]) =>
        `.clasp-rating--${rating} { background-color: ${fill}; border-color: ${fill}; color: ${text}; }`,
    )
    .join('\n')
    .concat('\n');
}

export function registerRatingStyles(app: FastifyInstance): void {
  const css = Buffer.from(ratingStyles(), 'utf8');
  app.get(RATING_STYLES_PATH, { config: { access: 'public' } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(css),
  );
}
