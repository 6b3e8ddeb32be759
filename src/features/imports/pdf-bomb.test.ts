import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { ImportRejected } from './errors.ts';
import { parseReport } from './parse-runner.ts';

/*
 * A PDF of about 1.5 MB whose one page unpacks to 1.5 GB. The child's heap limit does not see
 * memory pdf.js holds outside the heap, so the runner watches the child's whole resident
 * size and kills it at the ceiling; none of it is ever this process's.
 */

/** A content stream of one short text and then megabytes of spaces, deflated. */
async function spacesStream(megabytes: number): Promise<Buffer> {
  const deflate = zlib.createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (part: Buffer) => parts.push(part));
  const ended = new Promise((resolve) => deflate.on('end', resolve));
  deflate.write(Buffer.from('BT /F1 12 Tf 72 720 Td (Recommendations) Tj ET\n'));
  // The same megabyte each time: the queue holds references to it, not copies.
  const chunk = Buffer.alloc(1024 * 1024, 0x20);
  for (let i = 0; i < megabytes; i++) deflate.write(chunk);
  deflate.end();
  await ended;
  return Buffer.concat(parts);
}

function pdfWithContent(stream: Buffer): Uint8Array {
  const objects: (string | null)[] = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    null,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const out: Buffer[] = [Buffer.from('%PDF-1.4\n')];
  const offsets: number[] = [];
  let length = out[0]?.length ?? 0;
  objects.forEach((body, i) => {
    offsets.push(length);
    const part =
      body === null
        ? Buffer.concat([
            Buffer.from(`${i + 1} 0 obj\n<< /Length ${stream.length} /Filter /FlateDecode >>\nstream\n`),
            stream,
            Buffer.from('\nendstream\nendobj\n'),
          ])
        : Buffer.from(`${i + 1} 0 obj\n${body}\nendobj\n`);
    out.push(part);
    length += part.length;
  });
  const xref =
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f ` +
    `\n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`));
  return new Uint8Array(Buffer.concat(out));
}

test('a small PDF that unpacks to gigabytes is stopped, and the process carries on', async () => {
  const pdf = pdfWithContent(await spacesStream(1536));
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
