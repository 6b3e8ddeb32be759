import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import JSZip from 'jszip';
import { ImportRejected } from '../errors.ts';
import { readDocx } from './docx.ts';
import type { SourceBlock } from './model.ts';

// Small Word files written by hand, so that each piece of table markup the reader must
// understand (shading, spans, merges, header rows, lists, nesting) is there exactly once.

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="${W}">
  <w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/></w:style>
  <w:style w:type="paragraph" w:styleId="RecHeading"><w:name w:val="Rec heading"/>\
<w:basedOn w:val="Heading2"/></w:style>
  <w:style w:type="paragraph" w:styleId="Outlined"><w:name w:val="Plan title"/>\
<w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
  <w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/></w:style>
</w:styles>`;

async function docx(body: string, options: { styles?: boolean; documentPath?: string } = {}): Promise<Uint8Array> {
  const zip = new JSZip();
  const documentPath = options.documentPath ?? 'word/document.xml';
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
  );
  zip.file(
    '_rels/.rels',
    '<?xml version="1.0"?><Relationships ' +
      'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" ' +
      'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" ' +
      `Target="${documentPath}"/></Relationships>`,
  );
  zip.file(
    documentPath,
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="${W}" ` +
      `xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>${body}</w:body></w:document>`,
  );
  if (options.styles !== false) zip.file(documentPath.replace(/[^/]*$/, 'styles.xml'), STYLES);
  return zip.generateAsync({ type: 'uint8array' });
}

const p = (text: string, pPr = '') =>
  `<w:p>${pPr ? `<w:pPr>${pPr}</w:pPr>` : ''}<w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;
const tc = (content: string, tcPr = '') => `<w:tc>${tcPr ? `<w:tcPr>${tcPr}</w:tcPr>` : ''}${content}</w:tc>`;
const tr = (cells: string, trPr = '') => `<w:tr>${trPr ? `<w:trPr>${trPr}</w:trPr>` : ''}${cells}</w:tr>`;
const tbl = (rows: string) => `<w:tbl><w:tblPr/>${rows}</w:tbl>`;

function tables(blocks: SourceBlock[]) {
  return blocks.flatMap((b) => (b.type === 'table' ? [b] : []));
}

const paragraphsKeepTextTakeTitle =
  'paragraphs keep their text and take a heading level from the style name, its basedOn chain or the outline level';
test(paragraphsKeepTextTakeTitle, async () => {
  const doc = await readDocx(
    await docx(
      [
        p('Recommendation 1', '<w:pStyle w:val="Heading2"/>'),
        p('Recommendation 1.1', '<w:pStyle w:val="RecHeading"/>'),
        p('Anytown action plan', '<w:pStyle w:val="Outlined"/>'),
        p('Work with GPs &amp; practice staff.'),
        '<w:p><w:r><w:t>first line</w:t><w:br/><w:t>second</w:t><w:tab/><w:t>line</w:t></w:r></w:p>',
        '<w:p><w:r><w:t>kept </w:t></w:r><w:del><w:r><w:delText>deleted ' +
          '</w:delText></w:r></w:del><w:ins><w:r><w:t>inserted</w:t></w:r></w:ins></w:p>',
        '<w:sdt><w:sdtContent>' + p('inside a content control') + '</w:sdtContent></w:sdt>',
        p('   '),
      ].join(''),
    ),
  );
  assert.deepEqual(
    doc.blocks.map((b) => (b.type === 'paragraph' ? [b.text, b.heading] : null)),
    [
      ['Recommendation 1', 2],
      ['Recommendation 1.1', 2],
      ['Anytown action plan', 1],
      ['Work with GPs & practice staff.', null],
      ['first line\nsecond line', null],
      ['kept inserted', null],
      ['inside a content control', null],
    ],
  );
});

const listParagraphsStartBulletTitle =
  'list paragraphs start with a bullet, whether numbered directly or by their style; numId 0 is no list';
test(listParagraphsStartBulletTitle, async () => {
  const numbered = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr>';
  const doc = await readDocx(
    await docx(
      [
        p('Establish a task and finish group to:'),
        p('compare the pathway with NICE guidance', numbered),
        p('look at gaps', '<w:pStyle w:val="ListBullet"/>'),
        p('not a list item', '<w:numPr><w:numId w:val="0"/></w:numPr>'),
      ].join(''),
    ),
  );
  assert.deepEqual(
    doc.blocks.map((b) => (b.type === 'paragraph' ? b.text : '')),
    [
      'Establish a task and finish group to:',
      '• compare the pathway with NICE guidance',
      '• look at gaps',
      'not a list item',
    ],
  );
});

test('table cells carry their paragraphs as lines, their fill colour, their span and the header-row mark', async () => {
  const doc = await readDocx(
    await docx(
      tbl(
        [
          tr(tc(p('Action')) + tc(p('RAG')), '<w:tblHeader/>'),
          tr(
            tc(p('Review the policy') + p('Train staff', '<w:numPr><w:numId w:val="2"/></w:numPr>')) +
              tc(p(''), '<w:shd w:val="clear" w:color="auto" w:fill="00b050"/>'),
          ),
          tr(
            tc(p('White is no fill'), '<w:shd w:val="clear" w:fill="FFFFFF"/>') +
              tc(p('Auto is no fill'), '<w:shd w:val="clear" w:fill="auto"/>'),
          ),
          tr(
            tc(p('Solid pattern'), '<w:shd w:val="solid" w:color="FF0000" w:fill="auto"/>') +
              tc(p('Shaded paragraph', '<w:shd w:val="clear" w:fill="FFC000"/>')),
          ),
          tr(tc(p('2. Anytown CCG should:'), '<w:gridSpan w:val="2"/>')),
        ].join(''),
      ),
    ),
  );
  const [table] = tables(doc.blocks);
  assert.ok(table);
  assert.deepEqual(
    table.rows.map((r) => r.header),
    [true, false, false, false, false],
  );
  assert.deepEqual(
    table.rows.map((r) => r.cells.map((c) => [c.text, c.fill, c.span])),
    [
      [
        ['Action', null, 1],
        ['RAG', null, 1],
      ],
      [
        ['Review the policy\n• Train staff', null, 1],
        ['', '00B050', 1],
      ],
      [
        ['White is no fill', null, 1],
        ['Auto is no fill', null, 1],
      ],
      [
        ['Solid pattern', 'FF0000', 1],
        ['Shaded paragraph', 'FFC000', 1],
      ],
      [['2. Anytown CCG should:', null, 2]],
    ],
  );
  assert.equal(table.rows[1]?.source, 'table 1, row 2');
});

test('gridBefore becomes an empty leading cell, so the row stays under its headings', async () => {
  const doc = await readDocx(
    await docx(
      tbl(
        [
          tr(tc(p('Agency')) + tc(p('Action')) + tc(p('Lead'))),
          tr(tc(p('Write the pathway')) + tc(p('Named Nurse')), '<w:gridBefore w:val="1"/>'),
        ].join(''),
      ),
    ),
  );
  const row = tables(doc.blocks)[0]?.rows[1];
  assert.deepEqual(
    row?.cells.map((c) => [c.text, c.span]),
    [
      ['', 1],
      ['Write the pathway', 1],
      ['Named Nurse', 1],
    ],
  );
});

test('a vertically merged cell is read on every row it covers', async () => {
  const doc = await readDocx(
    await docx(
      tbl(
        [
          tr(tc(p('2.1'), '<w:vMerge w:val="restart"/>') + tc(p('First action'))),
          tr(tc(p(''), '<w:vMerge/>') + tc(p('Second action'))),
          tr(tc(p('2.2')) + tc(p('Third action'))),
        ].join(''),
      ),
    ),
  );
  assert.deepEqual(
    tables(doc.blocks)[0]?.rows.map((r) => r.cells.map((c) => c.text)),
    [
      ['2.1', 'First action'],
      ['2.1', 'Second action'],
      ['2.2', 'Third action'],
    ],
  );
});

const tableNestedCellReadTitle =
  'a table nested in a cell is read as lines of that cell; a one-column layout table gives up its contents';
test(tableNestedCellReadTitle, async () => {
  const nested = tbl(tr(tc(p('Q1')) + tc(p('Audit done'))) + tr(tc(p('Q2')) + tc(p('Report written'))));
  const doc = await readDocx(
    await docx(
      [
        tbl(tr(tc(p('Progress')) + tc(p('Updates:') + nested))),
        tbl(tr(tc(p('Plan title inside a frame') + tbl(tr(tc(p('Action')) + tc(p('Lead'))))))),
      ].join(''),
    ),
  );
  const found = tables(doc.blocks);
  assert.equal(found.length, 2);
  assert.deepEqual(
    found[0]?.rows[0]?.cells.map((c) => c.text),
    ['Progress', 'Updates:\nQ1 – Audit done\nQ2 – Report written'],
  );
  assert.deepEqual(
    found[1]?.rows[0]?.cells.map((c) => c.text),
    ['Action', 'Lead'],
  );
  assert.equal(found[1].index, 1);
  assert.ok(doc.blocks.some((b) => b.type === 'paragraph' && b.text === 'Plan title inside a frame'));
});

test('the main document is found through the package relationships', async () => {
  const doc = await readDocx(await docx(p('Moved document part'), { documentPath: 'word/main.xml' }));
  assert.deepEqual(
    doc.blocks.map((b) => (b.type === 'paragraph' ? b.text : '')),
    ['Moved document part'],
  );
});

test('files that are not readable Word documents are refused with a message saying what to do', async () => {
  const refusals: [string, Uint8Array | Promise<Uint8Array>][] = [
    ['not a zip', new TextEncoder().encode('this is plain text, not a Word document')],
    [
      'a compound file (password-protected or .doc)',
      new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]),
    ],
    ['a zip with no document', new JSZip().file('hello.txt', 'hi').generateAsync({ type: 'uint8array' })],
    [
      'a truncated file',
      fs.promises
        .readFile('test/fixtures/west-sussex-2016-action-plan.docx')
        .then((b) => new Uint8Array(b.subarray(0, 4000))),
    ],
  ];
  for (const [what, bytes] of refusals) {
    await assert.rejects(readDocx(await bytes), (error: unknown) => {
      assert.ok(error instanceof ImportRejected, what);
      assert.match(error.message, /Word|\.docx/, what);
      return true;
    });
  }
});

test('the West Sussex plan reads as its one table of 20 rows under two paragraphs', async () => {
  const doc = await readDocx(await fs.promises.readFile('test/fixtures/west-sussex-2016-action-plan.docx'));
  assert.deepEqual(
    doc.blocks.filter((b) => b.type === 'paragraph').map((b) => b.text),
    [
      'West Sussex action plan in response to CQC review of looked after children and safeguarding in Sussex ' +
        'report published 13th November 2015',
      'SCT Actions',
    ],
  );
  const [table] = tables(doc.blocks);
  assert.equal(table?.rows.length, 20);
  assert.deepEqual(
    table.rows[0]?.cells.map((c) => c.text),
    [
      'Number',
      'Recommendation',
      'Action',
      'Outcomes How will we know when this action is complete',
      'Lead',
      'By When',
      'RAG Rating',
      'Progress Report / Date',
      'Current SCT Progress',
    ],
  );
  assert.deepEqual(
    table.rows[12]?.cells.slice(0, 3).map((c) => c.text),
    ['', '', 'Full Health representation at MARAC'],
  );
});
