// The board report PDF, opened with pdfjs-dist as a reader would: its text page by page, its
// bookmarks, its structure tree (tagged headings, tables and figures with alternative text)
// and its metadata.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { boardToPdf } from './board-pdf.ts';
import { SECTION_TITLES } from './board-pdf-blocks-base.ts';
import { sampleBoardReport } from '../../../../test/helpers/board-report.ts';

async function open(bytes: Buffer): Promise<PDFDocumentProxy> {
  return getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
}

let sampleBytes: Promise<Buffer> | null = null;
const sample = () => (sampleBytes ??= boardToPdf(sampleBoardReport()));

/** A page's text as one line, with runs and wrapped lines joined by single spaces. */
async function pageText(doc: PDFDocumentProxy, n: number): Promise<string> {
  const content = await (await doc.getPage(n)).getTextContent();
  const runs = content.items.map((item) => ('str' in item ? item.str : ''));
  return runs.join(' ').replace(/\s+/g, ' ');
}

/** The text a page marks as an artifact (page furniture), which assistive technology skips. */
async function artifactText(doc: PDFDocumentProxy, n: number): Promise<string> {
  const content = await (await doc.getPage(n)).getTextContent({ includeMarkedContent: true });
  const open: string[] = [];
  const runs: string[] = [];
  for (const item of content.items) {
    if ('type' in item) {
      if (item.type === 'endMarkedContent') open.pop();
      // pdfjs gives each marked content's tag, though its type declarations leave it out.
      else open.push((item as { tag?: string }).tag ?? '');
    } else if (open.includes('Artifact')) {
      runs.push(item.str);
    }
  }
  return runs.join(' ').replace(/\s+/g, ' ');
}

async function allText(doc: PDFDocumentProxy): Promise<string[]> {
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n += 1) pages.push(await pageText(doc, n));
  return pages;
}

/** A bookmark and those under it: pdfjs's type declarations leave out the type of `items`, which are bookmarks too. */
interface Bookmark {
  title: string;
  items: Bookmark[];
}

interface StructNode {
  role: string;
  alt?: string;
  children?: (StructNode | { type: string })[];
}

function isNode(node: StructNode | { type: string }): node is StructNode {
  return 'role' in node;
}

/** Every structure element of every page, depth first. */
async function structureElements(doc: PDFDocumentProxy): Promise<StructNode[]> {
  const found: StructNode[] = [];
  const walk = (node: StructNode): void => {
    found.push(node);
    for (const child of node.children ?? []) if (isNode(child)) walk(child);
  };
  for (let n = 1; n <= doc.numPages; n += 1) {
    const tree = (await (await doc.getPage(n)).getStructTree()) as StructNode | null;
    if (tree) walk(tree);
  }
  return found;
}

const KEY_WORDS = [
  'Blue: completed',
  'Green: on target',
  'Amber: off target with remedial action',
  'Red: not yet planned, started or progressed',
];

test('the first page has the title, the basis, the version compared with, the notice and the key', async () => {
  const report = sampleBoardReport();
  const doc = await open(await sample());
  assert.ok(doc.numPages > 1, `expected several pages, got ${doc.numPages}`);
  const first = await pageText(doc, 1);
  for (const words of [
    report.title,
    `This report shows: ${report.basisWords}`,
    'Position as at: 31 July 2016',
    'Compared with: Version 9, issued 19 May 2016 (Health and Wellbeing Board)',
    `Please note: ${report.illustrativeNotice ?? ''}`,
    ...KEY_WORDS,
  ]) {
    assert.ok(first.includes(words), `page 1 lacks "${words}"`);
  }
});

test('every page carries the key and "Page N of M"', async () => {
  const doc = await open(await sample());
  const pages = await allText(doc);
  for (const [i, text] of pages.entries()) {
    assert.ok(text.includes(`Page ${i + 1} of ${pages.length}`), `page ${i + 1} lacks its number`);
    for (const words of KEY_WORDS) assert.ok(text.includes(words), `page ${i + 1} lacks the key "${words}"`);
    // Page furniture is an artifact, so a screen reader does not read the key on every page.
    const furniture = await artifactText(doc, i + 1);
    assert.ok(furniture.includes(`Page ${i + 1} of ${pages.length}`) && furniture.includes(KEY_WORDS[0] ?? ''));
  }
});

test('the sections come in the order of the HTML report, each as a bookmark', async () => {
  const report = sampleBoardReport();
  const doc = await open(await sample());
  const outline: Bookmark[] = await doc.getOutline();
  assert.equal(outline.length, 1);
  assert.equal(outline[0]?.title, report.title);
  const sections = outline[0].items.map((item) => item.title);
  assert.deepEqual(sections, Object.values(SECTION_TITLES));
  const exceptions = outline[0].items.find((item) => item.title === SECTION_TITLES.exceptions);
  assert.equal(exceptions?.items[0]?.title, 'Overdue (3)');

  let at = 0;
  const text = (await allText(doc)).join(' ');
  for (const title of Object.values(SECTION_TITLES)) {
    at = text.indexOf(title, at);
    assert.ok(at >= 0, `"${title}" is missing or out of order`);
  }
});

const pdfIsTaggedTitle =
  'the PDF is tagged: marked, in English, with H1 and H2 headings, tables and charts with alternative text';
test(pdfIsTaggedTitle, async () => {
  const report = sampleBoardReport();
  const doc = await open(await sample());
  assert.equal((await doc.getMarkInfo())?.Marked, true);
  const { info } = (await doc.getMetadata()) as unknown as { info: Record<string, unknown> };
  assert.equal(info.Language, 'en-GB');
  assert.equal(info.Title, report.title);

  const elements = await structureElements(doc);
  const roles = new Set(elements.map((e) => e.role));
  for (const role of ['Document', 'H1', 'H2', 'H3', 'P', 'Table', 'TR', 'TH', 'TD', 'Figure'])
    assert.ok(roles.has(role), `no ${role} element`);
  assert.equal(elements.filter((e) => e.role === 'H1').length, 1);
  assert.equal(elements.filter((e) => e.role === 'H2').length, Object.keys(SECTION_TITLES).length);
  const alts = elements.filter((e) => e.role === 'Figure').map((e) => e.alt);
  assert.deepEqual(alts, [report.charts.byOrganisation.description, report.charts.overTime.description]);
});

test('the text is real and searchable: exception reasons, ratings in words, field changes, chart labels', async () => {
  const report = sampleBoardReport();
  const text = (await allText(await open(await sample()))).join(' ');
  for (const words of [
    'Due 6 November 2014 and not completed: 633 days overdue.',
    'Finding 1.4 raises a concern but leads to no recommendation.',
    'Named Nurse Looked After Children',
    'Head of Nursing, Children and Young People',
    'Red: not yet planned, started or progressed',
    report.recommendations[0]?.basisWords ?? 'missing',
    'The Rotherham NHS Foundation Trust',
    '19 November 2015',
  ]) {
    assert.ok(text.includes(words), `the PDF lacks "${words}"`);
  }
});

test('a table that runs over pages repeats its header row on each, outside the structure tree', async () => {
  const items = Array.from({ length: 90 }, (_, i) => ({
    label: `Action ${i + 1} of recommendation 9.9`,
    recommendationNumber: '9.9',
    reason: `Due ${i + 1} March 2016 and not completed.`,
  }));
  const report = sampleBoardReport({ exceptions: [{ kind: 'overdue', kindWords: 'Overdue', items }] });
  const doc = await open(await boardToPdf(report));
  const texts = await allText(doc);
  const pages = [...texts.keys()].filter((i) => texts[i]?.includes('of recommendation 9.9'));
  assert.ok(pages.length >= 3, `the table took ${pages.length} pages`);
  for (const i of pages)
    assert.ok(texts[i]?.includes('Item Recommendation Reason'), `page ${i + 1} of the table lacks its header row`);
  for (const i of pages.slice(1))
    assert.ok(
      (await artifactText(doc, i + 1)).includes('Item Recommendation Reason'),
      `the header repeated on page ${i + 1} is not an artifact`,
    );
  const rowsOf = (table: StructNode) => (table.children ?? []).filter(isNode);
  const hasHeaderCell = (row: StructNode) => (row.children ?? []).some((cell) => isNode(cell) && cell.role === 'TH');
  const table = (await structureElements(doc)).find((e) => e.role === 'Table' && rowsOf(e).length === items.length + 1);
  assert.ok(table, 'no Table element with a header row and a row per item');
  assert.equal(rowsOf(table).filter(hasHeaderCell).length, 1, 'a repeated header row must not be tagged again');
});

test('any Unicode text prints, in the embedded Arimo font', async () => {
  const title = 'Bradford: ‘progress’ – Zoë Łukasik’s plan';
  const doc = await open(await boardToPdf(sampleBoardReport({ title })));
  assert.ok((await pageText(doc, 1)).includes(title));
  const page = await doc.getPage(1);
  await page.getOperatorList(); // loads the page's fonts into commonObjs
  const ids = new Set(
    (await page.getTextContent()).items.flatMap((item) => ('fontName' in item ? [item.fontName] : [])),
  );
  const names = [...ids].map((id) => (page.commonObjs.get(id) as { name: string }).name);
  assert.ok(names.length > 0 && names.every((name) => /Arimo/.test(name)), `fonts used: ${names.join(', ')}`);
});

test('with no earlier version and no changes, the report says so', async () => {
  const text = (
    await allText(await open(await boardToPdf(sampleBoardReport({ changes: null, previousWords: null }))))
  ).join(' ');
  assert.ok(
    text.includes(
      'What changed since the last board No earlier version of the plan was issued, ' +
        'so there is nothing to compare with yet.',
    ),
  );
  assert.ok(text.includes('Compared with: No earlier version was issued, so there is nothing to compare with.'));
  assert.ok(!text.includes('Ratings changed'));
});

test('the same report gives the same bytes, dated from the snapshot', async () => {
  const first = await sample();
  const second = await boardToPdf(sampleBoardReport());
  assert.ok(first.equals(second));
  const { info } = (await (await open(first)).getMetadata()) as unknown as { info: Record<string, unknown> };
  assert.equal(info.CreationDate, 'D:20160731160000Z');
  assert.equal(info.ModDate, 'D:20160731160000Z');
});
