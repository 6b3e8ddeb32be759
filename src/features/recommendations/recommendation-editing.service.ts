import { NotFoundError } from '../../platform/http/errors.ts';
import { formText } from '../../platform/http/form-bodies.ts';
import { FormErrors, readText, readVersion } from '../../platform/forms.ts';
import { recordAudit } from '../../platform/audit.ts';
import type { Actor } from '../../domain/permissions.ts';
import type { ReviewRow } from '../../platform/db/schema.ts';
import type { ReviewsContext } from '../reviews/reviews.service.ts';
import {
  auditActor,
  fieldsFromSnapshot,
  invalid,
  keepInNumberOrder,
  readId,
  requireCoordinator,
  updateWithVersion,
  type FieldSpec,
  type Fields,
  type SaveOutcome,
} from '../reviews/plan-edits.service.ts';
import {
  findRecommendation,
  findRecommendationById,
  insertRecommendation,
  listActionsArchivedAt,
  listGroups,
  listRecommendationPositions,
  setActionArchived,
  setRecommendationArchived,
  setRecommendationPosition,
  updateRecommendationAtVersion,
  type RecommendationValues,
} from './recommendation-editing.repository.ts';

/* Recommendations: add, edit, archive and restore. */

export type RecommendationSnapshot = {
  number: string;
  groupId: number | null;
  text: string;
  outcome: string;
  anticipatedEvidence: string;
  assurance: string;
  responsibleOfficer: string;
};

type Group = Awaited<ReturnType<typeof listGroups>>[number];

const RECOMMENDATION_NUMBER = /^\d{1,3}(\.\d{1,3}){1,3}$/;

function recommendationFields(groups: readonly Group[]): FieldSpec[] {
  return [
    { key: 'number', label: 'Number' },
    {
      key: 'groupId',
      label: 'Group',
      show: (v) => {
        const g = groups.find((x) => x.id === v);
        return g ? `Group ${g.number}: ${g.heading}` : 'Not given';
      },
    },
    { key: 'text', label: 'Recommendation' },
    { key: 'outcome', label: 'Outcome' },
    { key: 'anticipatedEvidence', label: 'Anticipated evidence' },
    { key: 'assurance', label: 'Assurance' },
    { key: 'responsibleOfficer', label: 'Responsible officer' },
  ];
}

type RecommendationRow = NonNullable<Awaited<ReturnType<typeof findRecommendation>>>;

function snapshotOf(r: RecommendationRow): RecommendationSnapshot {
  return {
    number: r.number,
    groupId: r.group_id,
    text: r.text,
    outcome: r.outcome,
    anticipatedEvidence: r.anticipated_evidence,
    assurance: r.assurance,
    responsibleOfficer: r.responsible_officer,
  };
}

function valuesOf(s: RecommendationSnapshot, groupId: number): RecommendationValues {
  return {
    group_id: groupId,
    number: s.number,
    text: s.text,
    outcome: s.outcome,
    anticipated_evidence: s.anticipatedEvidence,
    assurance: s.assurance,
    responsible_officer: s.responsibleOfficer,
  };
}

/** Recommendation numbers are stored without a trailing dot: "1.1." is 1.1. */
export function normaliseRecommendationNumber(raw: string): string {
  return raw.trim().replace(/\.$/, '');
}

async function readRecommendation(
  ctx: ReviewsContext,
  reviewId: number,
  body: unknown,
  groups: readonly Group[],
  recommendationId: number | null,
): Promise<{ values: RecommendationSnapshot; errors: FormErrors }> {
  const errors = new FormErrors();
  const number = normaliseRecommendationNumber(formText(body, 'number'));
  if (!number) errors.add('number', 'Enter the recommendation number, for example 1.1');
  else if (!RECOMMENDATION_NUMBER.test(number)) errors.add('number', 'Recommendation number must be like 1.1');
  else {
    const taken = await findRecommendation(ctx.db, reviewId, number);
    if (taken && taken.id !== recommendationId) {
      errors.add(
        'number',
        `Recommendation ${number} already exists in this ` +
          `review${taken.archived_at ? ' (it is archived: restore it instead)' : ''}`,
      );
    }
  }
  const groupId = readId(body, 'groupId');
  if (groupId === null || !groups.some((g) => g.id === groupId))
    errors.add('groupId', 'Select the recommendation group');
  const text = readText(body, 'text', errors, {
    required: 'Enter the recommendation',
    max: 5000,
    label: 'The recommendation',
  });
  const outcome = readText(body, 'outcome', errors, { max: 5000, label: 'The outcome' });
  const anticipatedEvidence = readText(body, 'anticipatedEvidence', errors, {
    max: 5000,
    label: 'The anticipated evidence',
  });
  const assurance = readText(body, 'assurance', errors, { max: 5000, label: 'The assurance' });
  const responsibleOfficer = readText(body, 'responsibleOfficer', errors, {
    max: 200,
    label: 'The responsible officer',
  });
  return { errors, values: { number, groupId, text, outcome, anticipatedEvidence, assurance, responsibleOfficer } };
}

export interface RecommendationForm {
  review: ReviewRow;
  groups: Group[];
  fields: Fields;
  version: number | null;
  number: string | null;
}

export async function newRecommendationForm(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
): Promise<RecommendationForm> {
  const review = await requireCoordinator(ctx, actor, reviewId);
  const groups = await listGroups(ctx.db, reviewId);
  // With one group there is nothing to choose.
  const only = groups.length === 1 ? groups[0] : undefined;
  return { review, groups, fields: only ? { groupId: String(only.id) } : {}, version: null, number: null };
}

export async function createRecommendation(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  body: unknown,
): Promise<SaveOutcome<{ id: number; version: number } & RecommendationSnapshot>> {
  await requireCoordinator(ctx, actor, reviewId);
  const groups = await listGroups(ctx.db, reviewId);
  const { values, errors } = await readRecommendation(ctx, reviewId, body, groups, null);
  const { groupId } = values;
  if (errors.any || groupId === null) return invalid(errors);
  const id = await ctx.db.transaction().execute(async (trx) => {
    const newId = await insertRecommendation(trx, reviewId, valuesOf(values, groupId));
    await keepInNumberOrder(await listRecommendationPositions(trx, reviewId), (rid, position) =>
      setRecommendationPosition(trx, rid, position),
    );
    await recordAudit(
      trx,
      {
        ...auditActor(actor),
        reviewId,
        entityType: 'recommendation',
        entityId: newId,
        action: 'created',
        after: { ...values, version: 1 },
      },
      ctx.now(),
    );
    return newId;
  });
  return { ok: true, saved: { id, version: 1, ...values } };
}

async function loadLiveRecommendation(
  ctx: ReviewsContext,
  reviewId: number,
  number: string,
): Promise<RecommendationRow> {
  const found = await findRecommendation(ctx.db, reviewId, number);
  if (!found || found.archived_at !== null)
    throw new NotFoundError(`Review ${reviewId} has no recommendation ${number}`);
  return found;
}

export async function editRecommendationForm(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  number: string,
): Promise<RecommendationForm> {
  const review = await requireCoordinator(ctx, actor, reviewId);
  const [recommendation, groups] = await Promise.all([
    loadLiveRecommendation(ctx, reviewId, number),
    listGroups(ctx.db, reviewId),
  ]);
  return {
    review,
    groups,
    fields: fieldsFromSnapshot(snapshotOf(recommendation)),
    version: recommendation.version,
    number: recommendation.number,
  };
}

export async function updateRecommendation(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  number: string,
  body: unknown,
): Promise<SaveOutcome<{ id: number; version: number } & RecommendationSnapshot>> {
  await requireCoordinator(ctx, actor, reviewId);
  const recommendation = await loadLiveRecommendation(ctx, reviewId, number);
  const groups = await listGroups(ctx.db, reviewId);
  const { values, errors } = await readRecommendation(ctx, reviewId, body, groups, recommendation.id);
  const outcome = await updateWithVersion(ctx, {
    actor,
    subject: { entityType: 'recommendation', entityId: recommendation.id, what: 'recommendation', reviewId },
    openedVersion: readVersion(body),
    errors,
    yours: values,
    fields: recommendationFields(groups),
    async load(db) {
      const row = await findRecommendationById(db, recommendation.id);
      return row && { version: row.version, snapshot: snapshotOf(row) };
    },
    async write(trx, version, old) {
      if (
        values.groupId === null ||
        !(await updateRecommendationAtVersion(trx, recommendation.id, version, valuesOf(values, values.groupId)))
      )
        return false;
      if (old.number !== values.number) {
        await keepInNumberOrder(await listRecommendationPositions(trx, reviewId), (rid, position) =>
          setRecommendationPosition(trx, rid, position),
        );
      }
      return true;
    },
  });
  return outcome.ok
    ? { ok: true, saved: { id: recommendation.id, ...values, version: outcome.saved.version } }
    : outcome;
}

export interface ArchiveQuestion {
  review: ReviewRow;
  number: string;
  text: string;
  archived: boolean;
  liveActions: number;
}

/** What the "archive recommendation" page asks about. */
export async function recommendationArchiveQuestion(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  number: string,
): Promise<ArchiveQuestion> {
  const review = await requireCoordinator(ctx, actor, reviewId);
  const recommendation = await findRecommendation(ctx.db, reviewId, number);
  if (!recommendation) throw new NotFoundError(`Review ${reviewId} has no recommendation ${number}`);
  const live = await listActionsArchivedAt(ctx.db, recommendation.id, null);
  return {
    review,
    number: recommendation.number,
    text: recommendation.text,
    archived: recommendation.archived_at !== null,
    liveActions: live.length,
  };
}

/**
 * Archives a recommendation with its live actions, all at one instant: they stay in the
 * database and on the archive page, and drop out of roll-ups and exceptions. Restoring brings
 * back the actions archived with it, not those archived on their own before.
 */
export async function archiveRecommendation(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  number: string,
): Promise<{ archived: number }> {
  await requireCoordinator(ctx, actor, reviewId);
  const recommendation = await findRecommendation(ctx.db, reviewId, number);
  if (!recommendation) throw new NotFoundError(`Review ${reviewId} has no recommendation ${number}`);
  if (recommendation.archived_at !== null) return { archived: 0 };
  const time = ctx.now();
  const at = time.toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const actions = await listActionsArchivedAt(trx, recommendation.id, null);
    await setRecommendationArchived(trx, recommendation.id, at);
    const who = auditActor(actor);
    await recordAudit(
      trx,
      {
        ...who,
        reviewId,
        entityType: 'recommendation',
        entityId: recommendation.id,
        action: 'archived',
        before: { archivedAt: null },
        after: { archivedAt: at },
      },
      time,
    );
    for (const action of actions) {
      await setActionArchived(trx, action.id, at, at);
      await recordAudit(
        trx,
        {
          ...who,
          reviewId,
          actionId: action.id,
          entityType: 'action',
          entityId: action.id,
          action: 'archived',
          before: { archivedAt: null },
          after: { archivedAt: at, withRecommendation: recommendation.number },
        },
        time,
      );
    }
    return { archived: actions.length };
  });
}

export async function restoreRecommendation(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  number: string,
): Promise<{ restored: number }> {
  await requireCoordinator(ctx, actor, reviewId);
  const recommendation = await findRecommendation(ctx.db, reviewId, number);
  if (!recommendation) throw new NotFoundError(`Review ${reviewId} has no recommendation ${number}`);
  const archivedAt = recommendation.archived_at;
  if (archivedAt === null) return { restored: 0 };
  const time = ctx.now();
  const now = time.toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const actions = await listActionsArchivedAt(trx, recommendation.id, archivedAt);
    await setRecommendationArchived(trx, recommendation.id, null);
    const who = auditActor(actor);
    await recordAudit(
      trx,
      {
        ...who,
        reviewId,
        entityType: 'recommendation',
        entityId: recommendation.id,
        action: 'restored',
        before: { archivedAt },
        after: { archivedAt: null },
      },
      time,
    );
    for (const action of actions) {
      await setActionArchived(trx, action.id, null, now);
      await recordAudit(
        trx,
        {
          ...who,
          reviewId,
          actionId: action.id,
          entityType: 'action',
          entityId: action.id,
          action: 'restored',
          before: { archivedAt },
          after: { archivedAt: null, withRecommendation: recommendation.number },
        },
        time,
      );
    }
    return { restored: actions.length };
  });
}
