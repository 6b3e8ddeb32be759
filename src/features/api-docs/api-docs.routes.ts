import { z } from 'zod';
import type { ClaspApp } from '../../platform/http/typed-app.ts';
import { presentApiReference } from './api-docs.presenter.ts';

/*
 * The JSON API's description and its reference page. The description is generated from the
 * routes' own zod schemas (src/platform/http/openapi.ts), never written by hand. Both are public:
 * they say how to ask, not what is there (no review, person or record is in them), and the same
 * words are in Clasp's published source; a client can be written before its token is made.
 */

/** The OpenAPI document as sent: checked for its outline, with everything else kept as generated. */
const openApiAnswer = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
});

export function apiDocsRoutes(app: ClaspApp): void {
  app.get(
    '/api/openapi.json',
    {
      schema: {
        summary: 'The OpenAPI 3.1 description of this API',
        tags: ['API description'],
        description: 'Generated from the schemas of the routes themselves.',
        response: { 200: openApiAnswer },
      },
      config: { access: 'public' },
    },
    (_request, reply) => {
      void reply.send(openApiAnswer.parse(app.swagger()));
    },
  );

  // A page, not JSON: at /api itself, outside the /api/ routes the description covers.
  app.get('/api', { config: { access: 'public' } }, async (_request, reply) =>
    reply.page('api-docs/views/reference.njk', presentApiReference(app.swagger())),
  );
}
