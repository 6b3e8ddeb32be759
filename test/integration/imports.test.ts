import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { databaseTargets, type TestDatabase } from '../helpers/databases.ts';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/platform/db/database.ts';
import type { AppContext } from '../../src/features/context.ts';
import type { PlanDraft } from '../../src/features/imports/drafts.ts';
import { COMMAND_LINE, personImporting } from '../../src/features/imports/importer.ts';
import { ImportRejected } from '../../src/features/imports/errors.ts';
import {
  confirmImport,
  importPlanNow,
  importReportNow,
  loadImport,
  readPlan,
  startPlanImport,
  startReportImport,
} from '../../src/features/imports/imports.service.ts';
import { applyPlan } from '../../src/features/imports/plan-import-write.ts';
import { createUser } from '../helpers/people.ts';
import type { DemoDataset } from '../../src/features/demo/data/dataset-types.ts';

/*
 * The import services on a real database: a CQC report becomes a review, an existing plan is
 * laid over it, importing again changes nothing, and a failure part-way leaves nothing behind.
 */

const fixtures = path.resolve(import.meta.dirname, '../fixtures');
const fixture = (name: string) => ({
  fileName: name,
  content: new Uint8Array(fs.readFileSync(path.join(fixtures, name))),
});
const published = JSON.parse(
  fs.readFileSync(path.resolve(import.meta.dirname, '../../src/features/demo/data/rotherham-2015.json'), 'utf8'),
) as DemoDataset;
const publishedActions = published.recommendations.reduce((n, r) => n + r.actions.length, 0);

const TABLES = [
  'organisations',
  'reviews',
  'review_organisations',
  'findings',
  'recommendation_groups',
  'recommendation_group_organisations',
  'recommendations',
  'finding_recommendations',
  'actions',
  'action_organisations',
  'progress_updates',
  'rating_events',
  'memberships',
  'audit_events',
  'imports',
  'blobs',
] as const;

async function countRows(db: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = row.n;
  }
  return counts;
}

for (const target of databaseTargets) {
  describe(`importing a CQC report and an existing plan on ${target.name}`, () => {
    let database: TestDatabase;
    let ctx: AppContext;
    let db: Db;

    before(async () => {
      database = await target.open();
      db = database.handle.db;
      const config = loadConfig({ LOG_LEVEL: 'silent', CLASP_DATA_DIR: '/nonexistent/clasp-test-data' });
      ctx = { db, config, staleDays: 90, now: () => new Date(), today: () => '2026-11-30' };
    });
    after(async () => {
      await database.dispose();
    });

    let reviewId = 0;

    it('makes a review from the report, matching organisations Clasp already knows', async () => {
      // Known under its full name; the report calls it "Rotherham CCG".
      await db
        .insertInto('organisations')
        .values({
          name: 'NHS Rotherham Clinical Commissioning Group',
          short_name: 'Rotherham CCG',
          kind: 'commissioner',
          created_at: '2026-11-30T00:00:00Z',
        })
        .execute();
      const coordinatorId = await createUser(db, { name: 'Report Importer', isAdmin: true });
      const actor = {
        userId: coordinatorId,
        name: 'Report Importer',
        email: 'importer@example.invalid',
        isAdmin: true,
        memberships: [],
      };
      const importId = await startReportImport(ctx, personImporting(actor), fixture('rotherham-2015-cqc-report.docx'));
      const view = await loadImport(ctx, personImporting(actor), importId);
      assert.equal(view.kind, 'report');
      assert.deepEqual(view.preview.counts.recommendations, 24);
      assert.equal(view.preview.counts.groups, 4);
      assert.equal(view.preview.counts.findings, 123);
      const ccg = view.preview.organisations.find(
        (o) => o.existing?.name === 'NHS Rotherham Clinical Commissioning Group',
      );
      assert.ok(ccg, 'the CCG in the report is matched to the one Clasp knows');
      assert.equal(view.preview.received, '2015-07-14');
      assert.equal(view.preview.planDue, '2015-08-11', 'due 20 working days after publication');
      // Nothing of the review exists until it is confirmed.
      assert.equal((await db.selectFrom('reviews').select('id').execute()).length, 0);

      const done = await confirmImport(ctx, personImporting(actor), importId, '2015-07-14');
      assert.equal(done.kind, 'report');
      reviewId = done.reviewId;
      const recs = await db
        .selectFrom('recommendations')
        .select(['number', 'text'])
        .where('review_id', '=', reviewId)
        .orderBy('position')
        .execute();
      assert.deepEqual(
        recs.map((r) => r.number),
        published.recommendations.map((r) => r.number),
      );
      const groups = await db
        .selectFrom('recommendation_groups')
        .select(['number', 'heading'])
        .where('review_id', '=', reviewId)
        .orderBy('number')
        .execute();
      assert.deepEqual(
        groups.map((g) => g.number),
        [1, 2, 3, 4],
      );
      const ccgs = await db.selectFrom('organisations').select('id').where('kind', '=', 'commissioner').execute();
      assert.equal(ccgs.length, 1, 'no second Rotherham CCG was made');
      const review = await db.selectFrom('reviews').selectAll().where('id', '=', reviewId).executeTakeFirstOrThrow();
      assert.equal(review.area, 'Rotherham');
      assert.equal(review.review_start, '2015-02-23');
      assert.equal(review.review_end, '2015-02-27');
      assert.equal(review.report_published, '2015-07-14');
      const lead = await db
        .selectFrom('organisations')
        .select('name')
        .where('id', '=', review.lead_organisation_id ?? 0)
        .executeTakeFirstOrThrow();
      assert.equal(lead.name, 'NHS Rotherham Clinical Commissioning Group');
      const member = await db
        .selectFrom('memberships')
        .select('role')
        .where('review_id', '=', reviewId)
        .where('user_id', '=', coordinatorId)
        .executeTakeFirstOrThrow();
      assert.equal(member.role, 'coordinator', 'whoever imports the report coordinates the review');
      const pointers = published.findings.reduce((n, f) => n + new Set(f.recommendations).size, 0);
      const links = await db
        .selectFrom('finding_recommendations')
        .innerJoin('findings', 'findings.id', 'finding_recommendations.finding_id')
        .select('findings.id')
        .where('findings.review_id', '=', reviewId)
        .execute();
      assert.equal(links.length, pointers);
    });

    it('does not import the same report twice', async () => {
      const before = await countRows(db);
      const again = await importReportNow(ctx, COMMAND_LINE, fixture('rotherham-2015-cqc-report.pdf'), null);
      // The PDF is another file, so it is not the same import: it is a second review.
      assert.ok(again.imported);
      const sameFile = await importReportNow(ctx, COMMAND_LINE, fixture('rotherham-2015-cqc-report.pdf'), null);
      assert.equal(sameFile.imported, null);
      assert.equal(sameFile.preview.alreadyImportedAs?.id, again.imported.reviewId);
      const after = await countRows(db);
      assert.equal(after.reviews, (before.reviews ?? 0) + 1);
    });

    it('lays the published plan over the review, and a second import changes nothing', async () => {
      const revision = async () =>
        (await db.selectFrom('reviews').select('plan_revision').where('id', '=', reviewId).executeTakeFirstOrThrow())
          .plan_revision;
      const revisionBefore = await revision();
      const first = await importPlanNow(
        ctx,
        COMMAND_LINE,
        reviewId,
        fixture('rotherham-2015-hwb-paper-and-action-plan.docx'),
      );
      assert.ok(first.imported, 'the first import writes');
      // Caches of the plan are keyed by its revision: one transaction of thousands of rows must still change it.
      assert.ok((await revision()) > revisionBefore, 'the import changed the plan revision');
      assert.equal(first.changes.counts.recommendationsMatched, 24);
      assert.equal(first.changes.counts.recommendationsNew, 0);
      assert.equal(first.changes.counts.actionsNew, publishedActions);
      const actions = await db
        .selectFrom('actions')
        .select(['id', 'action_text', 'date_words'])
        .where('review_id', '=', reviewId)
        .execute();
      assert.equal(actions.length, publishedActions);
      const rec = published.recommendations.find((r) => r.number === '1.1');
      assert.ok(rec);
      const stored = await db
        .selectFrom('recommendations')
        .select(['outcome', 'anticipated_evidence', 'id'])
        .where('review_id', '=', reviewId)
        .where('number', '=', '1.1')
        .executeTakeFirstOrThrow();
      assert.ok(stored.outcome.length > 0, 'the outcome is brought in');
      // The plan's progress is undated; it was written once the plan was due (11 August 2015),
      // not on the day of the import, which would make every action look freshly updated.
      const progress = await db
        .selectFrom('progress_updates')
        .select(['progress_on', 'author_name', 'text'])
        .where('review_id', '=', reviewId)
        .execute();
      assert.ok(progress.length > 0);
      for (const p of progress)
        assert.ok(p.progress_on <= '2015-12-31', `progress dated ${p.progress_on}: ${p.text.slice(0, 60)}`);
      assert.ok(progress.some((p) => p.progress_on === '2015-08-11' && /undated in the file/.test(p.author_name)));
      const linked = await db
        .selectFrom('action_organisations')
        .innerJoin('actions', 'actions.id', 'action_organisations.action_id')
        .select('actions.id')
        .distinct()
        .where('actions.review_id', '=', reviewId)
        .execute();
      // Agency cells name organisations by abbreviations ("RCCG", "TRFT", "RDaSH"): most actions are linked to theirs.
      // The rest name teams or bodies the report does not ("Looked After Children's Team", "CAMHS", "RMBC").
      assert.ok(
        linked.length >= publishedActions * 0.7,
        `${linked.length} of ${publishedActions} actions linked to an organisation`,
      );
      assert.ok(stored.anticipated_evidence.length > 0, 'the anticipated evidence is brought in');

      const before = await countRows(db);
      const second = await importPlanNow(
        ctx,
        COMMAND_LINE,
        reviewId,
        fixture('rotherham-2015-hwb-paper-and-action-plan.docx'),
      );
      assert.equal(second.imported, null, 'nothing to write the second time');
      assert.equal(second.changes.nothingToDo, true);
      assert.equal(second.changes.counts.actionsPresent, publishedActions);
      assert.deepEqual(await countRows(db), before, 'no table changed');
    });

    it('brings a flat spreadsheet plan into a review, making the recommendations it lacks with a warning', async () => {
      const ws = await importReportNow(ctx, COMMAND_LINE, fixture('rotherham-2015-cqc-report.md'), null);
      assert.ok(ws.imported);
      const target = ws.imported.reviewId;
      const draft = await readPlan(ctx.config, fixture('west-sussex-2016-action-plan.xlsx'));
      // Another area's plan, so it is confirmed as this review's on purpose (safe-imports.test.ts tests the refusal).
      const result = await importPlanNow(ctx, COMMAND_LINE, target, fixture('west-sussex-2016-action-plan.xlsx'), [], {
        acceptMismatch: true,
      });
      assert.ok(result.imported);
      const fileActions = draft.recommendations.reduce((n, r) => n + r.actions.length, 0);
      const stored = await db.selectFrom('actions').select('id').where('review_id', '=', target).execute();
      assert.equal(stored.length, fileActions);
      const lacking = draft.recommendations.filter(
        (r) => !published.recommendations.some((p) => p.number === r.number),
      );
      assert.equal(result.changes.counts.recommendationsNew, lacking.length);
      if (lacking.length) {
        const warning = result.changes.warnings.find((w) => /not in the review/.test(w));
        assert.ok(warning, 'one warning lists the recommendations that will be added');
        for (const r of lacking) assert.match(warning, new RegExp(`\\b${r.number.replace('.', '\\.')}\\b`));
      }
      const before = await countRows(db);
      const again = await importPlanNow(ctx, COMMAND_LINE, target, fixture('west-sussex-2016-action-plan.xlsx'));
      assert.equal(again.imported, null);
      assert.deepEqual(await countRows(db), before);
    });

    it('writes nothing at all when a step fails part-way', async () => {
      const before = await countRows(db);
      // A draft that goes wrong only at its last write: a rating the database refuses.
      const draft: PlanDraft = {
        groups: [],
        columns: [],
        unplaced: [],
        warnings: [],
        recommendations: [
          {
            number: '9.1',
            text: 'A recommendation the review lacks',
            group: '9',
            outcomes: ['An outcome'],
            findings: [],
            anticipatedEvidence: null,
            actions: [
              {
                text: 'An action',
                agency: null,
                lead: 'A lead',
                responsibleOfficer: null,
                assurance: null,
                measure: null,
                due: { text: 'Mar-17', date: '2017-03-31' },
                rating: 'purple' as never,
                progress: [{ date: '2016-10-12', text: 'Started' }],
                source: 'row 1',
              },
            ],
          },
        ],
      };
      await assert.rejects(
        db.transaction().execute((trx) =>
          applyPlan(trx, reviewId, draft, {
            fileName: 'broken.xlsx',
            who: COMMAND_LINE,
            now: new Date().toISOString(),
            today: '2026-11-30',
            undatedOn: '2026-11-30',
            importId: null,
          }),
        ),
      );
      assert.deepEqual(
        await countRows(db),
        before,
        'the group, recommendation, action and progress were all rolled back',
      );
      const revisions = await db.selectFrom('reviews').select(['id', 'plan_revision']).orderBy('id').execute();
      const failedAgain = db.transaction().execute((trx) =>
        applyPlan(trx, reviewId, draft, {
          fileName: 'broken.xlsx',
          who: COMMAND_LINE,
          now: new Date().toISOString(),
          today: '2026-11-30',
          undatedOn: '2026-11-30',
          importId: null,
        }),
      );
      await assert.rejects(failedAgain);
      assert.deepEqual(
        await db.selectFrom('reviews').select(['id', 'plan_revision']).orderBy('id').execute(),
        revisions,
        'a rolled-back import leaves the revision as it was',
      );
    });

    it('refuses a plan import from someone who does not coordinate the review, before reading the file', async () => {
      const viewerId = await createUser(db, { name: 'A Viewer' });
      const actor = {
        userId: viewerId,
        name: 'A Viewer',
        email: 'viewer@example.invalid',
        isAdmin: false,
        memberships: [{ reviewId, organisationId: 1, role: 'viewer' as const }],
      };
      await assert.rejects(
        startPlanImport(ctx, personImporting(actor), reviewId, fixture('west-sussex-2016-action-plan.xlsx')),
        /coordinators/,
      );
      const outsider = { ...actor, memberships: [] };
      await assert.rejects(
        startPlanImport(ctx, personImporting(outsider), reviewId, fixture('west-sussex-2016-action-plan.xlsx')),
        /no review/,
      );
    });

    it('turns away a file that is not a report, with a message and nothing written', async () => {
      const before = await countRows(db);
      await assert.rejects(
        importReportNow(
          ctx,
          COMMAND_LINE,
          {
            fileName: 'notes.txt',
            content: new TextEncoder().encode('Minutes of the meeting.\nNothing numbered here.\n'),
          },
          null,
        ),
        (error: unknown) => error instanceof ImportRejected && /recommendation/i.test(error.message),
      );
      await assert.rejects(
        importPlanNow(ctx, COMMAND_LINE, reviewId, { fileName: 'empty.xlsx', content: new Uint8Array() }),
        (error: unknown) => error instanceof ImportRejected && /empty/i.test(error.message),
      );
      assert.deepEqual(await countRows(db), before);
    });
  });
}
