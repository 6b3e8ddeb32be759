import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { parseDocument, DomUtils } from 'htmlparser2';
import { keyLabel, ratingKey, type RatingScale } from '../../src/domain/ratings.ts';
import type { PlanSnapshot } from '../../src/domain/plan-snapshot.ts';
import { buildBoardReport } from '../../src/features/outputs/board-report/board-model.ts';
import { boardToHtml } from '../../src/features/outputs/board-report/board-html.ts';
import { boardToPdf } from '../../src/features/outputs/board-report/board-pdf.ts';
import { boardToDocx } from '../../src/features/outputs/board-report/board-docx.ts';
import { planToDocx } from '../../src/features/outputs/plan-documents/plan-docx.ts';
import { planToXlsx } from '../../src/features/outputs/plan-documents/plan-xlsx.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createOrganisation, createReview } from '../helpers/factories.ts';
import { addMember, createUser, sessionFor } from '../helpers/people.ts';
import { Client } from '../helpers/client.ts';

/*
 * One rating vocabulary: the key on the review's page and the key of every document print the
 * same names and meanings, the ones in src/domain/ratings.ts. Each document is opened with a
 * reader, as a person would open it, and its key read back as "Name: meaning" lines.
 */

const SNAPSHOTS: Record<RatingScale, PlanSnapshot> = {
  BRAG: JSON.parse(readFileSync('test/fixtures/snapshots/rotherham-demo.json', 'utf8')) as PlanSnapshot,
  RAG: JSON.parse(readFileSync('test/fixtures/exports/westshire-small-rag.json', 'utf8')) as PlanSnapshot,
};

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
const line = (name: string, meaning: string) => keyLabel({ name: squash(name), meaning: squash(meaning) });

/** The domain's key as lines: "Blue: completed" … and, where a document explains grey, "Not rated: …". */
function expectedLines(scale: RatingScale, withNone: boolean): string[] {
  return ratingKey(scale, { withNone }).map((entry) => keyLabel(entry));
}

/** Text of each w:p in a Word part, runs joined. */
async function wordParagraphs(bytes: Buffer, partName: string): Promise<string[]> {
  const xml = await (await JSZip.loadAsync(bytes)).file(partName)?.async('string');
  assert.ok(xml, `${partName} is in the package`);
  const doc = parseDocument(xml, { xmlMode: true });
  return DomUtils.getElementsByTagName('w:p', doc).map((p) =>
    squash(
      DomUtils.getElementsByTagName('w:t', p)
        .map((t) => DomUtils.textContent(t))
        .join(''),
    ),
  );
}

/** The key table of the Word plan: rows of two cells after the "Key" heading, as lines. */
async function wordPlanKeyTable(bytes: Buffer): Promise<string[]> {
  const xml = await (await JSZip.loadAsync(bytes)).file('word/document.xml')?.async('string');
  assert.ok(xml);
  const doc = parseDocument(xml, { xmlMode: true });
  const names = new Set(ratingKey('BRAG', { withNone: true }).map((e) => e.name));
  return DomUtils.getElementsByTagName('w:tr', doc)
    .map((tr) => DomUtils.getElementsByTagName('w:tc', tr).map((tc) => squash(DomUtils.textContent(tc))))
    .filter((cells) => cells.length === 2 && names.has(cells[0] ?? ''))
    .map(([name, meaning]) => line(name ?? '', meaning ?? ''));
}

/** The "… rating key" rows of the Excel plan's About sheet. */
async function excelKey(bytes: Buffer): Promise<string[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet('About');
  assert.ok(sheet, 'the workbook has an About sheet');
  const rows: string[][] = [];
  // A cell's text is its value as Excel shows it: '' when empty, the joined runs of rich text.
  sheet.eachRow((row) => rows.push([row.getCell(1).text, row.getCell(2).text]));
  const start = rows.findIndex(([a]) => / rating key$/.test(a ?? ''));
  assert.ok(start >= 0, 'the About sheet has a rating key');
  return rows.slice(start + 1).map(([name, meaning]) => line(name ?? '', meaning ?? ''));
}

/** Lines of "Key: Blue: completed   Green: on target …" split back into entries. */
function splitKeyLine(text: string, scale: RatingScale, withNone: boolean): string[] {
  const names = ratingKey(scale, { withNone }).map((e) => e.name);
  const found: string[] = [];
  for (const [i, name] of names.entries()) {
    const start = text.indexOf(`${name}:`);
    if (start < 0) continue;
    const next = names
      .slice(i + 1)
      .map((n) => text.indexOf(`${n}:`, start + 1))
      .find((at) => at > start);
    const end = next ?? text.length;
    found.push(squash(text.slice(start, end)));
  }
  return found;
}

describe('one rating vocabulary in every document', () => {
  for (const scale of ['BRAG', 'RAG'] as const) {
    const snapshot = SNAPSHOTS[scale];
    const report = buildBoardReport({ current: snapshot, previous: null, changes: null });

    it(`${scale}: the Word plan's key table and its footer`, async () => {
      const bytes = await planToDocx(snapshot);
      assert.deepEqual(await wordPlanKeyTable(bytes), expectedLines(scale, true));
      const footer = (await wordParagraphs(bytes, 'word/footer1.xml')).find((p) => p.startsWith(`${scale} key:`)) ?? '';
      const afterHeading = footer.slice(`${scale} key:`.length).replace(/Page.*$/, '');
      assert.deepEqual(splitKeyLine(afterHeading, scale, true), expectedLines(scale, true));
    });

    it(`${scale}: the Excel plan's key`, async () => {
      assert.deepEqual(await excelKey(await planToXlsx(snapshot)), expectedLines(scale, true));
    });

    it(`${scale}: the board report's key in HTML`, () => {
      const doc = parseDocument(boardToHtml(report));
      const list = DomUtils.findOne((el) => el.name === 'ul' && el.attribs.class === 'key-list', doc.children);
      assert.ok(list, 'the HTML report has its key as a list');
      const items = DomUtils.getElementsByTagName('li', list).map((li) => {
        const tag = DomUtils.findOne((el) => el.name === 'strong', li.children);
        const name = tag ? DomUtils.textContent(tag) : '';
        return line(name, DomUtils.textContent(li).slice(DomUtils.textContent(li).indexOf(name) + name.length));
      });
      assert.deepEqual(items, expectedLines(scale, false));
    });

    it(`${scale}: the board report's key in PDF, on its first page`, async () => {
      const pdf = await getDocument({ data: new Uint8Array(await boardToPdf(report)), verbosity: 0 }).promise;
      const content = await (await pdf.getPage(1)).getTextContent();
      const text = squash(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
      for (const expected of expectedLines(scale, false))
        assert.ok(text.includes(expected), `the PDF's key says "${expected}"`);
    });

    it(`${scale}: the board report's key in Word, in the page header`, async () => {
      const header =
        (await wordParagraphs(await boardToDocx(report), 'word/header1.xml')).find((p) => p.startsWith('Key:')) ?? '';
      assert.deepEqual(splitKeyLine(header.slice('Key:'.length), scale, false), expectedLines(scale, false));
    });
  }
});

for (const target of databaseTargets) {
  describe(`the rating key on the review's page on ${target.name}`, () => {
    let t: TestApp;
    let client: Client;
    const reviews: Partial<Record<RatingScale, number>> = {};

    before(async () => {
      t = await startTestApp(target);
      const db = t.database.db;
      const ccg = await createOrganisation(db, { name: 'NHS Keyshire ICB', kind: 'commissioner' });
      const userId = await createUser(db, { email: 'viewer@keyshire.test', name: 'Vi Ewer' });
      for (const scale of ['BRAG', 'RAG'] as const) {
        const reviewId = await createReview(db, {
          area: `Keyshire ${scale}`,
          scale,
          leadOrganisationId: ccg,
          coveredOrganisationIds: [ccg],
        });
        await addMember(db, { userId, reviewId, organisationId: ccg, role: 'viewer' });
        reviews[scale] = reviewId;
      }
      client = new Client(t.app, await sessionFor(db, userId));
    });
    after(async () => t.close());

    for (const scale of ['BRAG', 'RAG'] as const) {
      it(`${scale}: "What the ratings mean" prints the documents' words, each rating on its colour`, async () => {
        const res = await client.get(`/reviews/${reviews[scale]}`);
        assert.equal(res.statusCode, 200);
        const doc = parseDocument(res.body);
        const key = DomUtils.findOne((el) => el.attribs.id === 'rating-key', doc.children);
        assert.ok(key, 'the overview has the rating key');
        const items = DomUtils.getElementsByTagName('li', key).map((li) => {
          const tag = DomUtils.findOne((el) => el.name === 'strong', li.children);
          const name = tag ? DomUtils.textContent(tag) : '';
          assert.match(tag?.attribs.class ?? '', /\bclasp-rating--(blue|green|amber|red|none)\b/);
          return line(name, DomUtils.textContent(li).slice(DomUtils.textContent(li).indexOf(name) + name.length));
        });
        assert.deepEqual(items, expectedLines(scale, true));
      });
    }

    it("serves the tags' colours from the same definitions as the documents, to anyone", async () => {
      assert.equal(
        (await new Client(t.app).get('/static/ratings.css')).statusCode,
        200,
        'the sign-in page needs it too',
      );
      const res = await client.get('/static/ratings.css');
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/css/);
      for (const entry of ratingKey('BRAG', { withNone: true })) {
        assert.ok(
          res.body.includes(
            `.clasp-rating--${entry.rating} { background-color: ${entry.colour}; ` +
              `border-color: ${entry.colour}; color: ${entry.textColour}; }`,
          ),
          `the stylesheet colours ${entry.name}`,
        );
      }
    });
  });
}
