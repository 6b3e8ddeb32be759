// The Rotherham 2015 CQC report, read from each format users have, compared with the
// published record in the demo data (built independently, from the Markdown text of the
// report). The .html fixture was made once from the .docx with mammoth.convertToHtml,
// wrapped in a minimal HTML page, so that the HTML reader meets real markup.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { before, describe, test } from 'node:test';
import type { DemoDataset } from '../../demo/data/dataset-types.ts';
import type { ReportDraft } from '../drafts.ts';
import { sameOrganisation } from '../organisation-names.ts';
import { readReportFile, type ReportFormat } from './index.ts';

const record = JSON.parse(
  fs.readFileSync(new URL('../../demo/data/rotherham-2015.json', import.meta.url), 'utf8'),
) as DemoDataset;
const fixture = (name: string) =>
  new Uint8Array(fs.readFileSync(new URL(`../../../../test/fixtures/${name}`, import.meta.url)));

// The formats keep the document's own characters: the Word and PDF files have curly quotes
// and an ellipsis where the Markdown the record was built from has straight ones. Only this
// comparison treats them as the same; the drafts are not changed.
function comparable(text: string): string {
  return text.replace(/[‘’]/g, "'").replace(/[“”]/g, '"').replace(/…/g, '...').replace(/\s+/g, ' ').trim();
}

/** The record's organisation, by key, in all the forms the documents use for it. */
function namesOf(key: string): string[] {
  const organisation = record.organisations.find((o) => o.key === key);
  assert.ok(organisation, `organisation ${key} is in the record`);
  return [organisation.name, ...(organisation.aliases ?? [])];
}

const isOrganisation = (name: string, key: string) =>
  namesOf(key).some((form) => sameOrganisation(form, name) || form === name);

const FILES: [ReportFormat, string][] = [
  ['docx', 'rotherham-2015-cqc-report.docx'],
  ['pdf', 'rotherham-2015-cqc-report.pdf'],
  ['text', 'rotherham-2015-cqc-report.md'],
  ['html', 'rotherham-2015-cqc-report.html'],
];

for (const [format, file] of FILES) {
  describe(`the Rotherham report read from ${file}`, () => {
    let draft: ReportDraft;
    before(async () => {
      draft = await readReportFile(fixture(file), format);
    });

    test('reads the review details of the header table and the opening pages', () => {
      const { review } = draft;
      assert.equal(review.title, record.review.title);
      assert.equal(review.area, record.review.area);
      assert.equal(review.reviewStart, record.review.reviewStart);
      assert.equal(review.reviewEnd, record.review.reviewEnd);
      assert.equal(review.published, record.review.reportPublished);
      assert.deepEqual(review.inspectors, record.review.inspectors);
      assert.equal(review.nhsEnglandArea, record.review.nhsEnglandArea);
      assert.equal(review.cqcRegion, record.review.cqcRegion);
      assert.equal(review.childrenCases, record.review.childrenCases);
    });

    test('lists the providers and the CCG of the header, split by name, then the other addressees', () => {
      const organisations = draft.review.organisations;
      assert.deepEqual(
        organisations.map((o) => o.role),
        ['provider', 'provider', 'commissioner', 'addressee'],
      );
      const expected = [...record.review.coveredOrganisations, 'nhs-england'];
      organisations.forEach((o, i) =>
        assert.ok(isOrganisation(o.name, expected[i] ?? ''), `${o.name} is ${expected[i]}`),
      );
      assert.deepEqual(
        organisations.map((o) => o.kind),
        expected.map((key) => record.organisations.find((o) => o.key === key)?.kind),
      );
    });

    test('reads exactly 24 recommendations in 4 groups, with their headings and texts', () => {
      assert.equal(draft.groups.length, record.groups.length);
      assert.equal(draft.groups.flatMap((g) => g.recommendations).length, 24);
      draft.groups.forEach((group, i) => {
        const expected = record.groups[i];
        assert.ok(expected);
        assert.equal(group.number, String(expected.number));
        assert.equal(comparable(group.heading), comparable(expected.heading));
        const recommendations = record.recommendations.filter((r) => r.group === expected.number);
        assert.deepEqual(
          group.recommendations.map((r) => ({ number: r.number, text: comparable(r.text) })),
          recommendations.map((r) => ({ number: r.number, text: comparable(r.text) })),
        );
      });
    });

    test('splits each group heading into its addressees and matches them to the review organisations', () => {
      draft.groups.forEach((group, i) => {
        const keys = record.groups[i]?.organisations ?? [];
        assert.equal(group.addressees.length, keys.length, `group ${group.number}: ${group.addressees.join(' | ')}`);
        group.addressees.forEach((name, j) => {
          assert.ok(group.heading.includes(name), `"${name}" is written in the heading`);
          assert.ok(isOrganisation(name, keys[j] ?? ''), `"${name}" is ${keys[j]}`);
        });
        group.organisations.forEach((name, j) => {
          assert.ok(
            draft.review.organisations.some((o) => o.name === name),
            `${name} is a review organisation`,
          );
          assert.ok(isOrganisation(name, keys[j] ?? ''), `"${name}" is ${keys[j]}`);
        });
      });
    });

    test('reads all 123 findings with their numbers, sections, texts, pointers and public health referrals', () => {
      assert.deepEqual(
        draft.findings.map((f) => ({ ...f, text: comparable(f.text), kind: undefined })),
        record.findings.map((f) => ({ ...f, text: comparable(f.text), kind: undefined })),
      );
    });

    test('gives the same kind of finding as the record for nearly all findings', (t) => {
      // The kind is read from wording, so a few readings differ from the record's; this
      // guards against the reading getting worse. Pointers and public health always mean a concern.
      const agree = draft.findings.filter((f, i) => f.kind === record.findings[i]?.kind).length;
      t.diagnostic(`kind agrees with the record for ${agree} of ${draft.findings.length} findings`);
      assert.ok(agree >= 110, `${agree} of ${draft.findings.length}`);
      for (const f of draft.findings)
        if (f.recommendations.length > 0 || f.publicHealth) assert.equal(f.kind, 'concern', f.number);
    });

    test('finds the pointers agree with the plan\'s "(See …)" lists for every recommendation', () => {
      for (const recommendation of record.recommendations) {
        const pointing = draft.findings
          .filter((f) => f.recommendations.includes(recommendation.number))
          .map((f) => f.number);
        assert.deepEqual(pointing, recommendation.findings, `findings behind recommendation ${recommendation.number}`);
      }
    });

    test("warns only about the inspectors' names, which the report runs together", () => {
      assert.equal(draft.warnings.length, 1, draft.warnings.join('\n'));
      assert.match(draft.warnings[0] ?? '', /inspectors' names are not separated/);
    });
  });
}

test('reading the PDF again gives the same draft, and how long it takes is reported', async (t) => {
  const pdf = fixture('rotherham-2015-cqc-report.pdf');
  const first = performance.now();
  const once = await readReportFile(pdf, 'pdf');
  const second = performance.now();
  const again = await readReportFile(pdf, 'pdf');
  // Timed, not asserted: timings belong to the benchmarks (house style).
  t.diagnostic(`PDF read in ${Math.round(second - first)} ms, then in ${Math.round(performance.now() - second)} ms`);
  assert.deepEqual(again, once);
});
