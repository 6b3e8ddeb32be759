// The plans the outputs benchmark (bench/outputs.ts) writes, in one database per engine:
// - the national data set of bench/generate.ts, of which the review with the most actions
//   (then the most progress entries and evidence items) is "the largest plan";
// - a 400-action plan: the Rotherham report imported as a review, the 400-action Excel plan
//   of bench/generate-plan.ts imported over it (actions, dated progress, agreed ratings),
//   then evidence items and later rating proposals added here, seeded, as a year of
//   assurance meetings would leave them.
// Each plan also gets a frozen version, as issued for the last board three months before,
// so the board report has something to compare with (bench/outputs-previous.ts).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Insertable } from 'kysely';
import type { DatabaseHandle } from '../src/platform/db/database.ts';
import type { Database, EvidenceStatus, RatingValue } from '../src/platform/db/schema.ts';
import type { Actor } from '../src/domain/permissions.ts';
import { generate } from './generate.ts';
import { writePlanFiles } from './generate-plan.ts';
import { int, pick, seededRandom, weighted } from './random.ts';
import { previousVersionOf } from './outputs-previous.ts';

export const BENCH_ACTOR: Actor = { userId: 0, name: 'bench', email: '', isAdmin: true, memberships: [] };

export interface BenchPlan {
  key: 'national' | 'plan400';
  name: string;
  reviewId: number;
  /** The day the plan is assessed as at (overdue, stale). */
  today: string;
  counts: { recommendations: number; actions: number; progress: number; evidence: number; ratingEvents: number };
}

export interface PreparedData {
  plans: BenchPlan[];
  timings: Record<string, number>;
}

const REPORT_DOCX = path.join(
  path.dirname(path.dirname(fileURLToPath(import.meta.url))),
  'test',
  'fixtures',
  'rotherham-2015-cqc-report.docx',
);
const NATIONAL_TODAY = '2026-11-30';
// The generated Rotherham plan's progress runs from August 2015 to May 2016: a month after
// the last entry, a plan in its first year.
const PLAN400_TODAY = '2016-06-30';
/** The day the generated plan's work starts (bench/generate-plan.ts). */
const PLAN400_START = '2015-08-11';

async function timed<T>(timings: Record<string, number>, name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const value = await work();
  timings[name] = performance.now() - started;
  return value;
}

export async function prepareData(
  handle: DatabaseHandle,
  workDir: string,
  options: { reviews: number; actions: number },
): Promise<PreparedData> {
  const timings: Record<string, number> = {};
  await timed(timings, 'generate national data set', () => generate(handle, { reviews: options.reviews }));
  const largest = await largestReview(handle);
  const plan400 = await timed(timings, `import the ${options.actions}-action plan`, () =>
    importPlan(handle, workDir, options.actions),
  );
  await timed(timings, 'add evidence and proposals', () => addAssurance(handle, plan400, PLAN400_TODAY));
  const plans: BenchPlan[] = [
    {
      key: 'national',
      name: 'largest national plan',
      reviewId: largest,
      today: NATIONAL_TODAY,
      counts: await countsOf(handle, largest),
    },
    {
      key: 'plan400',
      name: `${options.actions}-action plan`,
      reviewId: plan400,
      today: PLAN400_TODAY,
      counts: await countsOf(handle, plan400),
    },
  ];
  await timed(timings, 'freeze the previous versions', async () => {
    for (const plan of plans) await freezePreviousVersion(handle, plan);
  });
  return { plans, timings };
}

/** The review with the most actions; ties go to the most progress and evidence, then the lowest id. */
async function largestReview(handle: DatabaseHandle): Promise<number> {
  const count = async (table: 'actions' | 'progress_updates' | 'evidence_items') =>
    new Map(
      (
        await handle.db
          .selectFrom(table)
          .select(['review_id', (eb) => eb.fn.countAll<number>().as('n')])
          .groupBy('review_id')
          .execute()
      ).map((r) => [r.review_id, r.n]),
    );
  const [actions, progress, evidence] = [
    await count('actions'),
    await count('progress_updates'),
    await count('evidence_items'),
  ];
  const size = (id: number): [number, number] => [
    actions.get(id) ?? 0,
    (progress.get(id) ?? 0) + (evidence.get(id) ?? 0),
  ];
  const ids = [...actions.keys()].sort((a, b) => size(b)[0] - size(a)[0] || size(b)[1] - size(a)[1] || a - b);
  if (ids[0] === undefined) throw new Error('The national data set has no actions.');
  return ids[0];
}

async function importPlan(handle: DatabaseHandle, workDir: string, actions: number): Promise<number> {
  const [{ loadConfig }, service, { COMMAND_LINE }] = await Promise.all([
    import('../src/config.ts'),
    import('../src/features/imports/imports.service.ts'),
    import('../src/features/imports/importer.ts'),
  ]);
  const config = loadConfig({ LOG_LEVEL: 'silent', CLASP_DATA_DIR: workDir });
  const ctx = { db: handle.db, config, staleDays: 90, now: () => new Date(), today: () => PLAN400_TODAY };
  const upload = (file: string) => ({ fileName: path.basename(file), content: new Uint8Array(fs.readFileSync(file)) });
  const report = await service.importReportNow(ctx, COMMAND_LINE, upload(REPORT_DOCX), null);
  const reviewId = report.imported?.reviewId;
  if (reviewId === undefined) throw new Error('The Rotherham report was not imported.');
  const files = await writePlanFiles(workDir, { actions });
  const plan = await service.importPlanNow(ctx, COMMAND_LINE, reviewId, upload(files.xlsx));
  if (!plan.imported) throw new Error('The generated plan was not imported.');
  return reviewId;
}

const EVIDENCE_TITLES = [
  'Audit report',
  'Training attendance figures',
  'Minutes of the peer challenge group',
  'Revised pathway',
  'Supervision records',
  'Case file audit',
  'Quarterly assurance report',
];
const PEOPLE = ['A. Patel', 'B. Jones', 'C. Okafor', 'D. Smith', 'E. Nowak'];

/** Evidence for about two actions in three, and a later proposal on one in seven, seeded. */
async function addAssurance(handle: DatabaseHandle, reviewId: number, today: string): Promise<void> {
  const rnd = seededRandom(20161130);
  const actions = await handle.db
    .selectFrom('actions')
    .select(['id'])
    .where('review_id', '=', reviewId)
    .orderBy('id')
    .execute();
  const evidence: Insertable<Database['evidence_items']>[] = [];
  const ratings: Insertable<Database['rating_events']>[] = [];
  const dayAfter = (from: string, days: number) =>
    new Date(Date.parse(from) + days * 86_400_000).toISOString().slice(0, 10);
  // Imported actions are dated the day of the import; the plan's work started when it was sent.
  const span = Math.round((Date.parse(today) - Date.parse(PLAN400_START)) / 86_400_000);
  for (const action of actions) {
    for (
      let e = weighted(rnd, [
        [0, 35],
        [1, 40],
        [2, 20],
        [3, 5],
      ] as const);
      e > 0;
      e--
    ) {
      const on = dayAfter(PLAN400_START, int(rnd, 20, span));
      const status = weighted<EvidenceStatus>(rnd, [
        ['accepted', 60],
        ['submitted', 30],
        ['rejected', 10],
      ]);
      const link = rnd() < 0.3;
      evidence.push({
        review_id: reviewId,
        action_id: action.id,
        kind: link ? 'link' : 'note',
        title: `${pick(rnd, EVIDENCE_TITLES)} (${on})`,
        effective_on: on,
        blob_sha256: null,
        file_name: null,
        media_type: null,
        size: null,
        url: link ? `https://intranet.example.nhs.uk/safeguarding/${action.id}-${e}` : null,
        note: link ? null : 'Seen by the peer challenge group; figures in the appendix.',
        status,
        status_reason: status === 'rejected' ? 'Does not show the change asked for.' : null,
        status_by_name: status === 'submitted' ? null : 'Peer challenge group',
        status_at: status === 'submitted' ? null : `${on}T16:00:00.000Z`,
        added_by_user_id: null,
        added_by_name: pick(rnd, PEOPLE),
        is_illustrative: 0,
        created_at: `${on}T11:00:00.000Z`,
      });
    }
    if (rnd() < 0.15) {
      const on = dayAfter(today, -int(rnd, 5, 60));
      const rating = pick(rnd, ['blue', 'green', 'amber', 'red'] as const satisfies readonly RatingValue[]);
      ratings.push({
        review_id: reviewId,
        action_id: action.id,
        kind: 'proposed',
        rating,
        decided_on: on,
        user_id: null,
        actor_name: pick(rnd, PEOPLE),
        rationale: 'Proposed with the latest update.',
        override_reason: null,
        is_illustrative: 0,
        created_at: `${on}T12:00:00.000Z`,
      });
    }
  }
  await handle.db.transaction().execute(async (trx) => {
    for (let i = 0; i < evidence.length; i += 200)
      await trx
        .insertInto('evidence_items')
        .values(evidence.slice(i, i + 200))
        .execute();
    for (let i = 0; i < ratings.length; i += 200)
      await trx
        .insertInto('rating_events')
        .values(ratings.slice(i, i + 200))
        .execute();
  });
}

async function countsOf(handle: DatabaseHandle, reviewId: number): Promise<BenchPlan['counts']> {
  const count = async (
    table: 'recommendations' | 'actions' | 'progress_updates' | 'evidence_items' | 'rating_events',
  ) =>
    (
      await handle.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('review_id', '=', reviewId)
        .executeTakeFirstOrThrow()
    ).n;
  return {
    recommendations: await count('recommendations'),
    actions: await count('actions'),
    progress: await count('progress_updates'),
    evidence: await count('evidence_items'),
    ratingEvents: await count('rating_events'),
  };
}

/** Stores a version as issued for the board three months before the plan's day, as "Issue a version" stores one. */
async function freezePreviousVersion(handle: DatabaseHandle, plan: BenchPlan): Promise<void> {
  const { takeSnapshot } = await import('../src/features/outputs/versions/take-snapshot.ts');
  const ctx = { db: handle.db, staleDays: 90, now: () => new Date(), today: () => plan.today };
  const now = await takeSnapshot(ctx, BENCH_ACTOR, plan.reviewId, `${plan.today}T09:00:00.000Z`);
  const previous = previousVersionOf(now, 91);
  const version = previous.version;
  if (!version) throw new Error('The previous version has no version row.');
  await handle.db
    .insertInto('plan_versions')
    .values({
      review_id: plan.reviewId,
      number: version.number,
      issued_on: version.issuedOn,
      author: version.author,
      purpose: version.purpose,
      action_text: version.actionText,
      comment: version.comment,
      recipients: version.recipients,
      snapshot: JSON.stringify(previous),
      created_by_user_id: null,
      created_at: previous.takenAt,
    })
    .execute();
}
