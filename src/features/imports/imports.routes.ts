import type { ClaspApp } from '../../platform/http/typed-app.ts';
import type { FastifyReply } from 'fastify';
import { requireActor } from '../../platform/auth/plugin.ts';
import { parseForm } from '../../platform/form-schema.ts';
import { submitForm, type RefusedForm } from '../../platform/http/form-replies.ts';
import { confirm } from '../../platform/http/confirmations.ts';
import { reviewIdParams } from '../../platform/route-params.ts';
import type { Actor } from '../../domain/permissions.ts';
import type { AppContext } from '../context.ts';
import { uploadLimitText } from '../actions/evidence/evidence.service.ts';
import { getReview } from '../reviews/reviews.service.ts';
import { personImporting } from './importer.ts';
import { virusProblem } from '../../platform/uploads/virus-scan.ts';
import { agenciesForm, columnsForm, confirmForm, missingFile, uploadForm } from './imports.forms.ts';
import {
  agencyRules,
  columnsRules,
  confirmImport,
  confirmRules,
  mapAgencies,
  revertImport,
  revertPreview,
  correctColumns,
  discardImport,
  listReviewImports,
  loadImport,
  requireReportRights,
  startPlanImport,
  startReportImport,
  type ImportView,
} from './imports.service.ts';
import {
  presentPlanPreview,
  presentPlanUpload,
  presentReportPreview,
  presentReportUpload,
  presentReading,
  presentRevert,
} from './imports.presenter.ts';
import { importParams, importsApiRoutes, reviewImportParams } from './imports-api.routes.ts';

/*
 * Importing in the browser: upload a file, check what was read from it on the preview
 * (correcting a plan's columns if need be), then confirm or discard. Forms post, then
 * redirect (303); a refused form shows its page again with the reason, beside the field it
 * concerns (the file, a column, the date) or at the top for the import as a whole. The
 * services check every permission again; a pending import is seen only by the person who
 * started it (anyone else gets 404).
 */

export function importsRoutes(app: ClaspApp, ctx: AppContext): void {
  importsApiRoutes(app, ctx);
  const uploadLimit = uploadLimitText(ctx.config.uploadLimitBytes);
  const limitBytes = ctx.config.uploadLimitBytes;
  const scan = (bytes: Uint8Array) =>
    virusProblem(ctx.config, bytes, (why) => {
      app.log.warn(why);
    });
  const who = (actor: Actor) => personImporting(actor);

  /* The CQC report */
  const reportUpload = (reply: FastifyReply, refused: RefusedForm | null = null) =>
    reply.page(
      'imports/views/upload-report.njk',
      presentReportUpload(uploadLimit, refused),
      refused?.failure.status ?? 200,
    );

  app.get('/reviews/import', { config: { access: 'create reviews' } }, async (request, reply) => {
    requireReportRights(who(requireActor(request)));
    return reportUpload(reply);
  });

  app.post('/reviews/import', { config: { access: 'create reviews' } }, async (request, reply) => {
    const actor = requireActor(request);
    requireReportRights(who(actor));
    return submitForm(
      reply,
      request.body,
      async () => {
        const upload = uploadForm({ missing: missingFile('CQC report', 'page'), limitBytes, scan });
        const { file } = await parseForm(upload, request.body);
        const importId = await startReportImport(ctx, who(actor), file, { waitMs: ctx.config.importWaitMs });
        confirm(reply, 'Report uploaded');
        return `/imports/${importId}`;
      },
      (refused) => reportUpload(reply, refused),
    );
  });

  /* An existing plan, into a review */
  const planUpload = async (reply: FastifyReply, actor: Actor, reviewId: number, refused: RefusedForm | null) => {
    // Listing the review's imports checks that this person may import into it.
    const imports = await listReviewImports(ctx, who(actor), reviewId);
    const review = await getReview(ctx, actor, reviewId);
    return reply.page(
      'imports/views/upload-plan.njk',
      presentPlanUpload(review, imports, uploadLimit, refused),
      refused?.failure.status ?? 200,
    );
  };

  app.get(
    '/reviews/:reviewId/import',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      return planUpload(reply, requireActor(request), request.params.reviewId, null);
    },
  );

  app.post(
    '/reviews/:reviewId/import',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      // Rights first, so someone who may not import hears so whatever they sent.
      await listReviewImports(ctx, who(actor), reviewId);
      return submitForm(
        reply,
        request.body,
        async () => {
          const upload = uploadForm({ missing: missingFile('action plan', 'page'), limitBytes, scan });
          const { file } = await parseForm(upload, request.body);
          const importId = await startPlanImport(ctx, who(actor), reviewId, file, { waitMs: ctx.config.importWaitMs });
          confirm(reply, 'Plan uploaded');
          return `/imports/${importId}`;
        },
        (refused) => planUpload(reply, actor, reviewId, refused),
      );
    },
  );

  /* Reverting a confirmed plan import */
  const revertPage = async (
    reply: FastifyReply,
    actor: Actor,
    reviewId: number,
    importId: number,
    refused: RefusedForm | null,
  ) => {
    const view = await revertPreview(ctx, who(actor), reviewId, importId);
    const review = await getReview(ctx, actor, reviewId);
    return reply.page(
      'imports/views/revert-import.njk',
      presentRevert(view, review, refused),
      refused?.failure.status ?? 200,
    );
  };
  const revertRoute = { schema: { params: reviewImportParams }, config: { access: 'coordinate' } } as const;

  app.get('/reviews/:reviewId/imports/:importId/revert', revertRoute, async (request, reply) => {
    const { reviewId, importId } = request.params;
    return revertPage(reply, requireActor(request), reviewId, importId, null);
  });

  app.post('/reviews/:reviewId/imports/:importId/revert', revertRoute, async (request, reply) => {
    const actor = requireActor(request);
    const { reviewId, importId } = request.params;
    return submitForm(
      reply,
      request.body,
      async () => {
        await revertImport(ctx, who(actor), reviewId, importId);
        confirm(reply, 'Import reverted');
        return `/reviews/${reviewId}/import`;
      },
      (refused) => revertPage(reply, actor, reviewId, importId, refused),
    );
  });

  /* The preview, and what can be done from it */
  const preview = (reply: FastifyReply, view: ImportView, refused: RefusedForm | null = null) => {
    const status = refused?.failure.status ?? 200;
    if (view.kind === 'reading')
      return reply.page(
        'imports/views/reading.njk',
        presentReading(view, ctx.now(), ctx.config.importTimeLimitMs, refused),
        refused?.failure.status ?? 200,
      );
    return view.kind === 'report'
      ? reply.page('imports/views/report-preview.njk', presentReportPreview(view, refused), status)
      : reply.page('imports/views/plan-preview.njk', presentPlanPreview(view, refused), status);
  };

  /** Shows the preview again, as the import is now, with the reason the form was refused. */
  const refusedPreview = async (reply: FastifyReply, actor: Actor, importId: number, refused: RefusedForm) =>
    preview(reply, await loadImport(ctx, who(actor), importId), refused);

  const importRoute = {
    schema: { params: importParams },
    config: { access: 'the person who started the import' },
  } as const;

  app.get('/imports/:importId', importRoute, async (request, reply) => {
    // A file still being read is waited for as long as the upload page waits, then the page says how it goes.
    const view = await loadImport(ctx, who(requireActor(request)), request.params.importId, {
      waitMs: ctx.config.importWaitMs,
    });
    return preview(reply, view);
  });

  app.post('/imports/:importId/columns', importRoute, async (request, reply) => {
    const actor = requireActor(request);
    const { importId } = request.params;
    return submitForm(
      reply,
      request.body,
      async () => {
        const rules = await columnsRules(ctx, who(actor), importId);
        await correctColumns(ctx, who(actor), importId, await parseForm(columnsForm(rules), request.body));
        confirm(reply, 'Columns saved');
        return `/imports/${importId}#columns`;
      },
      (refused) => refusedPreview(reply, actor, importId, refused),
    );
  });

  app.post('/imports/:importId/agencies', importRoute, async (request, reply) => {
    const actor = requireActor(request);
    const { importId } = request.params;
    return submitForm(
      reply,
      request.body,
      async () => {
        const rules = await agencyRules(ctx, who(actor), importId);
        await mapAgencies(ctx, who(actor), importId, await parseForm(agenciesForm(rules), request.body));
        confirm(reply, 'Agencies saved');
        return `/imports/${importId}#agencies`;
      },
      (refused) => refusedPreview(reply, actor, importId, refused),
    );
  });

  app.post('/imports/:importId/confirm', importRoute, async (request, reply) => {
    const actor = requireActor(request);
    const { importId } = request.params;
    return submitForm(
      reply,
      request.body,
      async () => {
        const rules = await confirmRules(ctx, who(actor), importId);
        const { received, acceptMismatch } = await parseForm(confirmForm(rules), request.body);
        const done = await confirmImport(ctx, who(actor), importId, received, { acceptMismatch });
        confirm(reply, done.kind === 'report' ? 'Report imported' : 'Plan imported');
        return `/reviews/${done.reviewId}`;
      },
      (refused) => refusedPreview(reply, actor, importId, refused),
    );
  });

  app.post('/imports/:importId/discard', importRoute, async (request, reply) => {
    const actor = requireActor(request);
    const { importId } = request.params;
    return submitForm(
      reply,
      request.body,
      async () => {
        const { reviewId } = await discardImport(ctx, who(actor), importId);
        confirm(reply, 'Import discarded');
        return reviewId === null ? '/reviews/import' : `/reviews/${reviewId}`;
      },
      (refused) => refusedPreview(reply, actor, importId, refused),
    );
  });
}
