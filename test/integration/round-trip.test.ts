import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config.ts';
import type { AppContext } from '../../src/features/context.ts';
import { loadDemo } from '../../src/features/demo/demo.service.ts';
import { writePlan, type PlanFormat } from '../../src/features/outputs/plan-documents/plan-documents.service.ts';
import { COMMAND_LINE } from '../../src/features/imports/importer.ts';
import { importPlanNow } from '../../src/features/imports/imports.service.ts';
import type { PlanSnapshot } from '../../src/domain/plan-snapshot.ts';
import { takeSnapshot } from '../../src/features/outputs/versions/take-snapshot.ts';
import { parse } from 'csv-parse/sync';
import { formatLongDate } from '../../src/domain/dates.ts';
import { databaseTargets, type TestDatabase } from '../helpers/databases.ts';
import { createReview } from '../helpers/factories.ts';

/*
 * The plan exported as Word, Excel and CSV and imported into an empty review with the
 * importer gives back the same recommendations, actions, dates, ratings and progress; and
 * exporting the imported plan again gives the same progress cells (no entry dated twice).
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

/** What the round trip must keep, per recommendation, in plan order. */
function planOf(s: PlanSnapshot, progressText: (p: { on: string; text: string }) => string) {
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
        progress: a.progress.map((p) => ({ on: p.on, text: progressText(p) })),
      })),
  }));
}

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
        const exported = await writePlan(demo, format);
        // An empty review of the same dates: due dates before a review began are not taken as due dates.
        const reviewId = await createReview(database.handle.db, {
          scale: 'BRAG',
          start: demo.review.reviewStart,
          published: demo.review.reportPublished,
        });
        const { imported, changes } = await importPlanNow(ctx, COMMAND_LINE, reviewId, {
          fileName: exported.fileName,
          content: new Uint8Array(exported.content),
        });
        assert.ok(imported, 'something was imported');
        assert.equal(changes.counts.recommendationsNew, 24);
        assert.equal(changes.counts.actionsNew, 93);

        const back = await takeSnapshot(ctx, READER, reviewId, '2026-11-23T09:00:00.000Z');
        // The importer keeps each progress entry as written, its date label included.
        assert.deepEqual(
          planOf(back, (p) => p.text),
          planOf(demo, (p) => `${formatLongDate(p.on)} – ${p.text}`),
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
