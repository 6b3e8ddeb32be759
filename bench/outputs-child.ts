// One case of the outputs benchmark, in a process of its own so that its peak memory is its
// own (started by bench/outputs.ts with the job in BENCH_OUTPUTS_JOB; prints one line of JSON).
//
// A case makes one document of one plan `runs` times, as a person downloading it would:
// snapshot (takeSnapshot, the database reads and the plan analysis), then for a board report
// the previous issued version (previousFrozenVersion) and the report model (boardReportOf),
// then the writer. The first run is reported apart: it pays for code and fonts loaded on
// first use. A floor job takes the snapshot (and report) once, untimed, and times the
// library floor (bench/outputs-floor.ts) instead.
//
// The app's modules are imported from job.root, the compiled build or src/, so this file
// imports nothing of the app at run time (types only) and can run compiled on its own.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { writeFloor, type FloorKind } from './outputs-floor.ts';
import type * as DatabaseModule from '../src/platform/db/database.ts';
import type * as ConfigModule from '../src/config.ts';
import type * as SnapshotModule from '../src/features/outputs/versions/take-snapshot.ts';
import type * as VersionsModule from '../src/features/outputs/versions/versions.service.ts';
import type * as ExportsModule from '../src/features/outputs/plan-documents/plan-documents.service.ts';
import type * as ReportsModule from '../src/features/outputs/board-report/board-report.service.ts';

export type Output = 'plan-docx' | 'plan-xlsx' | 'plan-csv' | 'board-pdf' | 'board-docx' | 'board-html';

export interface ChildJob {
  kind: 'case' | 'floor';
  output: Output;
  root: string;
  ext: string;
  url: string | null;
  sqliteFile: string;
  dataDir: string;
  reviewId: number;
  today: string;
  runs: number;
}

export interface RunTimes {
  snapshotMs: number;
  /** Board reports: reading the previous issued version back and building the report model. */
  modelMs: number;
  writeMs: number;
  totalMs: number;
  bytes: number;
  sha256: string;
  /** PDF: pages. */
  pages: number | null;
}

export interface ChildResult {
  /** Resident memory of node alone, before the app's modules are loaded. */
  bootRssMb: number;
  /** Resident memory once the modules are loaded and the database is open, before any run. */
  startRssMb: number;
  /** Highest resident memory of the process up to the end of the first run. */
  firstPeakMb: number;
  /** Highest resident memory of the process over its whole life (resourceUsage().maxRSS). */
  peakMb: number;
  runs: RunTimes[];
  /** CPU of the whole process over its life, to tell what else the machine was doing. */
  processCpuMs: number;
  plan: { actions: number; progress: number; evidence: number; exceptions: number };
}

type Modules = {
  database: typeof DatabaseModule;
  config: typeof ConfigModule;
  snapshot: typeof SnapshotModule;
  versions: typeof VersionsModule;
  exports: typeof ExportsModule;
  reports: typeof ReportsModule;
};

const job = JSON.parse(process.env.BENCH_OUTPUTS_JOB ?? '{}') as ChildJob;
const from = <K extends keyof Modules>(rel: string): Promise<Modules[K]> =>
  import(new URL(rel + job.ext, job.root).href) as Promise<Modules[K]>;
const mb = (bytes: number) => bytes / 1024 / 1024;
const bootRssMb = mb(process.memoryUsage().rss);
const actor = { userId: 0, name: 'bench', email: '', isAdmin: true, memberships: [] };

function peakSoFarMb(): number {
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const kb = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN);
  return Number.isFinite(kb) ? kb / 1024 : process.resourceUsage().maxRSS / 1024;
}

async function main(): Promise<ChildResult> {
  const board = job.output.startsWith('board-');
  const format = job.output.slice(job.output.indexOf('-') + 1);
  const [database, config, snapshotModule] = await Promise.all([
    from<'database'>('platform/db/database'),
    from<'config'>('config'),
    from<'snapshot'>('features/outputs/versions/take-snapshot'),
  ]);
  const versions = board ? await from<'versions'>('features/outputs/versions/versions.service') : null;
  const exportsModule = board ? null : await from<'exports'>('features/outputs/plan-documents/plan-documents.service');
  const reports = board ? await from<'reports'>('features/outputs/board-report/board-report.service') : null;
  const handle = await database.openDatabase({ url: job.url, sqliteFile: job.sqliteFile });
  const ctx = {
    db: handle.db,
    config: config.loadConfig({ LOG_LEVEL: 'silent', CLASP_DATA_DIR: job.dataDir }),
    staleDays: 90,
    now: () => new Date(),
    today: () => job.today,
  };
  const takenAt = `${job.today}T09:00:00.000Z`;
  const takeSnapshot = () => snapshotModule.takeSnapshot(ctx, actor, job.reviewId, takenAt);
  const previousOf = () =>
    versions
      ? versions.previousFrozenVersion(ctx, versions.COMMAND_LINE_ACTING, job.reviewId, 'now')
      : Promise.resolve(null);

  const runs: RunTimes[] = [];
  let firstPeakMb = NaN;
  let plan: ChildResult['plan'] | null = null;
  const startRssMb = mb(process.memoryUsage().rss);
  // A floor job gets its data once, untimed: only the library's writing is compared.
  const fixed = job.kind === 'floor' ? await takeSnapshot() : null;
  const fixedReport = fixed && reports ? reports.boardReportOf(fixed, await previousOf()) : null;

  for (let run = 0; run < job.runs; run++) {
    const t0 = performance.now();
    const snapshot = fixed ?? (await takeSnapshot());
    const t1 = performance.now();
    const report = fixedReport ?? (reports ? reports.boardReportOf(snapshot, await previousOf()) : null);
    const t2 = performance.now();
    let content: Buffer;
    if (job.kind === 'floor') content = await writeFloor(job.output as FloorKind, snapshot, report);
    else if (reports && report)
      content = (await reports.writeBoardReport(report, snapshot, format as 'pdf' | 'docx' | 'html')).content;
    else if (exportsModule)
      content = (await exportsModule.writePlan(snapshot, format as 'docx' | 'xlsx' | 'csv')).content;
    else throw new Error(`Nothing writes ${job.output}`);
    const t3 = performance.now();
    runs.push({
      snapshotMs: fixed ? 0 : t1 - t0,
      modelMs: fixedReport ? 0 : t2 - t1,
      writeMs: t3 - t2,
      totalMs: fixed ? t3 - t2 : t3 - t0,
      bytes: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
      pages: format === 'pdf' ? (content.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length : null,
    });
    if (run === 0) firstPeakMb = peakSoFarMb();
    plan ??= {
      actions: snapshot.actions.length,
      progress: snapshot.actions.reduce((n, a) => n + a.progress.length, 0),
      evidence: snapshot.actions.reduce((n, a) => n + a.evidence.length, 0),
      exceptions: snapshot.exceptions.length,
    };
  }
  await handle.close();
  const cpu = process.cpuUsage();
  return {
    bootRssMb,
    startRssMb,
    firstPeakMb,
    peakMb: process.resourceUsage().maxRSS / 1024,
    runs,
    processCpuMs: (cpu.user + cpu.system) / 1000,
    plan: plan ?? { actions: 0, progress: 0, evidence: 0, exceptions: 0 },
  };
}

main().then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
