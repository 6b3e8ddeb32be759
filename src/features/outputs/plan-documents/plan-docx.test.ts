import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Bookmark, TextRun } from 'docx';
import { DomUtils, ElementType, parseDocument } from 'htmlparser2';
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { formatLongDate } from '../../../domain/dates.ts';
import { readPlanFile } from '../../imports/plan/index.ts';
import type { PlanSnapshot, SnapshotAction, SnapshotVersionRow } from '../../../domain/plan-snapshot.ts';
import { planToDocx } from './plan-docx.ts';
import { dueDateInFile, evidenceInFile } from '../../../../test/helpers/plan-round-trip.ts';
import { RATING_COLOURS, ratingLabel } from '../../../domain/ratings.ts';

/*
 * The Word plan read back the ways its readers read it: the package's XML for what Word itself
 * uses (page size, repeated heading rows, heading styles, cell colours, page fields), mammoth for
 * the words a person sees, and Clasp's own plan importer for the round trip.
 */

const demo = JSON.parse(readFileSync('test/fixtures/snapshots/rotherham-demo.json', 'utf8')) as PlanSnapshot;
let demoBytes: Promise<Buffer> | null = null;
const demoDocx = () => (demoBytes ??= planToDocx(demo));

type Node = ReturnType<typeof parseDocument>;
type El = ReturnType<typeof DomUtils.getElementsByTagName>[number];

async function part(bytes: Buffer, path: string): Promise<Node> {
  const file = (await JSZip.loadAsync(bytes)).file(path);
  assert.ok(file, path);
  return parseDocument(await file.async('string'), { xmlMode: true });
}

const all = (name: string, node: Node | El) => DomUtils.getElementsByTagName(name, node);
const children = (el: El, name: string) =>
  el.children.filter((c): c is El => c.type === ElementType.Tag && c.name === name);
const words = (node: Node | El) =>
  all('w:t', node)
    .map((t) => DomUtils.textContent(t))
    .join('');
/** A paragraph's text as a reader sees it: its runs, with line breaks as new lines. */
function paragraphText(p: El): string {
  return all('w:r', p)
    .flatMap((r) => r.children.filter((c): c is El => c.type === ElementType.Tag))
    .map((c) =>
      c.name === 'w:t' ? DomUtils.textContent(c) : c.name === 'w:br' ? '\n' : c.name === 'w:tab' ? '\t' : '',
    )
    .join('');
}
const styleOf = (p: El) => all('w:pStyle', p)[0]?.attribs['w:val'] ?? null;
const fillOf = (tc: El) => all('w:shd', children(tc, 'w:tcPr')[0] ?? tc)[0]?.attribs['w:fill'] ?? null;
const textColours = (tc: El) => new Set(all('w:color', tc).map((c) => c.attribs['w:val']));

/** The body's paragraphs in a heading style, as [style, text]. */
function headings(doc: Node): [string, string][] {
  return all('w:p', doc)
    .map((p): [string | null, string] => [styleOf(p), paragraphText(p)])
    .filter((h): h is [string, string] => h[0] !== null && /^(?:Heading\d|Title)$/.test(h[0]));
}

/** The tables whose heading row is the block template's, and their data rows (the action rows). */
function actionRows(doc: Node): El[][] {
  return all('w:tbl', doc)
    .filter((tbl) => words(children(tbl, 'w:tr')[0] ?? tbl).includes('Lead Officer and Key Personnel'))
    .flatMap((tbl) => children(tbl, 'w:tr').slice(1))
    .map((tr) => children(tr, 'w:tc'))
    .filter((cells) => cells.length === 6);
}

function actionsInPlanOrder(snapshot: PlanSnapshot): SnapshotAction[] {
  return snapshot.recommendations.flatMap((r) => snapshot.actions.filter((a) => a.recommendationId === r.id));
}

const norm = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();

const landscapeA4EveryPageTitle =
  'landscape A4 on every page, with the plan and its version in the header and page numbers and the key in the footer';
test(landscapeA4EveryPageTitle, async () => {
  const bytes = await demoDocx();
  const doc = await part(bytes, 'word/document.xml');
  const sizes = all('w:pgSz', doc);
  assert.ok(sizes.length > 0, 'page sizes');
  for (const size of sizes)
    assert.deepEqual(
      [size.attribs['w:w'], size.attribs['w:h'], size.attribs['w:orient']],
      ['16838', '11906', 'landscape'],
    );
  assert.equal(
    words(await part(bytes, 'word/header1.xml')),
    'Rotherham CLAS action planWorking copy, 23 November 2026 – not an issued version',
  );
  const footer = await part(bytes, 'word/footer1.xml');
  assert.deepEqual(
    all('w:instrText', footer).map((i) => DomUtils.textContent(i).trim()),
    ['PAGE', 'NUMPAGES'],
  );
  assert.match(
    words(footer),
    new RegExp(
      /^BRAG key: {2}Blue: completed +Green: on target +/.source +
        /Amber: off target with remedial action +Red: not yet planned, started or progressed +/.source +
        /Not rated: no rating proposed or agreed yet +Page {2}of $/.source,
    ),
  );
  const blue = all('w:r', footer).find((r) => words(r).trim() === 'Blue');
  assert.ok(blue, 'the Blue run of the key');
  assert.equal(all('w:shd', blue)[0]?.attribs['w:fill'], '005EB8');
  assert.equal(all('w:color', blue)[0]?.attribs['w:val'], 'FFFFFF');
});

test('real heading styles: groups at level 1, recommendations at level 2, each with an outline level', async () => {
  const bytes = await demoDocx();
  const found = headings(await part(bytes, 'word/document.xml'));
  assert.deepEqual(
    found.filter(([s]) => s === 'Heading1').map(([, t]) => t),
    [
      'Version control',
      'Key',
      'Contents',
      'Recommendation 1',
      'Recommendation 2',
      'Recommendation 3',
      'Recommendation 4',
    ],
  );
  assert.deepEqual(
    found
      .filter(([s]) => s === 'Heading2')
      .map(([, t]) => t)
      .slice(2),
    demo.recommendations.map((r) => `Recommendation ${r.number}`),
  );
  assert.deepEqual(found[0], ['Title', 'Rotherham CLAS action plan']);
  const styles = all('w:style', await part(bytes, 'word/styles.xml'));
  for (const [id, level] of [
    ['Heading1', '0'],
    ['Heading2', '1'],
    ['Heading3', '2'],
  ]) {
    const style = styles.find((s) => s.attribs['w:styleId'] === id);
    assert.ok(style, id);
    assert.equal(all('w:name', style)[0]?.attribs['w:val'], `Heading ${Number(level) + 1}`);
    assert.equal(all('w:outlineLvl', style)[0]?.attribs['w:val'], level);
  }
});

test('every table repeats its heading row on each page, and only that row', async () => {
  const doc = await part(await demoDocx(), 'word/document.xml');
  const tables = all('w:tbl', doc);
  assert.equal(tables.length, 2 + demo.recommendations.length);
  for (const tbl of tables) {
    const flagged = children(tbl, 'w:tr').map((tr) => all('w:tblHeader', tr).length > 0);
    assert.deepEqual(
      flagged,
      flagged.map((_, i) => i === 0),
    );
  }
  const first = tables.find((t) => words(t).includes('SMART Action'));
  assert.ok(first, 'an action table');
  assert.deepEqual(children(children(first, 'w:tr')[0] as El, 'w:tc').map(words), [
    'Agency/Service',
    'SMART Action',
    'Lead Officer and Key Personnel',
    'Date of Action',
    'Progress, Evidence, Date',
    'BRAG',
  ]);
});

test("each action's rating cell is filled with its colour and says the rating and its standing in words", async () => {
  const rows = actionRows(await part(await demoDocx(), 'word/document.xml'));
  const actions = actionsInPlanOrder(demo);
  assert.equal(rows.length, actions.length);
  const seen = new Set<string>();
  actions.forEach((action, i) => {
    const rating = rows[i]?.[5];
    assert.ok(rating, action.label);
    const colours = RATING_COLOURS[action.rating ?? 'none'];
    assert.equal(fillOf(rating), colours.fill.slice(1).toUpperCase(), `${action.label} fill`);
    assert.deepEqual(
      textColours(rating),
      new Set([colours.text.slice(1).toUpperCase()]),
      `${action.label} text colour`,
    );
    const lines = all('w:p', rating).map(paragraphText);
    assert.equal(lines[0], ratingLabel('BRAG', action.rating), action.label);
    if (action.ratingStatus === 'agreed')
      assert.ok(
        lines.includes(`Agreed ${formatLongDate(action.agreedOn ?? '')} by ${action.agreedBy ?? ''}`),
        `${action.label}: ${lines.join(' / ')}`,
      );
    if (action.ratingStatus === 'proposed') assert.ok(lines.includes('Proposed, awaiting agreement'), action.label);
    assert.equal(lines.includes('Disputed'), action.disputed, action.label);
    seen.add(`${action.rating ?? 'none'} ${action.ratingStatus}${action.disputed ? ' disputed' : ''}`);
  });
  // The demo plan has these kinds of rating cell; a proposed rating is checked on a small plan below.
  for (const kind of ['blue agreed', 'green agreed disputed', 'amber agreed', 'red agreed', 'none none'])
    assert.ok(seen.has(kind), kind);
});

test('a person reads the cover facts, the version control table, the key and each recommendation block', async () => {
  const bytes = await demoDocx();
  const { value: text } = await mammoth.extractRawText({ buffer: bytes });
  for (const line of [
    'Review of health services for Children Looked After and Safeguarding in Rotherham',
    'Area: Rotherham',
    'Dates of the review: 23 to 27 February 2015',
    'Report published: 14 July 2015',
    'Report received: 14 July 2015',
    'Plan due to CQC: 11 August 2015',
    'Lead organisation: NHS Rotherham Clinical Commissioning Group',
    'Inspectors: Lea Pickerill, Jan Clark, Lynette Ranson and Pauline Hyde',
    'Version: Working copy, 23 November 2026 – not an issued version',
    'Illustrative data: ratings, evidence and later progress are invented to demonstrate Clasp and are not ' +
      "Rotherham's real record.",
    'Specific: says exactly what will be done, and what it will change.',
    'Time-related: says when it will be done by.',
    '(See 3.3 3.4 3.5)',
    "Outcome: All Rotherham GP's will be aware of their responsibility to safeguard children and know where " +
      'child protection plans should be stored in order to support families in protecting their children.',
    'NHS England & Rotherham CCG should:',
    '14 July 2016 – ',
  ]) {
    assert.ok(text.includes(line), line);
  }
  for (const rec of demo.recommendations) {
    assert.ok(text.includes(rec.text.split('\n')[0] ?? ''), rec.number);
    if (rec.findingNumbers.length > 0) assert.ok(text.includes(`(See ${rec.findingNumbers.join(' ')})`), rec.number);
  }
  const { value: html } = await mammoth.convertToHtml({ buffer: bytes });
  const versionTable = all('table', parseDocument(html))[0];
  assert.ok(versionTable, 'the version table');
  const rows = all('tr', versionTable).map((tr) =>
    all('td', tr)
      .concat(all('th', tr))
      .map((c) => norm(DomUtils.textContent(c))),
  );
  assert.deepEqual(rows[0], ['Version', 'Date', 'Author', 'Action', 'Comment']);
  assert.equal(rows.length, demo.versions.length + 1);
  assert.deepEqual(rows[6], [
    '6',
    '10 August 2015',
    'Chief Nurse and Head of Safeguarding - RCCG',
    'RCCG to email Action Plan to CQC, meeting the 20 day response timescale from CQC',
    'To be emailed to CQC by 11 August 2015',
  ]);
  assert.equal(rows[7]?.[1], 'No date');
});

const progressEntriesDatedOneTitle =
  'progress entries are dated, one paragraph each; evidence is listed below the table with its decision';
test(progressEntriesDatedOneTitle, async () => {
  const doc = await part(await demoDocx(), 'word/document.xml');
  const rows = actionRows(doc);
  actionsInPlanOrder(demo).forEach((action, i) => {
    const progress = all('w:p', rows[i]?.[4] as El)
      .map(paragraphText)
      .filter((t) => t !== '');
    const lines = (text: string) =>
      text
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '')
        .join('\n');
    assert.deepEqual(
      progress,
      action.progress.map((p) => `${formatLongDate(p.on)} – ${lines(p.text)}`),
      action.label,
    );
  });
  const { value: text } = await mammoth.extractRawText({ buffer: await demoDocx() });
  assert.ok(text.includes('Evidence for recommendation 1.1'), 'evidence heading');
  // One line per item, in the form the importer reads back (domain/evidence-lines.ts).
  const line =
    'Action 1: Practice Managers Forum minutes, 29 September 2015 | dated 29 September 2015 | ' +
    'file: 1-1-1-1-practice-managers-forum-minutes-29-september-2015.txt ' +
    '(sha256 e675b95b91351e5b3f4b80f55b40f41dae474ce0f51c97782f17fc16c508c6fa) | ' +
    'added by Named GP and GP Practice Safeguarding Leads and deputies | ' +
    'accepted 22 October 2015 by Peer challenge group: Accepted by the peer challenge group on 22 October 2015.';
  assert.ok(text.includes(line), line);
  const items = demo.actions.flatMap((a) => a.evidence);
  assert.equal(
    text.match(/^Action \d+: .* \| dated .* \| (?:accepted|rejected|awaiting a decision)\b.*$/gm)?.length,
    items.length,
  );
});

test('the contents link to a bookmark on each group and recommendation heading', async () => {
  const doc = await part(await demoDocx(), 'word/document.xml');
  const anchors = all('w:hyperlink', doc).map((h) => h.attribs['w:anchor']);
  const bookmarks = all('w:bookmarkStart', doc);
  assert.equal(anchors.length, demo.groups.length + demo.recommendations.length);
  assert.deepEqual(new Set(anchors), new Set(bookmarks.map((b) => b.attribs['w:name'])));
  assert.equal(new Set(bookmarks.map((b) => b.attribs['w:id'])).size, bookmarks.length);
  const { value: html } = await mammoth.convertToHtml({ buffer: await demoDocx() });
  assert.match(html, /<a href="#recommendation_1">1\.1 {2}Work with GPs to ensure/);
  assert.match(html, /<h2><a id="recommendation_1"><\/a>Recommendation 1\.1<\/h2>/);
});

test('the same snapshot gives the same bytes, whatever was written before it', async () => {
  const first = await planToDocx(demo);
  // docx numbers its own bookmarks from one counter for the whole process: move it on.
  new Bookmark({ id: 'elsewhere', children: [new TextRun('another document')] });
  const second = await planToDocx(demo);
  assert.ok(first.equals(second), 'same bytes');
  const core = DomUtils.textContent(await part(first, 'docProps/core.xml'));
  assert.ok(core.includes('2026-11-23T09:00:00Z'), core);
});

test('round trip: the importer reads back the same recommendations, actions, dates, ratings and progress', async () => {
  const draft = await readPlanFile(new Uint8Array(await demoDocx()), 'docx');
  assert.equal(draft.scale, 'BRAG');
  assert.deepEqual(draft.unplaced, []);
  assert.deepEqual(
    draft.recommendations.map((r) => r.number),
    demo.recommendations.map((r) => r.number),
  );
  let compared = 0;
  const organisations = new Map(demo.organisations.map((o) => [o.id, o.name]));
  const names = (ids: number[]) => ids.flatMap((id) => organisations.get(id) ?? []);
  demo.recommendations.forEach((rec, i) => {
    const got = draft.recommendations[i];
    assert.ok(got, rec.number);
    assert.equal(norm(got.text), norm(rec.text), `${rec.number} text`);
    assert.deepEqual(got.findings, rec.findingNumbers, `${rec.number} findings`);
    assert.equal(norm(got.outcomes.join(' ')), norm(rec.outcome), `${rec.number} outcome`);
    assert.equal(norm(got.anticipatedEvidence), norm(rec.anticipatedEvidence), `${rec.number} anticipated evidence`);
    const actions = demo.actions.filter((a) => a.recommendationId === rec.id);
    assert.equal(got.actions.length, actions.length, `${rec.number} actions`);
    actions.forEach((want, j) => {
      const action = got.actions[j];
      assert.ok(action, want.label);
      assert.equal(norm(action.agency), norm(want.agency), `${want.label} agency`);
      assert.equal(norm(action.text), norm(want.action), `${want.label} action`);
      assert.equal(norm(action.lead), norm(want.lead), `${want.label} lead`);
      assert.equal(norm(action.due?.text), norm(want.dateWords), `${want.label} date words`);
      assert.equal(action.due?.date ?? null, dueDateInFile(want), `${want.label} due date`);
      assert.equal(action.rating, want.rating, `${want.label} rating`);
      assert.deepEqual(
        action.progress.map((p) => [p.date, norm(p.text)]),
        want.progress.map((p) => [p.on, norm(`${formatLongDate(p.on)} – ${p.text}`)]),
        `${want.label} progress`,
      );
      // Where the rating stands, who takes part and the evidence items come back too.
      assert.deepEqual(
        action.agreement,
        want.ratingStatus === 'none'
          ? null
          : { status: want.ratingStatus, by: want.agreedBy, on: want.agreedOn, disputed: want.disputed },
        `${want.label} agreement`,
      );
      assert.deepEqual(action.takingPart, names(want.organisationIds), `${want.label} taking part`);
      assert.deepEqual(action.evidence, want.evidence.map(evidenceInFile), `${want.label} evidence`);
      compared += 1;
    });
  });
  assert.equal(compared, 93);
  // "No rating yet" reads as no rating, with nothing to warn about.
  assert.ok(
    demo.actions.some((a) => a.rating === null),
    'the demo has unrated actions',
  );
  assert.deepEqual(draft.warnings, []);
});

/**
 * A small RAG plan made by hand: one recommendation, no versions, and the cases the demo lacks
 * (an unrated action with empty fields, a rating proposed but not agreed, a due date with no
 * date words). It was taken at 23:30 UTC on 31 July 2026, which is 1 August in England (BST).
 */
const smallPlan = () =>
  JSON.parse(readFileSync('test/fixtures/exports/westshire-small-rag.json', 'utf8')) as PlanSnapshot;

const smallRagPlanNoTitle =
  'a small RAG plan: no versions, an unrated action, empty fields and a rating proposed but not agreed';
test(smallRagPlanNoTitle, async () => {
  const bytes = await planToDocx(smallPlan());
  const doc = await part(bytes, 'word/document.xml');
  const rows = actionRows(doc);
  assert.equal(rows.length, 3);
  const cellLines = (row: number, column: number) =>
    all('w:p', rows[row]?.[column] as El)
      .map(paragraphText)
      .filter((t) => t !== '');
  assert.deepEqual(cellLines(0, 5), ['Not rated', 'No evidence yet']);
  assert.equal(fillOf(rows[0]?.[5] as El), 'D8DDE0');
  assert.deepEqual(cellLines(0, 2), []);
  assert.deepEqual(cellLines(0, 3), []);
  assert.deepEqual(cellLines(0, 4), []);
  assert.deepEqual(cellLines(1, 5), ['Green: completed', 'Proposed, awaiting agreement', 'No evidence yet']);
  assert.equal(fillOf(rows[1]?.[5] as El), '007F3B');
  assert.deepEqual(cellLines(1, 3), ['31 March 2017'], 'the due date stands in for missing date words');
  assert.deepEqual(cellLines(1, 4), ['14 July 2016 – Audit tool agreed.\nFirst audit booked.']);
  assert.deepEqual(cellLines(2, 5), [
    'Amber: in progress or off target',
    'Agreed 21 July 2016 by Peer challenge group',
    'Disputed',
    'No evidence yet',
  ]);
  assert.ok(
    !JSON.stringify(doc.children.map((c) => DomUtils.textContent(c))).includes('BRAG'),
    'a RAG plan never says BRAG',
  );
  assert.equal(
    words(await part(bytes, 'word/header1.xml')),
    'Westshire CLAS action planWorking copy, 1 August 2026 – not an issued version',
  );
  assert.match(
    words(await part(bytes, 'word/footer1.xml')),
    /^RAG key: {2}Green: completed +Amber: in progress or off target +Red: not started +Not rated/,
  );

  const { value: text } = await mammoth.extractRawText({ buffer: bytes });
  for (const line of [
    'Dates of the review: 29 February to 4 March 2016',
    'Report published: Not recorded',
    'Plan due to CQC: Not recorded',
    'Inspectors: Not recorded',
    'No version of this plan has been issued yet.',
    'RAG rating',
  ]) {
    assert.ok(text.includes(line), line);
  }
  for (const absent of ['Outcome:', '(See', 'Anticipated Evidence', 'Evidence for recommendation', 'Illustrative'])
    assert.ok(!text.includes(absent), absent);

  const draft = await readPlanFile(new Uint8Array(bytes), 'docx');
  assert.equal(draft.scale, 'RAG');
  assert.deepEqual(
    draft.recommendations.map((r) => [r.number, r.text, r.findings, r.outcomes, r.anticipatedEvidence]),
    [['1.1', smallPlan().recommendations[0]?.text, [], [], null]],
  );
  const actions = draft.recommendations[0]?.actions ?? [];
  assert.deepEqual(
    actions.map((a) => [a.text, a.lead, a.due, a.rating]),
    [
      ['Add a question on the carer of each child to the triage form.', null, null, null],
      [
        'Audit the triage forms each quarter.',
        'Designated Nurse',
        { text: '31 March 2017', date: '2017-03-31' },
        'green',
      ],
      [
        'Train urgent treatment centre staff in the new question.',
        'Designated Nurse',
        { text: 'Mar-17', date: '2017-03-31' },
        'amber',
      ],
    ],
  );
  assert.deepEqual(actions[1]?.progress, [
    { date: '2016-07-14', text: '14 July 2016 – Audit tool agreed.\nFirst audit booked.' },
  ]);
});

const issuedVersionNumberDateTitle =
  'an issued version: its number and date in the header and on the cover, ' +
  'purposes in words and recipients in the version table';
test(issuedVersionNumberDateTitle, async () => {
  const issued: SnapshotVersionRow = {
    number: '3',
    issuedOn: '2026-11-30',
    author: 'Jo Price, Designated Nurse',
    purpose: 'cqc',
    actionText: '',
    comment: 'Quarterly return.',
    recipients: 'CQC CLAS team',
    frozen: true,
  };
  const older: SnapshotVersionRow = {
    number: '2',
    issuedOn: null,
    author: 'Jo Price',
    purpose: 'Circulated to partners',
    actionText: 'Draft shared.',
    comment: '',
    recipients: '',
    frozen: false,
  };
  const bytes = await planToDocx({ ...smallPlan(), version: issued, versions: [older, issued] });
  assert.equal(
    words(await part(bytes, 'word/header1.xml')),
    'Westshire CLAS action planVersion 3, issued 30 November 2026',
  );
  const { value: html } = await mammoth.convertToHtml({ buffer: bytes });
  const table = all('table', parseDocument(html))[0];
  assert.ok(table, 'the version table');
  const rows = all('tr', table).map((tr) => all('td', tr).map((c) => all('p', c).map((p) => DomUtils.textContent(p))));
  assert.deepEqual(rows.slice(1), [
    [['2'], ['No date'], ['Jo Price'], ['Circulated to partners', 'Draft shared.'], []],
    [
      ['3'],
      ['30 November 2026'],
      ['Jo Price, Designated Nurse'],
      ['Submitted to CQC', 'Sent to: CQC CLAS team'],
      ['Quarterly return.'],
    ],
  ]);
  const { value: text } = await mammoth.extractRawText({ buffer: bytes });
  assert.ok(text.includes('Version: Version 3, issued 30 November 2026'), 'cover version line');
});
