import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evidenceLine, readEvidenceLine, type EvidenceLineItem } from '../../../domain/evidence-lines.ts';
import { fieldOfHeader, isWorkedOutColumn } from './columns.ts';
import { readPlanFile } from './index.ts';

/*
 * What Clasp's own plan export adds, read back: evidence items one a line, where each rating
 * stands, and the organisations taking part. Other plans' columns keep their meaning.
 */

const item = (over: Partial<EvidenceLineItem>): EvidenceLineItem => ({
  kind: 'note',
  title: 'Audit of GP referrals',
  effectiveOn: '2016-05-31',
  periodStart: null,
  fileName: null,
  sha256: null,
  url: null,
  note: 'Every practice audited.',
  status: 'accepted',
  statusReason: 'Shows every practice.',
  statusBy: 'Peer challenge group',
  statusOn: '2016-06-16',
  addedBy: 'Named GP',
  ...over,
});

const SHA = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

test('evidence items written as lines read back as they were', () => {
  const cases: [string, EvidenceLineItem][] = [
    ['a note, accepted', item({})],
    ['a file with its SHA-256', item({ kind: 'file', note: null, fileName: 'audit 2016.pdf', sha256: SHA })],
    [
      'a link covering a period',
      item({ kind: 'link', note: null, url: 'https://example.org/a?b=1', periodStart: '2016-05-01' }),
    ],
    [
      'awaiting a decision, with a note on it',
      item({ status: 'submitted', statusBy: null, statusOn: null, statusReason: 'Sent for the next meeting.' }),
    ],
    ['awaiting a decision', item({ status: 'submitted', statusBy: null, statusOn: null, statusReason: null })],
    ['rejected, no date, no reason', item({ status: 'rejected', statusOn: null, statusReason: null })],
    ['accepted, nobody named', item({ statusBy: null })],
    ['no one named as adding it', item({ addedBy: null })],
    ['a reason with a colon in it', item({ statusReason: 'Partly: only two wards.' })],
  ];
  for (const [name, written] of cases) {
    const line = evidenceLine(written);
    assert.ok(!line.includes('\n'), `${name}: one line`);
    assert.deepEqual(readEvidenceLine(line), written, `${name}: ${line}`);
  }
});

test('the line form of a note accepted by the group', () => {
  assert.equal(
    evidenceLine(item({ periodStart: '2016-05-01' })),
    'Audit of GP referrals | dated 1 May 2016 to 31 May 2016 | note: Every practice audited. | added by Named GP | ' +
      'accepted 16 June 2016 by Peer challenge group: Shows every practice.',
  );
});

test('words that would break the line are made safe: line breaks become spaces, " | " becomes " / "', () => {
  const written = item({
    title: 'Minutes | March',
    note: 'First line\nsecond | third',
    statusBy: 'Board: safeguarding',
    statusReason: 'Seen | agreed',
  });
  assert.deepEqual(readEvidenceLine(evidenceLine(written)), {
    ...written,
    title: 'Minutes / March',
    note: 'First line second / third',
    statusBy: 'Board - safeguarding',
    statusReason: 'Seen / agreed',
  });
});

test('lines that are not evidence items are not read as one', () => {
  for (const line of [
    '',
    'Evidence: 1 accepted',
    '14 July 2016 – Audit done | see minutes',
    'Audit | dated 31 February 2016 | note: x | accepted',
    'Audit | dated 1 May 2016 | accepted 16 June 2016',
    'Audit | dated 1 May 2016 | note: x',
    'Audit | dated 1 May 2016 | note: x | approved by Jo',
  ])
    assert.equal(readEvidenceLine(line), null, line);
});

test("Clasp's own column headings are read by their exact words; other plans' keep their meaning", () => {
  const cases: [string, ReturnType<typeof fieldOfHeader>][] = [
    ['Evidence items', 'evidence'],
    ['Evidence', 'progress'],
    ['Progress, Evidence, Date', 'progress'],
    ['Taking part', 'takingPart'],
    ['Rating status', 'ratingStatus'],
    ['RAG status', 'rating'],
    ['Rating agreed by', 'agreedBy'],
    ['Rating agreed on', 'agreedOn'],
    ['BRAG rating', 'rating'],
    ['Rating basis: accepted evidence', null],
    ['Rating: lasting assurance', null],
    ['Times moved', null],
    ['Complete by', 'dueDate'],
  ];
  for (const [header, field] of cases) assert.equal(fieldOfHeader(header), field, header);
  assert.ok(isWorkedOutColumn('Rating basis: accepted evidence'));
  assert.ok(!isWorkedOutColumn('Addressed to'));
  assert.equal(fieldOfHeader('Addressed to'), 'addressedTo');
});

const csv = (rows: string[][]) =>
  new TextEncoder().encode(rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\r\n') + '\r\n');

const HEADINGS = [
  'Recommendation number',
  'Recommendation',
  'Agency/service',
  'Taking part',
  'SMART action',
  'Lead officer',
  'Date of action',
  'BRAG rating',
  'Rating status',
  'Rating agreed by',
  'Rating agreed on',
  'Rating basis: accepted evidence',
  'Progress',
  'Evidence items',
];

test("a table in Clasp's layout: agreement, who takes part and evidence items read back, with no warning", async () => {
  const evidence = evidenceLine(item({ kind: 'file', note: null, fileName: 'audit.pdf', sha256: SHA }));
  const draft = await readPlanFile(
    csv([
      HEADINGS,
      [
        '1.1',
        'Train GPs.',
        'RCCG',
        'NHS Rotherham CCG\nGP practices',
        'Train every GP.',
        'Named GP',
        '31 March 2016',
        'Green',
        'Agreed (disputed)',
        'Peer challenge group',
        '2016-06-16',
        '1',
        '',
        evidence,
      ],
      [
        '1.1',
        'Train GPs.',
        'RCCG',
        '',
        'Audit the training.',
        'Named GP',
        '30 June 2016',
        'Amber',
        'Proposed',
        '',
        '',
        '0',
        '',
        '',
      ],
      [
        '1.1',
        'Train GPs.',
        'RCCG',
        'NHS Rotherham CCG',
        'Report to the board.',
        'Named GP',
        '31 July 2016',
        'No rating',
        'No rating',
        '',
        '',
        '0',
        '',
        '',
      ],
    ]),
    'csv',
  );
  assert.deepEqual(draft.warnings, []);
  const [trained, audited, reported] = draft.recommendations[0]?.actions ?? [];
  assert.deepEqual(trained?.agreement, {
    status: 'agreed',
    by: 'Peer challenge group',
    on: '2016-06-16',
    disputed: true,
  });
  assert.deepEqual(trained.takingPart, ['NHS Rotherham CCG', 'GP practices']);
  assert.deepEqual(trained.evidence, [
    {
      kind: 'note',
      title: 'Audit of GP referrals',
      effectiveOn: '2016-05-31',
      periodStart: null,
      url: null,
      note: `File in the exported plan: audit.pdf (sha256 ${SHA})`,
      status: 'accepted',
      reason: 'Shows every practice.',
      decidedBy: 'Peer challenge group',
      decidedOn: '2016-06-16',
      addedBy: 'Named GP',
    },
  ]);
  assert.deepEqual(audited?.agreement, { status: 'proposed', by: null, on: null, disputed: false });
  // The column is there and empty: nobody takes part, which is not the same as the file not saying.
  assert.deepEqual(audited.takingPart, []);
  assert.equal(reported?.rating, null);
  assert.equal(reported.agreement, null);
});

test('an evidence line that cannot be read is left out, and said so', async () => {
  const draft = await readPlanFile(
    csv([
      HEADINGS,
      [
        '1.1',
        'Train GPs.',
        'RCCG',
        '',
        'Train every GP.',
        'Named GP',
        '31 March 2016',
        'Green',
        'Agreed',
        '',
        '',
        '0',
        '',
        'Minutes of the May meeting',
      ],
    ]),
    'csv',
  );
  assert.deepEqual(draft.recommendations[0]?.actions[0]?.evidence, []);
  assert.deepEqual(draft.warnings, [
    'Row 2: the evidence item "Minutes of the May meeting" could not be read, so it was left out. ' +
      'Add it after importing.',
  ]);
});

test('a rating cell that says who agreed it below the rating (the Word plan) gives the agreement', async () => {
  const draft = await readPlanFile(
    csv([
      ['Recommendation number', 'Recommendation', 'Action', 'Lead', 'BRAG'],
      [
        '1.1',
        'Train GPs.',
        'Train every GP.',
        'Named GP',
        'Green: on target\nAgreed 16 June 2016 by Red Team board\nDisputed\nEvidence: 1 accepted',
      ],
      ['1.1', 'Train GPs.', 'Audit the training.', 'Named GP', 'Amber\nProposed, awaiting agreement'],
    ]),
    'csv',
  );
  const [trained, audited] = draft.recommendations[0]?.actions ?? [];
  // "Red" in a name does not stop the rating being read from the first line.
  assert.equal(trained?.rating, 'green');
  assert.deepEqual(trained.agreement, { status: 'agreed', by: 'Red Team board', on: '2016-06-16', disputed: true });
  assert.deepEqual(audited?.agreement, { status: 'proposed', by: null, on: null, disputed: false });
  assert.equal(audited.takingPart, null, 'a plan with no "Taking part" says nothing of who takes part');
});

test('another plan\'s "Rating status" column holding the colour still gives the rating', async () => {
  const draft = await readPlanFile(
    csv([
      ['Recommendation number', 'Recommendation', 'Action', 'Lead', 'Rating status'],
      ['1.1', 'Train GPs.', 'Train every GP.', 'Named GP', 'Amber'],
    ]),
    'csv',
  );
  assert.equal(draft.recommendations[0]?.actions[0]?.rating, 'amber');
  assert.equal(draft.recommendations[0].actions[0].agreement, null);
});

test('"Complete by" gives the due date beside date words that give none, or another', async () => {
  const draft = await readPlanFile(
    csv([
      ['Recommendation number', 'Recommendation', 'Action', 'Lead', 'Date of action', 'Complete by'],
      ['1.1', 'Train GPs.', 'Train every GP.', 'Named GP', 'Ongoing', '2016-03-31'],
      ['1.1', 'Train GPs.', 'Audit the training.', 'Named GP', 'Mar-16', '2016-06-30'],
      ['1.1', 'Train GPs.', 'Report to the board.', 'Named GP', 'Mar-16', ''],
    ]),
    'csv',
  );
  assert.deepEqual(
    draft.recommendations[0]?.actions.map((a) => a.due),
    [
      { text: 'Ongoing', date: '2016-03-31' },
      { text: 'Mar-16', date: '2016-06-30' },
      { text: 'Mar-16', date: '2016-03-31' },
    ],
  );
});

test('lines of parts in any order, some broken: reading never throws, and what is read writes back the same', () => {
  let seed = 15;
  // The high bits of a linear congruential generator: its low bits repeat in short cycles.
  const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) >>> 16) % n;
  const pick = (options: string[]) => options[next(options.length)] ?? '';
  const parts = () => [
    pick(['Audit', 'Minutes: May', 'x | y', 'dated 1 May 2016', '', 'Plan (v2)']),
    pick(['dated 1 May 2016', 'dated 1 May 2016 to 31 May 2016', 'dated 31 February 2016', 'dated May', 'dated ']),
    pick(['note: seen', 'note:', `file: a.pdf (sha256 ${SHA})`, 'file: a b.pdf', 'link: https://e.org/x', 'memo: x']),
    pick(['added by Jo', 'added by ', 'added Jo']),
    pick([
      'accepted',
      'accepted 2 June 2016 by Group: fine',
      'rejected by Jo',
      'awaiting a decision: soon',
      'approved',
    ]),
  ];
  let read = 0;
  for (let i = 0; i < 5000; i++) {
    const all = parts();
    const chosen = all.filter(() => next(5) > 0);
    if (next(3) === 0) chosen.reverse();
    const line = chosen.join(next(8) === 0 ? '|' : ' | ');
    const item = readEvidenceLine(line);
    if (!item) continue;
    read += 1;
    assert.deepEqual(readEvidenceLine(evidenceLine(item)), item, line);
  }
  assert.ok(read > 20, `some lines read as items (${read})`);
});
