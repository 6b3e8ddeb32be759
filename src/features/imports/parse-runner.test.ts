import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import fs from 'node:fs';
import JSZip from 'jszip';
import { ImportRejected } from './errors.ts';
import { MESSAGES } from './file-kind.ts';
import { parsePlan, parseReport, runParseJob, workerFile, type JobSettings, type ParseJob } from './parse-runner.ts';

const fixture = (name: string): Buffer => fs.readFileSync(new URL(`../../../test/fixtures/${name}`, import.meta.url));
const MISBEHAVING = new URL('./test-workers/misbehaving-worker.ts', import.meta.url);
const SETTINGS: JobSettings = { reading: 'a PDF', document: 'a CQC report' };

/** The processes this test process has started and that are still running (Linux). */
function childPids(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1]?.split(' ')[1] === String(process.pid);
      } catch {
        return false;
      }
    });
}

/** Waits until a process has ended and been reaped, failing after five seconds. */
async function waitUntilGone(pid: number): Promise<void> {
  for (let tries = 0; fs.existsSync(`/proc/${pid}`); tries++) {
    assert.ok(tries < 100, `process ${pid} is still running`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A job for the misbehaving child: the content says what it should do. */
function asking(behaviour: string): ParseJob {
  return { kind: 'report', format: 'pdf', content: new TextEncoder().encode(behaviour) };
}

async function rejectionOf(promise: Promise<unknown>): Promise<ImportRejected> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ImportRejected, `expected ImportRejected, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the file to be rejected');
}

type Echo = { kind: string; format: string; bytes: number; text: string; pid: number; env: string[] };
const echo = async (text: string, settings = SETTINGS): Promise<Echo> =>
  runParseJob<Echo>(MISBEHAVING, asking(text), settings);

test('a child answers with its value, and the bytes arrive whole', async () => {
  const { pid, env: _, ...value } = await echo('hello');
  assert.deepEqual(value, { kind: 'report', format: 'pdf', bytes: 5, text: 'hello' });
  assert.notEqual(pid, process.pid, 'the file is read in another process');
});

test("the child is given none of the server's settings or secrets", async () => {
  const original = process.env.DATABASE_URL;
  process.env.DATABASE_URL = 'postgres://clasp:secret@127.0.0.1/clasp';
  try {
    const { env } = await echo('env');
    assert.ok(!env.includes('DATABASE_URL'), env.join(' '));
    assert.ok(env.includes('PATH'));
  } finally {
    if (original === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = original;
  }
});

test('each file is read in a process of its own, which is gone once it has answered', async () => {
  const first = await echo('one');
  const second = await echo('two');
  assert.notEqual(second.pid, first.pid);
  await waitUntilGone(first.pid);
  await waitUntilGone(second.pid);
});

test('a child that runs out of time is killed', async () => {
  const before = new Set(childPids());
  const job = rejectionOf(runParseJob(MISBEHAVING, asking('spin'), { ...SETTINGS, timeoutMs: 1500 }));
  await new Promise((resolve) => setTimeout(resolve, 750));
  const spinning = childPids().filter((pid) => !before.has(pid));
  assert.equal(spinning.length, 1, 'one child reads the file');
  await job;
  for (const pid of spinning) await waitUntilGone(pid);
});

test('a child whose memory outside its heap passes the ceiling is killed, with the message about memory', async () => {
  const started = performance.now();
  const error = await rejectionOf(
    runParseJob(MISBEHAVING, asking('balloon'), { ...SETTINGS, memoryMb: 64, ceilingMb: 200, timeoutMs: 30_000 }),
  );
  assert.equal(
    error.message,
    'Clasp stopped reading this file because it needed far more memory than a CQC report should. ' +
      'It may be damaged. Check you chose the right file, save a new copy and upload it again.',
  );
  assert.match(String(error.cause), /grew past its 200 MB ceiling/);
  assert.ok(performance.now() - started < 20_000, 'stopped by the ceiling, not the time limit');
  assert.equal((await echo('still here')).text, 'still here');
});

test('a parser that never finishes is stopped at the time limit with a message saying so', async () => {
  const started = performance.now();
  const error = await rejectionOf(runParseJob(MISBEHAVING, asking('spin'), { ...SETTINGS, timeoutMs: 1500 }));
  const elapsed = performance.now() - started;
  assert.equal(
    error.message,
    'Clasp stopped reading this file after 1.5 seconds. It may be damaged, or much larger than a CQC report. ' +
      'Check you chose the right file, save a new copy and upload it again.',
  );
  assert.ok(elapsed >= 1500 && elapsed < 10_000, `stopped after ${Math.round(elapsed)} ms`);
});

test('a time limit in whole seconds is worded without a decimal point', async () => {
  const error = await rejectionOf(
    runParseJob(MISBEHAVING, asking('spin'), { ...SETTINGS, timeoutMs: 2000, document: 'an action plan' }),
  );
  assert.match(
    error.message,
    /^Clasp stopped reading this file after 2 seconds\. It may be damaged, or much larger than an action plan\./,
  );
});

test('a parser that runs out of memory is stopped, and the server carries on', async () => {
  const error = await rejectionOf(
    runParseJob(MISBEHAVING, asking('hog'), { ...SETTINGS, memoryMb: 64, timeoutMs: 15_000 }),
  );
  assert.equal(
    error.message,
    'Clasp stopped reading this file because it needed far more memory than a CQC report should. ' +
      'It may be damaged. Check you chose the right file, save a new copy and upload it again.',
  );
  assert.equal((error.cause as { code?: string }).code, 'ERR_PARSE_OUT_OF_MEMORY');
  assert.match(String(error.cause), /reached its 64 MB heap limit/);
  assert.equal((await echo('still here')).text, 'still here');
});

test('an error that is not an ImportRejected becomes a plain message, keeping the original as its cause', async () => {
  const damaged =
    'Clasp could not read this file as a PDF. It may be damaged or incomplete. ' +
    'Open it on your computer to check it, save a new copy and upload that.';
  const thrown = await rejectionOf(runParseJob(MISBEHAVING, asking('throw'), SETTINGS));
  assert.equal(thrown.message, damaged);
  assert.match(String(thrown.cause), /TypeError: Cannot read properties of undefined/);
  const answered = await rejectionOf(runParseJob(MISBEHAVING, asking('fail'), SETTINGS));
  assert.equal(answered.message, damaged);
  assert.equal((answered.cause as Error).name, 'SyntaxError');
  const exited = await rejectionOf(runParseJob(MISBEHAVING, asking('exit'), SETTINGS));
  assert.equal(exited.message, damaged);
});

test("a parser's own ImportRejected reaches the caller with its message unchanged", async () => {
  const error = await rejectionOf(runParseJob(MISBEHAVING, asking('reject'), SETTINGS));
  assert.equal(error.message, 'This file has no recommendations in it.');
});

test('a failure that the parser did not explain can be given a better message (an encrypted PDF)', async () => {
  const error = await rejectionOf(
    runParseJob(MISBEHAVING, asking('throw'), { ...SETTINGS, explainFailure: () => MESSAGES.pdfPassword }),
  );
  assert.equal(
    error.message,
    'This PDF is protected with a password. Open it, save a copy without the password and upload that, ' +
      'or download the report again from the CQC website.',
  );
});

test('many files sent at once are all answered', async () => {
  const values = await Promise.all(Array.from({ length: 8 }, async (_, index) => echo(`file ${index}`)));
  assert.deepEqual(
    values.map((value) => value.text),
    Array.from({ length: 8 }, (_, index) => `file ${index}`),
  );
});

test('files are checked before a child starts, and the caller keeps its bytes', async () => {
  const empty = await rejectionOf(parseReport(new Uint8Array(0), 'report.pdf'));
  assert.equal(empty.message, MESSAGES.empty);
  const tooBig = await rejectionOf(parsePlan(new Uint8Array(2 * 1024 * 1024), 'plan.csv', { limitBytes: 1024 * 1024 }));
  assert.match(tooBig.message, /^This file is 2 MB; the largest file Clasp accepts is 1 MB\./);
  const pdf = fixture('rotherham-2015-cqc-report.pdf');
  const wrongKind = await rejectionOf(parsePlan(pdf, 'report.pdf'));
  assert.match(wrongKind.message, /^This is a PDF\. Clasp reads an action plan from/);
  assert.equal(pdf.byteLength, 152231);
});

test('a zip bomb that declares small sizes is refused once a part unpacks to more than it declared', async () => {
  const zip = new JSZip();
  zip.file('[Content_Types].xml', '<Types/>');
  zip.file('word/document.xml', `<w:document>${'<w:p/>'.repeat(2_000_000)}</w:document>`);
  const honest = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  // Every part now claims to unpack to 100 bytes; the document's 12 MB say otherwise.
  const lying = Buffer.from(honest);
  for (
    let at = lying.indexOf('PK\u0001\u0002', 0, 'latin1');
    at >= 0;
    at = lying.indexOf('PK\u0001\u0002', at + 4, 'latin1')
  )
    lying.writeUInt32LE(100, at + 24);
  const error = await rejectionOf(parseReport(lying, 'report.docx'));
  assert.equal(error.message, MESSAGES.damagedZip);
});

const rotherhamReportPdfWordTitle =
  'the Rotherham report, as a PDF and as a Word document, is read in a child process: 24 recommendations in 4 groups';
test(rotherhamReportPdfWordTitle, async () => {
  for (const name of ['rotherham-2015-cqc-report.pdf', 'rotherham-2015-cqc-report.docx']) {
    const draft = await parseReport(fixture(name), name);
    assert.equal(draft.groups.length, 4, name);
    assert.equal(draft.groups.flatMap((group) => group.recommendations).length, 24, name);
    assert.deepEqual(
      draft.groups.map((group) => group.recommendations.length),
      [1, 5, 6, 12],
      name,
    );
  }
});

test('the Rotherham plan in Word is read in a child process: 24 recommendations', async () => {
  const draft = await parsePlan(
    fixture('rotherham-2015-hwb-paper-and-action-plan.docx'),
    'rotherham-2015-hwb-paper-and-action-plan.docx',
  );
  assert.equal(draft.recommendations.length, 24);
});

/** A one-page-tree PDF with a correct cross-reference table, so that readers get as far as its trailer. */
function pdfFile(objects: string[], trailer: string): Buffer {
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  const entries = offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  body +=
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${entries}trailer\n<< ` +
    `/Size ${objects.length + 1} ${trailer} >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

test('a PDF that needs a password to open is refused with a message about the password', async () => {
  // Standard security handler, revision 2, with a user password check (/U) that no password matches.
  const encryption = `<< /Filter /Standard /V 1 /R 2 /O <${'a1'.repeat(32)}> /U <${'b2'.repeat(32)}> /P -44 >>`;
  const id = '<0123456789abcdef0123456789abcdef>';
  const locked = pdfFile(
    ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>', encryption],
    `/Root 1 0 R /Encrypt 3 0 R /ID [${id}${id}]`,
  );
  const error = await rejectionOf(parseReport(locked, 'report.pdf'));
  assert.match(error.message, /^This PDF is (password-protected|protected with a password)\b/);
});

test("the child's entry file is found beside the runner: the .ts source under tsx", () => {
  assert.match(workerFile('parse-worker').pathname, /\/src\/features\/imports\/parse-worker\.ts$/);
});
