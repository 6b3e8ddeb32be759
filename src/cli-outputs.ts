import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './platform/db/database.ts';
import { systemClock, todayInEngland } from './app.ts';
import { CommandError } from './cli-accounts.ts';
import type { AppContext } from './features/context.ts';
import {
  exportPlan,
  PLAN_FORMATS,
  type PlanFormat,
  type ProducedFile,
} from './features/outputs/plan-documents/plan-documents.service.ts';
import {
  produceBoardReport,
  REPORT_FORMATS,
  type ReportFormat,
} from './features/outputs/board-report/board-report.service.ts';
import { VERSION_PURPOSE_LABELS, VERSION_PURPOSES } from './domain/plan-snapshot.ts';
import {
  COMMAND_LINE_ACTING,
  compareVersions,
  issueVersion,
  listVersions,
  requireIssuer,
} from './features/outputs/versions/versions.service.ts';
import { issueVersionForm } from './features/outputs/versions/versions.forms.ts';
import { errorList, FormInvalid, parseForm } from './platform/form-schema.ts';
import { comparisonLines } from './features/outputs/versions/comparison-words.ts';
import { exportReview, TransferRefused } from './features/transfer/transfer.service.ts';

const PURPOSE_LIST = VERSION_PURPOSES.map((p) => `${p} (${VERSION_PURPOSE_LABELS[p].toLowerCase()})`).join(', ');

export const OUTPUT_HELP = `  export review --review ID --out FILE.zip
                     Write the whole review to one file, to move it to another
                     Clasp with "clasp import review": its plan, every history
                     (progress, evidence and its files, ratings, due dates,
                     meetings, questions), issued versions, members, the
                     organisations taking part and its audit trail. Read at one
                     moment, so it can run while people work (see
                     docs/moving-reviews.md).
  export plan --review ID --format docx|xlsx|csv --out FILE [--version N]
                     Write the plan as Word (in the block template, with the
                     version table and key), Excel (actions, progress and
                     evidence sheets) or CSV. Without --version, the plan as it
                     stands now; with it, issued version N exactly as issued.
  report board --review ID --format docx|pdf|html --out FILE [--version N]
                     Write the board and scrutiny report: ratings overall and by
                     organisation, due dates, the trend and what changed since
                     the previous issued version, exceptions with reasons, and
                     the basis of each recommendation's rating.
  version issue --review ID --purpose ${VERSION_PURPOSES.join('|')}
                [--comment TEXT] [--recipients TEXT] [--author NAME]
                     Freeze the plan as it stands as the next version. --author
                     is who issues it, for the version control table (default:
                     command line).
                     Purposes: ${PURPOSE_LIST}.
  version list --review ID [--json]
                     The version control table.
  version compare --review ID --from N|now --to N|now [--json]
                     What changed between two versions, or a version and now.
`;

type Out = (line: string) => void;

function reviewIdOf(value: string | undefined): number {
  const id = Number(value);
  if (!value || !Number.isInteger(id) || id < 1)
    throw new CommandError('Give the review with --review ID (see "clasp reviews").');
  return id;
}

function versionOf(value: string | undefined, option = '--version'): string {
  if (value === undefined) return 'now';
  const v = value.trim();
  if (v === 'now') return 'now';
  if (!/^[0-9A-Za-z.]{1,20}$/.test(v))
    throw new CommandError(
      `${option} "${value}" is not a version number: give a number from "clasp version list", or now.`,
    );
  return v.replace(/\.$/, '');
}

/** Opens the database for one command and closes it afterwards, whatever happens. */
export async function withContext<T>(
  config: Config,
  open: () => Promise<DatabaseHandle>,
  work: (ctx: AppContext) => Promise<T>,
): Promise<T> {
  const handle = await open();
  try {
    return await work({
      db: handle.db,
      config,
      staleDays: config.staleDays,
      now: systemClock,
      today: () => todayInEngland(systemClock()),
    });
  } finally {
    await handle.close();
  }
}

/** Checks --out before any work is done: a file name in a folder that exists. */
async function checkOutPath(file: string): Promise<void> {
  const target = path.resolve(file);
  const existing = await fs.stat(target).catch(() => null);
  if (existing?.isDirectory() || /[\\/]$/.test(file))
    throw new CommandError(
      `--out "${file}" is a folder: give a file name, for example ${path.join(file, 'plan.docx')}`,
    );
  const folder = await fs.stat(path.dirname(target)).catch(() => null);
  if (!folder?.isDirectory())
    throw new CommandError(
      `The folder "${path.dirname(file)}" does not exist: make it first, or write somewhere else.`,
    );
}

/** Writes next to the target and renames, so an interrupted run never leaves half a file under the asked-for name. */
async function writeOut(file: string, produced: ProducedFile, out: Out): Promise<void> {
  const target = path.resolve(file);
  const temporary = `${target}.${process.pid}.part`;
  try {
    await fs.writeFile(temporary, produced.content);
    await fs.rename(temporary, target);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw new CommandError(`Could not write "${file}": ${(error as Error).message}`);
  }
  out(`Wrote ${file} (${produced.content.length.toLocaleString('en-GB')} bytes).`);
}

function documentOptions(rest: string[], formats: readonly string[], example: string) {
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    strict: true,
    options: {
      review: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      version: { type: 'string' },
    },
  });
  if (positionals.length > 0) throw new CommandError(`Unexpected "${positionals.join(' ')}". Example: ${example}`);
  const reviewId = reviewIdOf(values.review);
  const format = values.format ?? '';
  if (!formats.includes(format))
    throw new CommandError(`Give --format as one of ${formats.join(', ')}. Example: ${example}`);
  if (!values.out) throw new CommandError(`Give the file to write with --out FILE. Example: ${example}`);
  return { reviewId, format, out: values.out, point: versionOf(values.version) };
}

export async function exportCommand(
  argv: string[],
  config: Config,
  open: () => Promise<DatabaseHandle>,
  out: Out,
): Promise<number> {
  const [what, ...rest] = argv;
  if (what === 'review') return exportReviewCommand(rest, config, open, out);
  const example = 'clasp export plan --review 1 --format docx --out plan.docx';
  if (what !== 'plan')
    throw new CommandError(`Use "${example}", or "clasp export review --review 1 --out review.zip".`);
  const o = documentOptions(rest, PLAN_FORMATS, example);
  await checkOutPath(o.out);
  return withContext(config, open, async (ctx) => {
    await writeOut(o.out, await exportPlan(ctx, COMMAND_LINE_ACTING, o.reviewId, o.format as PlanFormat, o.point), out);
    return 0;
  });
}

/** `clasp export review --review ID --out FILE.zip`: the whole review, to import into another Clasp. */
async function exportReviewCommand(
  rest: string[],
  config: Config,
  open: () => Promise<DatabaseHandle>,
  out: Out,
): Promise<number> {
  const example = 'clasp export review --review 1 --out review.zip';
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    strict: true,
    options: { review: { type: 'string' }, out: { type: 'string' } },
  });
  if (positionals.length > 0) throw new CommandError(`Unexpected "${positionals.join(' ')}". Example: ${example}`);
  const reviewId = reviewIdOf(values.review);
  if (!values.out) throw new CommandError(`Give the file to write with --out FILE.zip. Example: ${example}`);
  await checkOutPath(values.out);
  const handle = await open();
  try {
    const started = performance.now();
    const { bytes, manifest } = await exportReview(handle.db, handle.kind, reviewId, systemClock()).catch(
      (error: unknown) => {
        throw error instanceof TransferRefused ? new CommandError(error.message) : error;
      },
    );
    await writeOut(
      values.out,
      { fileName: path.basename(values.out), mediaType: 'application/zip', content: Buffer.from(bytes) },
      out,
    );
    const c = manifest.counts;
    out(
      `Review ${reviewId} ("${manifest.source.title}"): ${c.actions} actions, ${c.progress_updates} progress ` +
        `updates, ${c.evidence_items} evidence items (${c.files} files), ${c.rating_events} ratings, ` +
        `${c.plan_versions} versions, ${c.memberships} members, ${c.audit_events} audit events, in ` +
        `${Math.round(performance.now() - started)} ms.`,
    );
    out(`Bring it into another Clasp with "clasp import review ${values.out}".`);
    return 0;
  } finally {
    await handle.close();
  }
}

export async function reportCommand(
  argv: string[],
  config: Config,
  open: () => Promise<DatabaseHandle>,
  out: Out,
): Promise<number> {
  const [what, ...rest] = argv;
  const example = 'clasp report board --review 1 --format pdf --out board.pdf';
  if (what !== 'board') throw new CommandError(`Use "${example}".`);
  const o = documentOptions(rest, REPORT_FORMATS, example);
  await checkOutPath(o.out);
  return withContext(config, open, async (ctx) => {
    await writeOut(
      o.out,
      await produceBoardReport(ctx, COMMAND_LINE_ACTING, o.reviewId, o.format as ReportFormat, o.point),
      out,
    );
    return 0;
  });
}

export async function versionCommand(
  argv: string[],
  config: Config,
  open: () => Promise<DatabaseHandle>,
  out: Out,
): Promise<number> {
  const [what, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    strict: true,
    options: {
      review: { type: 'string' },
      purpose: { type: 'string' },
      comment: { type: 'string' },
      recipients: { type: 'string' },
      author: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length > 0)
    throw new CommandError(`Unexpected "${positionals.join(' ')}". Run "clasp --help" to see the options.`);
  const reviewId = reviewIdOf(values.review);
  return withContext(config, open, async (ctx) => {
    switch (what) {
      case 'issue': {
        const author = values.author?.trim();
        const who = author ? { ...COMMAND_LINE_ACTING, name: author.slice(0, 200) } : COMMAND_LINE_ACTING;
        try {
          await requireIssuer(ctx, who, reviewId);
          // The options are checked by the same form as the page's: --purpose, --comment, --recipients.
          const command = await parseForm(issueVersionForm, {
            purpose: values.purpose ?? '',
            comment: values.comment ?? '',
            recipients: values.recipients ?? '',
          });
          const row = await issueVersion(ctx, who, reviewId, command);
          out(
            values.json
              ? JSON.stringify(row, null, 2)
              : `Issued version ${row.number} of review ${reviewId} on ${row.issuedOn ?? ''}: ${row.actionText}.`,
          );
        } catch (error) {
          if (!(error instanceof FormInvalid)) throw error;
          // A clash with versions issued at the same moment is not a mistake in an option.
          const problems = errorList(error.errors);
          if (error.status === 409) throw new CommandError(problems.map((e) => e.message).join(' '));
          // The page's message names no values; the command line lists those it takes.
          throw new CommandError(
            problems
              .map((e) => `--${e.field}: ${e.message}${e.allowed ? ` (one of: ${e.allowed.join(', ')})` : ''}.`)
              .join(' '),
          );
        }
        return 0;
      }
      case 'list': {
        const rows = await listVersions(ctx, COMMAND_LINE_ACTING, reviewId);
        if (values.json) out(JSON.stringify(rows, null, 2));
        else if (rows.length === 0)
          out(
            `Review ${reviewId} has no versions yet. Issue one with "clasp version issue --review ${reviewId} ` +
              '--purpose comment".',
          );
        else {
          out(['Version', 'Date', 'Author', 'Action', 'Comment', 'Plan held'].join('\t'));
          for (const r of rows)
            out(
              [
                r.number,
                r.issuedOn ?? '',
                r.author,
                r.actionText.replace(/\s+/g, ' '),
                r.comment.replace(/\s+/g, ' '),
                r.frozen ? 'yes' : 'no',
              ].join('\t'),
            );
        }
        return 0;
      }
      case 'compare': {
        if (!values.from || !values.to) throw new CommandError('Give --from and --to: version numbers, or now.');
        const comparison = await compareVersions(
          ctx,
          COMMAND_LINE_ACTING,
          reviewId,
          versionOf(values.from, '--from'),
          versionOf(values.to, '--to'),
        );
        if (values.json) out(JSON.stringify(comparison, null, 2));
        else for (const line of comparisonLines(comparison)) out(line);
        return 0;
      }
      default:
        throw new CommandError(
          'Use "clasp version issue|list|compare --review ID …". Run "clasp --help" to see the options.',
        );
    }
  });
}
