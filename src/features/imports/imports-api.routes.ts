import { formBody, type ClaspApp } from '../../platform/http/typed-app.ts';
import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requireActor } from '../../platform/auth/plugin.ts';
import { errorList, FormInvalid, parseForm } from '../../platform/form-schema.ts';
import { id, reviewIdParams } from '../../platform/route-params.ts';
import type { Actor } from '../../domain/permissions.ts';
import type { AppContext } from '../context.ts';
import { personImporting, type Importer } from './importer.ts';
import { virusProblem } from '../../platform/uploads/virus-scan.ts';
import { agenciesForm, columnsForm, confirmForm, missingFile, uploadForm } from './imports.forms.ts';
import {
  columnsRules,
  agencyRules,
  confirmImport,
  confirmRules,
  mapAgencies,
  revertImport,
  correctColumns,
  discardImport,
  listReviewImports,
  loadImport,
  requireReportRights,
  startPlanImport,
  startReportImport,
} from './imports.service.ts';
import {
  confirmedJson,
  discardedJson,
  importJson,
  readingJson,
  revertedJson,
  startedPlanJson,
  startedReportJson,
} from './imports.presenter.ts';
import {
  agenciesBody,
  columnsBody,
  confirmBody,
  nothingBody,
  uploadBody,
  confirmedSchema,
  readingSchema,
  revertedSchema,
  discardedSchema,
  importSchema,
  startedPlanSchema,
  startedReportSchema,
} from './imports.schemas.ts';

/*
 * Importing for scripts: the same form schemas, services, permissions and audit as the pages.
 * Files are sent as multipart/form-data (field "file"); other bodies are JSON, dates
 * 'YYYY-MM-DD'. A refused form answers 400 (409 when the import was already confirmed or
 * discarded) with {error} as this API has always answered, and {errors: [{field, message}]}
 * as every form of Clasp's API does.
 */

export const importParams = z.object({ importId: id });
export const reviewImportParams = z.object({ reviewId: id, importId: id });

/**
 * Answers a refused import form; anything else goes on to the application's error handler
 * (a 403 or a 404 answers as on every other route). It sends the answer itself and returns
 * nothing, as Fastify's route error handlers are typed to.
 */
function refusedImport(error: Error, _request: FastifyRequest, reply: FastifyReply): void {
  if (!(error instanceof FormInvalid)) throw error;
  const errors = errorList(error.errors);
  void reply.code(error.status).send({ error: errors.map((e) => e.message).join(' '), errors });
}

export function importsApiRoutes(app: ClaspApp, ctx: AppContext): void {
  const who = (actor: Actor): Importer => personImporting(actor);
  const limitBytes = ctx.config.uploadLimitBytes;
  const scan = (bytes: Uint8Array) =>
    virusProblem(ctx.config, bytes, (why) => {
      app.log.warn(why);
    });
  const importConfig = { access: 'the person who started the import' } as const;

  app.post(
    '/api/reviews/import',
    {
      schema: {
        summary: 'Start creating a review from a file',
        description: 'Answers with the import to follow through /api/imports/{importId}.',
        consumes: ['multipart/form-data'],
        body: formBody(uploadBody),
        response: { 201: startedReportSchema },
      },
      config: { access: 'create reviews' },
      errorHandler: refusedImport,
    },
    async (request, reply) => {
      const importer = who(requireActor(request));
      requireReportRights(importer);
      const upload = uploadForm({ missing: missingFile('CQC report', 'api'), limitBytes, scan });
      const { file } = await parseForm(upload, request.body);
      const importId = await startReportImport(ctx, importer, file);
      return reply.code(201).send(startedReportJson(await loadImport(ctx, importer, importId)));
    },
  );

  app.post(
    '/api/reviews/:reviewId/import',
    {
      schema: {
        summary: 'Start importing a plan into a review',
        description: 'Answers with the import to follow through /api/imports/{importId}.',
        params: reviewIdParams,
        consumes: ['multipart/form-data'],
        body: formBody(uploadBody),
        response: { 201: startedPlanSchema },
      },
      config: { access: 'coordinate' },
      errorHandler: refusedImport,
    },
    async (request, reply) => {
      const importer = who(requireActor(request));
      const { reviewId } = request.params;
      // Rights first, so someone who may not import hears so whatever they sent.
      await listReviewImports(ctx, importer, reviewId);
      const upload = uploadForm({ missing: missingFile('action plan', 'api'), limitBytes, scan });
      const { file } = await parseForm(upload, request.body);
      const importId = await startPlanImport(ctx, importer, reviewId, file);
      return reply.code(201).send(startedPlanJson(await loadImport(ctx, importer, importId)));
    },
  );

  app.get(
    '/api/imports/:importId',
    {
      schema: {
        summary: 'Show an import and how far it has got',
        description: 'Answers 202 while the file is still being read; ask again until it answers 200.',
        params: importParams,
        response: { 200: importSchema, 202: readingSchema },
      },
      config: importConfig,
    },
    async (request, reply) => {
      const view = await loadImport(ctx, who(requireActor(request)), request.params.importId);
      // A file uploaded on a page may still be read in the background: 202 until its preview is ready.
      if (view.kind === 'reading') return reply.code(202).send(readingJson(view));
      return importJson(view);
    },
  );

  app.post(
    '/api/imports/:importId/columns',
    {
      schema: {
        summary: 'Match the columns of an import to the fields of a plan',
        params: importParams,
        body: formBody(columnsBody),
        response: { 200: importSchema },
      },
      config: importConfig,
      errorHandler: refusedImport,
    },
    async (request) => {
      const importer = who(requireActor(request));
      const { importId } = request.params;
      const rules = await columnsRules(ctx, importer, importId);
      await correctColumns(ctx, importer, importId, await parseForm(columnsForm(rules), request.body));
      return importJson(await loadImport(ctx, importer, importId));
    },
  );

  app.post(
    '/api/imports/:importId/confirm',
    {
      schema: {
        summary: 'Confirm an import and save what it brings in',
        params: importParams,
        body: formBody(confirmBody),
        response: { 200: confirmedSchema },
      },
      config: importConfig,
      errorHandler: refusedImport,
    },
    async (request) => {
      const importer = who(requireActor(request));
      const { importId } = request.params;
      const { received, acceptMismatch } = await parseForm(
        confirmForm(await confirmRules(ctx, importer, importId)),
        request.body,
      );
      return confirmedJson(await confirmImport(ctx, importer, importId, received, { acceptMismatch }));
    },
  );

  app.post(
    '/api/reviews/:reviewId/imports/:importId/revert',
    {
      schema: {
        summary: 'Undo an import into a review',
        params: reviewImportParams,
        body: formBody(nothingBody),
        response: { 200: revertedSchema },
      },
      config: { access: 'coordinate' },
      errorHandler: refusedImport,
    },
    async (request) => {
      const { reviewId, importId } = request.params;
      return revertedJson(importId, await revertImport(ctx, who(requireActor(request)), reviewId, importId));
    },
  );

  app.post(
    '/api/imports/:importId/agencies',
    {
      schema: {
        summary: 'Match the organisations named in an import',
        params: importParams,
        body: formBody(agenciesBody),
        response: { 200: importSchema },
      },
      config: importConfig,
      errorHandler: refusedImport,
    },
    async (request) => {
      const importer = who(requireActor(request));
      const { importId } = request.params;
      const rules = await agencyRules(ctx, importer, importId);
      await mapAgencies(ctx, importer, importId, await parseForm(agenciesForm(rules), request.body));
      return importJson(await loadImport(ctx, importer, importId));
    },
  );

  app.post(
    '/api/imports/:importId/discard',
    {
      schema: {
        summary: 'Discard an import without saving anything',
        params: importParams,
        body: formBody(nothingBody),
        response: { 200: discardedSchema },
      },
      config: importConfig,
      errorHandler: refusedImport,
    },
    async (request) => {
      const importer = who(requireActor(request));
      const { importId } = request.params;
      await discardImport(ctx, importer, importId);
      return discardedJson(importId);
    },
  );
}
