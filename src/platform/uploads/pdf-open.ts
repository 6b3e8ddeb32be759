import { spawn, type ChildProcess } from 'node:child_process';
import { childEnvironment, runChild } from '../child-runner.ts';

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
const PARALLEL_CHECKS = 2;

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

export async function openPdf(bytes: Uint8Array, limits: PdfOpenLimits = {}): Promise<PdfOpening> {
  const release = await takeSlot();
  try {
    return await openInChild(bytes, limits);
  } finally {
    release();
  }
}

async function openInChild(bytes: Uint8Array, limits: PdfOpenLimits): Promise<PdfOpening> {
  // Whatever stopped the child before it answered (a crash, an error, a limit), the file is
  // taken as damaged.
  const outcome = await runChild<PdfOpening>({
    start: startChild,
    input: bytes,
    timeoutMs: limits.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ceilingBytes: (limits.ceilingMb ?? DEFAULT_CEILING_MB) * 1024 * 1024,
  });
  return outcome.kind === 'message' ? outcome.message : 'damaged';
}

/**
 * The child gets a heap limit, none of the server's flags and only the environment a process
 * needs. The bytes go over the IPC channel in V8's serialisation, as they are.
 */
function startChild(): ChildProcess {
  return spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--input-type=module', '--eval', CHILD_PROGRAM], {
    env: childEnvironment(),
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
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
