import type { ClaspApp } from '../../platform/http/typed-app.ts';
import type { FastifyReply } from 'fastify';
import { requireActor } from '../../platform/auth/plugin.ts';
import { formText } from '../../platform/http/form-bodies.ts';
import { FormErrors, readDateInput, type DateInputValue } from '../../platform/forms.ts';
import { reviewIdParams } from '../../platform/route-params.ts';
import type { Actor } from '../../domain/permissions.ts';
import type { AppContext } from '../context.ts';
import { uploadLimitText } from '../actions/evidence/evidence.service.ts';
import { getReview } from '../reviews/reviews.service.ts';
import type { ColumnChoice, PlanField } from './drafts.ts';
import { ImportRejected } from './errors.ts';
import { personImporting } from './importer.ts';
import {
  confirmImport,
  correctColumns,
  discardImport,
  listReviewImports,
  loadImport,
  PLAN_FIELDS,
  startPlanImport,
  startReportImport,
  type ImportView,
} from './imports.service.ts';
import {
  columnFieldName,
  fileProblem,
  importProblem,
  NO_PROBLEM,
  presentPlanPreview,
  presentPlanUpload,
  presentReportPreview,
  presentReportUpload,
  type PageProblem,
} from './imports.presenter.ts';
import {
  importParams,
  importsApiRoutes,
  rejectionStatus,
  requireReportRights,
  uploadedImportFile,
} from './imports-api.routes.ts';

/*
 * Importing in the browser: upload a file, check what was read from it on the preview
 * (correcting a plan's columns if need be), then confirm or discard. Forms post, then
 * redirect (303); a file that cannot be imported re-renders the page with its message.
 * The services check every permission again; a pending import is seen only by the person
 * who started it (anyone else gets 404).
 */

/** Runs a form's work; an ImportRejected re-renders the page with its message instead. */
async function orRerender(
  work: () => Promise<FastifyReply>,
  rerender: (error: ImportRejected) => Promise<FastifyReply>,
) {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ImportRejected) return rerender(error);
    throw error;
  }
}

/** The columns as the person set them: every column whose meaning they changed, and those they had chosen before. */
function readColumnChoices(
  body: unknown,
  view: Extract<ImportView, { kind: 'plan' }>,
  errors: FormErrors,
): { choices: ColumnChoice[]; values: Record<string, string> } {
  const choices = new Map<string, ColumnChoice>((view.options.columns ?? []).map((c) => [columnFieldName(c), c]));
  const values: Record<string, string> = {};
  for (const column of view.draft.columns) {
    const name = columnFieldName(column);
    const sent = formText(body, name);
    if (!sent) continue;
    values[name] = sent;
    if (!PLAN_FIELDS.includes(sent as PlanField)) {
      errors.add(name, `Choose what column ${column.column + 1} of table ${column.table + 1} holds`);
      continue;
    }
    if (sent !== column.field)
      choices.set(name, { table: column.table, column: column.column, field: sent as PlanField });
  }
  return { choices: [...choices.values()], values };
}

export async function importsRoutes(app: ClaspApp, ctx: AppContext): Promise<void> {
  await importsApiRoutes(app, ctx);
  const uploadLimit = uploadLimitText(ctx.config.uploadLimitBytes);
  const who = (actor: Actor) => personImporting(actor);

  /* The CQC report */
  const reportUpload = (reply: FastifyReply, problem: PageProblem = NO_PROBLEM, status = 200) =>
    reply.page('imports/views/upload-report.njk', presentReportUpload(uploadLimit, problem), status);

  app.get('/reviews/import', { config: { access: 'create reviews' } }, async (request, reply) => {
    requireReportRights(requireActor(request));
    return reportUpload(reply);
  });

  app.post('/reviews/import', { config: { access: 'create reviews' } }, async (request, reply) => {
    const actor = requireActor(request);
    requireReportRights(actor);
    return orRerender(
      async () => {
        const file = uploadedImportFile(request.body, ctx.config.uploadLimitBytes);
        if (!file) return reportUpload(reply, fileProblem('Select the CQC report to import'), 400);
        const importId = await startReportImport(ctx, who(actor), file);
        return reply.redirect(`/imports/${importId}`, 303);
      },
      async (error) => reportUpload(reply, fileProblem(error.message), 400),
    );
  });

  /* An existing plan, into a review */
  const planUpload = async (
    reply: FastifyReply,
    actor: Actor,
    reviewId: number,
    problem: PageProblem = NO_PROBLEM,
    status = 200,
  ) => {
    // Listing the review's imports checks that this person may import into it.
    const imports = await listReviewImports(ctx, who(actor), reviewId);
    const review = await getReview(ctx, actor, reviewId);
    return reply.page(
      'imports/views/upload-plan.njk',
      presentPlanUpload(review, imports, uploadLimit, problem),
      status,
    );
  };

  app.get(
    '/reviews/:reviewId/import',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      return planUpload(reply, requireActor(request), request.params.reviewId);
    },
  );

  app.post(
    '/reviews/:reviewId/import',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      await listReviewImports(ctx, who(actor), reviewId);
      return orRerender(
        async () => {
          const file = uploadedImportFile(request.body, ctx.config.uploadLimitBytes);
          if (!file) return planUpload(reply, actor, reviewId, fileProblem('Select the action plan to import'), 400);
          const importId = await startPlanImport(ctx, who(actor), reviewId, file);
          return reply.redirect(`/imports/${importId}`, 303);
        },
        async (error) => planUpload(reply, actor, reviewId, fileProblem(error.message), 400),
      );
    },
  );

  /* The preview, and what can be done from it */
  const preview = (
    reply: FastifyReply,
    view: ImportView,
    problem: PageProblem = NO_PROBLEM,
    status = 200,
    entered: { received?: DateInputValue; columns?: Record<string, string> } = {},
  ) =>
    view.kind === 'report'
      ? reply.page(
          'imports/views/report-preview.njk',
          presentReportPreview(view, problem, entered.received ?? null),
          status,
        )
      : reply.page('imports/views/plan-preview.njk', presentPlanPreview(view, problem, entered.columns), status);

  /** Shows the preview again, as it is now, with the reason the change was refused. */
  const refused = async (reply: FastifyReply, actor: Actor, importId: number, error: ImportRejected) => {
    const view = await loadImport(ctx, who(actor), importId);
    return preview(reply, view, importProblem(error.message), rejectionStatus(view));
  };

  app.get(
    '/imports/:importId',
    { schema: { params: importParams }, config: { access: 'the person who started the import' } },
    async (request, reply) => {
      return preview(reply, await loadImport(ctx, who(requireActor(request)), request.params.importId));
    },
  );

  app.post(
    '/imports/:importId/columns',
    { schema: { params: importParams }, config: { access: 'the person who started the import' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { importId } = request.params;
      const view = await loadImport(ctx, who(actor), importId);
      if (view.kind !== 'plan')
        return refused(reply, actor, importId, new ImportRejected('Only a plan has columns to correct.'));
      const errors = new FormErrors();
      const { choices, values } = readColumnChoices(request.body, view, errors);
      if (errors.any)
        return preview(reply, view, { errors: errors.summary(), fieldErrors: errors.fields }, 400, { columns: values });
      return orRerender(
        async () => {
          await correctColumns(ctx, who(actor), importId, choices);
          return reply.redirect(`/imports/${importId}#columns`, 303);
        },
        (error) => refused(reply, actor, importId, error),
      );
    },
  );

  app.post(
    '/imports/:importId/confirm',
    { schema: { params: importParams }, config: { access: 'the person who started the import' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { importId } = request.params;
      const view = await loadImport(ctx, who(actor), importId);
      let received: string | null = null;
      if (view.kind === 'report' && view.row.status === 'pending') {
        const errors = new FormErrors();
        const entered = readDateInput(request.body, 'received', 'the report was received', errors, {
          required: false,
          notAfter: ctx.today(),
        });
        if (errors.any)
          return preview(
            reply,
            view,
            { errors: errors.summary({ received: '#received-day' }), fieldErrors: errors.fields },
            400,
            { received: entered },
          );
        received = entered.iso;
      }
      return orRerender(
        async () => {
          const done = await confirmImport(ctx, who(actor), importId, received);
          return reply.redirect(`/reviews/${done.reviewId}`, 303);
        },
        (error) => refused(reply, actor, importId, error),
      );
    },
  );

  app.post(
    '/imports/:importId/discard',
    { schema: { params: importParams }, config: { access: 'the person who started the import' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { importId } = request.params;
      return orRerender(
        async () => {
          const { reviewId } = await discardImport(ctx, who(actor), importId);
          return reply.redirect(reviewId === null ? '/reviews/import' : `/reviews/${reviewId}`, 303);
        },
        (error) => refused(reply, actor, importId, error),
      );
    },
  );
}
