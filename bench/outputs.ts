// npm run bench:outputs (and the third part of npm run bench): how long Clasp takes to make
// its documents, and how much memory it needs, for the largest plan of the national data set
// (bench/generate.ts) and a 400-action plan (bench/outputs-data.ts says how each is made).
//
// Each document of each plan is one case, in a fresh child process (bench/outputs-child.ts)
// on a database prepared once: the plan as Word, Excel and CSV (takeSnapshot, then writePlan),
// and the board report as PDF, Word and HTML (takeSnapshot, previousFrozenVersion and
// boardReportOf, then writeBoardReport). A case makes its document BENCH_OUTPUTS_REPEAT + 1
// times: the first run apart (code and fonts loaded on first use), then the median of the
// rest. "total" (snapshot + model + writer) is what a person waits for, and is what the aims
// apply to: Word and Excel under 2 s, PDF under 3 s, memory under 300 MB. Memory is judged
// twice: the process's peak up to the end of its first document (VmHWM), and its peak over
// all its runs (resourceUsage().maxRSS), which shows how much garbage V8 lets pile up.
//
// Baseline, in the same run and in processes of their own: the library floor
// (bench/outputs-floor.ts), the same library writing a document of the same text with no
// layout; "× floor" is Clasp's writer over the floor.
//
// By default the children run the compiled build (tsc into the temp folder), as production
// runs dist/; with BENCH_OUTPUTS_FROM=source, or if the build fails, the sources through tsx.
//
// Environment:
//   BENCH_OUTPUTS_REPEAT     runs after the first in each case (default 5)
//   BENCH_OUTPUTS_REVIEWS    reviews in the national data set (default 150)
//   BENCH_OUTPUTS_ACTIONS    actions in the generated plan (default 400)
//   BENCH_OUTPUTS_FROM       build (default) or source
//   BENCH_DATABASE_URL       postgres://… of a cluster where the user may create databases: the
//                            cases run on PostgreSQL too, in a database made for the run
//                            (BENCH_PG_OUTPUTS_DATABASE, default clasp_bench_outputs)
//   BENCH_OUTPUTS_OUTPUT     a file to write every figure to as JSON
//   BENCH_OUTPUTS_ONLY       documents to run, e.g. "board-pdf,plan-docx" (default: all six)
//   BENCH_OUTPUTS_NODE_FLAGS extra node flags for the children, e.g. "--max-old-space-size=256"
//   BENCH_KEEP=1             keep the temp folder (build, SQLite database, generated plan)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { adminQuery } from './pg-admin.ts';
import type { Output } from './outputs-child.ts';
import { prepareData, type BenchPlan } from './outputs-data.ts';
import type { FloorKind } from './outputs-floor.ts';
import { AIMS, floorTable, resultsTable, sameBytes, table, verdicts, type CaseResult } from './outputs-report.ts';
import { chooseSource, runChild, type Measured, type Source } from './outputs-run.ts';
import { envWholeNumber } from './machine.ts';

const rootDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

const settings = {
  repeat: envWholeNumber('BENCH_OUTPUTS_REPEAT', 5),
  reviews: envWholeNumber('BENCH_OUTPUTS_REVIEWS', 150),
  actions: envWholeNumber('BENCH_OUTPUTS_ACTIONS', 400),
  from: process.env.BENCH_OUTPUTS_FROM === 'source' ? ('source' as const) : ('build' as const),
  adminUrl: process.env.BENCH_DATABASE_URL || null,
  pgDatabase: process.env.BENCH_PG_OUTPUTS_DATABASE || 'clasp_bench_outputs',
  output: process.env.BENCH_OUTPUTS_OUTPUT || null,
  keep: process.env.BENCH_KEEP === '1',
  only: (process.env.BENCH_OUTPUTS_ONLY ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== ''),
  nodeFlags: (process.env.BENCH_OUTPUTS_NODE_FLAGS ?? '').split(/\s+/).filter((f) => f !== ''),
};

const DOCUMENTS: { output: Output; name: string; aimMs: number | null; floor: FloorKind | null }[] = [
  { output: 'plan-docx', name: 'plan Word', aimMs: AIMS.wordMs, floor: 'plan-docx' },
  { output: 'plan-xlsx', name: 'plan Excel', aimMs: AIMS.excelMs, floor: 'plan-xlsx' },
  { output: 'plan-csv', name: 'plan CSV', aimMs: null, floor: null },
  { output: 'board-pdf', name: 'board PDF', aimMs: AIMS.pdfMs, floor: 'board-pdf' },
  { output: 'board-docx', name: 'board Word', aimMs: AIMS.wordMs, floor: 'board-docx' },
  { output: 'board-html', name: 'board HTML', aimMs: null, floor: null },
];

const log = (line = '') => process.stdout.write(`${line}\n`);

const unknown = settings.only.filter((o) => !DOCUMENTS.some((d) => d.output === o));
if (unknown.length)
  throw new Error(
    `BENCH_OUTPUTS_ONLY: no document called ${unknown.join(', ')} ` +
      `(choose from ${DOCUMENTS.map((d) => d.output).join(', ')})`,
  );

/* ---------- databases ---------- */

type Target = {
  name: 'SQLite' | 'PostgreSQL';
  url: string | null;
  sqliteFile: string;
  plans: BenchPlan[];
  drop(): Promise<void>;
};

async function prepareTarget(name: Target['name'], workDir: string): Promise<Target> {
  let url: string | null = null;
  let drop = async () => {};
  if (name === 'PostgreSQL') {
    const admin = settings.adminUrl as string;
    const db = settings.pgDatabase;
    if (!/^[a-z_][a-z0-9_]*$/.test(db)) throw new Error(`BENCH_PG_OUTPUTS_DATABASE "${db}" is not a plain name`);
    const parsed = new URL(admin);
    if (decodeURIComponent(parsed.pathname.slice(1)) === db)
      throw new Error(`BENCH_DATABASE_URL must name another database than ${db}, which this bench drops and creates`);
    parsed.pathname = `/${db}`;
    url = parsed.toString();
    drop = () => adminQuery(admin, `drop database if exists ${db} with (force)`);
    await drop();
    await adminQuery(admin, `create database ${db}`);
  }
  const sqliteFile = path.join(workDir, 'outputs.db');
  const handle = await openDatabase({ url, sqliteFile });
  try {
    await migrateToLatest(handle);
    const started = performance.now();
    const data = await prepareData(handle, workDir, { reviews: settings.reviews, actions: settings.actions });
    const steps = Object.entries(data.timings)
      .map(([step, t]) => `${step} ${(t / 1000).toFixed(1)} s`)
      .join(', ');
    log(`${name}: prepared in ${((performance.now() - started) / 1000).toFixed(0)} s (${steps})`);
    return { name, url, sqliteFile, plans: data.plans, drop };
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  } finally {
    await handle.close();
  }
}

/* ---------- the run ---------- */

async function measure(
  source: Source,
  target: Target,
  plan: BenchPlan,
  kind: 'case' | 'floor',
  output: Output,
  workDir: string,
): Promise<Measured> {
  return runChild(
    source,
    {
      kind,
      output,
      url: target.url,
      sqliteFile: target.sqliteFile,
      dataDir: workDir,
      reviewId: plan.reviewId,
      today: plan.today,
      runs: settings.repeat + 1,
    },
    rootDir,
  );
}

async function runCases(source: Source, targets: Target[], workDir: string): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const target of targets) {
    for (const plan of target.plans) {
      for (const doc of DOCUMENTS.filter((d) => settings.only.length === 0 || settings.only.includes(d.output))) {
        const result: CaseResult = {
          database: target.name,
          plan: plan.name,
          document: doc.name,
          aimMs: doc.aimMs,
          measured: null,
          floor: null,
          error: null,
        };
        try {
          result.measured = await measure(source, target, plan, 'case', doc.output, workDir);
        } catch (error) {
          result.error = (error as Error).message;
        }
        // The floor does not touch the database while timed, so it runs once, beside the SQLite case.
        if (doc.floor && target === targets[0]) {
          try {
            result.floor = await measure(source, target, plan, 'floor', doc.floor, workDir);
          } catch (error) {
            result.error ??= `floor: ${(error as Error).message}`;
          }
        }
        log(
          `  ${target.name}, ${plan.name}, ${doc.name}: ` +
            (result.measured ? `${(result.measured.wallMs / 1000).toFixed(1)} s` : 'failed'),
        );
        results.push(result);
      }
    }
  }
  return results;
}

function printResults(targets: Target[], results: CaseResult[]): void {
  log();
  log(
    `Results: milliseconds, median of ${settings.repeat} runs after the first (a new snapshot each run); memory in MB`,
  );
  for (const target of targets) {
    log();
    log(target.name);
    log(resultsTable(results.filter((r) => r.database === target.name)));
  }
  log(
    'first: the first run in the process (snapshot + model + writer). ' +
      'model: previous version read back and boardReportOf.',
  );
  log(
    'total: snapshot + model + writer. ' +
      'floor: the library floor writing the same text with no layout; × floor = writer ÷ floor.',
  );
  log(
    'node MB: the child before it loads the app. ' +
      'start MB: once the app and libraries are loaded and the database open.',
  );
  log(
    '1st peak: the highest RSS up to the end of the first run. ' +
      'peak MB: resourceUsage().maxRSS over the whole life of the process.',
  );
  log('other CPU %: the rest of the machine while the case ran; read a run only when it is low.');
  log();
  log('Library floors (SQLite, data taken once untimed; medians after the first run):');
  log(floorTable(results.filter((r) => r.database === targets[0]?.name)));
  const varying = results.filter((r) => r.measured && !sameBytes(r.measured));
  if (varying.length)
    log(
      'Note: the bytes differed between runs of ' +
        `${varying.map((r) => `${r.plan} ${r.document} (${r.database})`).join('; ')}.`,
    );
  const failures = results.filter((r) => r.error);
  if (failures.length) {
    log();
    log(`${failures.length} case(s) failed:`);
    for (const r of failures)
      log(`  ${r.plan}, ${r.document}, ${r.database}: ${(r.error ?? '').split('\n').slice(0, 4).join('\n    ')}`);
  }
  log();
  log('Aims (times: the median of the runs after the first, the first run in brackets)');
  log(table(verdicts(results).map((v) => [v.aim, v.detail, v.ok ? 'PASS' : 'MISS'])));
}

async function main(): Promise<void> {
  const started = performance.now();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clasp-bench-outputs-'));
  const targets: Target[] = [];
  try {
    const cpus = os.cpus();
    log('Clasp outputs benchmark');
    log(
      `Machine: ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ` +
        `${(os.totalmem() / 1024 ** 3).toFixed(1)} GB RAM, ${os.type()} ${os.release()}, Node ${process.version}`,
    );
    log(
      `Load average before: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    for (const name of settings.adminUrl ? (['SQLite', 'PostgreSQL'] as const) : (['SQLite'] as const))
      targets.push(await prepareTarget(name, workDir));
    for (const plan of targets[0]?.plans ?? []) {
      const c = plan.counts;
      log(
        `${plan.name}: review ${plan.reviewId}, ${c.recommendations} recommendations, ${c.actions} actions, ` +
          `${c.progress} progress entries, ${c.evidence} evidence items, ${c.ratingEvents} rating events; ` +
          `assessed as at ${plan.today}`,
      );
    }
    const building = performance.now();
    const source = chooseSource(rootDir, workDir, settings.from, settings.nodeFlags, log);
    if (settings.from === 'build') log(`Build: ${((performance.now() - building) / 1000).toFixed(0)} s`);
    log(
      `Measuring ${source.label}${settings.nodeFlags.length ? ` with ${settings.nodeFlags.join(' ')}` : ''}; ` +
        `each case in a fresh process, ${settings.repeat + 1} runs (the first reported apart).`,
    );
    const results = await runCases(source, targets, workDir);
    printResults(targets, results);
    log();
    log(
      `Load average after: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}. Total time ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
    if (settings.output) {
      const json = {
        date: new Date().toISOString(),
        machine: { cpus: cpus.length, model: cpus[0]?.model, node: process.version },
        measured: source.label,
        settings,
        plans: targets.map((t) => ({ database: t.name, plans: t.plans })),
        results,
        aims: verdicts(results),
      };
      fs.writeFileSync(settings.output, `${JSON.stringify(json, null, 2)}\n`);
      log(`Wrote ${settings.output}`);
    }
    if (results.some((r) => r.error)) process.exitCode = 1;
  } finally {
    if (!settings.keep)
      await Promise.all(
        targets.map((t) =>
          t
            .drop()
            .catch((e: unknown) =>
              log(`Could not drop the ${t.name} bench database: ${e instanceof Error ? e.message : String(e)}`),
            ),
        ),
      );
    if (settings.keep) log(`Kept ${workDir}`);
    else fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench outputs: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
