// The interpreter on small reports written here, in plain text: the forms CQC reports take
// beyond the Rotherham one, the warnings for anything doubtful, and the rejections.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { ImportRejected } from '../errors.ts';
import { readReportFile, type ReportFormat } from './index.ts';
import { readDateRange, readDay } from './review-details.ts';

const text = (s: string) => new TextEncoder().encode(s);

const TESTSHIRE = `
Review of health services for Children Looked After and Safeguarding in Testshire

Date of review: 2nd – 6th March 2020
Date of publication: 1st June 2020
CCGs included: NHS Testshire Clinical Commissioning Group

The child's journey

Early help

1.1. Health visitors see every family at home (Recommendations 2.1 and 1.1).

1.2 Midwives do not share
information with GPs. (Recommendation 1.1, 1.2).

1.3 School nurses are too few to see every child. \
This has been brought to the attention of public health within Testshire County Council.

1.4 The walk-in centre is positive and welcoming, and this is good practice.

A case study that belongs to no finding.

Leadership & management

5.1.1 Leaders are committed to safeguarding children.

Recommendations

1. Testshire CCG should:
1.1 Make sure GPs share information.
1.2 Audit
referrals to children's social care.
2. NHS England and Testshire Healthcare NHS Foundation Trust should:
2.1 Provide a home visiting service.

Next steps

An action plan is required within 20 working days.
`;

describe('a report in plain text', () => {
  test('reads findings, pointers in any list form, sections and public health referrals', async () => {
    const draft = await readReportFile(text(TESTSHIRE), 'text');
    assert.deepEqual(
      draft.findings.map((f) => [f.number, f.section, f.recommendations, f.publicHealth, f.kind]),
      [
        ['1.1', 'Early help', ['2.1', '1.1'], false, 'concern'],
        ['1.2', 'Early help', ['1.1', '1.2'], false, 'concern'],
        ['1.3', 'Early help', [], true, 'concern'],
        ['1.4', 'Early help', [], false, 'good_practice'],
        ['5.1.1', 'Leadership and management', [], false, 'good_practice'],
      ],
    );
    assert.equal(draft.findings[0]?.text, 'Health visitors see every family at home.');
    assert.equal(draft.findings[1]?.text, 'Midwives do not share information with GPs.');
  });

  test('reads the groups, their addressees and recommendations joined across lines', async () => {
    const draft = await readReportFile(text(TESTSHIRE), 'text');
    assert.deepEqual(
      draft.groups.map((g) => [g.number, g.heading, g.addressees, g.organisations, g.recommendations]),
      [
        [
          '1',
          'Testshire CCG should:',
          ['Testshire CCG'],
          ['NHS Testshire Clinical Commissioning Group'],
          [
            { number: '1.1', text: 'Make sure GPs share information.' },
            { number: '1.2', text: "Audit referrals to children's social care." },
          ],
        ],
        [
          '2',
          'NHS England and Testshire Healthcare NHS Foundation Trust should:',
          ['NHS England', 'Testshire Healthcare NHS Foundation Trust'],
          ['NHS England', 'Testshire Healthcare NHS Foundation Trust'],
          [{ number: '2.1', text: 'Provide a home visiting service.' }],
        ],
      ],
    );
    assert.deepEqual(draft.review.organisations, [
      { name: 'NHS Testshire Clinical Commissioning Group', kind: 'commissioner', role: 'commissioner' },
      { name: 'NHS England', kind: 'nhs_england', role: 'addressee' },
      { name: 'Testshire Healthcare NHS Foundation Trust', kind: 'nhs_trust', role: 'addressee' },
    ]);
  });

  test('reads the details it is given and leaves the rest empty rather than guess', async () => {
    const draft = await readReportFile(text(TESTSHIRE), 'text');
    assert.deepEqual(
      { ...draft.review, organisations: [] },
      {
        title: 'Review of health services for Children Looked After and Safeguarding in Testshire',
        area: 'Testshire',
        reviewStart: '2020-03-02',
        reviewEnd: '2020-03-06',
        published: '2020-06-01',
        inspectors: [],
        nhsEnglandArea: null,
        cqcRegion: null,
        childrenCases: null,
        organisations: [],
      },
    );
    // Each header field the report leaves out is named in a warning of its own.
    assert.deepEqual(
      draft.warnings.map((w) => /^The (.+?) (?:was|were) not found/.exec(w)?.[1]),
      ['names of the CQC inspectors', 'provider services', 'NHS England area', 'CQC region'],
    );
  });
});

describe('warnings for anything doubtful', () => {
  const DOUBTFUL = `
Early help

1.1 Finding one. (Recommendation 1.9)

1.3 Finding three skips a number. (Recommendation 3.1)

Recommendations

1. Testshire CCG should:
1.1 First.
1.3 Third, with 1.2 missing.
1.3 Third again.

Testshire Council must:
3.1 A recommendation under a heading that does not end in should.
`;

  test('says what looks wrong, in plain words', async () => {
    const { warnings, groups } = await readReportFile(text(DOUBTFUL), 'text');
    const expected = [
      /publication/,
      /dates of the review/,
      /Recommendation 1\.3 appears twice/,
      /heading of recommendation group 3 \("Testshire Council must:"\) does not end in "should:"/,
      /recommendation numbers go from 1\.1 to 1\.3/,
      /recommendation group numbers go from 1 to 3/,
      /finding numbers go from 1\.1 to 1\.3/,
      /Finding 1\.1 points to recommendation 1\.9, which the report does not have/,
    ];
    for (const pattern of expected)
      assert.ok(
        warnings.some((w) => pattern.test(w)),
        `a warning matches ${pattern}:\n${warnings.join('\n')}`,
      );
    assert.deepEqual(
      groups.map((g) => [g.number, g.addressees]),
      [
        ['1', ['Testshire CCG']],
        ['3', ['Testshire Council']],
      ],
    );
  });

  test('leaves out a numbered paragraph that follows no section heading, and says so', async () => {
    const draft = await readReportFile(
      text(
        'Date of publication: 1 June 2020\n\nThe child’s journey\n\n2.1 Numbered but in no ' +
          'section.\n\nRecommendations\n\n1. Testshire CCG should:\n\n1.1 Act.\n',
      ),
      'text',
    );
    assert.deepEqual(draft.findings, []);
    assert.ok(
      draft.warnings.some((w) => /Paragraph 2\.1 is numbered like a finding/.test(w)),
      draft.warnings.join('\n'),
    );
  });
});

describe('files that are not CQC reports', () => {
  test('a file with no numbered recommendations is rejected with what to do', async () => {
    const file = text(
      'Minutes of the safeguarding board\n\n1.1 The board met.\n\nActions\n\nThe chair will write to CQC.\n',
    );
    await assert.rejects(readReportFile(file, 'text'), (error: unknown) => {
      assert.ok(error instanceof ImportRejected);
      assert.match(
        error.message,
        /^This file has no numbered recommendations, so it cannot be read as a CQC report\. /,
      );
      assert.match(error.message, /Check that you chose the CQC review report/);
      return true;
    });
  });

  test('recommendations with no findings and no review details are not taken for a report', async () => {
    const plan = text('Action plan\n\nRecommendations\n\n1. Testshire CCG should:\n\n1.1 Act.\n');
    await assert.rejects(
      readReportFile(plan, 'text'),
      (error: unknown) =>
        error instanceof ImportRejected && /does not look like a CQC review report/.test(error.message),
    );
  });

  test('an empty file is rejected as empty', async () => {
    await assert.rejects(
      readReportFile(text(' \n\n'), 'text'),
      (error: unknown) => error instanceof ImportRejected && /empty/.test(error.message),
    );
  });

  test('a web page without a report is rejected', async () => {
    const page = text('<html><body><h1>Welcome</h1><p>Nothing to see.</p></body></html>');
    await assert.rejects(
      readReportFile(page, 'html'),
      (error: unknown) => error instanceof ImportRejected && /no numbered recommendations/.test(error.message),
    );
  });
});

describe('dates in the header', () => {
  const ranges: [string, string | null, string | null][] = [
    ['23rd February – 27th February 2015', '2015-02-23', '2015-02-27'],
    ['23 rd February – 27 th February 2015', '2015-02-23', '2015-02-27'],
    ['23–27 February 2015', '2015-02-23', '2015-02-27'],
    ['23-27 February 2015', '2015-02-23', '2015-02-27'],
    ['23/02/2015 - 27/02/2015', '2015-02-23', '2015-02-27'],
    ['28 December 2015 to 2 January 2016', '2015-12-28', '2016-01-02'],
    ['28 December – 2 January 2016', '2015-12-28', '2016-01-02'],
    ['4 March 2019', '2019-03-04', '2019-03-04'],
    ['Spring 2019', null, null],
    ['to be confirmed', null, null],
  ];
  for (const [words, start, end] of ranges) {
    test(`"${words}"`, () => assert.deepEqual(readDateRange(words), { start, end }));
  }
  test('a publication date with a superscript suffix', () => {
    assert.equal(readDay('14 th July 2015'), '2015-07-14');
    assert.equal(readDay('July 2015'), null);
  });
});

describe('recommendation groups in other layouts', () => {
  const report = (recommendations: string) =>
    text(
      'Date of publication: 1 June 2020\n\nEarly help\n\n1.1 A finding. ' +
        `(Recommendation 1.1)\n\nRecommendations\n\n${recommendations}\n`,
    );

  const takesGroupNumberRecommendationsTitle =
    'takes the group number from the recommendations when the heading has none, and keeps an introduction out';
  test(takesGroupNumberRecommendationsTitle, async () => {
    const draft = await readReportFile(
      report(
        'Testshire CCG should:\n\nThese are in order of priority.\n\n1.1 Act.\n\nTestshire Council ' +
          'should:\n\n2.1 Act too.',
      ),
      'text',
    );
    assert.deepEqual(
      draft.groups.map((g) => [g.number, g.addressees, g.recommendations.map((r) => r.number)]),
      [
        ['1', ['Testshire CCG'], ['1.1']],
        ['2', ['Testshire Council'], ['2.1']],
      ],
    );
    assert.ok(
      draft.warnings.some((w) => /not read as part of any recommendation: "These are in order of priority\."/.test(w)),
      draft.warnings.join('\n'),
    );
  });

  test('reads recommendations set out in a table of number and text', async () => {
    const page = `<h2>Early help</h2><p>1.1 A finding. (Recommendation 1.1)</p><p>Date of publication: 1 June 2020</p>
      <h2>Recommendations</h2><p>1. Testshire CCG should:</p>
      <table><tr><td>1.1</td><td>Act.</td></tr><tr><td>1.2</td><td>Act again.</td></tr></table>`;
    const draft = await readReportFile(text(page), 'html');
    assert.deepEqual(draft.groups[0]?.recommendations, [
      { number: '1.1', text: 'Act.' },
      { number: '1.2', text: 'Act again.' },
    ]);
  });

  test('warns about a recommendation whose group has no heading', async () => {
    const draft = await readReportFile(
      report('1. Testshire CCG should:\n\n1.1 Act.\n\n2.1 Nobody is named for this one.'),
      'text',
    );
    assert.deepEqual(
      draft.groups.map((g) => [g.number, g.addressees]),
      [
        ['1', ['Testshire CCG']],
        ['2', []],
      ],
    );
    assert.ok(
      draft.warnings.some((w) => /Recommendation 2\.1 has no group heading/.test(w)),
      draft.warnings.join('\n'),
    );
  });
});

describe('damaged and random text', () => {
  const markdown = fs
    .readFileSync(new URL('../../../../test/fixtures/rotherham-2015-cqc-report.md', import.meta.url), 'utf8')
    .split('\n');

  /** True when the file was read; false when rejected with ImportRejected. Any other failure fails the test. */
  async function readsOrRejects(content: string, format: ReportFormat): Promise<boolean> {
    try {
      const draft = await readReportFile(text(content), format);
      assert.ok(draft.groups.length > 0);
      return true;
    } catch (error) {
      if (error instanceof ImportRejected) return false;
      throw error;
    }
  }

  test('any text or markup is read or rejected, nothing else', async () => {
    const format = fc.constantFrom<ReportFormat>('text', 'html');
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 3000 }), format, async (s, f) => {
        // Either outcome passes: the answer is not returned, as fast-check would count false as a failure.
        await readsOrRejects(s, f);
      }),
      { numRuns: 300 },
    );
  });

  test('the report with lines dropped, repeated and moved is read or rejected, nothing else', async () => {
    const edits = fc.array(
      fc.tuple(fc.constantFrom('drop', 'repeat', 'move'), fc.nat(markdown.length - 1), fc.nat(markdown.length - 1)),
      { maxLength: 40 },
    );
    await fc.assert(
      fc.asyncProperty(edits, async (list) => {
        const lines = [...markdown];
        for (const [edit, at, to] of list) {
          const [line] = lines.splice(at % lines.length, edit === 'repeat' ? 0 : 1);
          if (edit === 'repeat') lines.splice(at % (lines.length + 1), 0, lines[at % lines.length] ?? '');
          if (edit === 'move' && line !== undefined) lines.splice(to % (lines.length + 1), 0, line);
        }
        await readsOrRejects(lines.join('\n'), 'text');
      }),
      { numRuns: 60 },
    );
  });
});
