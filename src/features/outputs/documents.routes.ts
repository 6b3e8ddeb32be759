import type { ClaspApp } from '../../platform/http/typed-app.ts';
import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import { requireActor } from '../../platform/auth/plugin.ts';
import { contentDisposition } from '../../platform/http/downloads.ts';
import { id } from '../../platform/route-params.ts';
import type { AppContext } from '../context.ts';
import { produceBoardReport, REPORT_FORMATS } from './board-report/board-report.service.ts';
import { exportPlan, PLAN_FORMATS, type ProducedFile } from './plan-documents/plan-documents.service.ts';
import { personActing } from './versions/versions.service.ts';
import { produceQuestionsDocument } from './meeting-documents/questions-document.ts';
import { pointOf, pointQuery } from './versions/version-params.ts';

/*
 * The plan's documents (Word, Excel, CSV) and the board report (HTML, Word, PDF), now or as
 * at an issued version. They are made on request from a snapshot; nothing about them is
 * stored but the version's snapshot.
 */

const documentParams = <F extends string>(formats: readonly [F, ...F[]]) =>
  z.object({ reviewId: id, format: z.enum(formats) });

/** Sends a produced document: the HTML report is shown in the browser, the rest are downloads. */
function sendDocument(reply: FastifyReply, file: ProducedFile): FastifyReply {
  const inline = file.mediaType.startsWith('text/html');
  reply.header('content-type', file.mediaType);
  reply.header('content-disposition', contentDisposition(file.fileName, { inline }));
  reply.header('cache-control', 'private, no-store');
  if (inline) {
    // The report is one self-contained page with no scripts: nothing may load or run, and its own styles apply.
    reply.header(
      'content-security-policy',
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; " +
        "frame-ancestors 'none'",
    );
  }
  return reply.send(file.content);
}

export function documentsRoutes(app: ClaspApp, ctx: AppContext): void {
  app.get(
    '/reviews/:reviewId/documents/plan/:format',
    { schema: { params: documentParams(PLAN_FORMATS), querystring: pointQuery }, config: { access: 'read' } },
    async (request, reply) => {
      const who = personActing(requireActor(request));
      const format = request.params.format;
      const file = await exportPlan(ctx, who, request.params.reviewId, format, pointOf(request.query.version));
      return sendDocument(reply, file);
    },
  );

  app.get(
    '/reviews/:reviewId/documents/board-report/:format',
    { schema: { params: documentParams(REPORT_FORMATS), querystring: pointQuery }, config: { access: 'read' } },
    async (request, reply) => {
      const who = personActing(requireActor(request));
      const format = request.params.format;
      const { reviewId } = request.params;
      // Read in the browser, the page carries the service's header and a way back to the review.
      const inApp = format === 'html' ? { inApp: { reviewHref: `/reviews/${reviewId}` } } : {};
      const file = await produceBoardReport(ctx, who, reviewId, format, pointOf(request.query.version), inApp);
      return sendDocument(reply, file);
    },
  );

  app.get(
    '/reviews/:reviewId/questions.docx',
    { schema: { params: z.object({ reviewId: id }) }, config: { access: 'read' } },
    async (request, reply) => {
      const who = personActing(requireActor(request));
      return sendDocument(reply, await produceQuestionsDocument(ctx, who, request.params.reviewId));
    },
  );
}
