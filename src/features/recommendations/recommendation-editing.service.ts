import type { Db, Trx } from '../../platform/db/database.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { FormInvalid } from '../../platform/form-schema.ts';
import { recordAudit } from '../../platform/audit.ts';
import type { Actor } from '../../domain/permissions.ts';
import type { ReviewRow } from '../../platform/db/schema.ts';
import type { ReviewsContext } from '../reviews/reviews.service.ts';
import {
  auditActor,
  keepInNumberOrder,
  requireCoordinator,
  saveVersioned,
  versionRule,
  type FieldSpec,
  type Versioned,
} from '../reviews/plan-edits.service.ts';
import {
  numberTakenMessage,
  type NumberHolder,
  type RecommendationCommand,
  type RecommendationRules,
  type RecommendationSnapshot,
} from './recommendations.forms.ts';
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

type Group = Awaited<ReturnType<typeof listGroups>>[number];

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

/** A recommendation as the form gives it: everything but the version it was opened at. */
type RecommendationValuesIn = Omit<RecommendationCommand, 'version'>;

function valuesOf(s: RecommendationValuesIn): RecommendationValues {
  return {
    group_id: s.groupId,
    number: s.number,
    text: s.text,
    outcome: s.outcome,
    anticipated_evidence: s.anticipatedEvidence,
    assurance: s.assurance,
    responsible_officer: s.responsibleOfficer,
  };
}

/** The recommendation of the review, other than `recommendationId`, that has this number. */
async function numberHolder(
  db: Db,
  reviewId: number,
  number: string,
  recommendationId: number | null,
): Promise<NumberHolder | undefined> {
  const holder = await findRecommendation(db, reviewId, number);
  return holder && holder.id !== recommendationId
    ? { id: holder.id, archived: holder.archived_at !== null }
    : undefined;
}

/** Refuses a number that another recommendation took after the form was checked. */
async function recheckNumber(trx: Trx, reviewId: number, number: string, recommendationId: number | null) {
  const holder = await numberHolder(trx, reviewId, number, recommendationId);
  if (holder) throw FormInvalid.of('number', numberTakenMessage(number, holder));
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

/** A recommendation under the stale-edit rule. */
function versioned(reviewId: number, recommendationId: number, groups: readonly Group[]) {
  return {
    subject: { entityType: 'recommendation', entityId: recommendationId, what: 'recommendation', reviewId },
    fields: recommendationFields(groups),
    async load(db: Db) {
      const row = await findRecommendationById(db, recommendationId);
      return row && { version: row.version, snapshot: snapshotOf(row) };
    },
  } satisfies Versioned<RecommendationSnapshot>;
}

/**
 * What a recommendation form is checked against, if this person coordinates the review: the
 * review's groups, the numbers of its other recommendations and, when changing a live
 * recommendation (by its number), its version.
 */
export async function recommendationRules(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  number: string | null = null,
): Promise<RecommendationRules> {
  await requireCoordinator(ctx, actor, reviewId);
  const recommendation = number === null ? null : await loadLiveRecommendation(ctx, reviewId, number);
  const groups = await listGroups(ctx.db, reviewId);
  const recommendationId = recommendation?.id ?? null;
  return {
    groupIds: groups.map((g) => g.id),
    numberHolder: (taken) => numberHolder(ctx.db, reviewId, taken, recommendationId),
    edit: recommendation ? versionRule(ctx.db, versioned(reviewId, recommendation.id, groups)) : undefined,
  };
}

export interface RecommendationForm {
  review: ReviewRow;
  groups: Group[];
  /** The recommendation's values saved now, or a new one's defaults. */
  values: Partial<RecommendationSnapshot>;
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
  return { review, groups, values: only ? { groupId: only.id } : {}, version: null, number: null };
}

export type SavedRecommendation = { id: number; version: number } & RecommendationValuesIn;

export async function createRecommendation(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  command: RecommendationCommand,
): Promise<SavedRecommendation> {
  await requireCoordinator(ctx, actor, reviewId);
  const { version: _opened, ...values } = command;
  const id = await ctx.db.transaction().execute(async (trx) => {
    await recheckNumber(trx, reviewId, values.number, null);
    const newId = await insertRecommendation(trx, reviewId, valuesOf(values));
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
  return { id, version: 1, ...values };
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
    values: snapshotOf(recommendation),
    version: recommendation.version,
    number: recommendation.number,
  };
}

export async function updateRecommendation(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  number: string,
  command: RecommendationCommand,
): Promise<SavedRecommendation> {
  await requireCoordinator(ctx, actor, reviewId);
  const recommendation = await loadLiveRecommendation(ctx, reviewId, number);
  const groups = await listGroups(ctx.db, reviewId);
  const { version: opened, ...values } = command;
  const saved = await saveVersioned(ctx, {
    ...versioned(reviewId, recommendation.id, groups),
    actor,
    openedVersion: opened,
    yours: values,
    recheck: (trx) => recheckNumber(trx, reviewId, values.number, recommendation.id),
    async write(trx, version, old) {
      if (!(await updateRecommendationAtVersion(trx, recommendation.id, version, valuesOf(values)))) return false;
      if (old.number !== values.number) {
        await keepInNumberOrder(await listRecommendationPositions(trx, reviewId), (rid, position) =>
          setRecommendationPosition(trx, rid, position),
        );
      }
      return true;
    },
  });
  return { id: recommendation.id, ...values, version: saved.version };
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
