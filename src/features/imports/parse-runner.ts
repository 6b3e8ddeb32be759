import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { fork, type ChildProcess } from 'node:child_process';
import { childEnvironment, runChild } from '../../platform/child-runner.ts';
import type { PlanDraft, PlanParseOptions, ReportDraft } from './drafts.ts';
import { ImportRejected } from './errors.ts';
import { DEFAULT_LIMIT_BYTES, MESSAGES, detectPlanFormat, detectReportFormat, pdfIsEncrypted } from './file-kind.ts';
import type { ReportFormat } from './report/index.ts';
import type { PlanFormat } from './plan/index.ts';

/**
 * Runs the report and plan parsers on an uploaded file in a child process with a time and
 * memory limits, so that a hostile or broken file can neither hang, crash nor bloat the
 * server: whatever happens, the caller gets a draft or an ImportRejected, and the memory the
 * parse took goes back to the system when the child ends.
 */

export type ParseLimits = {
  /** Time allowed for reading one file, including the start-up of its process. */
  timeoutMs?: number;
  /** Largest file accepted (the app's upload limit). */
  limitBytes?: number;
  /** Heap the parser may use, in MB. */
  memoryMb?: number;
  /** The most the parser's whole process may hold (heap, buffers and code), in MB. */
  ceilingMb?: number;
};

/** What the child is asked to do. It travels over the IPC channel in V8's binary serialisation. */
export type ParseJob =
  | { kind: 'report'; format: ReportFormat; content: Uint8Array }
  | { kind: 'plan'; format: PlanFormat; content: Uint8Array; options: PlanParseOptions };

/** The child's answer to one job. */
export type ParseReply =
  { ok: true; value: unknown } | { ok: false; rejected: boolean; name: string; message: string; stack: string | null };

/** Jobs and answers carry an id, so an answer is known to be this job's. */
export type ParseRequest = { id: number; job: ParseJob };
export type ParseAnswer = ParseReply & { id: number };

export const DEFAULT_TIMEOUT_MS = 20_000;
export const DEFAULT_MEMORY_MB = 512;
/** How much more than its heap a parser's process may hold: code, buffers, a real file's unpacked streams. */
export const DEFAULT_OUTSIDE_HEAP_MB = 512;

// Each parse may hold DEFAULT_MEMORY_MB + DEFAULT_OUTSIDE_HEAP_MB; running a few at a time keeps a burst of
// uploads from exhausting the server.
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
  const job: ParseJob = { kind: 'report', format, content };
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
  const { timeoutMs, limitBytes, memoryMb, ceilingMb, ...planOptions } = options;
  const format = detectPlanFormat(content, fileName, limitBytes ?? DEFAULT_LIMIT_BYTES);
  const job: ParseJob = { kind: 'plan', format, content, options: planOptions };
  return runParseJob<PlanDraft>(PARSE_WORKER, job, {
    timeoutMs,
    memoryMb,
    ceilingMb,
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
 * Runs one job in a child process and settles exactly once: with the child's value, or with
 * an ImportRejected for a rejection, an error, a crash, running out of memory or running out
 * of time. Generic over the entry file so tests can run children that hang or crash on
 * purpose.
 */
export async function runParseJob<T>(entry: URL, job: ParseJob, settings: JobSettings): Promise<T> {
  const release = await takeParseSlot();
  try {
    return (await runInChild(entry, job, settings)) as T;
  } finally {
    release();
  }
}

// ---- One child process per file ----

/*
 * Each file is read in a process of its own, which is killed as soon as it has answered.
 * A worker thread shares the server's process, and memory a parser took there (pdf.js
 * unpacking a compressed stream into buffers outside the heap) was not given back to the
 * system after the worker ended: a few hostile PDFs held gigabytes. A process's memory all
 * goes back when it ends. Starting one and loading a parser costs about 0.2 s of CPU in
 * the built app and 0.5 s under tsx (docs/performance.md), a price paid for certainty: no
 * child is kept for a second file, so nothing one file leaves behind can reach the next.
 *
 * Three limits: V8's heap limit (--max-old-space-size), a ceiling on the child's whole
 * resident size that the runner checks from outside every 50 ms (the heap limit does not
 * cover buffers), and the time limit. Breaking any of them kills the child
 * (platform/child-runner.ts).
 */
let nextRequest = 1;

async function runInChild(entry: URL, job: ParseJob, settings: JobSettings): Promise<unknown> {
  const timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const memoryMb = settings.memoryMb ?? DEFAULT_MEMORY_MB;
  const ceilingBytes = (settings.ceilingMb ?? memoryMb + DEFAULT_OUTSIDE_HEAP_MB) * 1024 * 1024;
  const id = nextRequest++;
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

  const request: ParseRequest = { id, job };
  const outcome = await runChild<ParseAnswer>({
    start: () => startChild(entry, memoryMb),
    input: request,
    timeoutMs,
    ceilingBytes,
    isAnswer: (message): message is ParseAnswer => (message as ParseAnswer | null)?.id === id,
  });
  switch (outcome.kind) {
    case 'message': {
      const reply = outcome.message;
      if (reply.ok) return reply.value;
      throw rejectionFor(reply, damaged);
    }
    case 'error':
      throw new ImportRejected(damaged(), { cause: outcome.error });
    case 'timeout':
      throw new ImportRejected(timedOut(timeoutMs, settings.document));
    case 'memory': {
      const cause = Object.assign(
        new Error(`The parser's process grew past its ${Math.round(ceilingBytes / 1024 / 1024)} MB ceiling.`),
        { code: 'ERR_PARSE_OUT_OF_MEMORY' },
      );
      throw new ImportRejected(outOfMemory(settings.document), { cause });
    }
    case 'exited': {
      const { code, signal } = outcome;
      // V8 aborts a process that reaches its heap limit.
      if (signal === 'SIGABRT' || code === 134) {
        const cause = Object.assign(new Error(`The parser reached its ${memoryMb} MB heap limit.`), {
          code: 'ERR_PARSE_OUT_OF_MEMORY',
        });
        throw new ImportRejected(outOfMemory(settings.document), { cause });
      }
      const how = signal === null ? `with code ${String(code)}` : `on ${signal}`;
      const cause = new Error(`The parse process exited ${how} before answering.`);
      throw new ImportRejected(damaged(), { cause });
    }
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

/**
 * The child's entry file beside this module: .ts when running from the sources under tsx,
 * .js in the compiled build.
 */
export function workerFile(name: string): URL {
  const own = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const other = own === '.ts' ? '.js' : '.ts';
  const preferred = new URL(`./${name}${own}`, import.meta.url);
  if (fs.existsSync(preferred)) return preferred;
  return new URL(`./${name}${other}`, import.meta.url);
}

/**
 * Starts a child on the entry file with its heap limit. Node's own flags are not passed on
 * (a test runner's or inspector's would not fit a parser); a .ts entry gets tsx's loader,
 * found from this module so it works whatever the working directory. The job and answer go
 * over the IPC channel in V8's serialisation, which carries the file's bytes as they are
 * rather than as JSON. Parsers' output goes to the server's stderr. The child gets only the
 * environment a process needs to run, none of the server's settings or secrets
 * (DATABASE_URL, mail passwords): a parser that a hostile file took over finds nothing there.
 */
function startChild(entry: URL, memoryMb: number): ChildProcess {
  const execArgv = [`--max-old-space-size=${memoryMb}`];
  if (entry.pathname.endsWith('.ts')) execArgv.push('--import', import.meta.resolve('tsx/esm'));
  return fork(fileURLToPath(entry), [], {
    execArgv,
    env: childEnvironment(),
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
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
