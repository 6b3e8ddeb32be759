import { formBody, type ClaspApp } from '../../../platform/http/typed-app.ts';
import { z } from 'zod';
import { requireActor } from '../../../platform/auth/plugin.ts';
import { parseForm } from '../../../platform/form-schema.ts';
import { reviewIdParams } from '../../../platform/route-params.ts';
import { versionParams } from './version-params.ts';
import type { AppContext } from '../../context.ts';
import { issueVersionForm } from './versions.forms.ts';
import {
  issuedVersionJson,
  issueVersionBody,
  planComparisonSchema,
  versionJson,
  versionListJson,
} from './versions.schemas.ts';
import {
  compareVersions,
  getVersionSnapshot,
  issueVersion,
  listVersions,
  personActing,
  requireIssuer,
} from './versions.service.ts';

const point = z
  .string()
  .regex(/^(now|[0-9A-Za-z.]{1,20})$/)
  .optional();
const compareQuery = z.object({ from: point, to: point });

/**
 * Versions for scripts and other systems, with the same form schema, services and permissions
 * as the pages. Documents are fetched from the same addresses as in the browser
 * (/reviews/ID/documents/plan/docx?version=N) with a Bearer token. A refused version is answered
 * by the error handler: 400 {errors: [{field, message}]}, or 409 when others were issued at once.
 */
export function versionsApiRoutes(app: ClaspApp, ctx: AppContext): void {
  app.get(
    '/api/reviews/:reviewId/versions',
    {
      schema: {
        summary: 'List the issued versions of a plan',
        params: reviewIdParams,
        response: { 200: versionListJson },
      },
      config: { access: 'read' },
    },
    async (request) => {
      return { versions: await listVersions(ctx, personActing(requireActor(request)), request.params.reviewId) };
    },
  );

  app.post(
    '/api/reviews/:reviewId/versions',
    {
      schema: {
        summary: 'Issue a new version of a plan',
        params: reviewIdParams,
        body: formBody(issueVersionBody),
        response: { 201: issuedVersionJson },
      },
      config: { access: 'coordinate' },
    },
    async (request, reply) => {
      const who = personActing(requireActor(request));
      const { reviewId } = request.params;
      await requireIssuer(ctx, who, reviewId);
      const command = await parseForm(issueVersionForm, request.body);
      return reply.code(201).send({ version: await issueVersion(ctx, who, reviewId, command) });
    },
  );

  app.get(
    '/api/reviews/:reviewId/versions/:number',
    {
      schema: { summary: 'Show an issued version of a plan', params: versionParams, response: { 200: versionJson } },
      config: { access: 'read' },
    },
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
    {
      schema: {
        summary: 'Compare the plan at two points',
        description: 'Give from and to as version numbers, or now for the plan as it stands.',
        params: reviewIdParams,
        querystring: compareQuery,
        response: { 200: planComparisonSchema },
      },
      config: { access: 'read' },
    },
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
