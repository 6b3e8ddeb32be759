import { Buffer } from 'node:buffer';
import { Console } from 'node:console';
import zlib from 'node:zlib';
import { ImportRejected } from './errors.ts';
import { MESSAGES, UNPACKED_LIMIT_BYTES, readZipDirectory, type ZipEntry } from './file-kind.ts';
import type { ParseAnswer, ParseJob, ParseReply, ParseRequest } from './parse-runner.ts';

/*
 * The child process that parse-runner.ts starts for each file: it reads the one file it is
 * sent over the IPC channel and answers. Anything a parser throws is turned into a reply
 * here; what the child cannot survive (running out of memory or time) the runner handles
 * from outside, by killing it.
 */

// Parsers' console output (pdf.js warnings about a damaged file) goes to stderr, which the
// child shares with the server: stdout may be carrying a dry run's JSON.
globalThis.console = new Console({ stdout: process.stderr, stderr: process.stderr });

let current = 0;
process.on('message', (request: ParseRequest) => {
  current = request.id;
  void answer(request);
});
// An error thrown where no parse awaits it (a library's callback) is still this file's
// failure: it is reported as one, with what was thrown, before the child ends.
process.on('uncaughtException', (error) => {
  const answer: ParseAnswer = { ...failure(error), id: current };
  process.send?.(answer, () => process.exit(1));
});
// The runner going away (the server stopping) ends the child too.
process.on('disconnect', () => process.exit(0));

async function answer({ id, job }: ParseRequest): Promise<void> {
  let reply: ParseReply;
  try {
    reply = { ok: true, value: await parse(job) };
  } catch (error) {
    reply = failure(error);
  }
  const answer: ParseAnswer = { ...reply, id };
  process.send?.(answer);
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
 * buffers that the heap limit does not count. So each part is unpacked here,
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
