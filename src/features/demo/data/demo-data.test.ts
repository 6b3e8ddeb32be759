// Checks the Rotherham 2015 demo data against the CQC report, read again here independently
// of the build script (scripts/demo-data/build-rotherham.ts), and checks the illustrative
// layer's references. Run: node --import tsx --test src/features/demo/data/demo-data.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { DemoDataset, IllustrativeLayer, Rating } from './dataset-types.ts';
import { evidenceAddedOn, evidenceDecidedOn } from '../illustrative-dates.ts';

const readJson = (name: string): unknown => JSON.parse(fs.readFileSync(new URL(name, import.meta.url), 'utf8'));

const dataset = readJson('./rotherham-2015.json') as DemoDataset;
const layer = readJson('./rotherham-2015-illustrative.json') as IllustrativeLayer;
const REPORT_COPY = new URL('./sources/rotherham-2015-cqc-report.md', import.meta.url);
const REPORT_SHARED = new URL('../../../../../shared/domain/sources/rotherham-2015-cqc-report.md', import.meta.url);
const report = fs.readFileSync(REPORT_COPY, 'utf8');

// ---------------------------------------------------------------------------------
// An independent reading of the report: numbered paragraphs between "The child's journey"
// and "Recommendations", and their "(Recommendation x)" pointers.

type ReportParagraph = { number: string; raw: string; pointers: string[] };

function reportParagraphs(md: string): ReportParagraph[] {
  const from = md.indexOf("## The child's journey");
  const to = md.indexOf('## Recommendations');
  assert.ok(from > 0 && to > from, 'report sections found');
  const out: ReportParagraph[] = [];
  for (const line of md.slice(from, to).split('\n')) {
    const m = line.trim().match(/^(\d+(?:\.\d+)+)\.?\s+(.*)$/);
    if (!m || m[1] === undefined || m[2] === undefined) continue;
    const pointers = [...m[2].matchAll(/\(\*\*Recommendation ([\d.]+?)\*\*\)/g)].map((p) => p[1] ?? '');
    out.push({ number: m[1], raw: m[2], pointers });
  }
  return out;
}

const paragraphs = reportParagraphs(report);
const actionCount = (): number => dataset.recommendations.reduce((n, r) => n + r.actions.length, 0);

test('the report copy in the repository matches the shared source when it is there', (t) => {
  if (!fs.existsSync(REPORT_SHARED)) {
    t.skip('shared domain folder not present');
    return;
  }
  assert.equal(report, fs.readFileSync(REPORT_SHARED, 'utf8'));
});

test('every numbered finding paragraph of the report is a finding, in report order', () => {
  assert.equal(paragraphs.length, 123);
  assert.equal(dataset.findings.length, paragraphs.length);
  assert.deepEqual(
    dataset.findings.map((f) => f.number),
    paragraphs.map((p) => p.number),
  );
  const bySection = (section: string): number => dataset.findings.filter((f) => f.section === section).length;
  assert.equal(bySection('Early help'), 27);
  assert.equal(bySection('Children in need'), 20);
  assert.equal(bySection('Child protection'), 21);
  assert.equal(bySection('Looked after children'), 17);
  assert.equal(bySection('Leadership and management'), 18);
  assert.equal(bySection('Governance'), 10);
  assert.equal(bySection('Training and supervision'), 10);
  assert.equal(dataset.findings.find((f) => f.number === '5.2.4')?.section, 'Governance');
});

test('finding texts are the report paragraphs without markdown or the pointer', () => {
  for (const p of paragraphs) {
    const expected = p.raw
      .replace(/\(\*\*Recommendation [\d.]+?\*\*\)\.?/g, '')
      .replace(/\*/g, '')
      .replace(/\s+/g, ' ')
      .trim();
    const finding = dataset.findings.find((f) => f.number === p.number);
    assert.equal(finding?.text, expected, `finding ${p.number}`);
    assert.doesNotMatch(finding.text, /Recommendation \d|\*\*/);
  }
  assert.match(
    dataset.findings.find((f) => f.number === '1.6')?.text ?? '',
    /identified clearly within the assessment\.$/,
  );
});

test("every finding's recommendation pointers match the report", () => {
  for (const p of paragraphs) {
    assert.deepEqual(
      dataset.findings.find((f) => f.number === p.number)?.recommendations,
      p.pointers,
      `finding ${p.number}`,
    );
  }
  assert.deepEqual(dataset.findings.find((f) => f.number === '3.3')?.recommendations, ['1.1']);
  assert.deepEqual(dataset.findings.find((f) => f.number === '1.6')?.recommendations, ['4.1']);
  assert.deepEqual(dataset.findings.find((f) => f.number === '5.3.4')?.recommendations, ['2.1']);
  assert.deepEqual(dataset.findings.find((f) => f.number === '1.1')?.recommendations, []);
  const pointerTotal = paragraphs.reduce((n, p) => n + p.pointers.length, 0);
  assert.equal(pointerTotal, 51);
});

test('public health findings are the ones the report says were brought to public health', () => {
  const expected = paragraphs.filter((p) => /attention of (the )?public health/i.test(p.raw)).map((p) => p.number);
  assert.deepEqual(expected, ['1.7', '1.11', '1.24', '4.15', '5.1.14']);
  assert.deepEqual(
    dataset.findings.filter((f) => f.publicHealth).map((f) => f.number),
    expected,
  );
});

test('finding kinds: pointers and public health make a concern; a sample of readings', () => {
  for (const f of dataset.findings) {
    if (f.recommendations.length > 0 || f.publicHealth) assert.equal(f.kind, 'concern', f.number);
  }
  const kind = (n: string): string | undefined => dataset.findings.find((f) => f.number === n)?.kind;
  assert.equal(kind('1.4'), 'concern'); // waiting area not observable
  assert.equal(kind('1.1'), 'good_practice');
  assert.equal(kind('2.19'), 'good_practice'); // Family Nurse Partnership
  assert.equal(kind('5.3.9'), 'concern'); // ED supervision weak and ad-hoc
});

test('24 recommendations in 4 groups, with the report headings and addressees', () => {
  assert.equal(dataset.recommendations.length, 24);
  assert.deepEqual(
    dataset.groups.map((g) => [g.number, g.heading, g.organisations]),
    [
      [1, 'NHS England & Rotherham CCG should:', ['nhs-england', 'rotherham-ccg']],
      [
        2,
        'NHS England, Rotherham CCG, Rotherham, Doncaster and South Humber NHS Foundation Trust and ' +
          'The Rotherham Foundation NHS Trust should:',
        ['nhs-england', 'rotherham-ccg', 'rdash', 'trft'],
      ],
      [
        3,
        'Rotherham CCG and Rotherham, Doncaster and South Humber NHS Foundation Trust should:',
        ['rotherham-ccg', 'rdash'],
      ],
      [4, 'Rotherham CCG and The Rotherham Foundation NHS Trust should:', ['rotherham-ccg', 'trft']],
    ],
  );
  const perGroup = [1, 2, 3, 4].map((g) => dataset.recommendations.filter((r) => r.group === g).length);
  assert.deepEqual(perGroup, [1, 5, 6, 12]);
  for (const r of dataset.recommendations) assert.equal(r.number.split('.')[0], String(r.group));
  // the report's recommendations list, read again
  const listed = report
    .slice(report.indexOf('## Recommendations'), report.indexOf('## Next steps'))
    .split('\n')
    .map((l) => l.match(/^\s*-?\s*(\d\.\d+)\.?\s/)?.[1])
    .filter((n): n is string => n !== undefined);
  assert.deepEqual(
    dataset.recommendations.map((r) => r.number),
    listed,
  );
});

test('the (See …) lists agree with the report pointers for all 24 recommendations', () => {
  for (const r of dataset.recommendations) {
    const pointing = paragraphs.filter((p) => p.pointers.includes(r.number)).map((p) => p.number);
    assert.deepEqual(r.findings, pointing, `recommendation ${r.number}`);
    assert.ok(r.findings.length > 0, `recommendation ${r.number} has findings`);
  }
  const see = (n: string): string[] | undefined => dataset.recommendations.find((r) => r.number === n)?.findings;
  assert.deepEqual(see('1.1'), ['3.3', '3.4', '3.5']);
  assert.deepEqual(see('4.8'), ['4.1', '4.2', '4.6', '4.7', '4.8', '4.10']);
  assert.deepEqual(see('2.4'), ['3.7', '3.19', '5.2.4', '5.2.5', '5.2.8', '5.2.9', '5.2.10']);
  assert.deepEqual(see('4.12'), ['1.8']);
});

test('every finding pointer names an existing recommendation', () => {
  const numbers = new Set(dataset.recommendations.map((r) => r.number));
  for (const f of dataset.findings) {
    for (const p of f.recommendations) assert.ok(numbers.has(p), `${f.number} → ${p}`);
  }
});

test('actions: every recommendation has some, each with action text, agency and known organisations', () => {
  const orgs = new Set(dataset.organisations.map((o) => o.key));
  for (const r of dataset.recommendations) {
    assert.ok(r.actions.length > 0, r.number);
    assert.ok(r.outcome.length > 0, `${r.number} outcome`);
    assert.ok(r.anticipatedEvidence.length > 0, `${r.number} anticipated evidence`);
    for (const a of r.actions) {
      assert.ok(a.action.trim().length > 0, `${r.number} action text`);
      assert.ok(a.agency.length > 0 && a.agencies.length > 0, `${r.number} agency`);
      assert.ok(a.lead.length > 0, `${r.number} lead`);
      for (const k of a.agencies) assert.ok(orgs.has(k), `${r.number} agency key ${k}`);
      assert.doesNotMatch(a.action, /^[a-z]/, `${r.number} action starts mid-sentence`);
    }
  }
  assert.deepEqual(
    dataset.recommendations.map((r) => `${r.number}:${r.actions.length}`).join(' '),
    '1.1:5 2.1:5 2.2:2 2.3:2 2.4:2 2.5:3 3.1:5 3.2:7 3.3:2 3.4:3 3.5:3 3.6:2 ' +
      '4.1:5 4.2:3 4.3:8 4.4:3 4.5:4 4.6:4 4.7:6 4.8:8 4.9:4 4.10:3 4.11:2 4.12:2',
  );
  assert.equal(actionCount(), 93);
});

test('row joins and the shifted row of the plan are repaired', () => {
  const rec = (n: string) => dataset.recommendations.find((r) => r.number === n);
  const r410 = rec('4.10')?.actions[2];
  assert.equal(
    r410?.action,
    'Health recommendations from the assessment will be shared with the young person (age appropriate) ' +
      'by their health professional. LAC Council to be kept informed of decisions and present any breaches ' +
      'to RMBC and/or LAC Health Team.',
  );
  assert.equal(r410.lead, "Looked After Children's Team, School Nursing Service and Service Managers");
  assert.equal(r410.dateWords, '30 September 2015');
  assert.equal(rec('4.10')?.actions[1]?.dateWords, '31 August 2015\n30 November 2015');
  assert.equal(rec('4.4')?.actions[0]?.dateWords, '30 September 2015\n30 September 2015\n30 September 2015');
  assert.equal(rec('4.6')?.actions[2]?.lead, 'Wharnccliffe Ward Manager');
  assert.equal(rec('4.6')?.actions[2]?.dateWords, 'Immediate');
  assert.match(rec('4.1')?.actions[1]?.progress ?? '', /Systmone or National Spine\. New upgrade/);
  assert.match(rec('2.3')?.actions[0]?.progress ?? '', /is already included in Level 3 Safeguarding training\.$/);
  assert.match(
    rec('2.4')?.actions[1]?.action ?? '',
    /clinical record keeping audit, including the audit of:\n• how consent is recorded\n• how information sharing/,
  );
  assert.equal(rec('1.1')?.actions[0]?.dateWords, 'Completed 28 July 2015 29 September 2015');
  assert.equal(rec('4.2')?.actions[0]?.progress, '');
  assert.deepEqual(rec('1.1')?.actions[0]?.agencies, ['rotherham-ccg', 'nhs-england', 'rotherham-gp-practices']);
  assert.equal(rec('3.1')?.actions[1]?.agency, 'CAMHS'); // continues the agency cell above
});

test('the review header, organisations, versions and plan date', () => {
  const r = dataset.review;
  assert.equal(r.key, 'rotherham-2015');
  assert.equal(r.title, 'Review of health services for Children Looked After and Safeguarding in Rotherham');
  assert.deepEqual(
    [r.reviewStart, r.reviewEnd, r.reportPublished, r.reportReceived],
    ['2015-02-23', '2015-02-27', '2015-07-14', '2015-07-14'],
  );
  assert.deepEqual(r.inspectors, ['Lea Pickerill', 'Jan Clark', 'Lynette Ranson', 'Pauline Hyde']);
  assert.equal(r.childrenCases, 84);
  assert.equal(r.cqcRegion, 'North East');
  assert.equal(r.nhsEnglandArea, 'North of England');
  assert.equal(r.ratingScale, 'BRAG');
  assert.equal(r.leadOrganisation, 'rotherham-ccg');
  assert.deepEqual(r.coveredOrganisations, ['rdash', 'trft', 'rotherham-ccg']);
  const org = (k: string) => dataset.organisations.find((o) => o.key === k);
  assert.equal(org('rotherham-ccg')?.name, 'NHS Rotherham Clinical Commissioning Group');
  assert.equal(org('trft')?.name, 'The Rotherham NHS Foundation Trust');
  assert.equal(org('rotherham-gp-practices')?.kind, 'gp_practice');
  assert.equal(new Set(dataset.organisations.map((o) => o.key)).size, dataset.organisations.length);
  assert.equal(dataset.planIssued, '2015-08-11');
  assert.deepEqual(
    dataset.versions.map((v) => [v.number, v.date]),
    [
      ['1', '2015-06-01'],
      ['2', '2015-06-15'],
      ['3', '2015-07-14'],
      ['4', '2015-07-23'],
      ['5', '2015-08-03'],
      ['6', '2015-08-10'],
      ['7', null],
    ],
  );
  assert.equal(dataset.versions[0]?.author, 'Head of Safeguarding - RCCG');
});

// ---------------------------------------------------------------------------------
// The illustrative layer

const RATINGS: Rating[] = ['blue', 'green', 'amber', 'red'];

test('the illustrative layer says it is invented', () => {
  assert.match(layer.notice, /^Illustrative data: .*not Rotherham's real record\.$/);
});

test('every illustrative entry refers to an existing action, once, with valid ratings', () => {
  const seen = new Set<string>();
  for (const entry of layer.actions) {
    const key = `${entry.recommendation}#${entry.index}`;
    assert.ok(!seen.has(key), `duplicate ${key}`);
    seen.add(key);
    const rec = dataset.recommendations.find((r) => r.number === entry.recommendation);
    assert.ok(rec, `recommendation ${entry.recommendation}`);
    assert.ok(Number.isInteger(entry.index) && entry.index >= 0 && entry.index < rec.actions.length, key);
    for (const p of entry.progress) assert.ok(RATINGS.includes(p.proposedRating), key);
    for (const rt of entry.ratings) {
      assert.ok(RATINGS.includes(rt.rating), key);
      assert.ok(rt.agreedRating === null || RATINGS.includes(rt.agreedRating), key);
      assert.equal(rt.agreedOn === null, rt.agreedRating === null, `${key} agreed date and rating go together`);
      if (rt.agreedOn) {
        assert.ok(layer.meetings.includes(rt.agreedOn) && rt.agreedOn >= rt.proposedOn, `${key} agreed at a meeting`);
      }
    }
    for (const e of entry.evidence) {
      assert.ok(['file', 'link', 'note'].includes(e.kind), key);
      assert.ok(['accepted', 'submitted', 'rejected'].includes(e.status), key);
      if (e.kind === 'file') assert.ok(e.fileName && e.mediaType && e.content, `${key} file fields`);
      if (e.kind === 'link') assert.match(e.url ?? '', /^https:\/\/example\.org\//);
      if (e.kind === 'note') assert.ok(e.note, `${key} note`);
      if (e.status === 'rejected') assert.ok(e.statusReason, `${key} rejection reason`);
    }
  }
  assert.equal(layer.actions.length, 89);
});

test('illustrative progress comes after the plan date, oldest first', () => {
  assert.ok(layer.meetings.includes('2015-08-13') && layer.meetings.includes('2015-12-17'));
  for (const entry of layer.actions) {
    const dates = entry.progress.map((p) => p.date);
    for (const d of dates) {
      assert.ok(d > dataset.planIssued && d <= layer.asOf, `${entry.recommendation}#${entry.index} ${d}`);
    }
    assert.deepEqual(dates, [...dates].sort(), 'progress oldest first');
    const proposed = entry.ratings.map((r) => r.proposedOn);
    assert.deepEqual(proposed, [...proposed].sort(), 'ratings oldest first');
  }
});

test('illustrative evidence is added and decided within the story, as its words say', () => {
  const longDate = (iso: string) =>
    new Date(`${iso}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
  for (const entry of layer.actions) {
    for (const e of entry.evidence) {
      const key = `${entry.recommendation}#${entry.index} ${e.title}`;
      const added = evidenceAddedOn(e);
      assert.ok(added > dataset.planIssued && added <= layer.asOf, `${key} added ${added}`);
      assert.ok(added >= e.effectiveDate, `${key} added on or after its document's date`);
      if (e.status === 'submitted') continue;
      const decided = evidenceDecidedOn(added, layer.meetings);
      assert.ok(decided !== null && decided <= layer.asOf, `${key} decided at a meeting by ${layer.asOf}`);
      if (e.status === 'accepted') {
        assert.equal(e.statusReason, `Accepted by the peer challenge group on ${longDate(decided)}.`, key);
      }
    }
  }
  const waiting = layer.actions.flatMap((a) => a.evidence.filter((e) => e.status === 'submitted'));
  assert.deepEqual(
    waiting.map((e) => evidenceAddedOn(e)),
    ['2016-07-25'],
    'one item awaits assurance, added the week before the demo is assessed',
  );
});

test('the illustrative layer shows every feature', () => {
  const final = (e: IllustrativeLayer['actions'][number]): Rating | null => {
    const agreed = e.ratings.filter((r) => r.agreedRating !== null);
    return agreed[agreed.length - 1]?.agreedRating ?? e.ratings[e.ratings.length - 1]?.rating ?? null;
  };
  const count = (rating: Rating): number => layer.actions.filter((e) => final(e) === rating).length;
  assert.deepEqual(
    RATINGS.map((r) => count(r)),
    [72, 13, 3, 1],
  );
  assert.equal(actionCount() - layer.actions.length, 4, 'four actions have no rating');
  const unevidenced = layer.actions
    .filter((e) => ['blue', 'green'].includes(final(e) ?? '') && !e.evidence.some((x) => x.status === 'accepted'))
    .map((e) => `${e.recommendation}#${e.index}`);
  assert.deepEqual(unevidenced, ['1.1#3', '2.3#1', '4.11#0']);
  const disputed = layer.actions
    .filter((e) => {
      const last = e.ratings[e.ratings.length - 1];
      return last !== undefined && last.agreedRating !== null && last.agreedRating !== last.rating;
    })
    .map((e) => `${e.recommendation}#${e.index}`);
  assert.deepEqual(disputed, ['3.1#4', '4.12#0']);
  const stale = layer.actions
    .filter((e) => ['amber', 'red'].includes(final(e) ?? ''))
    .map((e) => e.progress[e.progress.length - 1]?.date ?? '');
  for (const d of stale) assert.ok(d >= '2016-01-01' && d < '2016-04-01', `stale since early 2016: ${d}`);
});
