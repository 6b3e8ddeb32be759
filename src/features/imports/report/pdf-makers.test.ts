// The Rotherham report as other PDF makers than CQC's lay it out (test/fixtures/reports/,
// made by generate.ts there): printed by a browser with its running header and footer, on
// A4 and US Letter, with narrow margins and scaled down; set by another maker with justified
// text, a serif font and "Page n of m"; and exported to PDF by LibreOffice from the Word copy.
// Each is read through the same runner as an upload and must give exactly what the original
// CQC PDF gives. A scan is refused.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import { before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { ReportDraft } from '../drafts.ts';
import { ImportRejected } from '../errors.ts';
import { parseReport } from '../parse-runner.ts';
import { readReportFile } from './index.ts';

const fixture = (name: string) =>
  new Uint8Array(fs.readFileSync(new URL(`../../../../test/fixtures/${name}`, import.meta.url)));

// The other maker's copy was set from the Markdown text of the report, which has straight
// quotes where the CQC PDF has curly ones. Only that is treated as the same.
const sameQuotes = (text: string) => text.replace(/[‘’]/g, "'").replace(/[“”]/g, '"');

/** What a report's reading must keep whatever made the PDF: findings, groups, addressees, recommendations, pointers. */
function reading(draft: ReportDraft) {
  return {
    review: { ...draft.review, title: draft.review.title && sameQuotes(draft.review.title) },
    findings: draft.findings.map((f) => ({ ...f, text: sameQuotes(f.text) })),
    groups: draft.groups.map((g) => ({
      ...g,
      heading: sameQuotes(g.heading),
      recommendations: g.recommendations.map((r) => ({ ...r, text: sameQuotes(r.text) })),
    })),
  };
}

// Words of the running headers and footers the makers put on every page.
const RUNNING = [
  /cqc\.org\.uk\/sites/i, // the page's address
  /\b\d{1,2}\/\d{1,2}(?:\/\d{2,4})?\b/, // a date, or "3/17"
  /\b\d{1,2}:\d{2}\b/, // the time of printing
  /\bpage \d+ of \d+\b/i,
  /Children Looked After and Safeguarding in Rotherham/i, // the title
];

// What is tested is the reading, not its speed (the benchmarks time it): a busy test machine
// must not turn a slow read into a failure.
const SLOW_MACHINE = { timeoutMs: 120_000 };

const MAKERS = [
  ['reports/chromium-a4.pdf', 'Chromium, A4, with its date, title, address and "n/m" header and footer'],
  ['reports/chromium-letter.pdf', 'Chromium, US Letter, with the same header and footer'],
  ['reports/chromium-narrow-scaled.pdf', 'Chromium, A4 with narrow margins, scaled to 70%'],
  ['reports/pdfkit-justified.pdf', 'another maker, justified serif text with a running title and "Page n of m"'],
  ['reports/libreoffice-from-word.pdf', 'LibreOffice Writer 7.4, the Word copy exported to PDF'],
] as const;

describe('a report PDF from any maker reads as the original CQC PDF does', () => {
  let original: ReturnType<typeof reading>;
  before(async () => {
    original = reading(await parseReport(fixture('rotherham-2015-cqc-report.pdf'), 'report.pdf', SLOW_MACHINE));
    assert.equal(original.findings.length, 123);
    assert.equal(original.groups.flatMap((g) => g.recommendations).length, 24);
  });

  for (const [file, maker] of MAKERS) {
    test(`${maker} (${file})`, async () => {
      const draft = await parseReport(fixture(file), file.replace('reports/', ''), SLOW_MACHINE);
      const read = reading(draft);
      assert.deepEqual(read.review, original.review);
      assert.deepEqual(read.findings, original.findings);
      assert.deepEqual(read.groups, original.groups);
      const texts = [
        ...draft.findings.map((f) => f.text),
        ...draft.groups.flatMap((g) => [g.heading, ...g.recommendations.map((r) => r.text)]),
      ];
      for (const text of texts)
        for (const words of RUNNING)
          assert.doesNotMatch(text, words, 'a running header or footer leaked into the text');
    });
  }

  test("the other maker's copy reads as the same text read from the Markdown file", async () => {
    const pdf = await readReportFile(fixture('reports/pdfkit-justified.pdf'), 'pdf');
    const text = await readReportFile(fixture('rotherham-2015-cqc-report.md'), 'text');
    assert.deepEqual(pdf.findings, text.findings);
    assert.deepEqual(pdf.groups, text.groups);
  });

  test("the browser's copy reads as the web page it was printed from", async () => {
    const pdf = await readReportFile(fixture('reports/chromium-letter.pdf'), 'pdf');
    const html = await readReportFile(fixture('rotherham-2015-cqc-report.html'), 'html');
    assert.deepEqual(pdf.findings, html.findings);
    // The web page words its group headings a little otherwise than the CQC PDF.
    assert.deepEqual(
      pdf.groups.map((g) => ({ ...g, heading: undefined })),
      html.groups.map((g) => ({ ...g, heading: undefined })),
    );
  });
});

describe('a PDF with no text in it', () => {
  test('a scan, pages of pictures only, is refused, saying Clasp cannot read scans', async () => {
    await assert.rejects(
      parseReport(fixture('reports/scan.pdf'), 'scan.pdf', SLOW_MACHINE),
      (error: unknown) =>
        error instanceof ImportRejected &&
        /no text in it: it looks like a scan/.test(error.message) &&
        /cannot read scans/.test(error.message),
    );
  });
});

// In the style of ../fuzz.test.ts: damaged copies of the new layouts go through the runner and
// are read or refused in plain words, never anything else, within the time limit.
const SEED = Number(process.env.FUZZ_SEED ?? 20150714);
const RUNS = Number(process.env.FUZZ_RUNS ?? 4);
const TIME_LIMIT_MS = 10_000;
const SETTLING_SLACK_MS = 5_000;

const flips = fc.array(fc.record({ at: fc.nat({ max: 1_000_000 }), xor: fc.integer({ min: 1, max: 255 }) }), {
  minLength: 1,
  maxLength: 16,
});
const damage = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), flips }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat({ max: 1_000_000 }) }),
);

test(
  `damaged copies of the other makers' PDFs are read or refused in plain words (seed ${SEED}, ${RUNS} runs each)`,
  { concurrency: Math.min(2, os.availableParallelism()) },
  async (t) => {
    const files = [...MAKERS.map(([file]) => file), 'reports/scan.pdf'];
    await Promise.all(
      files.map((file) =>
        t.test(file, async () => {
          const original = fixture(file);
          const property = fc.asyncProperty(damage, async (what) => {
            let damaged: Uint8Array;
            if (what.kind === 'truncate') damaged = original.slice(0, what.at % original.length);
            else {
              damaged = original.slice();
              for (const { at, xor } of what.flips)
                damaged[at % damaged.length] = (damaged[at % damaged.length] ?? 0) ^ xor;
            }
            const started = performance.now();
            try {
              const draft = await parseReport(damaged, 'report.pdf', { timeoutMs: TIME_LIMIT_MS });
              assert.ok(Array.isArray(draft.findings) && Array.isArray(draft.groups));
            } catch (error) {
              assert.ok(error instanceof ImportRejected, `expected ImportRejected, got ${String(error)}`);
              assert.ok(error.message.length < 600);
              assert.doesNotMatch(error.message, /\n|\bat \S+ \(|<\/?[a-z]|\[object |\bundefined\b|\bnull\b|Error:/u);
            }
            assert.ok(performance.now() - started < TIME_LIMIT_MS + SETTLING_SLACK_MS);
          });
          await fc.assert(property, { seed: SEED, numRuns: RUNS });
        }),
      ),
    );
  },
);
