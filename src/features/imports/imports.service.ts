import { isUniqueViolation } from '../../platform/db/errors.ts';
import { createHash } from 'node:crypto';
import type { ImportKind } from '../../platform/db/schema.ts';
import type { Db } from '../../platform/db/database.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { ForbiddenError } from '../../platform/auth/plugin.ts';
import { recordAudit } from '../../platform/audit.ts';
import { failpoint } from '../../platform/failpoints.ts';
import { FormInvalid } from '../../platform/form-schema.ts';
import { canCoordinate, canCreateReview, canRead } from '../../domain/permissions.ts';
import { parseIsoDate } from '../../domain/dates.ts';
import { planDueDate } from '../../domain/working-days.ts';
import type { AppContext } from '../context.ts';
import type { Config } from '../../config.ts';
import type { ColumnChoice, PlanDraft, ReportDraft } from './drafts.ts';
import { ImportRejected } from './errors.ts';
import {
  ACCEPT_MISMATCH_FIELD,
  IMPORT_FIELD,
  IMPORT_FILE_FIELD,
  type AgenciesCommand,
  type AgencyRules,
  type ColumnRules,
  type ColumnsCommand,
  type ConfirmRules,
  type ImportFile,
  receivedProblem,
} from './imports.forms.ts';
import type { Importer } from './importer.ts';
import { parsePlan, parseReport } from './parse-runner.ts';
import {
  applyReport,
  previewReport,
  reportSourceKey,
  type ReportImportResult,
  type ReportPreview,
} from './report-import.ts';
import { loadState, planChanges, textKey, type PlanChanges } from './plan-import.ts';
import { mismatchRefusal } from './plan-fit.ts';
import { takeImportBack, type FilledDetails, type RevertCounts } from './import-revert.repository.ts';
import { takeReviewRow } from './plan-import.repository.ts';
import { applyPlan } from './plan-import-write.ts';
import { undatedProgressDay } from './file-date.ts';
import {
  decideImport,
  findImportById,
  findImportedFile,
  listKnownOrganisations,
  findPlanRevision,
  markReverted,
  replaceAgencyMapping,
  findReviewBySourceKey,
  findReviewReportDates,
  findReviewTitle,
  insertImport,
  listImportsDone,
  readBlob,
  recordImportOutcome,
  storeBlob,
  updatePendingImport,
  type ImportRow,
} from './imports.repository.ts';

/*
 * Importing is two steps: a file is read and kept with what was read from it (a pending
 * import, shown as a preview), then confirmed — only then is anything written to the plan,
 * in one transaction — or discarded. The forms' refusals are FormInvalid: a file the readers
 * cannot read is a problem with the file field; an import confirmed or discarded meanwhile
 * (409), or one that cannot be done, is a problem with the import as a whole.
 */

type ImportOptions = { columns?: ColumnChoice[]; received?: string | null };

export type ImportView =
  /** A file still being read in the background, or whose reading failed there. */
  | { kind: 'reading'; row: ImportRow; state: ReadState }
  | { kind: 'report'; row: ImportRow; draft: ReportDraft; preview: ReportPreview; options: ImportOptions }
  | {
      kind: 'plan';
      row: ImportRow;
      draft: PlanDraft;
      changes: PlanChanges;
      options: ImportOptions;
      reviewTitle: string;
      /**
       * The organisations an agency cell can be said to stand for: those taking part in the review
       * first, then the rest of Clasp's (one chosen takes part through the actions it is given).
       */
      organisations: { id: number; name: string; takingPart: boolean }[];
      /** An earlier import of this very file into the review: when and by whom. */
      sameFile: { on: string; by: string } | null;
    };

function sha256Of(content: Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

type Limits = Pick<Config, 'uploadLimitBytes' | 'importTimeLimitMs'>;

function limits(config: Limits) {
  return { limitBytes: config.uploadLimitBytes, timeoutMs: config.importTimeLimitMs };
}

function canSeeReview(who: Importer): (reviewId: number) => boolean {
  return (reviewId) => !who.actor || canRead(who.actor, reviewId);
}

/** Refused before the form is read, so someone without the right gets 403 whatever they sent. */
export function requireReportRights(who: Importer): void {
  if (who.actor && !canCreateReview(who.actor)) {
    throw new ForbiddenError('Only administrators and review coordinators can import a CQC report to start a review.');
  }
}

async function requirePlanRights(db: Db, who: Importer, reviewId: number): Promise<{ id: number; title: string }> {
  const review = await findReviewTitle(db, reviewId);
  if (!review || (who.actor && !canRead(who.actor, reviewId)))
    throw new NotFoundError(`There is no review ${reviewId}`);
  if (who.actor && !canCoordinate(who.actor, reviewId))
    throw new ForbiddenError("Only the review's coordinators can import a plan into it.");
  return review;
}

/**
 * A file sent with a form that the readers turn away: its reason belongs beside the field the
 * file was chosen in. (The command line reads files without a form and keeps ImportRejected.)
 */
async function readAsFormField<T>(reading: Promise<T>, field: string): Promise<T> {
  try {
    return await reading;
  } catch (error) {
    if (error instanceof ImportRejected) throw FormInvalid.of(field, error.message);
    throw error;
  }
}

/** Reads a CQC report without keeping anything: the dry run. */
export async function readReport(config: Limits, file: ImportFile): Promise<ReportDraft> {
  return parseReport(file.content, file.fileName, limits(config));
}

/** Reads an existing plan without keeping anything: the dry run. */
export async function readPlan(config: Limits, file: ImportFile, columns: ColumnChoice[] = []): Promise<PlanDraft> {
  return parsePlan(file.content, file.fileName, { ...limits(config), columns });
}

async function keepPending(
  ctx: AppContext,
  who: Importer,
  kind: ImportKind,
  reviewId: number | null,
  file: ImportFile,
  draft: ReportDraft | PlanDraft | null,
  options: ImportOptions,
): Promise<number> {
  const sha256 = sha256Of(file.content);
  const now = ctx.now().toISOString();
  const fileName = tidyFileName(file.fileName);
  const format = fileName.split('.').pop()?.toLowerCase() ?? '';
  return ctx.db.transaction().execute(async (trx) => {
    await storeBlob(trx, sha256, file.content, now);
    return insertImport(trx, {
      kind,
      status: 'pending',
      review_id: reviewId,
      user_id: who.audit.userId,
      actor_name: who.name,
      file_name: fileName,
      format,
      blob_sha256: sha256,
      size: file.content.byteLength,
      options: JSON.stringify(options),
      // A file still being read has no draft yet: read_state says how the reading goes.
      draft: JSON.stringify(draft ?? {}),
      read_state: draft ? null : JSON.stringify({ stage: 'reading', startedAt: now } satisfies ReadState),
      summary: null,
      created_at: now,
      decided_at: null,
    });
  });
}

/**
 * How the reading of a file goes, while it is read in the background: 'reading' since startedAt, or
 * 'failed' with the reason the file could not be read.
 */
export type ReadState = { stage: 'reading'; startedAt: string } | { stage: 'failed'; message: string };

/**
 * Waits up to waitMs for the reading: a file read in that time is kept with what was read (or
 * refused on the upload form, as a file that cannot be read always is); a longer read goes on in
 * the background and the import's page shows how it goes until it is done.
 */
async function keepWhenRead(
  ctx: AppContext,
  who: Importer,
  target: { kind: ImportKind; reviewId: number | null; options: ImportOptions },
  file: ImportFile,
  reading: Promise<ReportDraft | PlanDraft>,
  waitMs: number,
): Promise<number> {
  const settled =
    !Number.isFinite(waitMs) ||
    (await Promise.race([
      reading.then(
        () => true,
        () => true,
      ),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), waitMs).unref()),
    ]));
  const { kind, reviewId, options } = target;
  if (settled) {
    const draft = await readAsFormField(reading, IMPORT_FILE_FIELD);
    return keepPending(ctx, who, kind, reviewId, file, draft, options);
  }
  const importId = await keepPending(ctx, who, kind, reviewId, file, null, options);
  reading
    .then(
      (draft) => updatePendingImport(ctx.db, importId, { draft: JSON.stringify(draft), read_state: null }),
      (error: unknown) =>
        updatePendingImport(ctx.db, importId, {
          read_state: JSON.stringify({
            stage: 'failed',
            message:
              error instanceof ImportRejected
                ? error.message
                : 'Clasp could not read this file. ' +
                  'Check you chose the right file, save a new copy and upload it again.',
          } satisfies ReadState),
        }),
    )
    // The database was closed meanwhile: the reading page then says the reading stopped.
    .catch(() => undefined);
  return importId;
}

/** How often a page waiting for a file to be read looks again. */
const READ_POLL_MS = 200;

/** The reading state of an import, or null once read; a reading left by a stopped server counts as failed. */
export function readStateOf(row: Pick<ImportRow, 'read_state'>, now: Date, limitMs: number): ReadState | null {
  if (!row.read_state) return null;
  const state = JSON.parse(row.read_state) as ReadState;
  if (state.stage === 'reading' && now.getTime() - Date.parse(state.startedAt) > limitMs + 60_000)
    return {
      stage: 'failed',
      message: 'Clasp stopped reading this file before it was done. Upload it again.',
    };
  return state;
}

/** A file name fit to show and to credit imported entries to: no folders, no control characters, not too long. */
export function tidyFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (clean.length <= 120) return clean || 'unnamed file';
  const dot = clean.lastIndexOf('.');
  const extension = dot > clean.length - 8 ? clean.slice(dot) : '';
  return `${clean.slice(0, 120 - extension.length - 1)}…${extension}`;
}

/** Reads an uploaded CQC report and keeps it, with what was read, for the preview. */
export async function startReportImport(
  ctx: AppContext,
  who: Importer,
  file: ImportFile,
  { waitMs = Infinity }: { waitMs?: number } = {},
): Promise<number> {
  requireReportRights(who);
  // The same file imported before is known by its SHA-256 before it is read: its reading is shown again.
  const earlier = await findImportedFile(ctx.db, 'report', null, sha256Of(file.content));
  if (earlier) return keepPending(ctx, who, 'report', null, file, JSON.parse(earlier.draft) as ReportDraft, {});
  const target = { kind: 'report' as const, reviewId: null, options: {} };
  return keepWhenRead(ctx, who, target, file, readReport(ctx.config, file), waitMs);
}

/** Reads an uploaded plan for the review and keeps it, with what was read, for the preview. */
export async function startPlanImport(
  ctx: AppContext,
  who: Importer,
  reviewId: number,
  file: ImportFile,
  { waitMs = Infinity }: { waitMs?: number } = {},
): Promise<number> {
  await requirePlanRights(ctx.db, who, reviewId);
  // A file already imported into the review is known by its SHA-256 before it is read: the preview
  // shows the earlier reading (with its column choices), which then says there is nothing to add.
  const earlier = await findImportedFile(ctx.db, 'plan', reviewId, sha256Of(file.content));
  if (earlier) {
    const options = JSON.parse(earlier.options) as ImportOptions;
    return keepPending(ctx, who, 'plan', reviewId, file, JSON.parse(earlier.draft) as PlanDraft, {
      columns: options.columns ?? [],
    });
  }
  const target = { kind: 'plan' as const, reviewId, options: { columns: [] } };
  return keepWhenRead(ctx, who, target, file, readPlan(ctx.config, file), waitMs);
}

async function planDueOf(ctx: AppContext, reviewId: number | null): Promise<string | null> {
  const review = await findReviewReportDates(ctx.db, reviewId ?? 0);
  const received = review?.report_received ?? review?.report_published ?? null;
  return received ? planDueDate(received) : null;
}

async function blobContent(ctx: AppContext, sha256: string): Promise<Uint8Array> {
  return readBlob(ctx.db, sha256);
}

async function findImport(ctx: AppContext, who: Importer, importId: number): Promise<ImportRow> {
  const row = await findImportById(ctx.db, importId);
  // An import is seen only by the person who started it (and the command line).
  if (!row || (who.actor && row.user_id !== who.actor.userId))
    throw new NotFoundError(`There is no import ${importId}`);
  return row;
}

export async function loadImport(
  ctx: AppContext,
  who: Importer,
  importId: number,
  { waitMs = 0 }: { waitMs?: number } = {},
): Promise<ImportView> {
  let row = await findImport(ctx, who, importId);
  // A file still being read is waited for, up to waitMs, so that a person who checks again sees
  // the preview as soon as it is ready. The row is read again from the database, since the
  // reading may go on in another instance of Clasp.
  const until = Date.now() + waitMs;
  while (row.read_state && readStateOf(row, ctx.now(), ctx.config.importTimeLimitMs)?.stage === 'reading') {
    const left = until - Date.now();
    if (left <= 0) break;
    await new Promise((resolve) => setTimeout(resolve, Math.min(READ_POLL_MS, left)));
    row = await findImport(ctx, who, importId);
  }
  const options = JSON.parse(row.options) as ImportOptions;
  const reading = readStateOf(row, ctx.now(), ctx.config.importTimeLimitMs);
  if (reading) {
    if (row.kind === 'plan') await requirePlanRights(ctx.db, who, row.review_id ?? 0);
    return { kind: 'reading', row, state: reading };
  }
  if (row.kind === 'report') {
    const draft = JSON.parse(row.draft) as ReportDraft;
    return {
      kind: 'report',
      row,
      draft,
      options,
      preview: await previewReport(ctx.db, draft, row.blob_sha256, options.received ?? null, canSeeReview(who)),
    };
  }
  const review = await requirePlanRights(ctx.db, who, row.review_id ?? 0);
  const draft = JSON.parse(row.draft) as PlanDraft;
  const [changes, state, known, earlier] = await Promise.all([
    planChanges(ctx.db, review.id, draft),
    loadState(ctx.db, review.id),
    row.status === 'pending' ? listKnownOrganisations(ctx.db) : [],
    row.status === 'pending' ? findImportedFile(ctx.db, 'plan', review.id, row.blob_sha256) : undefined,
  ]);
  return {
    kind: 'plan',
    row,
    draft,
    options,
    reviewTitle: review.title,
    changes,
    organisations: [
      ...state.organisations.map((o) => ({ id: o.id, name: o.name, takingPart: true })),
      ...known
        .filter((o) => !state.organisations.some((p) => p.id === o.id))
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((o) => ({ id: o.id, name: o.name, takingPart: false })),
    ],
    sameFile: earlier ? { on: earlier.decided_at ?? earlier.created_at, by: earlier.actor_name } : null,
  };
}

/** A problem with the import as a whole: 409 once it has been confirmed or discarded, else 400. */
function importRefused(row: ImportRow, message: string): FormInvalid {
  return FormInvalid.of(IMPORT_FIELD, message, row.status === 'pending' ? 400 : 409);
}

function requirePending(row: ImportRow): void {
  if (row.status === 'pending' && row.read_state) {
    const state = JSON.parse(row.read_state) as ReadState;
    throw importRefused(
      row,
      state.stage === 'reading'
        ? 'The file is still being read. Wait until its preview shows, then try again.'
        : state.message,
    );
  }
  if (row.status !== 'pending') {
    throw importRefused(
      row,
      row.status === 'imported'
        ? 'This file has already been imported; nothing more was done.'
        : 'This import was discarded. Upload the file again to import it.',
    );
  }
}

/** A pending plan import this person may change. */
async function pendingPlan(ctx: AppContext, who: Importer, importId: number): Promise<ImportRow> {
  const row = await findImport(ctx, who, importId);
  if (row.kind !== 'plan') throw importRefused(row, 'Only a plan has columns to correct.');
  await requirePlanRights(ctx.db, who, row.review_id ?? 0);
  requirePending(row);
  return row;
}

/** What the columns form of this import is checked against: how the file was read, and the choices made. */
export async function columnsRules(ctx: AppContext, who: Importer, importId: number): Promise<ColumnRules> {
  const row = await pendingPlan(ctx, who, importId);
  const draft = JSON.parse(row.draft) as PlanDraft;
  return { columns: draft.columns, chosen: (JSON.parse(row.options) as ImportOptions).columns ?? [] };
}

/** Reads the plan file again with the columns as the person set them. */
export async function correctColumns(
  ctx: AppContext,
  who: Importer,
  importId: number,
  command: ColumnsCommand,
): Promise<void> {
  const row = await pendingPlan(ctx, who, importId);
  const content = await blobContent(ctx, row.blob_sha256);
  const draft = await readAsFormField(
    readPlan(ctx.config, { fileName: row.file_name, content }, command.columns),
    IMPORT_FIELD,
  );
  const options: ImportOptions = { ...(JSON.parse(row.options) as ImportOptions), columns: command.columns };
  const changed = await updatePendingImport(ctx.db, row.id, {
    draft: JSON.stringify(draft),
    options: JSON.stringify(options),
  });
  // Confirmed or discarded while the file was being read again: say so rather than seem to have saved.
  if (!changed) requirePending(await findImport(ctx, who, importId));
}

/** What the agencies form of this import is checked against: the agencies listed, the organisations to choose. */
export async function agencyRules(ctx: AppContext, who: Importer, importId: number): Promise<AgencyRules> {
  const row = await pendingPlan(ctx, who, importId);
  const view = await loadImport(ctx, who, row.id);
  if (view.kind !== 'plan') throw importRefused(row, 'Only a plan has agencies to map.');
  return {
    agencies: view.changes.agencies.map((a) => a.text),
    organisationIds: view.organisations.map((o) => o.id),
  };
}

/**
 * Says which organisations agency cells stand for in this review: remembered for the review, so
 * this preview and every later import of a plan into it read them so. Audited, one event each.
 */
export async function mapAgencies(
  ctx: AppContext,
  who: Importer,
  importId: number,
  command: AgenciesCommand,
): Promise<void> {
  const row = await pendingPlan(ctx, who, importId);
  const reviewId = row.review_id ?? 0;
  const now = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    for (const choice of command.agencies) {
      await replaceAgencyMapping(
        trx,
        {
          review_id: reviewId,
          agency_key: textKey(choice.agency),
          agency_text: choice.agency,
          user_id: who.audit.userId,
          actor_name: who.name,
          created_at: now,
        },
        choice.organisationIds,
      );
      await recordAudit(
        trx,
        {
          ...who.audit,
          reviewId,
          entityType: 'review',
          entityId: reviewId,
          action: 'agency mapped',
          after: { agency: choice.agency, organisationIds: choice.organisationIds, import: row.id },
        },
        new Date(now),
      );
    }
  });
}

/** What the confirm form of this import is checked against. */
export async function confirmRules(ctx: AppContext, who: Importer, importId: number): Promise<ConfirmRules> {
  const row = await findImport(ctx, who, importId);
  return {
    today: ctx.today(),
    asksReceived: row.kind === 'report' && row.status === 'pending',
    published: publishedOf(row),
  };
}

/** The publication date the report import read, or null (a plan, or a report that gives none). */
function publishedOf(row: ImportRow): string | null {
  return row.kind === 'report' ? (JSON.parse(row.draft) as ReportDraft).review.published : null;
}

const ALREADY_A_REVIEW = 'This report has already been imported as a review; it was not imported again.';

export type ConfirmResult =
  | { kind: 'report'; reviewId: number; result: ReportImportResult }
  | { kind: 'plan'; reviewId: number; result: PlanChanges['counts']; warnings: string[] };

/**
 * Writes what the import read, in one transaction: all of it or, if anything fails, none.
 * For a report, `received` ('YYYY-MM-DD', as the confirm form gives it) is the date the report
 * reached the area (it sets the plan due date); null takes its publication date.
 */
export async function confirmImport(
  ctx: AppContext,
  who: Importer,
  importId: number,
  received: string | null = null,
  { acceptMismatch = false }: { acceptMismatch?: boolean } = {},
): Promise<ConfirmResult> {
  const row = await findImport(ctx, who, importId);
  requirePending(row);
  if (row.kind === 'report') requireReportRights(who);
  else await requirePlanRights(ctx.db, who, row.review_id ?? 0);
  if (received !== null && !parseIsoDate(received))
    throw FormInvalid.of('received', 'The date the report was received must be a real date, as YYYY-MM-DD.');
  // The form checks this too; the command line reaches here without it.
  const tooEarlyOrLate =
    received === null ? null : receivedProblem(received, { today: ctx.today(), published: publishedOf(row) });
  if (tooEarlyOrLate) throw FormInvalid.of('received', tooEarlyOrLate);
  const now = ctx.now().toISOString();
  const undatedOn =
    row.kind === 'plan'
      ? await undatedProgressDay(
          await blobContent(ctx, row.blob_sha256),
          JSON.parse(row.draft) as PlanDraft,
          ctx.today(),
          await planDueOf(ctx, row.review_id),
        )
      : ctx.today();
  try {
    return await writeConfirmed(ctx, who, row, { received, now, undatedOn, acceptMismatch });
  } catch (error) {
    // Two confirmations of the same report at one moment: the database lets only one review have its key.
    if (row.kind === 'report' && isUniqueViolation(error)) throw importRefused(row, ALREADY_A_REVIEW);
    throw error;
  }
}

async function writeConfirmed(
  ctx: AppContext,
  who: Importer,
  row: ImportRow,
  {
    received,
    now,
    undatedOn,
    acceptMismatch,
  }: { received: string | null; now: string; undatedOn: string; acceptMismatch: boolean },
): Promise<ConfirmResult> {
  return ctx.db.transaction().execute(async (trx) => {
    // Only one confirmation wins, however many arrive at once.
    if (!(await decideImport(trx, row.id, 'imported', now)))
      throw FormInvalid.of(IMPORT_FIELD, 'This file has already been imported; nothing more was done.', 409);
    let outcome: ConfirmResult;
    // The details filled in on recommendations the review had: a revert empties them again.
    let filled: FilledDetails[] = [];
    if (row.kind === 'report') {
      const draft = JSON.parse(row.draft) as ReportDraft;
      // Read in the transaction that writes: the same report may have been confirmed from another import.
      if (await findReviewBySourceKey(trx, reportSourceKey(row.blob_sha256)))
        throw importRefused(row, ALREADY_A_REVIEW);
      const result = await applyReport(trx, draft, { sha256: row.blob_sha256, received, who, now });
      outcome = { kind: 'report', reviewId: result.reviewId, result };
    } else {
      const draft = JSON.parse(row.draft) as PlanDraft;
      const reviewId = row.review_id ?? 0;
      const changes = await applyPlan(trx, reviewId, draft, {
        fileName: row.file_name,
        who,
        now,
        today: ctx.today(),
        undatedOn,
        importId: row.id,
      });
      // Worked out in the transaction that writes, so what was confirmed is what was checked; the
      // refusal undoes everything written here.
      if (changes.fit.mismatch && !acceptMismatch)
        throw FormInvalid.of(ACCEPT_MISMATCH_FIELD, mismatchRefusal(changes.fit));
      outcome = { kind: 'plan', reviewId, result: changes.counts, warnings: changes.warnings };
      filled = changes.recommendations.flatMap((r): FilledDetails[] => {
        const fields = (
          [
            ['outcome', r.fills.outcome],
            ['anticipated_evidence', r.fills.anticipatedEvidence],
            ['responsible_officer', r.fills.responsibleOfficer],
          ] as const
        )
          .filter(([, on]) => on)
          .map(([field]) => field);
        return r.status === 'matched' && r.recommendationId !== null && fields.length
          ? [{ recommendationId: r.recommendationId, fields }]
          : [];
      });
    }
    await failpoint('import-confirm');
    await recordImportOutcome(trx, row.id, {
      review_id: outcome.reviewId,
      // While the review stays at this revision, nothing has been built on the import: it can be reverted.
      confirmed_revision: row.kind === 'plan' ? await findPlanRevision(trx, outcome.reviewId) : null,
      summary: JSON.stringify(row.kind === 'plan' ? { ...outcome.result, filled } : outcome.result),
      options: JSON.stringify({ ...(JSON.parse(row.options) as ImportOptions), received }),
    });
    await recordAudit(
      trx,
      {
        ...who.audit,
        reviewId: outcome.reviewId,
        entityType: 'import',
        entityId: row.id,
        action: 'imported',
        after: { kind: row.kind, file: row.file_name, sha256: row.blob_sha256, ...outcome.result },
      },
      new Date(now),
    );
    return outcome;
  });
}

export async function discardImport(
  ctx: AppContext,
  who: Importer,
  importId: number,
): Promise<{ reviewId: number | null }> {
  const row = await findImport(ctx, who, importId);
  requirePending(row);
  if (row.kind === 'plan') await requirePlanRights(ctx.db, who, row.review_id ?? 0);
  // Confirmed a moment ago: the import stays as it was, and the person is told why.
  if (!(await decideImport(ctx.db, row.id, 'discarded', ctx.now().toISOString())))
    requirePending(await findImport(ctx, who, importId));
  return { reviewId: row.review_id };
}

/** The imports of a review, newest first: what came in, from which file, by whom. */
export async function listReviewImports(ctx: AppContext, who: Importer, reviewId: number) {
  await requirePlanRights(ctx.db, who, reviewId);
  const [rows, revision] = await Promise.all([listImportsDone(ctx.db, reviewId), findPlanRevision(ctx.db, reviewId)]);
  const now = ctx.now();
  return rows.map((r) => ({ ...r, revert: revertability({ ...r, status: 'imported' }, now, revision) }));
}

/**
 * Reads a plan and imports it at once (the command line). When everything in the file is in
 * the plan already, nothing at all is written and `changes.nothingToDo` says so.
 */
export async function importPlanNow(
  ctx: AppContext,
  who: Importer,
  reviewId: number,
  file: ImportFile,
  columns: ColumnChoice[] = [],
  { acceptMismatch = false }: { acceptMismatch?: boolean } = {},
): Promise<{ imported: ConfirmResult | null; changes: PlanChanges }> {
  await requirePlanRights(ctx.db, who, reviewId);
  const draft = await readPlan(ctx.config, file, columns);
  const changes = await planChanges(ctx.db, reviewId, draft);
  if (changes.nothingToDo) return { imported: null, changes };
  // Refused before anything is kept: the command line says what differs and how to go on.
  if (changes.fit.mismatch && !acceptMismatch)
    throw new ImportRejected(mismatchRefusal(changes.fit, 'run the command again with --accept-mismatch'));
  const importId = await keepPending(ctx, who, 'plan', reviewId, file, draft, { columns });
  return { imported: await confirmImport(ctx, who, importId, null, { acceptMismatch }), changes };
}

/**
 * Reads a CQC report and makes its review at once (the command line); a report imported before is not
 * imported again.
 */
export async function importReportNow(
  ctx: AppContext,
  who: Importer,
  file: ImportFile,
  received: string | null,
): Promise<{ imported: ConfirmResult | null; preview: ReportPreview }> {
  requireReportRights(who);
  const draft = await readReport(ctx.config, file);
  const preview = await previewReport(ctx.db, draft, sha256Of(file.content), received, canSeeReview(who));
  if (preview.alreadyImportedAs) return { imported: null, preview };
  const importId = await keepPending(ctx, who, 'report', null, file, draft, {});
  return { imported: await confirmImport(ctx, who, importId, received), preview };
}

/* Reverting a plan import */

/** How long after it was confirmed a plan import can be reverted. */
export const REVERT_WINDOW_MS = 24 * 60 * 60 * 1000;

export type Revertability = { can: true } | { can: false; why: string };

/**
 * Whether a confirmed plan import can be reverted now: within a day of being confirmed, and only
 * while nothing has been built on it (the review's plan has not changed since).
 */
export function revertability(
  row: Pick<ImportRow, 'kind' | 'status' | 'reverted_at' | 'decided_at' | 'confirmed_revision'>,
  now: Date,
  planRevision: number,
): Revertability {
  if (row.kind !== 'plan' || row.status !== 'imported')
    return { can: false, why: 'Only an imported plan can be reverted.' };
  if (row.reverted_at) return { can: false, why: 'This import has been reverted already.' };
  if (!row.decided_at || now.getTime() - Date.parse(row.decided_at) > REVERT_WINDOW_MS)
    return {
      can: false,
      why: 'An import can be reverted only within a day of being imported. Change or archive what it added instead.',
    };
  if (row.confirmed_revision === null || row.confirmed_revision !== planRevision)
    return {
      can: false,
      why:
        'The plan has changed since this import, so reverting it could take away work built on it. ' +
        'Change or archive what it added instead.',
    };
  return { can: true };
}

/** A confirmed plan import of the review, for its coordinators: 404 for anything else. */
async function importedPlan(ctx: AppContext, who: Importer, reviewId: number, importId: number) {
  await requirePlanRights(ctx.db, who, reviewId);
  const row = await findImportById(ctx.db, importId);
  if (!row || row.review_id !== reviewId || row.kind !== 'plan' || row.status !== 'imported')
    throw new NotFoundError(`There is no plan import ${importId} in review ${reviewId}`);
  return row;
}

/** What reverting the import would take out, and whether it can be reverted now. */
export async function revertPreview(ctx: AppContext, who: Importer, reviewId: number, importId: number) {
  const row = await importedPlan(ctx, who, reviewId, importId);
  const state = revertability(row, ctx.now(), await findPlanRevision(ctx.db, reviewId));
  return { row, state, added: JSON.parse(row.summary ?? '{}') as Partial<PlanChanges['counts']> };
}

/**
 * Reverts a confirmed plan import, by its importer or another of the review's coordinators, within
 * a day and while nothing has been built on it. One transaction: the import's actions,
 * recommendations and groups are archived, what it added to other actions is withdrawn, its links
 * and assignments are removed and the details it filled in are emptied. The import is recorded as
 * reverted; the audit trail keeps the import and the revert.
 */
export async function revertImport(
  ctx: AppContext,
  who: Importer,
  reviewId: number,
  importId: number,
): Promise<RevertCounts> {
  await importedPlan(ctx, who, reviewId, importId);
  const now = ctx.now();
  const at = now.toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    // Take the review's row first, so the check below and the revert see the same plan.
    await takeReviewRow(trx, reviewId, at);
    const row = await findImportById(trx, importId);
    if (!row) throw new NotFoundError(`There is no plan import ${importId} in review ${reviewId}`);
    const state = revertability(row, now, await findPlanRevision(trx, reviewId));
    if (!state.can) throw FormInvalid.of(IMPORT_FIELD, state.why, row.reverted_at ? 409 : 400);
    const summary = JSON.parse(row.summary ?? '{}') as { filled?: FilledDetails[] };
    const counts = await takeImportBack(trx, {
      reviewId,
      importId,
      now: at,
      who: { userId: who.audit.userId, name: who.name },
      reason: `The import of ${row.file_name} was reverted.`,
      filled: summary.filled ?? [],
    });
    await markReverted(trx, importId, { at, userId: who.audit.userId, name: who.name });
    await recordAudit(
      trx,
      {
        ...who.audit,
        reviewId,
        entityType: 'import',
        entityId: importId,
        action: 'reverted',
        before: { file: row.file_name, importedAt: row.decided_at, importedBy: row.actor_name },
        after: counts,
      },
      now,
    );
    return counts;
  });
}
