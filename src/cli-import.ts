import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './platform/db/database.ts';
import { parseIsoDate } from './domain/dates.ts';
import { CommandError } from './cli-accounts.ts';
import { withContext } from './cli-outputs.ts';
import { errorList, FormInvalid } from './platform/form-schema.ts';
import { PLAN_FIELDS, planJson, reportJson, type ColumnChoice, type PlanField } from './features/imports/drafts.ts';
import { ImportRejected } from './features/imports/errors.ts';
import type { ImportFile } from './features/imports/imports.forms.ts';
import { COMMAND_LINE } from './features/imports/importer.ts';
import { importPlanNow, importReportNow, readPlan, readReport } from './features/imports/imports.service.ts';
import { importReview, TransferRefused, type ImportedReview } from './features/transfer/transfer.service.ts';
import { systemClock } from './app.ts';

export const IMPORT_HELP = `  import review FILE.zip [--json]
                     Bring in a whole review written by "clasp export review" on
                     another Clasp, under new ids, in one transaction. The file's
                     checksums are checked first; a damaged file, one from a newer
                     Clasp, or a review imported here before is refused and
                     nothing is written. People are matched by email (anyone new
                     gets an account with no password: send them an invitation);
                     organisations by name, then short name (new ones are added).
  import report FILE [--received YYYY-MM-DD] [--dry-run] [--json]
                     Read a CQC report (PDF, Word .docx, HTML, text or
                     Markdown) and start a review from it: findings, groups,
                     recommendations and organisations. --received is the day
                     the report arrived (default: its publication date); the
                     plan is due 20 working days later. The same report is
                     never imported twice.
  import plan FILE --review ID [--column TABLE:COLUMN=FIELD ...] [--accept-mismatch]
                     [--dry-run] [--json]
                     Bring an existing action plan (.docx, .xlsx or .csv) into
                     review ID. Recommendations are matched by number; what is
                     already in the plan is left as it is, so importing the same
                     file again changes nothing. --column corrects how a column
                     is read (numbers as in the --dry-run output, counted from
                     1); FIELD is one of: ${PLAN_FIELDS.join(', ')}.
                     A file that does not look like the review's plan (its
                     recommendations or agencies are not the review's) is refused,
                     saying what differs; --accept-mismatch imports it all the same.
                     With --dry-run nothing is written; with --json the result
                     is printed as JSON.
`;

type Out = (line: string) => void;

async function readFileArgument(file: string | undefined, limitBytes: number): Promise<ImportFile> {
  if (!file) throw new CommandError('Give the file to import, for example: clasp import report report.pdf');
  let stat;
  try {
    stat = await fs.stat(file);
  } catch {
    throw new CommandError(`There is no file "${file}".`);
  }
  if (!stat.isFile()) throw new CommandError(`"${file}" is not a file.`);
  // Checked before reading, so a huge file is never loaded into memory.
  if (stat.size > limitBytes) {
    const mb = (n: number) => `${(n / (1024 * 1024)).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;
    throw new ImportRejected(
      `This file is ${mb(stat.size)}; the largest file Clasp accepts is ${mb(limitBytes)}. ` +
        'Split it, or remove pictures, and try again.',
    );
  }
  return { fileName: path.basename(file), content: new Uint8Array(await fs.readFile(file)) };
}

/**
 * The import services refuse as they refuse a form (the same report confirmed twice at one
 * moment, say); the command line tells the reason in its one line.
 */
async function refusedAsRejected<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (!(error instanceof FormInvalid)) throw error;
    throw new ImportRejected(
      errorList(error.errors)
        .map((e) => e.message)
        .join(' '),
    );
  }
}

function readColumns(values: string[] | undefined): ColumnChoice[] {
  return (values ?? []).map((v) => {
    const m = /^(\d+):(\d+)=(\w+)$/.exec(v.trim());
    const field = m?.[3] as PlanField | undefined;
    if (!m || !field || !PLAN_FIELDS.includes(field)) {
      throw new CommandError(
        `--column "${v}" is not understood: write it as TABLE:COLUMN=FIELD, for example 1:3=lead, ` +
          `where FIELD is one of ${PLAN_FIELDS.join(', ')}.`,
      );
    }
    return { table: Number(m[1]) - 1, column: Number(m[2]) - 1, field };
  });
}

export async function importCommand(
  argv: string[],
  config: Config,
  open: () => Promise<DatabaseHandle>,
  out: Out,
): Promise<number> {
  const [what, ...rest] = argv;
  if (what === 'review') return importReviewCommand(rest, open, out);
  if (what !== 'report' && what !== 'plan')
    throw new CommandError(
      'Use "clasp import report FILE", "clasp import plan FILE --review ID" or "clasp import review FILE.zip". ' +
        'Run "clasp --help" to see the options.',
    );
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    strict: true,
    options: {
      review: { type: 'string' },
      received: { type: 'string' },
      column: { type: 'string', multiple: true },
      'accept-mismatch': { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length > 1) throw new CommandError('Give one file at a time.');
  const file = await readFileArgument(positionals[0], config.uploadLimitBytes);
  const dryRun = values['dry-run'];
  const json = values.json;

  if (what === 'report') {
    if (values.review || values.column || values['accept-mismatch'])
      throw new CommandError('--review, --column and --accept-mismatch are for "clasp import plan".');
    const received = values.received ?? null;
    if (received !== null && !parseIsoDate(received))
      throw new CommandError(`--received must be a date as YYYY-MM-DD, not "${received}".`);
    if (dryRun) {
      const draft = await readReport(config, file);
      if (json) out(JSON.stringify(reportJson(draft), null, 2));
      else printReportSummary(draft, out);
      return 0;
    }
    return withContext(config, open, async (ctx) => {
      const { imported, preview } = await refusedAsRejected(importReportNow(ctx, COMMAND_LINE, file, received));
      if (json) {
        out(
          JSON.stringify(
            imported
              ? { reviewId: imported.reviewId, created: true, ...imported.result }
              : { reviewId: preview.alreadyImportedAs?.id ?? null, created: false },
            null,
            2,
          ),
        );
      } else if (imported && imported.kind === 'report') {
        out(`Made review ${imported.reviewId}: ${preview.title}.`);
        out(
          `${imported.result.counts.findings} findings, ${imported.result.counts.recommendations} ` +
            `recommendations in ${imported.result.counts.groups} groups.`,
        );
        if (imported.result.organisationsAdded.length)
          out(`New organisations: ${imported.result.organisationsAdded.join('; ')}.`);
        if (preview.planDue) out(`The plan is due on ${preview.planDue}.`);
        for (const w of preview.warnings) out(`Warning: ${w}`);
        out(`Give people roles with "clasp member add --review ${imported.reviewId} …".`);
      } else {
        out(`This report was imported before, as review ${preview.alreadyImportedAs?.id}; nothing changed.`);
      }
      return 0;
    });
  }

  if (values.received) throw new CommandError('--received is for "clasp import report".');
  const columns = readColumns(values.column);
  if (dryRun) {
    const draft = await readPlan(config, file, columns);
    if (json) out(JSON.stringify(planJson(draft), null, 2));
    else printPlanSummary(draft, out);
    return 0;
  }
  const reviewId = Number(values.review);
  if (!values.review || !Number.isInteger(reviewId) || reviewId < 1)
    throw new CommandError('Give the review to import into with --review ID (see "clasp reviews").');
  return withContext(config, open, async (ctx) => {
    const { imported, changes } = await refusedAsRejected(
      importPlanNow(ctx, COMMAND_LINE, reviewId, file, columns, { acceptMismatch: values['accept-mismatch'] }),
    );
    if (json) {
      out(
        JSON.stringify(
          { reviewId, changed: imported !== null, ...changes.counts, warnings: changes.warnings },
          null,
          2,
        ),
      );
      return 0;
    }
    if (!imported) {
      out(`Everything in this file is already in review ${reviewId}; nothing changed.`);
      return 0;
    }
    const c = changes.counts;
    out(
      `Imported into review ${reviewId}: ${c.actionsNew} new actions (${c.actionsPresent} already ` +
        `there), ${c.progressNew} progress entries, ${c.recommendationsNew} new recommendations, ${c.ratings} ` +
        'ratings.',
    );
    for (const w of changes.warnings) out(`Warning: ${w}`);
    return 0;
  });
}

/** `clasp import review FILE.zip`: a review from another Clasp, whole, under new ids. */
async function importReviewCommand(rest: string[], open: () => Promise<DatabaseHandle>, out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    strict: true,
    options: { json: { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1)
    throw new CommandError('Give one file to import, for example: clasp import review review.zip');
  const file = positionals[0] ?? '';
  const stat = await fs.stat(file).catch(() => null);
  if (!stat?.isFile()) throw new CommandError(`There is no file "${file}".`);
  const content = new Uint8Array(await fs.readFile(file));
  const handle = await open();
  try {
    const started = performance.now();
    let result: ImportedReview;
    try {
      result = await importReview(handle.db, path.basename(file), content, systemClock());
    } catch (error) {
      if (error instanceof TransferRefused) throw new CommandError(error.message);
      throw error;
    }
    const ms = Math.round(performance.now() - started);
    if (values.json) {
      out(JSON.stringify({ ...result, manifest: undefined, source: result.manifest.source, ms }, null, 2));
      return 0;
    }
    printImportedReview(result, ms, out);
    return 0;
  } finally {
    await handle.close();
  }
}

function printImportedReview(result: ImportedReview, ms: number, out: Out): void {
  const { source, exportedAt } = result.manifest;
  const c = result.counts;
  out(
    `Imported review ${source.reviewId} ("${source.title}", exported ${exportedAt}) as review ${result.reviewId}, ` +
      `in ${ms} ms.`,
  );
  out(
    `${c.findings} findings, ${c.recommendations} recommendations, ${c.actions} actions; ${c.progress_updates} ` +
      `progress updates, ${c.evidence_items} evidence items, ${c.rating_events} ratings, ${c.due_date_changes} ` +
      `due date changes, ${c.meetings} meetings, ${c.questions} questions, ${c.plan_versions} versions, ` +
      `${c.memberships} members, ${c.audit_events} audit events.`,
  );
  out(`Evidence files: ${result.filesAdded} added, ${result.filesReused} already here.`);
  out(`People: ${result.peopleMatched} matched by email, ${result.peopleCreated.length} new.`);
  if (result.peopleCreated.length)
    out(
      `New accounts, with no password yet (send each an invitation from Administration > Accounts): ` +
        `${result.peopleCreated.join(', ')}.`,
    );
  out(`Organisations: ${result.organisationsMatched} matched, ${result.organisationsCreated.length} new.`);
  if (result.organisationsCreated.length) out(`New organisations: ${result.organisationsCreated.join('; ')}.`);
}

function printReportSummary(draft: Awaited<ReturnType<typeof readReport>>, out: Out): void {
  const recs = draft.groups.reduce((n, g) => n + g.recommendations.length, 0);
  out(draft.review.title ?? 'CQC report');
  out(`${draft.findings.length} findings; ${recs} recommendations in ${draft.groups.length} groups.`);
  for (const g of draft.groups)
    out(`  Group ${g.number}: ${g.addressees.join('; ')} (${g.recommendations.length} recommendations)`);
  for (const w of draft.warnings) out(`Warning: ${w}`);
  out('Nothing was written (dry run).');
}

function printPlanSummary(draft: Awaited<ReturnType<typeof readPlan>>, out: Out): void {
  const actions = draft.recommendations.reduce((n, r) => n + r.actions.length, 0);
  out(`${draft.recommendations.length} recommendations, ${actions} actions.`);
  out('Columns:');
  for (const c of draft.columns) out(`  ${c.table + 1}:${c.column + 1}\t${c.header || '(no heading)'}\t→ ${c.field}`);
  for (const u of draft.unplaced) out(`Not placed: ${u.source}: ${u.reason}`);
  for (const w of draft.warnings) out(`Warning: ${w}`);
  out('Nothing was written (dry run).');
}
