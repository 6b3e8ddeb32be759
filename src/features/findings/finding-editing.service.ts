import { NotFoundError } from '../../platform/http/errors.ts';
import { formText } from '../../platform/http/form-bodies.ts';
import { FormErrors, readText, readVersion } from '../../platform/forms.ts';
import { recordAudit } from '../../platform/audit.ts';
import type { Actor } from '../../domain/permissions.ts';
import type { FindingKind, ReviewRow } from '../../platform/db/schema.ts';
import type { ReviewsContext } from '../reviews/reviews.service.ts';
import {
  auditActor,
  invalid,
  keepInNumberOrder,
  readIds,
  requireCoordinator,
  updateWithVersion,
  type FieldSpec,
  type Fields,
  type SaveOutcome,
} from '../reviews/plan-edits.service.ts';
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

/** The sections of a CLAS report, in the order of the child's journey. */
export const FINDING_SECTIONS = [
  'Early help',
  'Children in need',
  'Child protection',
  'Looked after children',
  'Leadership and management',
  'Governance',
  'Training and supervision',
] as const;

export const KIND_WORDS: Record<FindingKind, string> = { concern: 'Concern', good_practice: 'Good practice' };

export type FindingSnapshot = {
  number: string;
  section: string;
  text: string;
  kind: FindingKind | null;
  publicHealth: boolean;
  recommendationIds: number[];
};

type Recommendation = Awaited<ReturnType<typeof listLiveRecommendations>>[number];

const FINDING_NUMBER = /^\d{1,3}(\.\d{1,3}){0,3}$/;

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

/** The form's fields for a finding: a section not in the list is "Other" with its words. */
function fieldsOf(s: FindingSnapshot): Fields {
  const listed = (FINDING_SECTIONS as readonly string[]).includes(s.section);
  return {
    number: s.number,
    section: listed ? s.section : 'other',
    sectionOther: listed ? '' : s.section,
    text: s.text,
    kind: s.kind ?? '',
    publicHealth: s.publicHealth ? 'yes' : '',
    recommendationIds: s.recommendationIds.map(String),
  };
}

/** Turns a section given as words (the JSON API) into the form's choice. */
export function sectionFields(section: string): Fields {
  return (FINDING_SECTIONS as readonly string[]).includes(section) || section === ''
    ? { section }
    : { section: 'other', sectionOther: section };
}

async function readFinding(
  ctx: ReviewsContext,
  reviewId: number,
  body: unknown,
  recommendations: readonly Recommendation[],
  findingId: number | null,
): Promise<{ values: FindingSnapshot; errors: FormErrors }> {
  const errors = new FormErrors();
  const number = formText(body, 'number').trim().replace(/\.$/, '');
  if (!number) errors.add('number', 'Enter the finding number, for example 3.19');
  else if (!FINDING_NUMBER.test(number)) errors.add('number', 'Finding number must be like 3.19 or 5.2.4');
  else {
    const taken = await findingNumberTaken(ctx.db, reviewId, number);
    if (taken !== undefined && taken !== findingId)
      errors.add('number', `Finding ${number} already exists in this review`);
  }
  // A name typed for another section counts even if "Another section" was not ticked.
  const choice = formText(body, 'section') || (formText(body, 'sectionOther').trim() ? 'other' : '');
  let section = '';
  if ((FINDING_SECTIONS as readonly string[]).includes(choice)) section = choice;
  else if (choice === 'other')
    section = readText(body, 'sectionOther', errors, {
      required: 'Enter the name of the section',
      max: 100,
      label: 'The section',
    });
  else errors.add('section', 'Select the section of the report');
  const text = readText(body, 'text', errors, { required: 'Enter the finding', max: 5000, label: 'The finding' });
  const kindChoice = formText(body, 'kind');
  const kind = kindChoice === 'concern' || kindChoice === 'good_practice' ? kindChoice : null;
  if (!kind) errors.add('kind', 'Select whether the finding is a concern or good practice');
  const publicHealth = formText(body, 'publicHealth') === 'yes';
  const chosen = readIds(body, 'recommendationIds');
  if (chosen.bad || chosen.ids.some((id) => !recommendations.some((r) => r.id === id)))
    errors.add('recommendationIds', 'Select recommendations from the list');
  return { errors, values: { number, section, text, kind, publicHealth, recommendationIds: chosen.ids } };
}

function valuesOf(s: FindingSnapshot, kind: FindingKind): FindingValues {
  return { number: s.number, section: s.section, text: s.text, kind, public_health: s.publicHealth ? 1 : 0 };
}

export interface FindingForm {
  review: ReviewRow;
  recommendations: Recommendation[];
  fields: Fields;
  version: number | null;
  number: string | null;
}

export async function newFindingForm(ctx: ReviewsContext, actor: Actor, reviewId: number): Promise<FindingForm> {
  const review = await requireCoordinator(ctx, actor, reviewId);
  return {
    review,
    recommendations: await listLiveRecommendations(ctx.db, reviewId),
    fields: {},
    version: null,
    number: null,
  };
}

export async function createFinding(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  body: unknown,
): Promise<SaveOutcome<{ id: number; version: number } & FindingSnapshot>> {
  await requireCoordinator(ctx, actor, reviewId);
  const recommendations = await listLiveRecommendations(ctx.db, reviewId);
  const { values, errors } = await readFinding(ctx, reviewId, body, recommendations, null);
  const { kind } = values;
  if (errors.any || kind === null) return invalid(errors);
  const id = await ctx.db.transaction().execute(async (trx) => {
    const newId = await insertFinding(trx, reviewId, valuesOf(values, kind));
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
  return { ok: true, saved: { id, version: 1, ...values } };
}

/**
 * A live finding as the form edits it. Links to archived recommendations are not offered as
 * choices and are left as they are by a save.
 */
async function loadFinding(ctx: ReviewsContext, reviewId: number, key: { number: string } | { id: number }) {
  const finding =
    'id' in key ? await findFindingById(ctx.db, reviewId, key.id) : await findFinding(ctx.db, reviewId, key.number);
  if (!finding) throw new NotFoundError(`Review ${reviewId} has no such finding`);
  const links = await listFindingLinks(ctx.db, finding.id);
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

export async function editFindingForm(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  number: string,
): Promise<FindingForm> {
  const review = await requireCoordinator(ctx, actor, reviewId);
  const [finding, recommendations] = await Promise.all([
    loadFinding(ctx, reviewId, { number }),
    listLiveRecommendations(ctx.db, reviewId),
  ]);
  return {
    review,
    recommendations,
    fields: fieldsOf(finding.snapshot),
    version: finding.version,
    number: finding.snapshot.number,
  };
}

export async function updateFinding(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  number: string,
  body: unknown,
): Promise<SaveOutcome<{ id: number; version: number } & FindingSnapshot>> {
  await requireCoordinator(ctx, actor, reviewId);
  const finding = await loadFinding(ctx, reviewId, { number });
  const recommendations = await listLiveRecommendations(ctx.db, reviewId);
  const { values, errors } = await readFinding(ctx, reviewId, body, recommendations, finding.id);
  const outcome = await updateWithVersion(ctx, {
    actor,
    subject: { entityType: 'finding', entityId: finding.id, what: 'finding', reviewId },
    openedVersion: readVersion(body),
    errors,
    yours: values,
    fields: findingFields(recommendations),
    load: async () => {
      const fresh = await loadFinding(ctx, reviewId, { id: finding.id }).catch(() => undefined);
      return fresh && { version: fresh.version, snapshot: fresh.snapshot };
    },
    async write(trx, version, old) {
      if (
        values.kind === null ||
        !(await updateFindingAtVersion(trx, finding.id, version, valuesOf(values, values.kind)))
      )
        return false;
      await replaceFindingLinks(trx, finding.id, old.recommendationIds, values.recommendationIds);
      if (old.number !== values.number) {
        await keepInNumberOrder(await listFindingPositions(trx, reviewId), (fid, position) =>
          setFindingPosition(trx, fid, position),
        );
      }
      return true;
    },
  });
  return outcome.ok ? { ok: true, saved: { id: finding.id, ...values, version: outcome.saved.version } } : outcome;
}
