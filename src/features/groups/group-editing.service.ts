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
  listReviewOrganisations,
  organisationChoices,
  readIds,
  requireCoordinator,
  updateWithVersion,
  type FieldSpec,
  type Fields,
  type OrganisationOption,
  type SaveOutcome,
} from '../reviews/plan-edits.service.ts';
import {
  findGroup,
  findGroupIdByNumber,
  insertGroup,
  listGroupOrganisationIds,
  replaceGroupOrganisations,
  updateGroupAtVersion,
} from './groups.repository.ts';

/* Recommendation groups: "NHS Rotherham CCG and … should:" and the organisations addressed. */

export type GroupSnapshot = { number: number | null; heading: string; organisationIds: number[] };

function groupFields(organisations: readonly OrganisationOption[]): FieldSpec[] {
  const name = (id: unknown) => organisations.find((o) => o.id === id)?.name ?? `Organisation ${String(id)}`;
  return [
    { key: 'number', label: 'Group number' },
    { key: 'heading', label: 'Heading' },
    {
      key: 'organisationIds',
      label: 'Organisations addressed',
      show: (v) => (Array.isArray(v) && v.length ? v.map(name).join('; ') : 'None'),
    },
  ];
}

async function readGroup(
  ctx: ReviewsContext,
  reviewId: number,
  body: unknown,
  allowed: ReadonlySet<number>,
  groupId: number | null,
): Promise<{ values: GroupSnapshot; errors: FormErrors }> {
  const errors = new FormErrors();
  const rawNumber = formText(body, 'number').trim();
  let number: number | null = null;
  if (!rawNumber) errors.add('number', 'Enter the group number, for example 1');
  else if (!/^\d{1,3}$/.test(rawNumber) || Number(rawNumber) < 1)
    errors.add('number', 'Group number must be a whole number, like 2');
  else {
    number = Number(rawNumber);
    const taken = await findGroupIdByNumber(ctx.db, reviewId, number);
    if (taken !== undefined && taken !== groupId) errors.add('number', `Group ${number} already exists in this review`);
  }
  const heading = readText(body, 'heading', errors, {
    required: 'Enter the heading, for example NHS Rotherham CCG and The Rotherham NHS Foundation Trust should:',
    max: 500,
    label: 'The heading',
  });
  const chosen = readIds(body, 'organisationIds');
  if (chosen.bad || chosen.ids.some((id) => !allowed.has(id)))
    errors.add('organisationIds', 'Select organisations from the list');
  else if (chosen.ids.length === 0) errors.add('organisationIds', 'Select at least one organisation');
  return { errors, values: { number, heading, organisationIds: chosen.ids } };
}

export interface GroupForm {
  review: ReviewRow;
  organisations: OrganisationOption[];
  fields: Fields;
  version: number | null;
  groupId: number | null;
}

export async function newGroupForm(ctx: ReviewsContext, actor: Actor, reviewId: number): Promise<GroupForm> {
  const review = await requireCoordinator(ctx, actor, reviewId);
  return {
    review,
    organisations: await listReviewOrganisations(ctx.db, reviewId),
    fields: {},
    version: null,
    groupId: null,
  };
}

export async function createGroup(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  body: unknown,
): Promise<SaveOutcome<{ id: number } & GroupSnapshot>> {
  await requireCoordinator(ctx, actor, reviewId);
  const organisations = await listReviewOrganisations(ctx.db, reviewId);
  const { values, errors } = await readGroup(ctx, reviewId, body, new Set(organisations.map((o) => o.id)), null);
  const { number } = values;
  if (errors.any || number === null) return invalid(errors);
  const id = await ctx.db.transaction().execute(async (trx) => {
    const groupId = await insertGroup(trx, reviewId, { number, heading: values.heading });
    await replaceGroupOrganisations(trx, groupId, [], values.organisationIds);
    await recordAudit(
      trx,
      {
        ...auditActor(actor),
        reviewId,
        entityType: 'recommendation_group',
        entityId: groupId,
        action: 'created',
        after: { ...values, version: 1 },
      },
      ctx.now(),
    );
    return groupId;
  });
  return { ok: true, saved: { id, ...values } };
}

async function loadGroup(ctx: ReviewsContext, reviewId: number, groupId: number) {
  const group = await findGroup(ctx.db, reviewId, groupId);
  if (!group) throw new NotFoundError(`Review ${reviewId} has no recommendation group ${groupId}`);
  const organisationIds = await listGroupOrganisationIds(ctx.db, groupId);
  return {
    version: group.version,
    snapshot: { number: group.number, heading: group.heading, organisationIds } satisfies GroupSnapshot,
  };
}

export async function editGroupForm(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  groupId: number,
): Promise<GroupForm> {
  const review = await requireCoordinator(ctx, actor, reviewId);
  const group = await loadGroup(ctx, reviewId, groupId);
  const organisations = await organisationChoices(ctx.db, reviewId, group.snapshot.organisationIds);
  return { review, organisations, fields: fieldsFromSnapshot(group.snapshot), version: group.version, groupId };
}

export async function updateGroup(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  groupId: number,
  body: unknown,
): Promise<SaveOutcome<{ id: number; version: number } & GroupSnapshot>> {
  await requireCoordinator(ctx, actor, reviewId);
  const group = await loadGroup(ctx, reviewId, groupId);
  const organisations = await organisationChoices(ctx.db, reviewId, group.snapshot.organisationIds);
  const { values, errors } = await readGroup(ctx, reviewId, body, new Set(organisations.map((o) => o.id)), groupId);
  const outcome = await updateWithVersion(ctx, {
    actor,
    subject: { entityType: 'recommendation_group', entityId: groupId, what: 'recommendation group', reviewId },
    openedVersion: readVersion(body),
    errors,
    yours: values,
    fields: groupFields(organisations),
    load: () => loadGroup(ctx, reviewId, groupId),
    async write(trx, version, old) {
      if (
        values.number === null ||
        !(await updateGroupAtVersion(trx, groupId, version, { number: values.number, heading: values.heading }))
      )
        return false;
      await replaceGroupOrganisations(trx, groupId, old.organisationIds, values.organisationIds);
      return true;
    },
  });
  return outcome.ok ? { ok: true, saved: { id: groupId, ...values, version: outcome.saved.version } } : outcome;
}
