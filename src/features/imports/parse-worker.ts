import { Buffer } from 'node:buffer';
import { Console } from 'node:console';
import { parentPort } from 'node:worker_threads';
import zlib from 'node:zlib';
import { ImportRejected } from './errors.ts';
import { MESSAGES, UNPACKED_LIMIT_BYTES, readZipDirectory, type ZipEntry } from './file-kind.ts';
import type { ParseAnswer, ParseJob, ParseReply, ParseRequest } from './parse-runner.ts';

/*
 * The worker thread that parse-runner.ts starts: it reads one file at a time and answers
 * each. Anything a parser throws is turned into a reply here; what the worker cannot
 * survive (running out of memory or time) the runner handles from outside.
 */

// Parsers' console output (pdf.js warnings about a damaged file) goes to stderr: stdout may
// be carrying a dry run's JSON. Capturing the worker's stdout instead would keep idle workers
// holding the process open.
globalThis.console = new Console({ stdout: process.stderr, stderr: process.stderr });

parentPort?.on('message', (request: ParseRequest) => {
  void answer(request);
});

async function answer({ id, job }: ParseRequest): Promise<void> {
  let reply: ParseReply;
  try {
    reply = { ok: true, value: await parse(job) };
  } catch (error) {
    reply = failure(error);
  }
  const answer: ParseAnswer = { ...reply, id };
  parentPort?.postMessage(answer);
}

async function parse(job: ParseJob): Promise<unknown> {
  if (job.format === 'docx' || job.format === 'xlsx') await checkUnpackedSizes(job.content);
  // Each parser is loaded only when needed: a report never pays for the spreadsheet reader.
  if (job.kind === 'report') {
    const { readReportFile } = await import('./report/index.ts');
    return readReportFile(job.content, job.format);
  }
  const { readPlanFile } = await import('./plan/index.ts');
  return readPlanFile(job.content, job.format, job.options);
}

function failure(error: unknown): ParseReply {
  if (error instanceof Error) {
    return {
      ok: false,
      rejected: error instanceof ImportRejected,
      name: error.name,
      message: error.message,
      stack: error.stack ?? null,
    };
  }
  return { ok: false, rejected: false, name: 'Error', message: String(error), stack: null };
}

/**
 * A zip's directory declares each part's unpacked size, and file-kind.ts has checked those
 * against a limit; but a zip bomb can declare small sizes and unpack to gigabytes, in
 * buffers that the worker's heap limit does not count. So each part is unpacked here,
 * counting and discarding the output, and the file is refused as soon as a part unpacks
 * to more than it declared.
 */
async function checkUnpackedSizes(content: Uint8Array): Promise<void> {
  const bytes = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  let total = 0;
  for (const entry of readZipDirectory(content)) {
    // Bit 0: the part is encrypted. Office never does this; its password protection is a compound file.
    if ((entry.flags & 1) !== 0) throw new ImportRejected(MESSAGES.damagedZip);
    if (entry.method !== 8) continue;
    const unpacked = await unpackedSize(partData(bytes, entry), entry.uncompressedSize);
    if (unpacked > entry.uncompressedSize) throw new ImportRejected(MESSAGES.damagedZip);
    total += unpacked;
    if (total > UNPACKED_LIMIT_BYTES) throw new ImportRejected(MESSAGES.unpacksTooLarge);
  }
}

/** The compressed bytes of a part, after its local header (APPNOTE 4.3.7). */
function partData(bytes: Buffer, entry: ZipEntry): Buffer {
  const header = entry.localHeaderOffset;
  if (header + 30 > bytes.length || bytes.readUInt32LE(header) !== 0x04034b50)
    throw new ImportRejected(MESSAGES.damagedZip);
  const start = header + 30 + bytes.readUInt16LE(header + 26) + bytes.readUInt16LE(header + 28);
  if (start + entry.compressedSize > bytes.length) throw new ImportRejected(MESSAGES.damagedZip);
  return bytes.subarray(start, start + entry.compressedSize);
}

/**
 * How many bytes a deflated part unpacks to, stopping once it passes `declared`. Broken
 * deflate data is left for the parser to report: it may be a part the parser never reads.
 */
async function unpackedSize(data: Buffer, declared: number): Promise<number> {
  const inflate = zlib.createInflateRaw();
  let size = 0;
  inflate.end(data);
  try {
    for await (const chunk of inflate) {
      size += (chunk as Buffer).length;
      if (size > declared) break;
    }
  } catch {
    return size;
  } finally {
    inflate.destroy();
  }
  return size;
}
