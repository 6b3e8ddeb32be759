import type { ClaspApp } from '../../platform/http/typed-app.ts';
import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import { ForbiddenError, requireActor } from '../../platform/auth/plugin.ts';
import { formFile } from '../../platform/http/form-bodies.ts';
import { id, reviewIdParams } from '../../platform/route-params.ts';
import { canCreateReview, type Actor } from '../../domain/permissions.ts';
import type { AppContext } from '../context.ts';
import { uploadLimitText } from '../actions/evidence/evidence.service.ts';
import { planJson, reportJson, type ColumnChoice, type PlanField } from './drafts.ts';
import { ImportRejected } from './errors.ts';
import { personImporting, type Importer } from './importer.ts';
import {
  confirmImport,
  correctColumns,
  discardImport,
  listReviewImports,
  loadImport,
  PLAN_FIELDS,
  startPlanImport,
  startReportImport,
  type ImportFile,
  type ImportView,
} from './imports.service.ts';

/*
 * Importing for scripts: the same services, permissions and audit as the pages. Files are
 * sent as multipart/form-data (field "file"); other bodies are JSON, dates 'YYYY-MM-DD'.
 * A file that cannot be imported answers 400 with {error}; a change to an import that has
 * already been confirmed or discarded answers 409.
 */

export const importParams = z.object({ importId: id });

/** The form field that carries the file, on the pages and in the API. */
export const IMPORT_FILE_FIELD = 'file';

/** Refused before the form is read, so someone without the right gets 403 whatever they sent. */
export function requireReportRights(actor: Actor): void {
  if (!canCreateReview(actor))
    throw new ForbiddenError('Only administrators and review coordinators can import a CQC report to start a review.');
}

/**
 * The file sent in the form, or null when none was chosen. A file over the upload limit
 * arrives cut short at the limit: it is refused as too large rather than read in part.
 */
export function uploadedImportFile(body: unknown, limitBytes: number): ImportFile | null {
  const upload = formFile(body, IMPORT_FILE_FIELD);
  if (!upload) return null;
  if (upload.truncated) {
    throw new ImportRejected(
      `The selected file must be smaller than ${uploadLimitText(limitBytes)}. Check you chose the right file. ` +
        'If you did, make it smaller (for example, save it without pictures) and upload it again.',
    );
  }
  return {
    fileName: upload.fileName || 'upload',
    content: new Uint8Array(upload.bytes.buffer, upload.bytes.byteOffset, upload.bytes.byteLength),
  };
}

/** 409 when the import was confirmed or discarded meanwhile, else 400: the file or a value was wrong. */
export function rejectionStatus(view: ImportView): 400 | 409 {
  return view.row.status === 'pending' ? 400 : 409;
}

/** Choices sent as JSON: [{table, column, field}], with tables and columns counted from 0 as the preview lists them. */
function columnChoicesFromJson(body: unknown): ColumnChoice[] {
  const list = body && typeof body === 'object' ? (body as { columns?: unknown }).columns : undefined;
  if (!Array.isArray(list))
    throw new ImportRejected('Send the columns as {"columns": [{"table": 0, "column": 2, "field": "lead"}]}.');
  return list.map((item: unknown) => {
    const { table, column, field } = (item ?? {}) as Record<string, unknown>;
    if (!Number.isInteger(table) || !Number.isInteger(column) || (table as number) < 0 || (column as number) < 0) {
      throw new ImportRejected(
        'Each column needs a "table" and a "column": whole numbers counted from 0, as in the preview.',
      );
    }
    if (typeof field !== 'string' || !PLAN_FIELDS.includes(field as PlanField)) {
      throw new ImportRejected(`"field" must be one of: ${PLAN_FIELDS.join(', ')}.`);
    }
    return { table: table as number, column: column as number, field: field as PlanField };
  });
}

function receivedFromJson(body: unknown): string | null {
  const received = body && typeof body === 'object' ? (body as { received?: unknown }).received : undefined;
  if (received === undefined || received === null || received === '') return null;
  if (typeof received !== 'string')
    throw new ImportRejected('"received" must be the date the report was received, as YYYY-MM-DD.');
  return received;
}

/** What a script needs to decide whether to confirm: the same facts as the preview page. */
export function importJson(view: ImportView) {
  const { row } = view;
  const common = {
    importId: row.id,
    kind: row.kind,
    status: row.status,
    fileName: row.file_name,
    startedAt: row.created_at,
    decidedAt: row.decided_at,
    reviewId: row.review_id,
    summary: row.summary === null ? null : (JSON.parse(row.summary) as unknown),
    page: `/imports/${row.id}`,
  };
  if (view.kind === 'report') return { ...common, preview: view.preview, report: reportJson(view.draft) };
  return {
    ...common,
    reviewTitle: view.reviewTitle,
    changes: view.changes.counts,
    nothingToDo: view.changes.nothingToDo,
    warnings: view.changes.warnings,
    columns: view.draft.columns,
    unplaced: view.draft.unplaced,
    plan: planJson(view.draft),
  };
}

export async function importsApiRoutes(app: ClaspApp, ctx: AppContext): Promise<void> {
  const who = (actor: Actor): Importer => personImporting(actor);

  /** Runs a change to an import; an ImportRejected answers 400 or 409 with its message. */
  async function answer(
    reply: FastifyReply,
    status: 200 | 201,
    work: () => Promise<object>,
    importId: number | null,
    importer: Importer,
  ) {
    try {
      return reply.code(status).send(await work());
    } catch (error) {
      if (!(error instanceof ImportRejected)) throw error;
      const code = importId === null ? 400 : rejectionStatus(await loadImport(ctx, importer, importId));
      return reply.code(code).send({ error: error.message });
    }
  }

  const missingFile = (what: string) =>
    new ImportRejected(`Send the ${what} as a multipart/form-data field named "${IMPORT_FILE_FIELD}".`);

  app.post('/api/reviews/import', { config: { access: 'create reviews' } }, async (request, reply) => {
    const actor = requireActor(request);
    requireReportRights(actor);
    return answer(
      reply,
      201,
      async () => {
        const file = uploadedImportFile(request.body, ctx.config.uploadLimitBytes);
        if (!file) throw missingFile('CQC report');
        const importId = await startReportImport(ctx, who(actor), file);
        const view = await loadImport(ctx, who(actor), importId);
        return { importId, preview: view.kind === 'report' ? view.preview : null, page: `/imports/${importId}` };
      },
      null,
      who(actor),
    );
  });

  app.post(
    '/api/reviews/:reviewId/import',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      // Rights first, so someone who may not import hears so whatever they sent.
      await listReviewImports(ctx, who(actor), reviewId);
      return answer(
        reply,
        201,
        async () => {
          const file = uploadedImportFile(request.body, ctx.config.uploadLimitBytes);
          if (!file) throw missingFile('action plan');
          const importId = await startPlanImport(ctx, who(actor), reviewId, file);
          const view = await loadImport(ctx, who(actor), importId);
          if (view.kind !== 'plan') throw new Error('A plan import read back as a report');
          const { changes, draft } = view;
          return {
            importId,
            changes: changes.counts,
            nothingToDo: changes.nothingToDo,
            warnings: changes.warnings,
            columns: draft.columns,
            unplaced: draft.unplaced,
            page: `/imports/${importId}`,
          };
        },
        null,
        who(actor),
      );
    },
  );

  app.get(
    '/api/imports/:importId',
    { schema: { params: importParams }, config: { access: 'the person who started the import' } },
    async (request) => {
      return importJson(await loadImport(ctx, who(requireActor(request)), request.params.importId));
    },
  );

  app.post(
    '/api/imports/:importId/columns',
    { schema: { params: importParams }, config: { access: 'the person who started the import' } },
    async (request, reply) => {
      const importer = who(requireActor(request));
      const { importId } = request.params;
      return answer(
        reply,
        200,
        async () => {
          await correctColumns(ctx, importer, importId, columnChoicesFromJson(request.body));
          return importJson(await loadImport(ctx, importer, importId));
        },
        importId,
        importer,
      );
    },
  );

  app.post(
    '/api/imports/:importId/confirm',
    { schema: { params: importParams }, config: { access: 'the person who started the import' } },
    async (request, reply) => {
      const importer = who(requireActor(request));
      const { importId } = request.params;
      return answer(
        reply,
        200,
        async () => {
          const done = await confirmImport(ctx, importer, importId, receivedFromJson(request.body));
          const result = done.kind === 'report' ? { ...done.result } : { ...done.result, warnings: done.warnings };
          return { ...result, reviewId: done.reviewId, kind: done.kind, review: `/reviews/${done.reviewId}` };
        },
        importId,
        importer,
      );
    },
  );

  app.post(
    '/api/imports/:importId/discard',
    { schema: { params: importParams }, config: { access: 'the person who started the import' } },
    async (request, reply) => {
      const importer = who(requireActor(request));
      const { importId } = request.params;
      return answer(
        reply,
        200,
        async () => {
          await discardImport(ctx, importer, importId);
          return { importId, status: 'discarded' };
        },
        importId,
        importer,
      );
    },
  );
}
