// npm run bench:imports (and the second half of npm run bench): how long importing takes and
// how much memory it needs, for the Rotherham report (PDF and Word) and a generated plan of
// 1,000 actions (Excel and Word, bench/generate-plan.ts).
//
// Each case runs in a fresh child process, so its peak memory is its own, on a fresh database:
// - parse: the dry run (readReport / readPlan), through parse-runner's worker thread as the
//   app reads every upload; the first read in the process is reported apart ("first read"),
//   since it costs two to three times the ones after it;
// - then the import as a person makes it in the browser: the upload (startReportImport /
//   startPlanImport: read again, kept as a pending import) and the confirmation
//   (confirmImport: the transaction that writes the review or the plan). "write" is the
//   confirmation; "total" is upload plus confirmation.
// A plan is imported over a review made from the Rotherham report first (set-up, not timed),
// so its recommendations match. After its peak memory is taken, each child reads the file
// once more in its own thread (no worker), which shows what the worker costs.
//
// Baselines, measured in the same run in children of their own (the second of two reads,
// as for the cases): the least any parser of the file has to do with the library it is
// built on — mammoth.extractRawText for Word, ExcelJS's workbook load for Excel, pdfjs
// getTextContent of every page for PDF.
//
// By default the children run the compiled build (tsc into the temp folder first), as
// production runs dist/, with no TypeScript loader in the measured process; if the build
// fails, or with BENCH_IMPORTS_FROM=source, they run the sources through tsx, and the
// output says so.
//
// Environment:
//   BENCH_IMPORTS_REPEAT       runs of each case (default 5); medians and minimums are shown
//   BENCH_IMPORTS_ACTIONS      actions in the generated plan (default 1000)
//   BENCH_IMPORTS_FROM         build (default) or source
//   BENCH_DATABASE_URL         postgres://… of a cluster where the user may create databases:
//                              the cases run on PostgreSQL too, each in a new database
//                              (BENCH_PG_IMPORTS_DATABASE, default clasp_bench_imports)
//   BENCH_IMPORTS_OUTPUT       a file to write every figure to as JSON
//   BENCH_KEEP=1               keep the temp folder (generated files, SQLite databases)
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { adminQuery } from './pg-admin.ts';
import { envWholeNumber, machineSnapshot, otherCpuPercent } from './machine.ts';
import { writePlanFiles } from './generate-plan.ts';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const rootDir = path.dirname(benchDir);
const fixtures = path.join(rootDir, 'test', 'fixtures');

const settings = {
  repeat: envWholeNumber('BENCH_IMPORTS_REPEAT', 5),
  actions: envWholeNumber('BENCH_IMPORTS_ACTIONS', 1000),
  from: process.env.BENCH_IMPORTS_FROM === 'source' ? 'source' : 'build',
  adminUrl: process.env.BENCH_DATABASE_URL || null,
  pgDatabase: process.env.BENCH_PG_IMPORTS_DATABASE || 'clasp_bench_imports',
  output: process.env.BENCH_IMPORTS_OUTPUT || null,
  keep: process.env.BENCH_KEEP === '1',
};

const AIMS = { reportMs: 2000, planMs: 5000, memoryMb: 300 };

const log = (line = '') => process.stdout.write(`${line}\n`);

/* ---------- one case in a child process ---------- */

type Format = 'pdf' | 'docx' | 'xlsx';

type Job =
  | { kind: 'baseline'; format: Format; file: string }
  | {
      kind: 'report' | 'plan';
      file: string;
      url: string | null;
      sqliteFile: string;
      dataDir: string;
      reviewFrom: string;
    };

type ChildResult = {
  peakReset: boolean;
  startRssMb: number;
  peakMb: number;
  /** Baseline: the library's read. Cases: the dry run, through the worker, after a first one. */
  parseMs: number;
  /** Cases: the first dry run in the process, as the first upload after the server starts. */
  firstParseMs?: number;
  /** Cases: the upload (read again in the worker, kept as a pending import). */
  uploadMs?: number;
  /** Cases: the confirmation, which writes the review or the plan in one transaction. */
  writeMs?: number;
  /** Cases: upload plus confirmation, the import as a person makes it. */
  totalMs?: number;
  /** Cases: CPU time of the child (all its threads) during the upload and confirmation. */
  cpuMs?: number;
  /** CPU time of the child over its whole life, to tell what else the machine was doing. */
  processCpuMs: number;
  /** Cases: the same read in the child's own thread, after the peak was taken. */
  inThreadMs?: number | null;
  setupMs?: number;
  read?: Record<string, number>;
  written?: Record<string, number>;
};

/*
 * The child's program, in plain JavaScript so that in the build's case no TypeScript loader
 * sits in the measured process. It imports the app's modules from job.root (dist/ or src/).
 */
const CHILD = String.raw`
import fs from 'node:fs';
import path from 'node:path';
const job = JSON.parse(process.env.BENCH_IMPORT_JOB);
const from = (rel) => import(new URL(rel + job.ext, job.root).href);
const statusKb = (name) => {
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  return Number(new RegExp('^' + name + ':\\s+(\\d+) kB', 'm').exec(status)?.[1] ?? NaN);
};
// Writing 5 to clear_refs resets VmHWM, so the peak is that of the measured part alone.
const resetPeak = () => {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
};
const upload = (file) => ({ fileName: path.basename(file), content: new Uint8Array(fs.readFileSync(file)) });
const out = {};
const time = async (work) => {
  const t = performance.now();
  const value = await work();
  return [performance.now() - t, value];
};

if (job.kind === 'baseline') {
  const bytes = fs.readFileSync(job.file);
  let read;
  if (job.format === 'docx') {
    const mammoth = (await import(job.libraries.mammoth)).default;
    read = () => mammoth.extractRawText({ buffer: bytes });
  } else if (job.format === 'xlsx') {
    const ExcelJS = (await import(job.libraries.exceljs)).default;
    read = () => new ExcelJS.Workbook().xlsx.load(bytes);
  } else {
    const { getDocument, VerbosityLevel } = await import(job.libraries.pdfjs);
    read = async () => {
      const task = getDocument({
        data: new Uint8Array(bytes),
        useSystemFonts: false,
        isEvalSupported: false,
        disableFontFace: true,
        verbosity: VerbosityLevel.ERRORS,
      });
      const doc = await task.promise;
      for (let n = 1; n <= doc.numPages; n += 1) await (await doc.getPage(n)).getTextContent();
      await task.destroy();
    };
  }
  out.peakReset = resetPeak();
  out.startRssMb = statusKb('VmRSS') / 1024;
  // As for the cases, the first read is set apart and the next one is the baseline.
  [out.firstParseMs] = await time(read);
  [out.parseMs] = await time(read);
  out.peakMb = statusKb('VmHWM') / 1024;
} else {
  const [{ loadConfig }, { openDatabase }, { migrateToLatest }, service, { COMMAND_LINE }, kinds] = await Promise.all([
    from('config'), from('platform/db/database'), from('platform/db/migrate'), from('features/imports/imports.service'),
    from('features/imports/importer'), from('features/imports/file-kind'),
  ]);
  const config = loadConfig({ LOG_LEVEL: 'silent', CLASP_DATA_DIR: job.dataDir });
  const handle = await openDatabase({ url: job.url, sqliteFile: job.sqliteFile });
  await migrateToLatest(handle);
  const ctx = { db: handle.db, config, staleDays: 90, now: () => new Date(), today: () => '2016-03-31' };
  const file = upload(job.file);
  let reviewId = null;
  if (job.kind === 'plan') {
    const [ms, made] = await time(() => service.importReportNow(ctx, COMMAND_LINE, upload(job.reviewFrom), null));
    out.setupMs = ms;
    reviewId = made.imported.reviewId;
  }
  out.peakReset = resetPeak();
  out.startRssMb = statusKb('VmRSS') / 1024;
  // The dry run: reading alone, through the worker. The first read in a process costs two to
  // three times the later ones (memory touched for the first time, among other things), so
  // it is timed on its own.
  const dryRun = () => (job.kind === 'report' ? service.readReport(config, file) : service.readPlan(config, file));
  [out.firstParseMs] = await time(dryRun);
  const [parseMs, draft] = await time(dryRun);
  out.parseMs = parseMs;
  // The import as the browser makes it: the upload (read again, kept as a pending import), then
  // the confirmation (the write).
  const cpuBefore = process.cpuUsage();
  const [uploadMs, importId] = await time(() =>
    job.kind === 'report'
      ? service.startReportImport(ctx, COMMAND_LINE, file)
      : service.startPlanImport(ctx, COMMAND_LINE, reviewId, file),
  );
  // The generated plan is not the Rotherham plan: it is confirmed as this review's plan, as a
  // person would after reading the warning, so the bench times the write and not the refusal.
  const [writeMs, done] = await time(() =>
    service.confirmImport(ctx, COMMAND_LINE, importId, null, { acceptMismatch: true }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  Object.assign(out, { uploadMs, writeMs, totalMs: uploadMs + writeMs, cpuMs: (cpu.user + cpu.system) / 1000 });
  reviewId = done.reviewId;
  out.read =
    job.kind === 'report'
      ? {
          groups: draft.groups.length,
          recommendations: draft.groups.reduce((n, g) => n + g.recommendations.length, 0),
          findings: draft.findings.length,
          warnings: draft.warnings.length,
        }
      : {
          recommendations: draft.recommendations.length,
          actions: draft.recommendations.reduce((n, r) => n + r.actions.length, 0),
          unplaced: draft.unplaced.length,
          warnings: draft.warnings.length,
        };
  out.written = Object.fromEntries(
    Object.entries(done.result).filter(([k, v]) => typeof v === 'number' && !k.endsWith('Id')),
  );
  out.peakMb = statusKb('VmHWM') / 1024;
  const count = async (table) => {
    const row = await handle.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as('n'))
      .where('review_id', '=', reviewId ?? -1)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  out.written = {
    ...out.written,
    recommendationRows: await count('recommendations'),
    actionRows: await count('actions'),
    progressRows: await count('progress_updates'),
    findingRows: await count('findings'),
  };
  await handle.close();
  // The same read without the worker: parsing alone, with the parser's modules already loaded.
  try {
    const content = new Uint8Array(fs.readFileSync(job.file));
    if (job.kind === 'report') {
      const { readReportFile } = await from('features/imports/report/index');
      const format = kinds.detectReportFormat(content, file.fileName);
      await readReportFile(content.slice(), format);
      [out.inThreadMs] = await time(() => readReportFile(content.slice(), format));
    } else {
      const { readPlanFile } = await from('features/imports/plan/index');
      const format = kinds.detectPlanFormat(content, file.fileName);
      await readPlanFile(content.slice(), format, {});
      [out.inThreadMs] = await time(() => readPlanFile(content.slice(), format, {}));
    }
  } catch (error) {
    out.inThreadMs = null;
    process.stderr.write('in-thread read failed: ' + (error?.message ?? error) + '\n');
  }
}
const all = process.cpuUsage();
out.processCpuMs = (all.user + all.system) / 1000;
process.stdout.write(JSON.stringify(out) + '\n');
`;

type Source = { root: string; ext: string; nodeArgs: string[]; label: string };

// The child program is a file in the temp folder (a worker thread inherits the process's
// node flags, and --eval's --input-type would stop it starting), so the libraries the
// baselines use are resolved here, from the project.
const LIBRARIES = {
  mammoth: import.meta.resolve('mammoth'),
  exceljs: import.meta.resolve('exceljs'),
  pdfjs: import.meta.resolve('pdfjs-dist/legacy/build/pdf.mjs'),
};
let childFile = '';

async function runChild(
  source: Source,
  job: Job,
  withPostgres = false,
): Promise<ChildResult & { otherCpuPct: number }> {
  const before = machineSnapshot(withPostgres);
  const result = await spawnChild(source, job);
  return { ...result, otherCpuPct: otherCpuPercent(before, machineSnapshot(withPostgres), result.processCpuMs) };
}

function spawnChild(source: Source, job: Job): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      BENCH_IMPORT_JOB: JSON.stringify({ ...job, root: source.root, ext: source.ext, libraries: LIBRARIES }),
    };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, [...source.nodeArgs, childFile], {
      cwd: rootDir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code === 0 && last.startsWith('{')) {
        resolve(JSON.parse(last) as ChildResult);
        return;
      }
      reject(
        new Error(
          `${job.kind} ${path.basename(job.file)} failed (${signal ?? `exit ${code}`}):\n` +
            stderr.trim().split('\n').slice(-15).join('\n'),
        ),
      );
    });
  });
}

/* ---------- databases ---------- */

type Target = {
  name: 'SQLite' | 'PostgreSQL';
  fresh(run: string): Promise<{ url: string | null; sqliteFile: string }>;
  drop(): Promise<void>;
};

function targets(workDir: string): Target[] {
  const list: Target[] = [
    {
      name: 'SQLite',
      fresh: (run) => Promise.resolve({ url: null, sqliteFile: path.join(workDir, `${run}.db`) }),
      drop: async () => {},
    },
  ];
  const admin = settings.adminUrl;
  if (admin) {
    const name = settings.pgDatabase;
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`BENCH_PG_IMPORTS_DATABASE "${name}" is not a plain name`);
    const parsed = new URL(admin);
    if (decodeURIComponent(parsed.pathname.slice(1)) === name)
      throw new Error(`BENCH_DATABASE_URL must name another database than ${name}, which this bench drops and creates`);
    parsed.pathname = `/${name}`;
    const drop = () => adminQuery(admin, `drop database if exists ${name} with (force)`);
    list.push({
      name: 'PostgreSQL',
      // A new database for every run, made as bench/run.ts makes its own.
      fresh: async () => {
        await drop();
        await adminQuery(admin, `create database ${name}`);
        return { url: parsed.toString(), sqliteFile: path.join(workDir, 'unused.db') };
      },
      drop,
    });
  }
  return list;
}

/* ---------- the run ---------- */

/**
 * Compiles the app into the temp folder, not dist/: other work on this machine may rebuild
 * dist/ during the run, and a half-rebuilt dist/ fails in ways that have nothing to do with
 * importing. A link to the project's node_modules lets the build find its packages.
 */
function chooseSource(workDir: string): Source {
  const fromSource: Source = {
    root: pathToFileURL(path.join(rootDir, 'src') + path.sep).href,
    ext: '.ts',
    nodeArgs: ['--import', 'tsx'],
    label: 'the sources through tsx',
  };
  if (settings.from === 'source') return fromSource;
  const outDir = path.join(workDir, 'dist');
  fs.symlinkSync(path.join(rootDir, 'node_modules'), path.join(workDir, 'node_modules'), 'dir');
  let label = 'the compiled build (tsc, as npm run build makes it)';
  try {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', outDir], {
      cwd: rootDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    // tsc writes the JavaScript even when some file has a type error (work in progress elsewhere).
    const detail = String((error as { stdout?: Buffer }).stdout ?? '')
      .trim()
      .split('\n')
      .slice(0, 3)
      .join('\n  ');
    const needed = ['features/imports/parse-worker.js', 'features/imports/imports.service.js'];
    if (!needed.every((file) => fs.existsSync(path.join(outDir, file)))) {
      log(`The build failed, so this run measures ${fromSource.label} instead:\n  ${detail}`);
      return { ...fromSource, label: `${fromSource.label} (the build failed)` };
    }
    log(`tsc reported type errors; the JavaScript it wrote is measured:\n  ${detail}`);
    label = 'the compiled build (tsc reported type errors elsewhere)';
  }
  return { root: pathToFileURL(outDir + path.sep).href, ext: '.js', nodeArgs: [], label };
}

type Case = { name: string; kind: 'report' | 'plan'; file: string; format: Format; actions: number | null };
type Samples = {
  first: number[];
  parse: number[];
  total: number[];
  write: number[];
  cpu: number[];
  other: number[];
  inThread: number[];
  peak: number[];
  start: number[];
  last?: ChildResult;
  failures: string[];
};

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const min = (xs: number[]): number => (xs.length ? Math.min(...xs) : NaN);
const max = (xs: number[]): number => (xs.length ? Math.max(...xs) : NaN);
const ms = (n: number): string => (Number.isFinite(n) ? n.toFixed(0) : '–');

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  '))
    .join('\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clasp-bench-imports-'));
  const dbs = targets(workDir);
  try {
    const cpus = os.cpus();
    log('Clasp import benchmark');
    log(
      `Machine: ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ` +
        `${(os.totalmem() / 1024 ** 3).toFixed(1)} GB RAM, ${os.type()} ${os.release()}, Node ${process.version}`,
    );
    const source = chooseSource(workDir);
    log(
      `Measuring ${source.label}; ${settings.repeat} runs of each case, ` +
        `each in a fresh process on a fresh database (${dbs.map((d) => d.name).join(' and ')}).`,
    );
    log(
      `Load average before: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    childFile = path.join(workDir, 'import-case.mjs');
    fs.writeFileSync(childFile, CHILD);
    const generated = await writePlanFiles(workDir, { actions: settings.actions });
    log(
      `Generated plan: ${generated.plan.recommendationCount} recommendations ` +
        `in ${generated.plan.groups.length} groups, ${generated.plan.actionCount} actions (bench/generate-plan.ts)`,
    );
    log();

    const reportDocx = path.join(fixtures, 'rotherham-2015-cqc-report.docx');
    const cases: Case[] = [
      {
        name: 'report PDF (Rotherham)',
        kind: 'report',
        file: path.join(fixtures, 'rotherham-2015-cqc-report.pdf'),
        format: 'pdf',
        actions: null,
      },
      { name: 'report Word (Rotherham)', kind: 'report', file: reportDocx, format: 'docx', actions: null },
      {
        name: `plan Excel, ${settings.actions} actions`,
        kind: 'plan',
        file: generated.xlsx,
        format: 'xlsx',
        actions: settings.actions,
      },
      {
        name: `plan Word, ${settings.actions} actions`,
        kind: 'plan',
        file: generated.docx,
        format: 'docx',
        actions: settings.actions,
      },
    ];
    const emptySamples = (): Samples => ({
      first: [],
      parse: [],
      total: [],
      write: [],
      cpu: [],
      other: [],
      inThread: [],
      peak: [],
      start: [],
      failures: [],
    });
    const baselines = new Map(cases.map((c) => [c.file, emptySamples()]));
    const results = new Map<string, Samples>();
    const key = (c: Case, db: Target) => `${c.name} | ${db.name}`;

    // Runs go round all cases in turn, so that a slow spell on the machine touches every case alike.
    for (let run = 1; run <= settings.repeat; run++) {
      log(`Run ${run} of ${settings.repeat} …`);
      for (const c of cases) {
        const samples = baselines.get(c.file) as Samples;
        try {
          const r = await runChild(source, { kind: 'baseline', format: c.format, file: c.file });
          samples.first.push(r.firstParseMs ?? NaN);
          samples.parse.push(r.parseMs);
          samples.peak.push(r.peakMb);
          samples.other.push(r.otherCpuPct);
        } catch (error) {
          samples.failures.push((error as Error).message);
        }
      }
      for (const db of dbs) {
        for (const c of cases) {
          const samples = results.get(key(c, db)) ?? emptySamples();
          results.set(key(c, db), samples);
          try {
            const where = await db.fresh(`${run}-${c.kind}-${c.format}`);
            const r = await runChild(
              source,
              { kind: c.kind, file: c.file, ...where, dataDir: workDir, reviewFrom: reportDocx },
              where.url !== null,
            );
            samples.first.push(r.firstParseMs ?? NaN);
            samples.parse.push(r.parseMs);
            samples.total.push(r.totalMs ?? NaN);
            samples.write.push(r.writeMs ?? NaN);
            samples.cpu.push(r.cpuMs ?? NaN);
            samples.other.push(r.otherCpuPct);
            if (typeof r.inThreadMs === 'number') samples.inThread.push(r.inThreadMs);
            samples.peak.push(r.peakMb);
            samples.start.push(r.startRssMb);
            samples.last = r;
          } catch (error) {
            samples.failures.push((error as Error).message);
          }
        }
      }
    }
    await Promise.all(
      dbs.map((db) =>
        db
          .drop()
          .catch((e: unknown) =>
            log(`Could not drop the ${db.name} bench database: ${e instanceof Error ? e.message : String(e)}`),
          ),
      ),
    );

    log();
    log(`Results: medians of ${settings.repeat} runs (minimum in brackets), times in ms, memory in MB`);
    const rows: string[][] = [
      [
        'case',
        'database',
        'file KB',
        'first read',
        'parse',
        'write',
        'total',
        'actions/s',
        'CPU ms',
        'peak RSS',
        'baseline',
        '× baseline',
        'in thread',
        'other CPU %',
      ],
    ];
    for (const db of dbs) {
      for (const c of cases) {
        const s = results.get(key(c, db)) as Samples;
        const b = baselines.get(c.file) as Samples;
        const total = median(s.total);
        rows.push([
          c.name,
          db.name,
          (fs.statSync(c.file).size / 1024).toFixed(0),
          ms(median(s.first)),
          `${ms(median(s.parse))} (${ms(min(s.parse))})`,
          `${ms(median(s.write))} (${ms(min(s.write))})`,
          `${ms(total)} (${ms(min(s.total))})`,
          c.actions ? (c.actions / (total / 1000)).toFixed(0) : '–',
          ms(median(s.cpu)),
          median(s.peak).toFixed(0),
          `${ms(median(b.parse))} (${ms(min(b.parse))})`,
          (median(s.parse) / median(b.parse)).toFixed(1),
          s.inThread.length ? ms(median(s.inThread)) : '–',
          `${median(s.other).toFixed(0)} (${max(s.other).toFixed(0)})`,
        ]);
      }
    }
    log(table(rows));
    log(
      'first read: the first dry run in a new process (as after a server start). ' +
        'parse: the next dry run, through the worker.',
    );
    log(
      'write: the confirmation, one transaction. total: the upload (read again, kept pending) plus the confirmation.',
    );
    log(
      "CPU ms: the process, all threads, during upload and confirmation (not PostgreSQL's own). " +
        '× baseline: parse ÷ the library floor.',
    );
    log(
      'in thread: the same read without a worker. ' +
        'other CPU %: the rest of the machine while the case ran (median, highest);',
    );
    log('a run is only worth reading when that is low.');
    log();
    log('Baselines (the library alone, in a process of its own):');
    const baselineName: Record<Format, string> = {
      pdf: 'pdfjs getTextContent, every page',
      docx: 'mammoth.extractRawText',
      xlsx: 'ExcelJS Workbook.xlsx.load',
    };
    log(
      table([
        ['file', 'library floor', 'first read', 'median ms', 'min ms', 'peak RSS', 'other CPU %'],
        ...cases.map((c) => {
          const b = baselines.get(c.file) as Samples;
          return [
            path.basename(c.file),
            baselineName[c.format],
            ms(median(b.first)),
            ms(median(b.parse)),
            ms(min(b.parse)),
            median(b.peak).toFixed(0),
            median(b.other).toFixed(0),
          ];
        }),
      ]),
    );
    log();
    log('What each import read and wrote (last run):');
    for (const db of dbs) {
      for (const c of cases) {
        const s = results.get(key(c, db)) as Samples;
        const r = s.last;
        if (!r) continue;
        const parts = (o: Record<string, number> | undefined) =>
          Object.entries(o ?? {})
            .map(([k, v]) => `${k} ${v}`)
            .join(', ');
        log(
          `  ${c.name}, ${db.name}: read ${parts(r.read)}; wrote ${parts(r.written)}; ` +
            `process at start of the measured part ${r.startRssMb.toFixed(0)} MB` +
            (r.setupMs ? `; review made from the report in ${ms(r.setupMs)} ms first` : ''),
        );
        if (c.actions && r.written?.actionRows !== c.actions)
          log(`  Warning: ${c.actions} actions were generated but ${r.written?.actionRows ?? 0} were imported.`);
        if (!r.peakReset) log('  Note: the peak could not be reset, so it includes the set-up.');
      }
    }

    const failures = [...baselines.values(), ...results.values()].flatMap((s) => s.failures);
    if (failures.length) {
      log();
      log(`${failures.length} run(s) failed; the first:`);
      log(failures[0]);
    }

    log();
    log('Aims (on the median; the slowest run in brackets)');
    const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
    const aims: { aim: string; ok: boolean; detail: string }[] = [];
    for (const db of dbs) {
      for (const c of cases) {
        const s = results.get(key(c, db)) as Samples;
        const limit = c.kind === 'report' ? AIMS.reportMs : AIMS.planMs;
        const total = median(s.total);
        const failed = s.failures.length ? `, ${s.failures.length} run(s) failed` : '';
        aims.push({
          aim: `${c.name}, ${db.name}: read and imported < ${limit / 1000} s`,
          ok: total < limit && !failed,
          detail: `${ms(total)} ms (${ms(max(s.total))})${failed}`,
        });
      }
    }
    const peak = max([...results.values()].flatMap((s) => s.peak));
    aims.push({
      aim: `peak RSS of any import < ${AIMS.memoryMb} MB`,
      ok: peak < AIMS.memoryMb,
      detail: `${peak.toFixed(0)} MB`,
    });
    log(table(aims.map((a) => [a.aim, a.detail, verdict(a.ok)])));
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
        machine: { cpus: cpus.length, model: cpus[0]?.model, node: process.version, loadAvgAtEnd: os.loadavg() },
        measured: source.label,
        settings: { repeat: settings.repeat, actions: settings.actions },
        baselines: Object.fromEntries([...baselines].map(([file, s]) => [path.basename(file), s])),
        results: Object.fromEntries(results),
        aims,
      };
      fs.writeFileSync(settings.output, `${JSON.stringify(json, null, 2)}\n`);
      log(`Wrote ${settings.output}`);
    }
    if (failures.length) process.exitCode = 1;
  } finally {
    if (settings.keep) log(`Kept ${workDir}`);
    else fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench imports: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
