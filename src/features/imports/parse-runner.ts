import fs from 'node:fs';
import os from 'node:os';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { PlanDraft, PlanParseOptions, ReportDraft } from './drafts.ts';
import { ImportRejected } from './errors.ts';
import { DEFAULT_LIMIT_BYTES, MESSAGES, detectPlanFormat, detectReportFormat, pdfIsEncrypted } from './file-kind.ts';
import type { ReportFormat } from './report/index.ts';
import type { PlanFormat } from './plan/index.ts';

/**
 * Runs the report and plan parsers on an uploaded file in a worker thread with a time and
 * a memory limit, so that a hostile or broken file can neither hang nor crash the server:
 * whatever happens, the caller gets a draft or an ImportRejected.
 */

export type ParseLimits = {
  /** Time allowed for reading one file, including the start-up of a new worker when none is free. */
  timeoutMs?: number;
  /** Largest file accepted (the app's upload limit). */
  limitBytes?: number;
  /** Heap the parser may use, in MB. */
  memoryMb?: number;
};

/** What the worker is asked to do. The content's buffer is transferred, not copied. */
export type ParseJob =
  | { kind: 'report'; format: ReportFormat; content: Uint8Array }
  | { kind: 'plan'; format: PlanFormat; content: Uint8Array; options: PlanParseOptions };

/** The worker's answer to one job. */
export type ParseReply =
  { ok: true; value: unknown } | { ok: false; rejected: boolean; name: string; message: string; stack: string | null };

/** Jobs and answers carry an id, as a worker reads one file after another. */
export type ParseRequest = { id: number; job: ParseJob };
export type ParseAnswer = ParseReply & { id: number };

export const DEFAULT_TIMEOUT_MS = 20_000;
export const DEFAULT_MEMORY_MB = 512;

// Each parse may use DEFAULT_MEMORY_MB; running a few at a time keeps a burst of uploads from exhausting the server.
const PARALLEL_PARSES = Math.max(1, Math.min(os.availableParallelism(), 4));

const PARSE_WORKER = workerFile('parse-worker');

export async function parseReport(
  content: Uint8Array,
  fileName: string,
  limits: ParseLimits = {},
): Promise<ReportDraft> {
  const format = detectReportFormat(content, fileName, limits.limitBytes ?? DEFAULT_LIMIT_BYTES);
  // Many encrypted PDFs open without a password, so encryption is not refused up front; it
  // only explains a failure that the parser did not explain itself.
  const explainFailure = (): string | undefined =>
    format === 'pdf' && pdfIsEncrypted(content) ? MESSAGES.pdfPassword : undefined;
  const job: ParseJob = { kind: 'report', format, content: detachedCopy(content) };
  return runParseJob<ReportDraft>(PARSE_WORKER, job, {
    ...limits,
    reading: READING[format],
    document: 'a CQC report',
    explainFailure,
  });
}

export async function parsePlan(
  content: Uint8Array,
  fileName: string,
  options: PlanParseOptions & ParseLimits = {},
): Promise<PlanDraft> {
  const { timeoutMs, limitBytes, memoryMb, ...planOptions } = options;
  const format = detectPlanFormat(content, fileName, limitBytes ?? DEFAULT_LIMIT_BYTES);
  const job: ParseJob = { kind: 'plan', format, content: detachedCopy(content), options: planOptions };
  return runParseJob<PlanDraft>(PARSE_WORKER, job, {
    timeoutMs,
    memoryMb,
    reading: READING[format],
    document: 'an action plan',
  });
}

/** How the generic failure names what was being read: "Clasp could not read this file as a PDF." */
const READING: Record<ReportFormat | PlanFormat, string> = {
  pdf: 'a PDF',
  docx: 'a Word document',
  xlsx: 'an Excel workbook',
  csv: 'a CSV file',
  html: 'a web page',
  text: 'a text file',
};

export type JobSettings = ParseLimits & {
  /** 'a PDF': what the file was being read as. */
  reading: string;
  /** 'a CQC report': what the file should be. */
  document: string;
  /** A better message than "may be damaged" for a failure the parser did not word itself, if there is one. */
  explainFailure?: () => string | undefined;
};

/**
 * Runs one job in a worker and settles exactly once: with the worker's value, or with an
 * ImportRejected for a rejection, an error, a crash, running out of memory or running out
 * of time. Generic over the worker file so tests can run workers that hang or crash on
 * purpose.
 */
export async function runParseJob<T>(worker: URL, job: ParseJob, settings: JobSettings): Promise<T> {
  const release = await takeParseSlot();
  try {
    return (await poolFor(worker, settings.memoryMb ?? DEFAULT_MEMORY_MB).run(job, settings)) as T;
  } finally {
    release();
  }
}

// ---- Workers, kept warm between files ----

/*
 * Starting a worker and loading a parser costs more than most parses (pdf.js alone takes
 * a second to load and warm up), so a worker that answered is kept for the next file. One
 * that ran out of time or memory, crashed or failed unexpectedly is never reused; the rest
 * retire after a number of files or a quiet spell, so nothing one file leaves behind
 * lasts long.
 */
const JOBS_PER_WORKER = 50;
const IDLE_MS = 30_000;

type PooledWorker = { worker: Worker; jobs: number; idleTimer: NodeJS.Timeout | undefined };

const pools = new Map<string, WorkerPool>();
let nextRequest = 1;

function poolFor(file: URL, memoryMb: number): WorkerPool {
  const key = `${file.href} ${memoryMb}`;
  let pool = pools.get(key);
  if (pool === undefined) {
    pool = new WorkerPool(file, memoryMb);
    pools.set(key, pool);
  }
  return pool;
}

class WorkerPool {
  private readonly idle: PooledWorker[] = [];

  constructor(
    private readonly file: URL,
    private readonly memoryMb: number,
  ) {}

  run(job: ParseJob, settings: JobSettings): Promise<unknown> {
    const pooled = this.idle.pop() ?? this.start();
    clearTimeout(pooled.idleTimer);
    pooled.worker.ref();
    pooled.jobs += 1;
    const { worker } = pooled;
    const id = nextRequest++;
    const timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const damaged = (): string => {
      const generic =
        `Clasp could not read this file as ${settings.reading}. It may be damaged or incomplete. ` +
        'Open it on your computer to check it, save a new copy and upload that.';
      try {
        return settings.explainFailure?.() ?? generic;
      } catch {
        return generic;
      }
    };

    return new Promise((resolve, reject) => {
      const finish = (reusable: boolean, outcome: () => void): void => {
        clearTimeout(timer);
        clearInterval(watchdog);
        worker.off('message', onMessage).off('messageerror', onMessageError).off('error', onError).off('exit', onExit);
        if (reusable) this.putBack(pooled);
        else this.retire(pooled);
        outcome();
      };
      const onMessage = (reply: ParseAnswer): void => {
        // An answer left over from an earlier file is not this file's answer.
        if (reply.id !== id) return;
        if (reply.ok) finish(true, () => resolve(reply.value));
        else finish(reply.rejected, () => reject(rejectionFor(reply, damaged)));
      };
      const onMessageError = (error: Error): void =>
        finish(false, () => reject(new ImportRejected(damaged(), { cause: error })));
      const onError = (error: Error & { code?: string }): void => {
        const message = error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? outOfMemory(settings.document) : damaged();
        finish(false, () => reject(new ImportRejected(message, { cause: error })));
      };
      const onExit = (code: number): void => {
        finish(false, () =>
          reject(
            new ImportRejected(damaged(), {
              cause: new Error(`The parse worker exited with code ${code} before answering.`),
            }),
          ),
        );
      };
      const timer = setTimeout(
        () => finish(false, () => reject(new ImportRejected(timedOut(timeoutMs, settings.document)))),
        timeoutMs,
      );
      // The worker's heap limit does not cover memory a library holds outside it (pdf.js
      // unpacking a compressed stream): watch the whole process, and stop a parse under which
      // it grows by more than any real file needs.
      const startRss = process.memoryUsage.rss();
      const watchdog = setInterval(() => {
        if (process.memoryUsage.rss() - startRss > OUTSIDE_HEAP_LIMIT_BYTES)
          finish(false, () => reject(new ImportRejected(outOfMemory(settings.document))));
      }, 100);
      watchdog.unref();
      worker.on('message', onMessage).on('messageerror', onMessageError).on('error', onError).on('exit', onExit);
      try {
        const request: ParseRequest = { id, job };
        worker.postMessage(request, [job.content.buffer as ArrayBuffer]);
      } catch (error) {
        finish(false, () => reject(new ImportRejected(damaged(), { cause: error })));
      }
    });
  }

  private start(): PooledWorker {
    const pooled: PooledWorker = { worker: startWorker(this.file, this.memoryMb), jobs: 0, idleTimer: undefined };
    // Whatever an idle worker does, it must not take the server down: an error only retires it.
    pooled.worker.on('error', () => this.retire(pooled));
    pooled.worker.on('exit', () => this.forget(pooled));
    return pooled;
  }

  private putBack(pooled: PooledWorker): void {
    if (pooled.jobs >= JOBS_PER_WORKER) {
      this.retire(pooled);
      return;
    }
    pooled.worker.unref();
    pooled.idleTimer = setTimeout(() => this.retire(pooled), IDLE_MS).unref();
    this.idle.push(pooled);
  }

  private retire(pooled: PooledWorker): void {
    this.forget(pooled);
    void pooled.worker.terminate();
  }

  private forget(pooled: PooledWorker): void {
    clearTimeout(pooled.idleTimer);
    const index = this.idle.indexOf(pooled);
    if (index >= 0) this.idle.splice(index, 1);
  }
}

function timedOut(timeoutMs: number, document: string): string {
  const seconds = Math.round(timeoutMs / 100) / 10;
  const duration = seconds === 1 ? '1 second' : `${seconds.toLocaleString('en-GB')} seconds`;
  return (
    `Clasp stopped reading this file after ${duration}. It may be damaged, or much larger than ${document}. ` +
    'Check you chose the right file, save a new copy and upload it again.'
  );
}

/** How much the process may grow while one file is read, beyond the worker's own heap. */
const OUTSIDE_HEAP_LIMIT_BYTES = 1024 * 1024 * 1024;

function outOfMemory(document: string): string {
  return (
    `Clasp stopped reading this file because it needed far more memory than ${document} should. ` +
    'It may be damaged. Check you chose the right file, save a new copy and upload it again.'
  );
}

function rejectionFor(reply: Extract<ParseReply, { ok: false }>, damaged: () => string): ImportRejected {
  const original = Object.assign(new Error(reply.message), { name: reply.name, stack: reply.stack ?? undefined });
  if (reply.rejected) return new ImportRejected(reply.message);
  // pdf.js throws PasswordException for a PDF that needs a password to open.
  if (reply.name === 'PasswordException') return new ImportRejected(MESSAGES.pdfPassword, { cause: original });
  return new ImportRejected(damaged(), { cause: original });
}

/** A copy in a buffer of its own, so the transfer detaches nothing the caller still holds. */
function detachedCopy(content: Uint8Array): Uint8Array {
  const copy = new Uint8Array(new ArrayBuffer(content.byteLength));
  copy.set(content);
  return copy;
}

/**
 * The worker file beside this module: .ts when running from the sources under tsx, .js
 * in the compiled build. A .ts worker needs tsx inside the worker too: on Node 20 neither
 * `--import tsx` in execArgv nor the main thread's loader reaches a worker's entry point,
 * so a small bootstrap registers tsx in the worker before importing the file.
 */
export function workerFile(name: string): URL {
  const own = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const other = own === '.ts' ? '.js' : '.ts';
  const preferred = new URL(`./${name}${own}`, import.meta.url);
  if (fs.existsSync(preferred)) return preferred;
  return new URL(`./${name}${other}`, import.meta.url);
}

function startWorker(file: URL, memoryMb: number): Worker {
  const options: WorkerOptions = { resourceLimits: { maxOldGenerationSizeMb: memoryMb } };
  if (!file.pathname.endsWith('.ts')) return new Worker(file, options);
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap =
    `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); ` +
    `return import(${JSON.stringify(file.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

// ---- A few parses at a time ----

let running = 0;
const waiting: (() => void)[] = [];

async function takeParseSlot(): Promise<() => void> {
  if (running >= PARALLEL_PARSES) await new Promise<void>((resolve) => waiting.push(resolve));
  else running += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const next = waiting.shift();
    // The slot passes straight to the next job, so `running` stays the same.
    if (next !== undefined) next();
    else running -= 1;
  };
}
