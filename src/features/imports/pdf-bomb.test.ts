import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ImportRejected } from './errors.ts';
import { parseReport } from './parse-runner.ts';
import { pdfWithContent, spacesStream } from '../../../test/helpers/pdf-bomb.ts';

/*
 * A PDF of about 1.5 MB whose one page unpacks to 1.5 GB. The child's heap limit does not see
 * memory pdf.js holds outside the heap, so the runner watches the child's whole resident
 * size and kills it at the ceiling; none of it is ever this process's.
 */

test('a small PDF that unpacks to gigabytes is stopped, and the process carries on', async () => {
  const pdf = new Uint8Array(pdfWithContent(await spacesStream(1536)));
  const before = process.memoryUsage.rss();
  assert.ok(pdf.byteLength < 5 * 1024 * 1024, `the file is small (${pdf.byteLength} bytes)`);
  await assert.rejects(parseReport(pdf, 'report.pdf', { timeoutMs: 60_000 }), (error: unknown) => {
    assert.ok(error instanceof ImportRejected);
    assert.match(error.message, /needed far more memory than a CQC report should/);
    return true;
  });
  // The unpacked stream was the child's, not this process's.
  const grewMb = Math.round((process.memoryUsage.rss() - before) / 1024 / 1024);
  assert.ok(grewMb < 100, `this process grew by ${grewMb} MB`);
});
