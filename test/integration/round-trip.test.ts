import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config.ts';
import type { AppContext } from '../../src/features/context.ts';
import { loadDemo } from '../../src/features/demo/demo.service.ts';
import { writePlan, type PlanFormat } from '../../src/features/outputs/plan-documents/plan-documents.service.ts';
import { COMMAND_LINE } from '../../src/features/imports/importer.ts';
import { importPlanNow } from '../../src/features/imports/imports.service.ts';
import type { PlanSnapshot, SnapshotEvidence } from '../../src/domain/plan-snapshot.ts';
import { takeSnapshot } from '../../src/features/outputs/versions/take-snapshot.ts';
import { parse } from 'csv-parse/sync';
import { formatLongDate } from '../../src/domain/dates.ts';
import { sql } from 'kysely';
import type { Db } from '../../src/platform/db/database.ts';
import { databaseTargets, type TestDatabase } from '../helpers/databases.ts';
import { createReview } from '../helpers/factories.ts';

/*
 * The plan exported as Word, Excel and CSV and imported into an empty review with the
 * importer gives back the same recommendations, actions, dates, ratings and progress, where
 * each rating stands (agreed by whom and when, proposed, disputed), the organisations taking
 * part and the evidence items (a file as a note naming it); and exporting the imported plan
 * again gives the same progress cells (no entry dated twice), and importing that into the same
 * review changes nothing.
 */

/** The Progress column of an exported CSV, row by row. */
function progressColumn(csv: Buffer): string[] {
  const rows = parse<Record<string, string>>(csv.toString('utf8').replace(/^\uFEFF/, ''), {
    columns: true,
    relax_column_count: false,
  });
  assert.ok(rows.length > 0 && 'Progress' in (rows[0] ?? {}), 'the CSV has a Progress column');
  return rows.map((r) => r.Progress ?? '');
}

const READER = { userId: 0, name: 'test', email: '', isAdmin: true, memberships: [] };

/** An evidence item as a round trip keeps it: a file comes back as a note naming the file. */
function evidenceOf(e: SnapshotEvidence) {
  return {
    kind: e.kind === 'file' ? 'note' : e.kind,
    title: e.title,
    effectiveOn: e.effectiveOn,
    periodStart: e.periodStart ?? null,
    url: e.url,
    note:
      e.kind === 'file'
        ? `File in the exported plan: ${e.fileName ?? ''}${e.sha256 ? ` (sha256 ${e.sha256})` : ''}`
        : e.note,
    status: e.status,
    statusReason: e.statusReason,
    statusBy: e.statusBy,
    statusOn: e.statusOn,
    addedBy: e.addedBy,
  };
}

/** What the round trip must keep, per recommendation, in plan order. */
function planOf(s: PlanSnapshot, progressText: (p: { on: string; text: string }) => string) {
  const organisations = new Map(s.organisations.map((o) => [o.id, o.name]));
  return s.recommendations.map((r) => ({
    number: r.number,
    text: r.text,
    outcome: r.outcome,
    actions: s.actions
      .filter((a) => a.recommendationId === r.id)
      .map((a) => ({
        agency: a.agency,
        action: a.action,
        lead: a.lead,
        dateWords: a.dateWords,
        dueDate: a.dueDate,
        rating: a.rating,
        ratingStatus: a.ratingStatus,
        agreedBy: a.agreedBy,
        agreedOn: a.agreedOn,
        disputed: a.disputed,
        takingPart: a.organisationIds.map((id) => organisations.get(id) ?? '?').sort(),
        evidence: a.evidence.map(evidenceOf),
        progress: a.progress.map((p) => ({ on: p.on, text: progressText(p) })),
      })),
  }));
}

/**
 * The demo as exported, with two more states a round trip must keep: a rating only proposed, and
 * a proposed rating that is disputed. Both actions have accepted evidence, so the exceptions for
 * unevidenced ratings are the demo's.
 */
function withProposals(demo: PlanSnapshot): PlanSnapshot {
  const copy = structuredClone(demo);
  const evidenced = copy.actions.filter(
    (a) => a.ratingStatus === 'agreed' && !a.disputed && a.evidence.some((e) => e.status === 'accepted'),
  );
  for (const [i, a] of evidenced.slice(0, 2).entries()) {
    a.ratingStatus = 'proposed';
    a.agreedBy = null;
    a.agreedOn = null;
    a.agreedAt = null;
    a.disputed = i === 1;
  }
  return copy;
}

/** For each table a plan import writes: the review's rows, and how many of them the import wrote. */
async function rowsByImport(db: Db, reviewId: number, importId: number) {
  const count = async (query: ReturnType<typeof sql<{ all: number | string; mine: number | string }>>) => {
    const row = (await query.execute(db)).rows[0];
    return { ofTheImport: Number(row?.mine ?? 0), all: Number(row?.all ?? 0) };
  };
  const counts = (table: string) =>
    count(sql`select count(*) as "all", sum(case when import_id = ${importId} then 1 else 0 end) as mine
      from ${sql.table(table)} where review_id = ${reviewId}`);
  const out: Record<string, { ofTheImport: number; all: number }> = {};
  for (const table of [
    'recommendation_groups',
    'recommendations',
    'actions',
    'progress_updates',
    'rating_events',
    'rating_challenges',
    'evidence_items',
  ])
    out[table] = await counts(table);
  out.action_organisations = await count(sql`select count(*) as "all",
      sum(case when ao.import_id = ${importId} then 1 else 0 end) as mine
    from action_organisations ao join actions a on a.id = ao.action_id where a.review_id = ${reviewId}`);
  for (const [table, n] of Object.entries(out)) assert.ok(n.all > 0, `the import wrote ${table}`);
  return out;
}

const unevidenced = (s: PlanSnapshot) => s.exceptions.filter((e) => e.kind === 'unevidenced').length;

// What the importer says of Clasp's own export, and nothing else: the recommendations and findings
// are not in the empty review, and the demo's first action names only a day before the review began.
const EXPECTED_WARNINGS = [
  /^24 recommendations are not in the review and will be added/,
  /^The file links recommendations to findings .* which the review does not have/,
  /^No due date: 6 November 2014 is before the review began/,
];

for (const target of databaseTargets) {
  describe(`the exported plan imported into an empty review, on ${target.name}`, () => {
    let database: TestDatabase;
    let ctx: AppContext;
    let demo: PlanSnapshot;

    before(async () => {
      database = await target.open();
      ctx = {
        db: database.handle.db,
        config: loadConfig({ LOG_LEVEL: 'silent', CLASP_DATA_DIR: '/nonexistent/clasp-test-data' }),
        staleDays: 90,
        now: () => new Date(),
        today: () => '2026-11-23',
      };
      const { reviewId } = await loadDemo(database.handle.db, new Date('2026-11-23T09:00:00Z'));
      demo = await takeSnapshot(ctx, READER, reviewId, '2026-11-23T09:00:00.000Z');
    });
    after(() => database.dispose());

    for (const format of ['docx', 'xlsx', 'csv'] as PlanFormat[]) {
      it(`gives back the same plan from ${format}`, async () => {
        const source = withProposals(demo);
        const exported = await writePlan(source, format);
        // An empty review of the same dates and organisations: due dates before a review began are
        // not taken as due dates, and the organisations taking part are matched to the review's.
        const reviewId = await createReview(database.handle.db, {
          scale: 'BRAG',
          area: demo.review.area,
          start: demo.review.reviewStart,
          published: demo.review.reportPublished,
          coveredOrganisationIds: demo.organisations.map((o) => o.id),
        });
        const { imported, changes } = await importPlanNow(ctx, COMMAND_LINE, reviewId, {
          fileName: exported.fileName,
          content: new Uint8Array(exported.content),
        });
        assert.ok(imported, 'something was imported');
        assert.equal(changes.counts.recommendationsNew, 24);
        assert.equal(changes.counts.actionsNew, 93);
        assert.deepEqual(
          changes.warnings.filter((w) => !EXPECTED_WARNINGS.some((expected) => expected.test(w))),
          [],
          'no warning beyond the expected ones',
        );

        // Every row the import wrote says which import wrote it, so that it can be reverted.
        const { id: importId } = await database.handle.db
          .selectFrom('imports')
          .select('id')
          .where('review_id', '=', reviewId)
          .where('status', '=', 'imported')
          .executeTakeFirstOrThrow();
        for (const [table, written] of Object.entries(await rowsByImport(database.handle.db, reviewId, importId)))
          assert.deepEqual(written, { ofTheImport: written.all, all: written.all }, table);

        const back = await takeSnapshot(ctx, READER, reviewId, '2026-11-23T09:00:00.000Z');
        // The importer keeps each progress entry as written, its date label included.
        assert.deepEqual(
          planOf(back, (p) => p.text),
          planOf(source, (p) => `${formatLongDate(p.on)} – ${p.text}`),
        );
        // The groups come back with their headings, from the Word plan's heading rows and from the
        // "Addressed to" column of a table.
        assert.deepEqual(
          back.groups.map((g) => [g.number, g.heading]),
          source.groups.map((g) => [g.number, g.heading]),
        );
        assert.equal(unevidenced(back), unevidenced(demo), 'the same actions are rated without accepted evidence');
        assert.equal(
          back.actions.filter((a) => a.evidence.every((e) => e.status !== 'accepted')).length,
          demo.actions.filter((a) => a.evidence.every((e) => e.status !== 'accepted')).length,
        );

        // Exported again, every progress cell reads as it did the first time: no entry dated twice.
        const again = await writePlan(back, format);
        if (format === 'csv') assert.deepEqual(progressColumn(again.content), progressColumn(exported.content));
        const twice = await importPlanNow(ctx, COMMAND_LINE, reviewId, {
          fileName: again.fileName,
          content: new Uint8Array(again.content),
        });
        assert.equal(twice.imported, null, 'importing the re-exported plan into the same review changes nothing');
      });
    }
  });
}
