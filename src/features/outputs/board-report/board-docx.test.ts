// The board report in Word, read back the ways its readers read it: the package's XML for what
// Word itself uses (heading styles, repeating header rows, cell shading, picture alt text, page
// fields in the footer) and mammoth for the words a person sees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomUtils, ElementType, parseDocument } from 'htmlparser2';
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { boardToDocx } from './board-docx.ts';
import { SECTION_TITLES } from './board-pdf-blocks-base.ts';
import { sampleBoardReport } from '../../../../test/helpers/board-report.ts';

type Node = ReturnType<typeof parseDocument>;
type El = ReturnType<typeof DomUtils.getElementsByTagName>[number];

let sampleBytes: Promise<Buffer> | null = null;
const sample = () => (sampleBytes ??= boardToDocx(sampleBoardReport()));

async function part(bytes: Buffer, path: string): Promise<Node> {
  const file = (await JSZip.loadAsync(bytes)).file(path);
  assert.ok(file, `no ${path} in the package`);
  return parseDocument(await file.async('string'), { xmlMode: true });
}

const all = (name: string, node: Node | El) => DomUtils.getElementsByTagName(name, node);
const children = (el: El, name: string) =>
  el.children.filter((c): c is El => c.type === ElementType.Tag && c.name === name);
/** Text as a reader sees it, runs joined and runs of spaces made one. */
const words = (node: Node | El) =>
  all('w:t', node)
    .map((t) => DomUtils.textContent(t))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
const styleOf = (p: El) => all('w:pStyle', p)[0]?.attribs['w:val'] ?? null;
const fillOf = (tc: El) => all('w:shd', children(tc, 'w:tcPr')[0] ?? tc)[0]?.attribs['w:fill'] ?? null;
const textColourOf = (tc: El) => all('w:color', tc)[0]?.attribs['w:val'] ?? null;

function headings(doc: Node, style: string): string[] {
  return all('w:p', doc)
    .filter((p) => styleOf(p) === style)
    .map(words);
}

function cellsSaying(doc: Node, text: string): El[] {
  return all('w:tc', doc).filter((tc) => words(tc) === text);
}

test('headings use Word heading styles, in the order of the HTML report', async () => {
  const report = sampleBoardReport();
  const doc = await part(await sample(), 'word/document.xml');
  assert.deepEqual(headings(doc, 'Heading1'), [report.title]);
  assert.deepEqual(headings(doc, 'Heading2'), Object.values(SECTION_TITLES));
  const h3 = headings(doc, 'Heading3');
  for (const expected of [
    'Actions by rating',
    'Due dates',
    report.charts.overTime.title,
    'Ratings changed',
    'Overdue (3)',
    'Recommendation 4.12',
  ]) {
    assert.ok(h3.includes(expected), `no Heading 3 "${expected}"`);
  }
  const styles = await part(await sample(), 'word/styles.xml');
  const heading1 = all('w:style', styles).find((s) => s.attribs['w:styleId'] === 'Heading1');
  assert.equal(all('w:outlineLvl', heading1 ?? styles)[0]?.attribs['w:val'], '0');

  const { value: html } = await mammoth.convertToHtml({ buffer: await sample() });
  assert.match(html, /<h1>Rotherham: progress of the CLAS action plan<\/h1>/);
  assert.match(html, /<h2>What changed since the last board<\/h2>/);
});

test('the charts are pictures with their title, name and description as alternative text', async () => {
  const report = sampleBoardReport();
  const bytes = await sample();
  const doc = await part(bytes, 'word/document.xml');
  const pictures = all('wp:docPr', doc).map((p) => p.attribs);
  assert.deepEqual(
    pictures.map((p) => [p.name, p.title, p.descr]),
    [report.charts.byOrganisation, report.charts.overTime].map((c) => [c.id, c.title, c.description]),
  );
  assert.deepEqual(new Set(pictures.map((p) => p.id)).size, pictures.length, 'drawing ids must differ');
  const zip = await JSZip.loadAsync(bytes);
  const media = zip.file(/^word\/media\/.*\.png$/);
  assert.equal(media.length, 2);
  for (const file of media)
    assert.deepEqual([...(await file.async('uint8array')).slice(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
});

test('rated cells are shaded in the rating colour and say the rating in words', async () => {
  const doc = await part(await sample(), 'word/document.xml');
  const green = cellsSaying(doc, 'Green: on target');
  assert.ok(green.length > 0, 'no cell says "Green: on target"');
  for (const tc of green) {
    assert.equal(fillOf(tc), '007F3B');
    assert.equal(textColourOf(tc), 'FFFFFF');
  }
  const amber = cellsSaying(doc, 'Amber: off target with remedial action');
  assert.ok(amber.length > 0 && amber.every((tc) => fillOf(tc) === 'FFB81C' && textColourOf(tc) === '212B32'));
  assert.ok(cellsSaying(doc, 'Blue').some((tc) => fillOf(tc) === '005EB8'));
  assert.ok(cellsSaying(doc, 'Not rated').some((tc) => fillOf(tc) === 'D8DDE0'));
});

test('every table repeats its header row on each page it runs onto', async () => {
  const doc = await part(await sample(), 'word/document.xml');
  const tables = all('w:tbl', doc);
  assert.ok(tables.length > 20);
  for (const table of tables) {
    const [first, ...rest] = children(table, 'w:tr');
    assert.ok(
      first && all('w:tblHeader', first).length === 1,
      `no repeating header in the table starting "${words(first ?? table).slice(0, 40)}"`,
    );
    assert.ok(rest.every((tr) => all('w:tblHeader', tr).length === 0));
  }
});

test('the header carries the key and the footer "Page X of Y"', async () => {
  const bytes = await sample();
  const header = await part(bytes, 'word/header1.xml');
  for (const entry of [
    'Key:',
    'Blue: completed',
    'Green: on target',
    'Amber: off target with remedial action',
    'Red: not yet planned, started or progressed',
  ]) {
    assert.ok(words(header).includes(entry), `the header lacks "${entry}"`);
  }
  const footer = await part(bytes, 'word/footer1.xml');
  const fields = all('w:instrText', footer).map((t) => DomUtils.textContent(t).trim());
  assert.deepEqual(fields, ['PAGE', 'NUMPAGES']);
  assert.match(words(footer), /Page of/);
  const doc = await part(bytes, 'word/document.xml');
  const section = all('w:sectPr', doc)[0];
  assert.ok(section);
  assert.equal(all('w:headerReference', section)[0]?.attribs['w:type'], 'default');
  assert.equal(all('w:footerReference', section)[0]?.attribs['w:type'], 'default');
  assert.deepEqual(all('w:pgSz', section)[0]?.attribs, { 'w:w': '11906', 'w:h': '16838', 'w:orient': 'portrait' });
});

test('the text a reader sees: basis, notice, exception reasons, what changed, the basis of each rating', async () => {
  const report = sampleBoardReport();
  const { value: text } = await mammoth.extractRawText({ buffer: await sample() });
  for (const expected of [
    `This report shows: ${report.basisWords}`,
    'Compared with: Version 9, issued 19 May 2016 (Health and Wellbeing Board)',
    `Please note: ${report.illustrativeNotice ?? ''}`,
    'Due 6 November 2014 and not completed: 633 days overdue.',
    'NHS England is addressed by recommendation 2.1 but has no action of its own.',
    'Head of Nursing, Children and Young People',
    report.recommendations[19]?.basisWords ?? 'missing',
    ...report.summary.trend,
  ]) {
    assert.ok(text.includes(expected), `the document lacks "${expected}"`);
  }
});

test('with no earlier version, the report says there is nothing to compare with', async () => {
  const bytes = await boardToDocx(sampleBoardReport({ changes: null, previousWords: null }));
  const { value: text } = await mammoth.extractRawText({ buffer: bytes });
  assert.ok(text.includes('No earlier version of the plan was issued, so there is nothing to compare with yet.'));
  assert.ok(!text.includes('Ratings changed'));
});

test('the same report gives the same bytes, dated from the snapshot', async () => {
  const first = await sample();
  const second = await boardToDocx(sampleBoardReport());
  assert.ok(first.equals(second));
  const core = await part(first, 'docProps/core.xml');
  assert.equal(DomUtils.textContent(all('dcterms:created', core)[0] ?? core), '2016-07-31T16:00:00Z');
  assert.equal(DomUtils.textContent(all('dcterms:modified', core)[0] ?? core), '2016-07-31T16:00:00Z');
});
