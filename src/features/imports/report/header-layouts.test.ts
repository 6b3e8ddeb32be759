// The report's header block as real CLAS reports lay it out once turned into text: a label per
// line with its value on the next, "Label: value" pairs run together, all the labels before all
// the values, page numbers and footers glued to the title, ordinal dates and date ranges.
// Each layout is built around the real rest of the Rotherham report, or a small made-up
// Salford report, and read through the same entry point the importer uses.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import fc from 'fast-check';
import type { ReportDraft } from '../drafts.ts';
import { ImportRejected } from '../errors.ts';
import { parseReport } from '../parse-runner.ts';
import { readReportFile, type ReportFormat } from './index.ts';
import { readDateRange, readDay } from './review-details.ts';

const text = (s: string) => new TextEncoder().encode(s);
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

// ---- The Rotherham report with its header laid out in other ways ----

const markdown = fs.readFileSync(
  new URL('../../../../test/fixtures/rotherham-2015-cqc-report.md', import.meta.url),
  'utf8',
);
/** Everything after the header table: the contents, the findings, the recommendations. */
const ROTHERHAM_REST = markdown.slice(markdown.indexOf('## Contents'));
const TITLE = 'Review of health services for Children Looked After and Safeguarding in Rotherham';

const LABELS = [
  'Date of review:',
  'Date of publication:',
  'Name(s) of CQC inspector:',
  'Provider services included:',
  'CCGs included:',
  'NHS England area:',
  'CQC region:',
];
const VALUES = [
  ['23rd February – 27th February 2015'],
  ['14 th July 2015'],
  ['Lea Pickerill', 'Jan Clark', 'Lynette Ranson', 'Pauline Hyde'],
  ['Rotherham Doncaster & South Humber NHS Foundation Trust', 'The Rotherham NHS Foundation Trust'],
  ['Rotherham CCG'],
  ['North of England'],
  ['North East'],
];
const SIGNED = ['CQC Deputy Chief Inspector, Primary Medical Services and Integrated Care:', 'Sue McMillan'];

const ROTHERHAM = {
  title: TITLE,
  area: 'Rotherham',
  reviewStart: '2015-02-23',
  reviewEnd: '2015-02-27',
  published: '2015-07-14',
  inspectors: ['Lea Pickerill', 'Jan Clark', 'Lynette Ranson', 'Pauline Hyde'],
  nhsEnglandArea: 'North of England',
  cqcRegion: 'North East',
  childrenCases: 84,
  organisations: [
    ['Rotherham Doncaster & South Humber NHS Foundation Trust', 'nhs_trust', 'provider'],
    ['The Rotherham NHS Foundation Trust', 'nhs_trust', 'provider'],
    ['Rotherham CCG', 'commissioner', 'commissioner'],
    ['NHS England', 'nhs_england', 'addressee'],
  ],
};

function reviewOf(draft: ReportDraft) {
  const { organisations, ...rest } = draft.review;
  return { ...rest, organisations: organisations.map((o) => [o.name, o.kind, o.role]) };
}

/** Lines broken at about 80 characters, as in text copied out of a PDF. */
function wrapped(lines: string): string {
  return lines
    .split('\n')
    .map((line) => line.replace(/(.{40,80}?)\s+(?=\S)/g, '$1\n'))
    .join('\n');
}
const WRAPPED_REST = wrapped(ROTHERHAM_REST);

/**
 * The header with the report's title and the rest of the report around it: as text saved from
 * Word (one paragraph to a line) or, `wrap` given, as text copied out of a PDF.
 */
function rotherham(header: string, title = `${TITLE}\n\nThe role of health services in Rotherham`, wrap = false) {
  return text(`${title}\n\n${header}\n\n${wrap ? WRAPPED_REST : ROTHERHAM_REST}`);
}

const LAYOUTS: [string, string][] = [
  [
    'one label per line with its value on the next paragraph',
    [...LABELS.flatMap((label, i) => [label, ...(VALUES[i] ?? [])]), ...SIGNED].join('\n\n'),
  ],
  [
    'one label per line with its value on the next line, no blank lines between',
    [...LABELS.flatMap((label, i) => [label, (VALUES[i] ?? []).join(', ')]), ...SIGNED].join('\n'),
  ],
  [
    'several "Label: value" pairs run together in one paragraph',
    [...LABELS.map((label, i) => `${label} ${(VALUES[i] ?? []).join(', ')}`), SIGNED.join(' ')].join(' '),
  ],
  [
    'a "Label: value" line whose value runs on into the next labels',
    `${LABELS[0] ?? ''} ${VALUES[0]?.[0] ?? ''} ${LABELS.slice(1)
      .map((label, i) => `${label} ${(VALUES[i + 1] ?? []).join(', ')}`)
      .join(' ')}`,
  ],
  [
    'all the labels first, one to a line, then all the values, one to a paragraph',
    `${[...LABELS, SIGNED[0]].join('\n')}\n\n${[...VALUES.flat(), SIGNED[1]].join('\n\n')}`,
  ],
  [
    'all the labels first, each in its paragraph, then the values with a page number between',
    `${LABELS.join('\n\n')}\n\n3\n\n${VALUES.map((v) => v.join('\n')).join('\n\n')}`,
  ],
];

describe('the Rotherham header in each layout, read as text', () => {
  for (const [name, header] of LAYOUTS) {
    test(name, async () => {
      const draft = await readReportFile(rotherham(header), 'text');
      assert.deepEqual(reviewOf(draft), ROTHERHAM);
      assert.deepEqual(draft.warnings, []);
      assert.equal(draft.groups.length, 4);
    });
    test(`${name}, in text copied out of a PDF`, async () => {
      const draft = await readReportFile(rotherham(header, undefined, true), 'text');
      const { inspectors, ...rest } = reviewOf(draft);
      const { inspectors: expected, ...expectedRest } = ROTHERHAM;
      assert.deepEqual(rest, expectedRest);
      assert.deepEqual(inspectors, expected);
      assert.ok(
        draft.warnings.every((w) => /inspectors' names are not separated/.test(w)),
        draft.warnings.join('\n'),
      );
      const unwrapped = await readReportFile(rotherham(header), 'text');
      assert.deepEqual(
        draft.findings.map((f) => f.number),
        unwrapped.findings.map((f) => f.number),
      );
      assert.equal(draft.groups.length, 4);
    });
  }

  test('the same layouts in the web page of the report read the same', async () => {
    const page = fs.readFileSync(
      new URL('../../../../test/fixtures/rotherham-2015-cqc-report.html', import.meta.url),
      'utf8',
    );
    const table = /<table>.*?<\/table>/s.exec(page)?.[0] ?? '';
    assert.match(table, /Date of review/);
    for (const [name, header] of LAYOUTS) {
      const paragraphs = header
        .split(/\n+/)
        .map((p) => `<p>${escape(p)}</p>`)
        .join('');
      const draft = await readReportFile(text(page.replace(table, paragraphs)), 'html');
      // The web page keeps the Word file's curly quotes and headings, so only the header is compared.
      const { organisations, ...rest } = reviewOf(draft);
      const { organisations: expected, ...expectedRest } = ROTHERHAM;
      assert.deepEqual(rest, expectedRest, name);
      assert.deepEqual(organisations, expected, name);
      assert.deepEqual(draft.warnings, [], name);
    }
  });
});

describe('page furniture glued to the title', () => {
  const header = LAYOUTS[0]?.[1] ?? '';
  const titles: [string, string][] = [
    ['a page number before the title', `1 ${TITLE}`],
    ['"Page 1 of 30" after the title', `${TITLE} Page 1 of 30`],
    ['a page number after the title', `${TITLE} 1`],
    ['a running header "Page 1 of 30" before it', `Page 1 of 30 ${TITLE}`],
  ];
  for (const [name, title] of titles) {
    test(`${name}: the title and area are still read`, async () => {
      const draft = await readReportFile(rotherham(header, title), 'text');
      assert.equal(draft.review.title, TITLE);
      assert.equal(draft.review.area, 'Rotherham');
      assert.deepEqual(draft.warnings, []);
    });
  }

  test('the title glued to the first label', async () => {
    const draft = await readReportFile(rotherham(LAYOUTS[2]?.[1] ?? '', `2 ${TITLE}`).slice(), 'text');
    assert.equal(draft.review.area, 'Rotherham');
    const glued = await readReportFile(text(`${TITLE} ${LAYOUTS[2]?.[1] ?? ''}\n\n${ROTHERHAM_REST}`), 'text');
    assert.deepEqual(reviewOf(glued), ROTHERHAM);
  });
});

// ---- A small made-up report from Salford, in text, HTML and Word ----

const SALFORD_BODY = [
  'In total, we took into account the experiences of 62 children and young people.',
  'The child’s journey',
  'Early help',
  '1.1 Health visitors see every family at home. (Recommendation 1.1)',
  '1.2 Midwives do not share information with GPs. (Recommendation 2.1)',
  'Recommendations',
  '1. NHS Salford should:',
  '1.1 Make sure GPs share information with health visitors.',
  '2. Salford Royal NHS Foundation Trust should:',
  '2.1 Audit referrals to children’s social care.',
  'Next steps',
  'An action plan is required within 20 working days.',
];
const SALFORD_TITLE = 'Review of health services for Children Looked After and Safeguarding in Salford';
const SALFORD_HEADER: [string, string[]][] = [
  ['Date of review:', ['28 September to 2 October 2015']],
  ['Date of publication:', ['9 th December 2015']],
  ['Name(s) of CQC inspector:', ['Jane Ashworth', 'Ahmed Khan']],
  ['Provider services included:', ['Salford Royal NHS Foundation Trust', 'Pennine Care NHS Foundation Trust']],
  ['CCGs included:', ['NHS Salford']],
  ['Local authority area:', ['Salford City Council']],
];
const SALFORD = {
  title: SALFORD_TITLE,
  area: 'Salford',
  reviewStart: '2015-09-28',
  reviewEnd: '2015-10-02',
  published: '2015-12-09',
  inspectors: ['Jane Ashworth', 'Ahmed Khan'],
  nhsEnglandArea: null,
  cqcRegion: null,
  childrenCases: 62,
  organisations: [
    ['Salford Royal NHS Foundation Trust', 'nhs_trust', 'provider'],
    ['Pennine Care NHS Foundation Trust', 'nhs_trust', 'provider'],
    ['NHS Salford', 'commissioner', 'commissioner'],
  ],
};
// The Salford header has no NHS England area or CQC region, as older reports do not.
const SALFORD_WARNINGS = [
  'The NHS England area was not found: check the header has an "NHS England area" line. ' +
    'The review will show it as not given.',
  'The CQC region was not found: check the header has a "CQC region" line. The review will show it as not given.',
];

function salfordHtml(header: string): Uint8Array {
  const body = SALFORD_BODY.map((p) => `<p>${escape(p)}</p>`).join('');
  return text(`<html><body><h1>1 ${SALFORD_TITLE}</h1>${header}${body}</body></html>`);
}

const cellOf = (lines: string[]) =>
  new TableCell({
    width: { size: 50, type: WidthType.PERCENTAGE },
    children: lines.map((line) => new Paragraph({ children: [new TextRun(line)] })),
  });

/** A Word file of the Salford report, its header given as paragraphs, or as a table of cells. */
async function salfordDocx(header: (Paragraph | Table)[]): Promise<Uint8Array> {
  const document = new Document({
    sections: [
      {
        children: [
          new Paragraph({ children: [new TextRun(`${SALFORD_TITLE} Page 1 of 12`)] }),
          ...header,
          ...SALFORD_BODY.map((line) => new Paragraph({ children: [new TextRun(line)] })),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}

const SALFORD_FILES: [string, ReportFormat, () => Promise<Uint8Array>][] = [
  [
    'text, a label per line and its value on the next',
    'text',
    () =>
      Promise.resolve(
        text(
          [
            `1 ${SALFORD_TITLE}`,
            ...SALFORD_HEADER.flatMap(([label, values]) => [label, ...values]),
            ...SALFORD_BODY,
          ].join('\n\n'),
        ),
      ),
  ],
  [
    'Markdown, the pairs run together in one paragraph',
    'text',
    () =>
      Promise.resolve(
        text(
          [
            `# ${SALFORD_TITLE} Page 1 of 12`,
            SALFORD_HEADER.map(([label, values]) => `**${label}** ${values.join(', ')}`).join(' '),
            ...SALFORD_BODY,
          ].join('\n\n'),
        ),
      ),
  ],
  [
    'a web page, a label per paragraph and its value in the next',
    'html',
    () =>
      Promise.resolve(
        salfordHtml(
          SALFORD_HEADER.map(
            ([label, values]) => `<p><b>${label}</b></p>${values.map((v) => `<p>${v}</p>`).join('')}`,
          ).join(''),
        ),
      ),
  ],
  [
    'a web page, a table of one cell of labels beside one cell of values',
    'html',
    () =>
      Promise.resolve(
        salfordHtml(
          `<table><tr><td>${SALFORD_HEADER.map(([label]) => `<p>${label}</p>`).join('')}</td><td>${SALFORD_HEADER.map(
            ([, values]) => `<p>${values.join(', ')}</p>`,
          ).join('')}</td></tr></table>`,
        ),
      ),
  ],
  [
    'a Word file, a label per paragraph and its value in the next',
    'docx',
    () =>
      salfordDocx(
        SALFORD_HEADER.flatMap(([label, values]) =>
          [label, ...values].map((line) => new Paragraph({ children: [new TextRun(line)] })),
        ),
      ),
  ],
  [
    'a Word file, a table of one cell of labels beside one cell of values',
    'docx',
    () =>
      salfordDocx([
        new Table({
          rows: [
            new TableRow({
              children: [
                cellOf(SALFORD_HEADER.map(([label]) => label)),
                cellOf(SALFORD_HEADER.map(([, values]) => values.join(', '))),
              ],
            }),
          ],
        }),
      ]),
  ],
];

describe('a Salford report with "NHS Salford" as its commissioner', () => {
  for (const [name, format, make] of SALFORD_FILES) {
    test(name, async () => {
      const draft = await readReportFile(await make(), format);
      assert.deepEqual(reviewOf(draft), SALFORD);
      assert.deepEqual(draft.warnings, SALFORD_WARNINGS);
      assert.deepEqual(
        draft.groups.map((g) => [g.addressees, g.organisations]),
        [
          [['NHS Salford'], ['NHS Salford']],
          [['Salford Royal NHS Foundation Trust'], ['Salford Royal NHS Foundation Trust']],
        ],
      );
    });
  }

  test('the importer’s own runner reads a text file and a Word file the same', async () => {
    for (const [name, format, make] of SALFORD_FILES.filter((_, i) => i === 0 || i === 5)) {
      const draft = await parseReport(await make(), format === 'docx' ? 'report.docx' : 'report.txt');
      assert.deepEqual(reviewOf(draft), SALFORD, name);
    }
  });
});

// ---- Warnings for what the header does not give ----

describe('a warning for each header field that is not found', () => {
  test('names every missing field and says what to check and do', async () => {
    const draft = await readReportFile(
      text(`Children Looked After and Safeguarding\n\n${ROTHERHAM_REST.replace(/^## Contents[\s\S]*?(?=## The)/, '')}`),
      'text',
    );
    const missing = draft.warnings.filter((w) => / not found: check /.test(w));
    assert.deepEqual(missing, [
      'The report\'s area was not found: check the title names the area ("… Safeguarding in Salford"); ' +
        'you can set it after import.',
      'The dates of the review were not found: check the header has a "Date of review" line; ' +
        'you can enter them after import.',
      'The date of publication was not found: check the header has a "Date of publication" line; ' +
        'you can enter it after import.',
      'The names of the CQC inspectors were not found: check the header has a "Name(s) of CQC inspector" line. ' +
        'The review will show them as not given.',
      'The provider services were not found: check the header has a "Provider services included" line; ' +
        'you can add the organisations to the review after import.',
      'The commissioners were not found: check the header has a "CCGs included" line; ' +
        'you can add them to the review after import.',
      ...[
        'The NHS England area was not found: check the header has an "NHS England area" line. ' +
          'The review will show it as not given.',
        'The CQC region was not found: check the header has a "CQC region" line. The review will show it as not given.',
      ],
    ]);
  });

  test('a label whose value is missing is skipped, and the values after it still find their labels', async () => {
    const header = `${LABELS.join('\n')}\n\n${VALUES.filter((_, i) => i !== 1)
      .map((v) => v.join(', '))
      .join('\n\n')}`;
    const draft = await readReportFile(rotherham(header), 'text');
    assert.equal(draft.review.published, null);
    assert.equal(draft.review.reviewStart, '2015-02-23');
    assert.deepEqual(draft.review.inspectors, ROTHERHAM.inspectors);
    assert.equal(draft.review.cqcRegion, 'North East');
    assert.deepEqual(
      draft.warnings.filter((w) => /not found/.test(w)),
      [
        'The date of publication was not found: check the header has a "Date of publication" line; ' +
          'you can enter it after import.',
      ],
    );
  });

  test('a value that is there but cannot be read is named, not reported missing', async () => {
    const header = 'Date of review:\n\nSpring 2015\n\nDate of publication:\n\nJuly 2015';
    const draft = await readReportFile(
      rotherham(`${header}\n\n${(LAYOUTS[2]?.[1] ?? '').replace(/^.*?(?=Name)/, '')}`),
      'text',
    );
    assert.deepEqual(
      draft.warnings.filter((w) => /date|dates/.test(w)),
      [
        'The review dates "Spring 2015" could not be read as a start and an end date. Enter them after import.',
        'The publication date "July 2015" could not be read as a date. Enter it after import.',
      ],
    );
  });
});

// ---- Dates as real headers write them ----

describe('ordinal dates and date ranges', () => {
  const ranges: [string, string, string][] = [
    ['28th September 2015', '2015-09-28', '2015-09-28'],
    ['9 th December 2013', '2013-12-09', '2013-12-09'],
    ['2 – 6 March 2015', '2015-03-02', '2015-03-06'],
    ['2nd – 6th March 2015', '2015-03-02', '2015-03-06'],
    ['2nd-6th March 2015', '2015-03-02', '2015-03-06'],
    ['2 to 6 March 2015', '2015-03-02', '2015-03-06'],
    ['28 September to 2 October 2015', '2015-09-28', '2015-10-02'],
    ['30 November - 4 December 2015', '2015-11-30', '2015-12-04'],
    ['30th November – 4th December 2015', '2015-11-30', '2015-12-04'],
    ['30 November-4 December 2015', '2015-11-30', '2015-12-04'],
    ['29 December 2014 – 2 January 2015', '2014-12-29', '2015-01-02'],
    ['29 December – 2 January 2015', '2014-12-29', '2015-01-02'],
    ['Monday 2 March – Friday 6 March 2015', '2015-03-02', '2015-03-06'],
    ['2 March 2015 until 6 March 2015', '2015-03-02', '2015-03-06'],
  ];
  for (const [words, start, end] of ranges)
    test(`"${words}"`, () => assert.deepEqual(readDateRange(words), { start, end }));

  test('a publication date with an ordinal, close or apart', () => {
    assert.equal(readDay('28th September 2015'), '2015-09-28');
    assert.equal(readDay('9 th December 2013'), '2013-12-09');
    assert.equal(readDay('1st of June 2016'), '2016-06-01');
  });
});

// ---- Fuzzing the header layouts ----

describe('header layouts, shuffled and damaged', () => {
  /** True when the file was read; false when rejected with ImportRejected. Any other failure fails the test. */
  async function readsOrRejects(content: string): Promise<boolean> {
    try {
      const draft = await readReportFile(text(content), 'text');
      assert.ok(Array.isArray(draft.warnings));
      return true;
    } catch (error) {
      if (error instanceof ImportRejected) return false;
      throw error;
    }
  }

  test('labels and values in any order, with furniture and glue, are read or rejected, nothing else', async () => {
    const pieces = [...LABELS, ...VALUES.flat(), ...SIGNED, '1', 'Page 2 of 30', TITLE, '', ''];
    const header = fc.array(fc.tuple(fc.constantFrom(...pieces), fc.constantFrom('\n', '\n\n', ' ', '\t', ': ')), {
      maxLength: 40,
    });
    await fc.assert(
      fc.asyncProperty(header, async (parts) => {
        const opening = parts.map(([piece, glue]) => `${piece}${glue}`).join('');
        const read = await readsOrRejects(`${opening}\n\n${ROTHERHAM_REST}`);
        assert.ok(read, 'the rest of the report is whole, so it is read');
      }),
      { numRuns: 150, seed: 20150714 },
    );
  });

  test('a header of random text before the report is read or rejected, nothing else', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 2000 }), async (s) => {
        await readsOrRejects(`${s}\n\n${ROTHERHAM_REST}`);
      }),
      { numRuns: 100, seed: 20150714 },
    );
  });
});
