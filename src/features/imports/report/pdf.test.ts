// Reading reports from PDF: lines rebuilt from text positions, running headers and footers
// dropped, paragraphs joined over page breaks — and PDFs that cannot be read.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { ImportRejected } from '../errors.ts';
import type { ReportBlock } from './blocks.ts';
import { readReportFile } from './index.ts';
import { blocksFromPositionedPages, type PositionedText } from './pdf-layout.ts';

const fixture = (name: string) =>
  new Uint8Array(fs.readFileSync(new URL(`../../../../test/fixtures/${name}`, import.meta.url)));

/** A PDF file from object bodies (object 1 is the catalogue), with a correct cross-reference table. */
function pdfFile(objects: string[], trailerExtra = ''): Uint8Array {
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out +=
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f ` +
    `\n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailerExtra}>>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}

type Run = [x: number, y: number, size: number, text: string];

/** A PDF of pages of text runs in Helvetica, placed where given. */
function textPdf(pages: Run[][]): Uint8Array {
  const escape = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`);
  const pageIds = pages.map((_, i) => 4 + i * 2);
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`,
  ];
  objects.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  pages.forEach((runs, i) => {
    const content = [
      'BT',
      ...runs.map(([x, y, size, text]) => `/F1 ${size} Tf 1 0 0 1 ${x} ${y} Tm (${escape(text)}) Tj`),
      'ET',
    ].join('\n');
    objects.push(
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> ' +
        `/Contents ${(pageIds[i] ?? 0) + 1} 0 R >>`,
    );
    objects.push(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
  });
  return pdfFile(objects);
}

const header = (page: number): Run[] => [
  [72, 770, 9, 'Testshire: review of health services for children looked after and safeguarding'],
  [280, 40, 9, `Page ${page} of 3`],
];

const TESTSHIRE_PDF = () =>
  textPdf([
    [
      ...header(1),
      [72, 700, 16, 'Review of health services for Children Looked After'],
      [72, 681, 16, 'and Safeguarding in Testshire'],
      [72, 640, 12, 'Date of review:'],
      [300, 640, 12, '2 March - 6 March 2020'],
      [72, 622, 12, 'Date of publication:'],
      [300, 622, 12, '1 June 2020'],
      [72, 604, 12, 'Provider services included:'],
      [300, 604, 12, 'Testshire Healthcare NHS'],
      [300, 590, 12, 'Foundation Trust'],
      [72, 572, 12, 'CCGs included:'],
      [300, 572, 12, 'NHS Testshire CCG'],
      [72, 520, 14, 'Early help'],
      [72, 490, 12, '1.1 Health visitors see every family at home and'],
      [72, 476, 12, 'record what they find. (Recommendation 1.1).'],
      [72, 128, 12, '1.2 Midwives do not share information with the'],
      [72, 114, 12, 'health visitors or with the GP practices that the'],
      [72, 100, 12, 'families are registered'],
    ],
    [
      ...header(2),
      [72, 700, 12, 'with, which puts children at risk. (Recommendation 1.2).'],
      [72, 676, 12, 'A case study that belongs to no finding.'],
      [72, 640, 14, 'Recommendations'],
      [72, 610, 12, '1. NHS England and Testshire Healthcare NHS Foundation Trust'],
      [72, 596, 12, 'should:'],
      [72, 572, 12, '1.1 Make sure that health visitors record what they find.'],
      [72, 548, 12, '1.2 Share information with GP practices.'],
    ],
    [...header(3), [72, 700, 14, 'Next steps'], [72, 670, 12, 'An action plan is required within 20 working days.']],
  ]);

describe('a report PDF with running headers, footers and a finding over a page break', () => {
  test('reads the review, findings and recommendations without the running lines', async () => {
    const draft = await readReportFile(TESTSHIRE_PDF(), 'pdf');
    assert.equal(
      draft.review.title,
      'Review of health services for Children Looked After and Safeguarding in Testshire',
    );
    assert.deepEqual(
      [draft.review.reviewStart, draft.review.reviewEnd, draft.review.published],
      ['2020-03-02', '2020-03-06', '2020-06-01'],
    );
    assert.deepEqual(
      draft.review.organisations.map((o) => [o.name, o.role]),
      [
        ['Testshire Healthcare NHS Foundation Trust', 'provider'],
        ['NHS Testshire CCG', 'commissioner'],
        ['NHS England', 'addressee'],
      ],
    );
    assert.deepEqual(
      draft.findings.map((f) => [f.number, f.text, f.recommendations]),
      [
        ['1.1', 'Health visitors see every family at home and record what they find.', ['1.1']],
        [
          '1.2',
          'Midwives do not share information with the health visitors or with the GP practices that the ' +
            'families are registered with, which puts children at risk.',
          ['1.2'],
        ],
      ],
    );
    assert.deepEqual(
      draft.groups.map((g) => [g.heading, g.addressees, g.recommendations.map((r) => r.text)]),
      [
        [
          'NHS England and Testshire Healthcare NHS Foundation Trust should:',
          ['NHS England', 'Testshire Healthcare NHS Foundation Trust'],
          ['Make sure that health visitors record what they find.', 'Share information with GP practices.'],
        ],
      ],
    );
    // Only the header fields this small PDF leaves out are warned about.
    assert.deepEqual(
      draft.warnings.map((w) => /^The (.+?) (?:was|were) not found/.exec(w)?.[1]),
      ['names of the CQC inspectors', 'NHS England area', 'CQC region'],
    );
  });
});

const run = (text: string, x: number, y: number, width: number, size = 12): PositionedText => ({
  text,
  x,
  y,
  width,
  size,
});
const texts = (blocks: ReportBlock[]) => blocks.map((b) => (b.kind === 'pair' ? `${b.label} | ${b.value}` : b.text));

describe('rebuilding lines and paragraphs from positions', () => {
  test('keeps a superscript ordinal on its line and a two-column row as a label and value', () => {
    const blocks = blocksFromPositionedPages([
      [
        run('Date of review:', 72, 600, 90),
        run('23', 300, 600, 12),
        run('rd', 312, 604, 6, 7),
        run('February – 27', 321, 600, 80),
        run('th', 401, 604, 6, 7),
        run('February', 410, 600, 50),
        run('2015', 300, 586, 25),
      ],
    ]);
    assert.deepEqual(texts(blocks), ['Date of review: | 23rd February – 27th February 2015']);
  });

  test('keeps a list number set well apart from its text as part of the paragraph', () => {
    const blocks = blocksFromPositionedPages([
      [run('1.', 72, 600, 10), run('NHS England and Testshire CCG', 120, 600, 180), run('should:', 120, 586, 40)],
    ]);
    assert.deepEqual(texts(blocks), ['1. NHS England and Testshire CCG should:']);
  });

  test('joins a word broken with a hyphen at a line end, and lines of a paragraph with spaces', () => {
    const blocks = blocksFromPositionedPages([
      [
        run('2.1 We saw good multi-', 72, 600, 150),
        run('agency work with', 72, 586, 100),
        run('families.', 72, 572, 50),
      ],
    ]);
    assert.deepEqual(texts(blocks), ['2.1 We saw good multi-agency work with families.']);
  });

  test('drops lines repeated at the top or bottom of the pages and bare page numbers', () => {
    const body = [
      '1.1 Early help is offered to families.',
      '1.2 Children in need are seen quickly.',
      '1.3 Child protection plans are shared.',
      '1.4 Health assessments are on time.',
    ];
    const pages = body.map((text, i): PositionedText[] => [
      run('CQC review of Testshire', 72, 770, 150, 9),
      run(text, 72, 700 - i * 20, 150),
      run(String(i + 1), 300, 40, 6, 9),
    ]);
    assert.deepEqual(texts(blocksFromPositionedPages(pages)), body);
  });

  test('reads a row whose cells are set in the middle, as a browser prints a table', () => {
    // The label sits half a line below the value's first line; a longer value starts above it.
    const blocks = blocksFromPositionedPages([
      [
        run('Rotherham Doncaster & South Humber NHS Foundation', 276, 502.4, 275),
        run('Provider services included:', 36, 495.6, 139),
        run('Trust The Rotherham NHS Foundation Trust', 276, 488.9, 215),
        run('CQC Deputy Chief Inspector, Primary', 36, 326.9, 198),
        run('Sue McMillan', 276, 320.1, 69),
        run('Medical Services and Integrated Care:', 36, 313.4, 198),
        run('North West NHS Foundation Trust, first', 276, 250, 200),
        run('line, second line, third line and', 276, 236.5, 200),
        run('CCGs included:', 36, 229.7, 82),
        run('the fourth line', 276, 223, 80),
      ],
    ]);
    assert.deepEqual(texts(blocks), [
      'Provider services included: | Rotherham Doncaster & South Humber NHS Foundation Trust ' +
        'The Rotherham NHS Foundation Trust',
      'CQC Deputy Chief Inspector, Primary Medical Services and Integrated Care: | Sue McMillan',
      'CCGs included: | North West NHS Foundation Trust, first line, second line, third line and the fourth line',
    ]);
  });

  test('starts a new paragraph at each numbered item of a list printed with no space between items', () => {
    // A browser draws a list's bullets as shapes, not text, and sets its items line under line.
    const full = 'full line of a recommendation that runs all the way to the right margin of the page';
    const blocks = blocksFromPositionedPages([
      [
        run('1.', 56, 600, 10),
        run('NHS England & Testshire CCG should:', 76, 600, 200),
        run(`1.1 Work with GPs, a ${full}`, 96, 586, 440),
        run('and on.', 96, 572, 40),
        run('2.', 56, 558, 10),
        run('Testshire CCG should:', 76, 558, 120),
        run(`2.1 Ensure that the ${full}.`, 96, 544, 440),
        run('2.2 Improve records.', 96, 530, 110),
        run(`2.3 Share plans: the total rose in the year to`, 96, 516, 440),
        run('2.5 per cent of all families.', 96, 502, 150),
      ],
    ]);
    assert.deepEqual(texts(blocks), [
      '1. NHS England & Testshire CCG should:',
      `1.1 Work with GPs, a ${full} and on.`,
      '2. Testshire CCG should:',
      `2.1 Ensure that the ${full}.`,
      '2.2 Improve records.',
      '2.3 Share plans: the total rose in the year to 2.5 per cent of all families.',
    ]);
  });

  test('ends a paragraph at a page break when the next word would have fitted on its last line', () => {
    const full = (y: number) => run('A line of text that runs all the way to the right margin of the page', 72, y, 460);
    const blocks = blocksFromPositionedPages([
      [full(600), full(586), run('This ends short.', 72, 572, 90)],
      [run('Mother A is a new paragraph.', 72, 700, 160), full(686)],
      [run('It goes on', 72, 700, 60)],
    ]);
    assert.equal(blocks.length, 2);
    assert.match(texts(blocks)[0] ?? '', /This ends short\.$/);
    // A full last line with no full stop runs on over the page break.
    assert.match(texts(blocks)[1] ?? '', /^Mother A is a new paragraph\. .* margin of the page It goes on$/);
  });
});

// Reading never fails with anything but ImportRejected, whatever the bytes.
async function readOrReject(content: Uint8Array): Promise<'read' | 'rejected'> {
  try {
    await readReportFile(content, 'pdf');
    return 'read';
  } catch (error) {
    assert.ok(error instanceof ImportRejected, `rejected with ImportRejected, not ${String(error)}`);
    assert.ok(error.message.length > 40 && !/\b(?:undefined|null|Exception)\b/.test(error.message), error.message);
    return 'rejected';
  }
}

describe('PDFs that cannot be read', () => {
  const rotherham = fixture('rotherham-2015-cqc-report.pdf');

  test('a password-protected PDF is rejected, saying so', async () => {
    const bytes = (n: number, seed: number) =>
      Array.from({ length: n }, (_, i) => ((i * 37 + seed) % 256).toString(16).padStart(2, '0')).join('');
    const encrypted = pdfFile(
      [
        '<< /Type /Catalog /Pages 2 0 R >>',
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>',
        `<< /Filter /Standard /V 1 /R 2 /O <${bytes(32, 11)}> /U <${bytes(32, 91)}> /P -4 >>`,
      ],
      `/Encrypt 4 0 R /ID [<${bytes(16, 5)}> <${bytes(16, 5)}>] `,
    );
    await assert.rejects(
      readReportFile(encrypted, 'pdf'),
      (error: unknown) => error instanceof ImportRejected && /password-protected/.test(error.message),
    );
  });

  test('a truncated PDF is rejected', async () => {
    for (const share of [0.5, 0.1]) {
      const truncated = rotherham.slice(0, Math.floor(rotherham.length * share));
      await assert.rejects(
        readReportFile(truncated, 'pdf'),
        (error: unknown) => error instanceof ImportRejected,
        `cut at ${share}`,
      );
    }
  });

  test('an empty file, or one that is not a PDF, is rejected as damaged', async () => {
    for (const content of [
      new Uint8Array(0),
      new TextEncoder().encode('Review of health services, but as text.'),
      fixture('rotherham-2015-cqc-report.docx'),
    ]) {
      await assert.rejects(
        readReportFile(content, 'pdf'),
        (error: unknown) => error instanceof ImportRejected && /damaged or not a PDF/.test(error.message),
      );
    }
  });

  test('a PDF with damaged bytes is either read or rejected, never crashes', async (t) => {
    // A fixed pseudo-random sequence, so a failure can be repeated.
    let seed = 20150714;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const outcomes: string[] = [];
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const damaged = rotherham.slice();
      for (let i = 0; i < 40; i += 1) damaged[Math.floor(random() * damaged.length)] = Math.floor(random() * 256);
      // readOrReject fails the test on any error other than ImportRejected with a plain message.
      outcomes.push(await readOrReject(damaged));
    }
    t.diagnostic(`damaged copies: ${outcomes.join(', ')}`);
  });
});

describe('Word files that cannot be read', () => {
  test('a password-protected or old-format Word file is rejected, saying so', async () => {
    const compound = new Uint8Array([
      0xd0,
      0xcf,
      0x11,
      0xe0,
      0xa1,
      0xb1,
      0x1a,
      0xe1,
      ...new Array<number>(504).fill(0),
    ]);
    await assert.rejects(
      readReportFile(compound, 'docx'),
      (error: unknown) =>
        error instanceof ImportRejected && /password-protected or saved in the old/.test(error.message),
    );
  });

  test('a damaged Word file, or a PDF given as Word, is rejected', async () => {
    const docx = fixture('rotherham-2015-cqc-report.docx');
    for (const content of [
      docx.slice(0, docx.length / 2),
      fixture('rotherham-2015-cqc-report.pdf'),
      new Uint8Array(0),
    ]) {
      await assert.rejects(
        readReportFile(content, 'docx'),
        (error: unknown) =>
          error instanceof ImportRejected && /could not be opened as a Word document/.test(error.message),
      );
    }
  });
});
