import type { Db } from '../../platform/db/database.ts';

/*
 * Reverting a plan import: what it wrote is taken back out of the plan, without rewriting history.
 * Its actions, recommendations and groups are archived; progress, evidence and ratings it added to
 * actions that stay are withdrawn (with the reason); its links to findings and its assignments of
 * organisations are removed; the details it filled in on recommendations are emptied again.
 */

/** The ids of the imports of a review that were reverted: what they wrote is no longer in the plan. */
export function revertedImports(db: Db, reviewId: number) {
  return db.selectFrom('imports').select('id').where('review_id', '=', reviewId).where('reverted_at', 'is not', null);
}

export type RevertCounts = {
  actions: number;
  recommendations: number;
  groups: number;
  progress: number;
  evidence: number;
  ratings: number;
  findingLinks: number;
  detailsEmptied: number;
};

type Who = { userId: number | null; name: string };

/** Takes the import's writing back out of the review, in the caller's transaction. */
export async function takeImportBack(
  db: Db,
  o: { reviewId: number; importId: number; now: string; who: Who; reason: string; filled: FilledDetails[] },
): Promise<RevertCounts> {
  const { reviewId, importId, now } = o;
  const archive = async (table: 'actions' | 'recommendations' | 'recommendation_groups') =>
    Number(
      (
        await db
          .updateTable(table)
          .set((eb) => ({ archived_at: now, version: eb('version', '+', 1) }))
          .where('review_id', '=', reviewId)
          .where('import_id', '=', importId)
          .where('archived_at', 'is', null)
          .executeTakeFirst()
      ).numUpdatedRows,
    );
  const actions = await archive('actions');
  const recommendations = await archive('recommendations');
  const groups = await archive('recommendation_groups');

  // What it added to actions that stay in the plan is withdrawn, so the history still shows it was there.
  const staying = (table: 'progress_updates' | 'evidence_items' | 'rating_events') =>
    db
      .selectFrom(table)
      .innerJoin('actions', 'actions.id', `${table}.action_id`)
      .select([`${table}.id as id`, `${table}.action_id as action_id`])
      .where(`${table}.import_id`, '=', importId)
      .where((eb) => eb.or([eb('actions.import_id', 'is', null), eb('actions.import_id', '!=', importId)]))
      .execute();
  const withdrawn = { progress: 0, evidence: 0, ratings: 0 };
  const columns = {
    progress: 'progress_update_id',
    evidence: 'evidence_item_id',
    ratings: 'rating_event_id',
  } as const;
  for (const [kind, table] of [
    ['progress', 'progress_updates'],
    ['evidence', 'evidence_items'],
    ['ratings', 'rating_events'],
  ] as const) {
    const rows = await staying(table);
    if (!rows.length) continue;
    await db
      .insertInto('withdrawals')
      .values(
        rows.map((r) => ({
          review_id: reviewId,
          action_id: r.action_id,
          progress_update_id: null,
          evidence_item_id: null,
          rating_event_id: null,
          [columns[kind]]: r.id,
          reason: o.reason,
          user_id: o.who.userId,
          actor_name: o.who.name,
          created_at: now,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
    withdrawn[kind] = rows.length;
  }

  const findingLinks = Number(
    (await db.deleteFrom('finding_recommendations').where('import_id', '=', importId).executeTakeFirst())
      .numDeletedRows,
  );
  await db.deleteFrom('action_organisations').where('import_id', '=', importId).execute();

  let detailsEmptied = 0;
  for (const f of o.filled) {
    const set: Partial<Record<FilledDetails['fields'][number], string>> = {};
    for (const field of f.fields) set[field] = '';
    const done = await db
      .updateTable('recommendations')
      .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
      .where('id', '=', f.recommendationId)
      .where('review_id', '=', reviewId)
      .executeTakeFirst();
    detailsEmptied += Number(done.numUpdatedRows);
  }
  return { actions, recommendations, groups, ...withdrawn, findingLinks, detailsEmptied };
}

/** The details of a recommendation an import filled in, because they were empty. */
export type FilledDetails = {
  recommendationId: number;
  fields: ('outcome' | 'anticipated_evidence' | 'responsible_officer')[];
};

/**
 * Before a plan is laid over the review again: recommendations and groups archived when an import
 * was reverted come back when the new file gives their numbers (numbers are unique in a review, so
 * they cannot be made again).
 */
export async function restoreRevertedNumbers(
  db: Db,
  reviewId: number,
  numbers: { recommendations: string[]; groups: number[] },
  importId: number | null,
): Promise<void> {
  const reverted = revertedImports(db, reviewId);
  if (numbers.recommendations.length) {
    await db
      .updateTable('recommendations')
      .set((eb) => ({ archived_at: null, import_id: importId, version: eb('version', '+', 1) }))
      .where('review_id', '=', reviewId)
      .where('number', 'in', numbers.recommendations)
      .where('archived_at', 'is not', null)
      .where('import_id', 'in', reverted)
      .execute();
  }
  // A group comes back with any of its recommendations, or when the file gives its number.
  const holding = numbers.recommendations.length
    ? await db
        .selectFrom('recommendations')
        .select('group_id')
        .where('review_id', '=', reviewId)
        .where('number', 'in', numbers.recommendations)
        .where('archived_at', 'is', null)
        .execute()
    : [];
  const ids = [...new Set(holding.map((r) => r.group_id))];
  if (!ids.length && !numbers.groups.length) return;
  await db
    .updateTable('recommendation_groups')
    .set((eb) => ({ archived_at: null, import_id: importId, version: eb('version', '+', 1) }))
    .where('review_id', '=', reviewId)
    .where('archived_at', 'is not', null)
    .where('import_id', 'in', reverted)
    .where((eb) =>
      eb.or([
        ...(ids.length ? [eb('id', 'in', ids)] : []),
        ...(numbers.groups.length ? [eb('number', 'in', numbers.groups)] : []),
      ]),
    )
    .execute();
}
