import type { Db, Trx } from '../../platform/db/database.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { FormInvalid } from '../../platform/form-schema.ts';
import { recordAudit } from '../../platform/audit.ts';
import type { Actor } from '../../domain/permissions.ts';
import type { FindingKind, ReviewRow } from '../../platform/db/schema.ts';
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
import type { FindingCommand, FindingRules, FindingSnapshot } from './findings.forms.ts';
import {
  findFinding,
  findFindingById,
  findingNumberTaken,
  insertFinding,
  listFindingLinks,
  listFindingPositions,
  listLiveRecommendations,
  replaceFindingLinks,
  setFindingPosition,
  updateFindingAtVersion,
  type FindingValues,
} from './finding-editing.repository.ts';

/* Findings of the report: add and edit. */

const KIND_WORDS: Record<FindingKind, string> = { concern: 'Concern', good_practice: 'Good practice' };

type Recommendation = Awaited<ReturnType<typeof listLiveRecommendations>>[number];

function findingFields(recommendations: readonly Recommendation[]): FieldSpec[] {
  const number = (id: unknown) => recommendations.find((r) => r.id === id)?.number ?? `an archived recommendation`;
  return [
    { key: 'number', label: 'Number' },
    { key: 'section', label: 'Section' },
    { key: 'text', label: 'Finding' },
    {
      key: 'kind',
      label: 'Concern or good practice',
      show: (v) => (v === 'concern' || v === 'good_practice' ? KIND_WORDS[v] : 'Not given'),
    },
    { key: 'publicHealth', label: 'Brought to the attention of public health' },
    {
      key: 'recommendationIds',
      label: 'Recommendations',
      show: (v) => (Array.isArray(v) && v.length ? v.map(number).join(', ') : 'None'),
    },
  ];
}

/** A finding as the form gives it: everything but the version it was opened at. */
type FindingValuesIn = Omit<FindingCommand, 'version'>;

function valuesOf(s: FindingValuesIn): FindingValues {
  return { number: s.number, section: s.section, text: s.text, kind: s.kind, public_health: s.publicHealth ? 1 : 0 };
}

/** Whether a finding of the review other than `findingId` has this number. */
async function numberTaken(db: Db, reviewId: number, number: string, findingId: number | null): Promise<boolean> {
  const taken = await findingNumberTaken(db, reviewId, number);
  return taken !== undefined && taken !== findingId;
}

/** Refuses a number that another finding took after the form was checked. */
async function recheckNumber(trx: Trx, reviewId: number, number: string, findingId: number | null) {
  if (await numberTaken(trx, reviewId, number, findingId)) {
    throw FormInvalid.of('number', `Finding ${number} already exists in this review`);
  }
}

/**
 * A live finding as the form edits it. Links to archived recommendations are not offered as
 * choices and are left as they are by a save.
 */
async function loadFinding(db: Db, reviewId: number, key: { number: string } | { id: number }) {
  const finding =
    'id' in key ? await findFindingById(db, reviewId, key.id) : await findFinding(db, reviewId, key.number);
  if (!finding) return undefined;
  const links = await listFindingLinks(db, finding.id);
  const snapshot: FindingSnapshot = {
    number: finding.number,
    section: finding.section,
    text: finding.text,
    kind: finding.kind,
    publicHealth: finding.public_health === 1,
    recommendationIds: links
      .filter((l) => l.archived_at === null)
      .map((l) => l.id)
      .sort((a, b) => a - b),
  };
  return { id: finding.id, version: finding.version, snapshot };
}

async function existingFinding(ctx: ReviewsContext, reviewId: number, number: string) {
  const finding = await loadFinding(ctx.db, reviewId, { number });
  if (!finding) throw new NotFoundError(`Review ${reviewId} has no such finding`);
  return finding;
}

/** A finding under the stale-edit rule. */
function versioned(reviewId: number, findingId: number, recommendations: readonly Recommendation[]) {
  return {
    subject: { entityType: 'finding', entityId: findingId, what: 'finding', reviewId },
    fields: findingFields(recommendations),
    load: (db: Db) => loadFinding(db, reviewId, { id: findingId }),
  } satisfies Versioned<FindingSnapshot>;
}

/**
 * What a finding form is checked against, if this person coordinates the review: the review's
 * live recommendations, the numbers of its other findings and, when changing a finding (by its
 * number), its version.
 */
export async function findingRules(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  number: string | null = null,
): Promise<FindingRules> {
  await requireCoordinator(ctx, actor, reviewId);
  const finding = number === null ? null : await existingFinding(ctx, reviewId, number);
  const recommendations = await listLiveRecommendations(ctx.db, reviewId);
  const findingId = finding?.id ?? null;
  return {
    recommendationIds: recommendations.map((r) => r.id),
    numberTaken: (taken) => numberTaken(ctx.db, reviewId, taken, findingId),
    edit: finding ? versionRule(ctx.db, versioned(reviewId, finding.id, recommendations)) : undefined,
  };
}

export interface FindingForm {
  review: ReviewRow;
  recommendations: Recommendation[];
  /** The finding's values saved now; empty for a new finding. */
  values: Partial<FindingSnapshot>;
  version: number | null;
  number: string | null;
}

export async function newFindingForm(ctx: ReviewsContext, actor: Actor, reviewId: number): Promise<FindingForm> {
  const review = await requireCoordinator(ctx, actor, reviewId);
  return {
    review,
    recommendations: await listLiveRecommendations(ctx.db, reviewId),
    values: {},
    version: null,
    number: null,
  };
}

export type SavedFinding = { id: number; version: number } & FindingValuesIn;

export async function createFinding(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  command: FindingCommand,
): Promise<SavedFinding> {
  await requireCoordinator(ctx, actor, reviewId);
  const { version: _opened, ...values } = command;
  const id = await ctx.db.transaction().execute(async (trx) => {
    await recheckNumber(trx, reviewId, values.number, null);
    const newId = await insertFinding(trx, reviewId, valuesOf(values));
    await replaceFindingLinks(trx, newId, [], values.recommendationIds);
    await keepInNumberOrder(await listFindingPositions(trx, reviewId), (fid, position) =>
      setFindingPosition(trx, fid, position),
    );
    await recordAudit(
      trx,
      {
        ...auditActor(actor),
        reviewId,
        entityType: 'finding',
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

export async function editFindingForm(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  number: string,
): Promise<FindingForm> {
  const review = await requireCoordinator(ctx, actor, reviewId);
  const [finding, recommendations] = await Promise.all([
    existingFinding(ctx, reviewId, number),
    listLiveRecommendations(ctx.db, reviewId),
  ]);
  return {
    review,
    recommendations,
    values: finding.snapshot,
    version: finding.version,
    number: finding.snapshot.number,
  };
}

export async function updateFinding(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  number: string,
  command: FindingCommand,
): Promise<SavedFinding> {
  await requireCoordinator(ctx, actor, reviewId);
  const finding = await existingFinding(ctx, reviewId, number);
  const recommendations = await listLiveRecommendations(ctx.db, reviewId);
  const { version: opened, ...values } = command;
  const saved = await saveVersioned(ctx, {
    ...versioned(reviewId, finding.id, recommendations),
    actor,
    openedVersion: opened,
    yours: values,
    recheck: (trx) => recheckNumber(trx, reviewId, values.number, finding.id),
    async write(trx, version, old) {
      if (!(await updateFindingAtVersion(trx, finding.id, version, valuesOf(values)))) return false;
      await replaceFindingLinks(trx, finding.id, old.recommendationIds, values.recommendationIds);
      if (old.number !== values.number) {
        await keepInNumberOrder(await listFindingPositions(trx, reviewId), (fid, position) =>
          setFindingPosition(trx, fid, position),
        );
      }
      return true;
    },
  });
  return { id: finding.id, ...values, version: saved.version };
}
