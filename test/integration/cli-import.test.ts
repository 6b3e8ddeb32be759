import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/*
 * `clasp import` as a script uses it: the dry run's JSON, exit codes and one-line reasons,
 * and a real import into the embedded database, twice.
 */

const root = path.resolve(import.meta.dirname, '../..');
const clasp = path.join(root, 'bin/clasp');
const fixture = (name: string) => path.join(root, 'test/fixtures', name);

type Run = { code: number; stdout: string; stderr: string };

function run(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const cleanEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', ...env };
    delete cleanEnv.DATABASE_URL;
    execFile(
      process.execPath,
      [clasp, ...args],
      { env: cleanEnv, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe('clasp import', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clasp-cli-import-'));
  const env = { CLASP_DATA_DIR: dir };
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints the report as the documented JSON, and writes nothing', async () => {
    const r = await run(['import', 'report', fixture('rotherham-2015-cqc-report.pdf'), '--dry-run', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout) as {
      review: Record<string, unknown>;
      findings: { number: string; section: string; text: string; recommendations: string[]; publicHealth: boolean }[];
      groups: { number: string; addressees: string[]; recommendations: { number: string; text: string }[] }[];
      warnings: string[];
    };
    assert.deepEqual(Object.keys(json), ['review', 'findings', 'groups', 'warnings']);
    assert.deepEqual(Object.keys(json.review), ['area', 'reviewStart', 'reviewEnd', 'published', 'organisations']);
    assert.equal(json.review.area, 'Rotherham');
    assert.equal(json.review.reviewStart, '2015-02-23');
    assert.equal(json.review.published, '2015-07-14');
    assert.deepEqual(Object.keys(json.findings[0] ?? {}), [
      'number',
      'section',
      'text',
      'recommendations',
      'publicHealth',
    ]);
    assert.equal(json.groups.length, 4);
    assert.equal(
      json.groups.reduce((n, g) => n + g.recommendations.length, 0),
      24,
    );
    assert.deepEqual(json.groups[2]?.addressees, [
      'Rotherham CCG',
      'Rotherham, Doncaster and South Humber NHS Foundation Trust',
    ]);
    assert.equal(fs.existsSync(path.join(dir, 'clasp.db')), false, 'a dry run opens no database');
  });

  it('prints a plan as the documented JSON', async () => {
    const r = await run(['import', 'plan', fixture('west-sussex-2016-action-plan.xlsx'), '--dry-run', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout) as {
      groups: unknown[];
      recommendations: { number: string; actions: Record<string, unknown>[] }[];
      warnings: string[];
    };
    assert.deepEqual(Object.keys(json), ['groups', 'recommendations', 'warnings']);
    const first = json.recommendations[0];
    assert.equal(first?.number, '2.1');
    assert.deepEqual(Object.keys(first.actions[0] ?? {}), [
      'text',
      'agency',
      'lead',
      'responsibleOfficer',
      'assurance',
      'measure',
      'due',
      'rating',
      'progress',
      'agreement',
      'takingPart',
      'evidence',
    ]);
    assert.deepEqual(first.actions[0]?.due, { text: 'Jan-16', date: '2016-01-31' });
    assert.equal(first.actions[0].lead, 'Named Nurse Safeguarding Children');
  });

  it('reads a CSV as Excel on Windows saves it (Windows-1252), pound signs and accents intact', async () => {
    const file = path.join(dir, 'windows.csv');
    const latin1 =
      'Number,Recommendation,Action,Lead,By when\n' +
      '1.1,Improve triage,"Spend \u00a35,000 on the caf\u00e9 training",Named nurse,Mar-17\n';
    fs.writeFileSync(file, Buffer.from(latin1, 'latin1'));
    const r = await run(['import', 'plan', file, '--dry-run', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout) as { recommendations: { actions: { text: string; lead: string }[] }[] };
    assert.equal(json.recommendations[0]?.actions[0]?.text, 'Spend \u00a35,000 on the caf\u00e9 training');
    assert.equal(json.recommendations[0].actions[0].lead, 'Named nurse');
  });

  it('shows the column mapping without --json, and --column changes it', async () => {
    const plain = await run(['import', 'plan', fixture('west-sussex-2016-action-plan.xlsx'), '--dry-run'], env);
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout, /1:5\tLead\t→ lead/);
    const corrected = await run(
      [
        'import',
        'plan',
        fixture('west-sussex-2016-action-plan.xlsx'),
        '--dry-run',
        '--json',
        '--column',
        '1:5=responsibleOfficer',
      ],
      env,
    );
    assert.equal(corrected.code, 0, corrected.stderr);
    const json = JSON.parse(corrected.stdout) as {
      recommendations: { actions: { lead: string | null; responsibleOfficer: string | null }[] }[];
    };
    assert.equal(json.recommendations[0]?.actions[0]?.lead, null);
    assert.equal(json.recommendations[0].actions[0].responsibleOfficer, 'Named Nurse Safeguarding Children');
    const wrong = await run(
      ['import', 'plan', fixture('west-sussex-2016-action-plan.xlsx'), '--dry-run', '--column', '1:5=boss'],
      env,
    );
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /^clasp: --column "1:5=boss" is not understood/);
  });

  it('gives a one-line reason and a non-zero exit for files it cannot read', async () => {
    const empty = path.join(dir, 'empty.docx');
    fs.writeFileSync(empty, '');
    const huge = path.join(dir, 'huge.pdf');
    // A sparse file: 200 MB long without using the disk or memory.
    fs.closeSync(fs.openSync(huge, 'w'));
    fs.truncateSync(huge, 200 * 1024 * 1024);
    const notes = path.join(dir, 'notes.txt');
    fs.writeFileSync(notes, 'Minutes of the meeting of 3 March.\nNothing here is numbered.\n');
    const cases: [string[], RegExp][] = [
      [['import', 'report', empty, '--dry-run', '--json'], /empty/],
      [['import', 'report', huge, '--dry-run', '--json'], /200 MB; the largest file Clasp accepts is 25 MB/],
      [['import', 'report', notes, '--dry-run', '--json'], /no numbered recommendations/],
      [['import', 'plan', fixture('rotherham-2015-cqc-report.pdf'), '--dry-run', '--json'], /This is a PDF/],
      [
        ['import', 'report', fixture('west-sussex-2016-action-plan.xlsx'), '--dry-run', '--json'],
        /spreadsheet, not a report/,
      ],
      [['import', 'report', path.join(dir, 'missing.pdf'), '--dry-run'], /There is no file/],
    ];
    for (const [args, reason] of cases) {
      const r = await run(args, env);
      assert.notEqual(r.code, 0, `${args.join(' ')} fails`);
      assert.equal(r.stdout, '', 'nothing on stdout');
      assert.match(r.stderr, reason);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, `one line: ${r.stderr}`);
    }
    assert.equal(fs.existsSync(path.join(dir, 'clasp.db')), false, 'nothing was written');
  });

  it('imports the report and the plan, and a second import changes nothing', async () => {
    const report = await run(
      ['import', 'report', fixture('rotherham-2015-cqc-report.docx'), '--received', '2015-07-14'],
      env,
    );
    assert.equal(report.code, 0, report.stderr);
    assert.match(
      report.stdout,
      /^Made review 1: Review of health services for Children Looked After and Safeguarding in Rotherham/m,
    );
    assert.match(report.stdout, /123 findings, 24 recommendations in 4 groups/);
    assert.match(report.stdout, /The plan is due on 2015-08-11/);
    const again = await run(['import', 'report', fixture('rotherham-2015-cqc-report.docx')], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /imported before, as review 1; nothing changed/);

    const plan = await run(
      ['import', 'plan', fixture('rotherham-2015-hwb-paper-and-action-plan.docx'), '--review', '1', '--json'],
      env,
    );
    assert.equal(plan.code, 0, plan.stderr);
    const counts = JSON.parse(plan.stdout) as { changed: boolean; actionsNew: number; recommendationsMatched: number };
    assert.equal(counts.changed, true);
    assert.equal(counts.recommendationsMatched, 24);
    assert.ok(counts.actionsNew > 0);
    const second = await run(
      ['import', 'plan', fixture('rotherham-2015-hwb-paper-and-action-plan.docx'), '--review', '1'],
      env,
    );
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /already in review 1; nothing changed/);

    const list = await run(['reviews', '--json'], env);
    const reviews = JSON.parse(list.stdout) as { id: number; recommendations: number; actions: number }[];
    assert.equal(reviews.length, 1);
    assert.equal(reviews[0]?.actions, counts.actionsNew);

    const noReview = await run(['import', 'plan', fixture('west-sussex-2016-action-plan.xlsx'), '--review', '99'], env);
    assert.equal(noReview.code, 2);
    assert.equal(noReview.stderr, 'clasp: There is no review 99\n');
  });
});
