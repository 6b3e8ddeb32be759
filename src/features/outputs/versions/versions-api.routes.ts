import type { ClaspApp } from '../../../platform/http/typed-app.ts';
import { z } from 'zod';
import { requireActor } from '../../../platform/auth/plugin.ts';
import { reviewIdParams } from '../../../platform/route-params.ts';
import { versionParams } from './version-params.ts';
import type { AppContext } from '../../context.ts';
import {
  compareVersions,
  getVersionSnapshot,
  issueVersion,
  listVersions,
  personActing,
  VersionConflict,
  VersionInputInvalid,
} from './versions.service.ts';

const point = z
  .string()
  .regex(/^(now|[0-9A-Za-z.]{1,20})$/)
  .optional();
const compareQuery = z.object({ from: point, to: point });

function textOf(body: unknown, name: string): string {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : '';
}

/**
 * Versions for scripts and other systems, with the same services and permissions as the
 * pages. Documents are fetched from the same addresses as in the browser
 * (/reviews/ID/documents/plan/docx?version=N) with a Bearer token.
 */
export async function versionsApiRoutes(app: ClaspApp, ctx: AppContext): Promise<void> {
  app.get(
    '/api/reviews/:reviewId/versions',
    { schema: { params: reviewIdParams }, config: { access: 'read' } },
    async (request) => {
      return { versions: await listVersions(ctx, personActing(requireActor(request)), request.params.reviewId) };
    },
  );

  app.post(
    '/api/reviews/:reviewId/versions',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      try {
        const version = await issueVersion(ctx, personActing(requireActor(request)), request.params.reviewId, {
          purpose: textOf(request.body, 'purpose'),
          comment: textOf(request.body, 'comment'),
          recipients: textOf(request.body, 'recipients'),
        });
        return reply.code(201).send({ version });
      } catch (error) {
        if (error instanceof VersionInputInvalid) return reply.code(400).send({ errors: error.errors });
        if (error instanceof VersionConflict)
          return reply.code(409).send({ errors: [{ field: null, message: error.message }] });
        throw error;
      }
    },
  );

  app.get(
    '/api/reviews/:reviewId/versions/:number',
    { schema: { params: versionParams }, config: { access: 'read' } },
    async (request) => {
      const snapshot = await getVersionSnapshot(
        ctx,
        personActing(requireActor(request)),
        request.params.reviewId,
        request.params.number.replace(/\.$/, ''),
      );
      return { version: snapshot.version, plan: snapshot };
    },
  );

  app.get(
    '/api/reviews/:reviewId/compare',
    { schema: { params: reviewIdParams, querystring: compareQuery }, config: { access: 'read' } },
    async (request) => {
      return compareVersions(
        ctx,
        personActing(requireActor(request)),
        request.params.reviewId,
        request.query.from ?? 'now',
        request.query.to ?? 'now',
      );
    },
  );
}
