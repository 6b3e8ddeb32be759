import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import mammoth from 'mammoth';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/*
 * `clasp version`, `clasp export plan` and `clasp report board` as a script uses them, on the
 * demo plan in the embedded database: files written, their contents, exit codes and reasons.
 */

const root = path.resolve(import.meta.dirname, '../..');
const clasp = path.join(root, 'bin/clasp');

type Run = { code: number; stdout: string; stderr: string };

function run(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const cleanEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', ...env };
    delete cleanEnv.DATABASE_URL;
    execFile(
      process.execPath,
      [clasp, ...args],
      { env: cleanEnv, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

async function pdfText(file: string): Promise<string> {
  const pdf = await getDocument({ data: new Uint8Array(fs.readFileSync(file)), useSystemFonts: false }).promise;
  let text = '';
  for (let i = 1; i <= pdf.numPages; i++) {
    const page = await pdf.getPage(i);
    const content = await page.getTextContent();
    text += content.items.map((item) => ('str' in item ? item.str : '')).join(' ') + '\n';
  }
  await pdf.destroy();
  return text;
}

describe('clasp version, export plan and report board', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clasp-cli-outputs-'));
  const env = { CLASP_DATA_DIR: dir };
  const out = (name: string) => path.join(dir, name);
  before(async () => {
    const demo = await run(['demo'], env);
    assert.equal(demo.code, 0, demo.stderr);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('issues a version after the seven recorded ones and lists it', async () => {
    const issued = await run(
      [
        'version',
        'issue',
        '--review',
        '1',
        '--purpose',
        'hwb',
        '--comment',
        'For the board on 4 February.',
        '--recipients',
        'Rotherham Health and Wellbeing Board',
        '--author',
        'Head of Safeguarding - RCCG',
      ],
      env,
    );
    assert.equal(issued.code, 0, issued.stderr);
    assert.match(
      issued.stdout,
      new RegExp(
        /^Issued version 8 of review 1 on \d{4}-\d{2}-\d{2}: /.source +
          /Health and Wellbeing Board\. Sent to: Rotherham Health and Wellbeing Board\.$/.source,
        'm',
      ),
    );
    const list = await run(['version', 'list', '--review', '1', '--json'], env);
    assert.equal(list.code, 0, list.stderr);
    const rows = JSON.parse(list.stdout) as { number: string; frozen: boolean; comment: string; author: string }[];
    assert.deepEqual(
      rows.map((r) => [r.number, r.frozen]),
      [
        ['1', false],
        ['2', false],
        ['3', false],
        ['4', false],
        ['5', false],
        ['6', false],
        ['7', false],
        ['8', true],
      ],
    );
    assert.equal(rows[7]?.comment, 'For the board on 4 February.');
    assert.equal(rows[7].author, 'Head of Safeguarding - RCCG');
  });

  it('writes the plan as Excel with one row per action, and as Word and CSV', async () => {
    const xlsx = await run(['export', 'plan', '--review', '1', '--format', 'xlsx', '--out', out('plan.xlsx')], env);
    assert.equal(xlsx.code, 0, xlsx.stderr);
    assert.match(xlsx.stdout, /^Wrote .*plan\.xlsx \([\d,]+ bytes\)\.$/m);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out('plan.xlsx'));
    const sheet = book.worksheets[0];
    assert.ok(sheet);
    assert.equal(sheet.actualRowCount, 1 + 93, 'a header and the 93 actions of the demo plan');

    const docx = await run(
      ['export', 'plan', '--review', '1', '--format', 'docx', '--out', out('plan.docx'), '--version', '8'],
      env,
    );
    assert.equal(docx.code, 0, docx.stderr);
    const { value: text } = await mammoth.extractRawText({ path: out('plan.docx') });
    assert.match(text, /Recommendation 1\.1/);
    assert.match(text, /Health and Wellbeing Board/);

    const csv = await run(['export', 'plan', '--review', '1', '--format', 'csv', '--out', out('plan.csv')], env);
    assert.equal(csv.code, 0, csv.stderr);
    assert.ok(
      fs
        .readFileSync(out('plan.csv'))
        .subarray(0, 3)
        .equals(Buffer.from([0xef, 0xbb, 0xbf])),
      'UTF-8 with a byte order mark, as Excel needs',
    );
  });

  it('writes the board report as PDF with real text, and as HTML and Word', async () => {
    const pdf = await run(['report', 'board', '--review', '1', '--format', 'pdf', '--out', out('board.pdf')], env);
    assert.equal(pdf.code, 0, pdf.stderr);
    const text = await pdfText(out('board.pdf'));
    assert.match(text, /Rotherham/);
    assert.match(text, /Page 1 of \d+/);
    for (const format of ['html', 'docx']) {
      const r = await run(
        ['report', 'board', '--review', '1', '--format', format, '--out', out(`board.${format}`), '--version', '8'],
        env,
      );
      assert.equal(r.code, 0, r.stderr);
      assert.ok(fs.statSync(out(`board.${format}`)).size > 1000);
    }
  });

  it('compares version 8 with now', async () => {
    const r = await run(['version', 'compare', '--review', '1', '--from', '8', '--to', 'now'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Nothing changed between Version 8 \([^)]+\) and Now/);
  });

  it('explains each mistake on one line and exits with 2, writing no file', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['export', 'plan', '--review', '1', '--format', 'pdf', '--out', out('x.pdf')],
        /Give --format as one of docx, xlsx, csv/,
      ],
      [['export', 'plan', '--review', '1', '--format', 'docx'], /Give the file to write with --out FILE/],
      [['export', 'plan', '--format', 'docx', '--out', out('x.docx')], /Give the review with --review ID/],
      [['export', 'plan', '--review', '99', '--format', 'docx', '--out', out('x.docx')], /There is no review 99/],
      [
        ['report', 'board', '--review', '1', '--format', 'pdf', '--out', out('x.pdf'), '--version', '3'],
        /Version 3 was recorded before Clasp kept each version's plan/,
      ],
      [
        ['version', 'issue', '--review', '1', '--purpose', 'party'],
        /--purpose: Select what this version is for \(one of: comment, [a-z_, ]+\)\./,
      ],
      [['version', 'compare', '--review', '1', '--from', '8'], /Give --from and --to/],
      [['export', 'plan', '--review', '1', '--format', 'docx', '--out', dir], /is a folder: give a file name/],
      [
        ['export', 'plan', '--review', '1', '--format', 'docx', '--out', path.join(dir, 'missing', 'x.docx')],
        /The folder ".*missing" does not exist/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await run(args, env);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1);
    }
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.startsWith('x.') || f.endsWith('.part')),
      [],
    );
  });
});
