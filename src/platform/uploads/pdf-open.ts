import fs from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Whether a PDF opens in a reader. pdf.js opens it in a child process of its own, killed as
 * soon as it answers or breaks a limit: a small PDF can be built whose cross-reference or
 * object streams unpack to gigabytes, and memory pdf.js takes is not given back to the
 * system while its process lives (docs/security.md). Each check costs a process start and
 * loading pdf.js (about 0.2 s); only files whose bytes say PDF pay it.
 */

/** What opening a PDF found. 'damaged' covers a file pdf.js refused, and one that broke a limit. */
export type PdfOpening = 'opens' | 'no-pages' | 'password' | 'damaged';

export type PdfOpenLimits = {
  /** A real PDF's structure and two page dictionaries read in well under a second. */
  timeoutMs?: number;
  /** The most the child's whole process may hold (heap, buffers and code), in MB. */
  ceilingMb?: number;
};

const DEFAULT_TIMEOUT_MS = 20_000;
const HEAP_MB = 256;
const DEFAULT_CEILING_MB = 512;
const RSS_POLL_MS = 50;
const PARALLEL_CHECKS = 2;

/** What the child is given of the server's environment: nothing a hostile file could use. */
const CHILD_ENV = ['PATH', 'HOME', 'TMPDIR', 'TMP', 'TEMP', 'TZ', 'LANG', 'LC_ALL', 'NODE_ENV', 'SystemRoot'];

/*
 * The child's program, plain JavaScript run by node itself: loading pdf.js through tsx's
 * loader (as a .ts file would be, from the sources) takes ten times as long. It opens the one
 * file it is sent, as a reader would, and answers: only the document's structure and its
 * first and last pages' dictionaries are read; no page is drawn and no text extracted.
 */
const PDFJS = import.meta.resolve('pdfjs-dist/legacy/build/pdf.mjs');
const CHILD_PROGRAM = `
import { Console } from 'node:console';
import { getDocument, VerbosityLevel } from ${JSON.stringify(PDFJS)};
// pdf.js reports a damaged file on the console; stdout is not the server's to share.
globalThis.console = new Console({ stdout: process.stderr, stderr: process.stderr });
process.on('disconnect', () => process.exit(0));
process.once('message', async (bytes) => {
  let answer = 'damaged';
  try {
    const task = getDocument({
      data: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      useSystemFonts: false,
      isEvalSupported: false,
      disableFontFace: true,
      verbosity: VerbosityLevel.ERRORS,
    });
    const document = await task.promise;
    if (document.numPages < 1) answer = 'no-pages';
    else {
      // A page tree cut short or pointing at missing objects fails here.
      await document.getPage(1);
      await document.getPage(document.numPages);
      answer = 'opens';
    }
  } catch (error) {
    if (error?.name === 'PasswordException') answer = 'password';
  }
  process.send(answer, () => process.exit(0));
});
`;

// Children still checking when the server stops are stopped with it.
const checking = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of checking) child.kill('SIGKILL');
});

export async function openPdf(bytes: Uint8Array, limits: PdfOpenLimits = {}): Promise<PdfOpening> {
  const release = await takeSlot();
  try {
    return await openInChild(bytes, limits);
  } finally {
    release();
  }
}

function openInChild(bytes: Uint8Array, limits: PdfOpenLimits): Promise<PdfOpening> {
  const ceilingBytes = (limits.ceilingMb ?? DEFAULT_CEILING_MB) * 1024 * 1024;
  return new Promise((resolve) => {
    let settled = false;
    let child: ChildProcess | undefined;
    const finish = (outcome: PdfOpening): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(watchdog);
      if (child !== undefined) {
        child.kill('SIGKILL');
        checking.delete(child);
      }
      resolve(outcome);
    };
    const timer = setTimeout(() => finish('damaged'), limits.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const watchdog = setInterval(() => {
      const rss = child?.pid === undefined ? null : residentBytes(child.pid);
      if (rss !== null && rss > ceilingBytes) finish('damaged');
    }, RSS_POLL_MS);
    try {
      child = startChild();
    } catch {
      finish('damaged');
      return;
    }
    checking.add(child);
    child
      .on('message', (answer: PdfOpening) => finish(answer))
      .on('error', () => finish('damaged'))
      .on('exit', () => finish('damaged'));
    child.send(bytes, (error) => {
      if (error !== null) finish('damaged');
    });
  });
}

/**
 * The child gets a heap limit, none of the server's flags and only the environment a process
 * needs. The bytes go over the IPC channel in V8's serialisation, as they are.
 */
function startChild(): ChildProcess {
  const env: NodeJS.ProcessEnv = {};
  for (const name of CHILD_ENV) if (process.env[name] !== undefined) env[name] = process.env[name];
  return spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--input-type=module', '--eval', CHILD_PROGRAM], {
    env,
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
}

/** A process's resident size from /proc (Linux), or null where there is none. */
function residentBytes(pid: number): number | null {
  try {
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1];
    return kb === undefined ? null : Number(kb) * 1024;
  } catch {
    return null;
  }
}

let running = 0;
const waiting: (() => void)[] = [];

async function takeSlot(): Promise<() => void> {
  if (running >= PARALLEL_CHECKS) await new Promise<void>((resolve) => waiting.push(resolve));
  else running += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const next = waiting.shift();
    if (next !== undefined) next();
    else running -= 1;
  };
}
