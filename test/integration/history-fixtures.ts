// Shared by the history tests: one of each kind of history row, written as the app writes them.
import { createHash } from 'node:crypto';
import { recordAudit } from '../../src/platform/audit.ts';
import type { Db } from '../../src/platform/db/database.ts';
import {
  addProgress,
  addRating,
  createAction,
  createGroup,
  createOrganisation,
  createRecommendation,
  createReview,
} from '../helpers/factories.ts';

export const HISTORY_TABLES = [
  'audit_events',
  'progress_updates',
  'rating_events',
  'rating_challenges',
  'due_date_changes',
  'withdrawals',
  'plan_versions',
] as const;

export interface History {
  reviewId: number;
  actionId: number;
  organisationId: number;
}

/**
 * A review with an action, a progress update (withdrawn), a rating, a challenge, a revised due
 * date, an issued version and audit events.
 */
export async function seedHistory(db: Db): Promise<History> {
  const organisationId = await createOrganisation(db);
  const reviewId = await createReview(db, { leadOrganisationId: organisationId });
  const groupId = await createGroup(db, reviewId, 1, [organisationId]);
  const recommendationId = await createRecommendation(db, { reviewId, groupId, number: '1.1' });
  const actionId = await createAction(db, { reviewId, recommendationId, organisationIds: [organisationId] });
  await addProgress(db, { reviewId, actionId, on: '2026-11-01', text: 'Audit done.', proposed: 'green' });
  await addRating(db, { reviewId, actionId, kind: 'agreed', rating: 'amber', on: '2026-11-02' });
  await db
    .insertInto('rating_challenges')
    .values({
      review_id: reviewId,
      action_id: actionId,
      rating: 'green',
      decided_on: '2026-11-03',
      user_id: null,
      actor_name: 'Peer challenge group',
      rationale: 'One ward only.',
      created_at: '2026-11-03T10:00:00.000Z',
    })
    .execute();
  await db
    .insertInto('due_date_changes')
    .values({
      review_id: reviewId,
      action_id: actionId,
      kind: 'proposed',
      proposal_id: null,
      from_date: '2027-03-31',
      to_date: '2027-06-30',
      reason: 'Audit delayed.',
      user_id: null,
      actor_name: 'Named nurse',
      organisation_id: organisationId,
      created_at: '2026-11-03T11:00:00.000Z',
    })
    .execute();
  const progress = await db
    .selectFrom('progress_updates')
    .select('id')
    .where('action_id', '=', actionId)
    .executeTakeFirstOrThrow();
  await db
    .insertInto('withdrawals')
    .values({
      review_id: reviewId,
      action_id: actionId,
      progress_update_id: progress.id,
      evidence_item_id: null,
      rating_event_id: null,
      reason: 'Posted on the wrong action.',
      user_id: null,
      actor_name: 'Named nurse',
      created_at: '2026-11-03T12:00:00.000Z',
    })
    .execute();
  const snapshot = JSON.stringify({ format: 1, plan: 'frozen' });
  await db
    .insertInto('plan_versions')
    .values({
      review_id: reviewId,
      number: '1',
      issued_on: '2026-11-04',
      author: 'Coordinator',
      purpose: 'cqc',
      action_text: 'Sent to CQC',
      comment: '',
      recipients: '',
      snapshot,
      snapshot_sha256: createHash('sha256').update(snapshot).digest('hex'),
      created_by_user_id: null,
      created_at: '2026-11-04T10:00:00.000Z',
    })
    .execute();
  await db.transaction().execute(async (trx) => {
    for (const action of ['created', 'changed', 'archived']) {
      await recordAudit(
        trx,
        { actor: 'Tester', reviewId, actionId, entityType: 'action', entityId: actionId, action, after: { action } },
        new Date('2026-11-05T10:00:00Z'),
      );
    }
  });
  return { reviewId, actionId, organisationId };
}

/** Each history table's column list and one row of it, to try writing a row back over itself. */
export async function firstRow(db: Db, table: (typeof HISTORY_TABLES)[number]): Promise<Record<string, unknown>> {
  const row = await db.selectFrom(table).selectAll().orderBy('id').limit(1).executeTakeFirstOrThrow();
  return row;
}
