import type { Db } from '../../platform/db/database.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { FormInvalid } from '../../platform/form-schema.ts';
import { recordAudit } from '../../platform/audit.ts';
import type { Actor } from '../../domain/permissions.ts';
import type { ReviewRow } from '../../platform/db/schema.ts';
import type { ReviewsContext } from '../reviews/reviews.service.ts';
import {
  auditActor,
  listReviewOrganisations,
  organisationChoices,
  requireCoordinator,
  saveVersioned,
  versionRule,
  type FieldSpec,
  type OrganisationOption,
  type Versioned,
} from '../reviews/plan-edits.service.ts';
import type { GroupCommand, GroupRules, GroupSnapshot } from './groups.forms.ts';
import {
  findGroup,
  findGroupIdByNumber,
  insertGroup,
  listGroupOrganisationIds,
  replaceGroupOrganisations,
  updateGroupAtVersion,
} from './groups.repository.ts';

/* Recommendation groups: "NHS Rotherham CCG and … should:" and the organisations addressed. */

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

const taken = (number: number) => FormInvalid.of('number', `Group ${number} already exists in this review`);

async function loadGroup(db: Db, reviewId: number, groupId: number) {
  const group = await findGroup(db, reviewId, groupId);
  if (!group) return undefined;
  const organisationIds = await listGroupOrganisationIds(db, groupId);
  return {
    version: group.version,
    snapshot: { number: group.number, heading: group.heading, organisationIds } satisfies GroupSnapshot,
  };
}

async function existingGroup(ctx: ReviewsContext, reviewId: number, groupId: number) {
  const group = await loadGroup(ctx.db, reviewId, groupId);
  if (!group) throw new NotFoundError(`Review ${reviewId} has no recommendation group ${groupId}`);
  return group;
}

/** A group under the stale-edit rule. */
function versioned(reviewId: number, groupId: number, organisations: OrganisationOption[]): Versioned<GroupSnapshot> {
  return {
    subject: { entityType: 'recommendation_group', entityId: groupId, what: 'recommendation group', reviewId },
    fields: groupFields(organisations),
    load: (db) => loadGroup(db, reviewId, groupId),
  };
}

/**
 * What a group form is checked against, if this person coordinates the review: the
 * organisations the review covers (and those the group names already), the numbers of the
 * review's other groups and, when changing a group, its version.
 */
export async function groupRules(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  groupId: number | null = null,
): Promise<GroupRules> {
  await requireCoordinator(ctx, actor, reviewId);
  const numberTaken = async (number: number) => {
    const other = await findGroupIdByNumber(ctx.db, reviewId, number);
    return other !== undefined && other !== groupId;
  };
  if (groupId === null) {
    const organisations = await listReviewOrganisations(ctx.db, reviewId);
    return { organisationIds: organisations.map((o) => o.id), numberTaken };
  }
  const group = await existingGroup(ctx, reviewId, groupId);
  const organisations = await organisationChoices(ctx.db, reviewId, group.snapshot.organisationIds);
  return {
    organisationIds: organisations.map((o) => o.id),
    numberTaken,
    edit: versionRule(ctx.db, versioned(reviewId, groupId, organisations)),
  };
}

export interface GroupForm {
  review: ReviewRow;
  organisations: OrganisationOption[];
  /** The group's values saved now; empty for a new group. */
  values: Partial<GroupSnapshot>;
  version: number | null;
  groupId: number | null;
}

export async function newGroupForm(ctx: ReviewsContext, actor: Actor, reviewId: number): Promise<GroupForm> {
  const review = await requireCoordinator(ctx, actor, reviewId);
  return {
    review,
    organisations: await listReviewOrganisations(ctx.db, reviewId),
    values: {},
    version: null,
    groupId: null,
  };
}

export type SavedGroup = { id: number; version: number } & Omit<GroupCommand, 'version'>;

export async function createGroup(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  command: GroupCommand,
): Promise<SavedGroup> {
  await requireCoordinator(ctx, actor, reviewId);
  const values = { number: command.number, heading: command.heading, organisationIds: command.organisationIds };
  const id = await ctx.db.transaction().execute(async (trx) => {
    if ((await findGroupIdByNumber(trx, reviewId, values.number)) !== undefined) throw taken(values.number);
    const groupId = await insertGroup(trx, reviewId, { number: values.number, heading: values.heading });
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
  return { id, version: 1, ...values };
}

export async function editGroupForm(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  groupId: number,
): Promise<GroupForm> {
  const review = await requireCoordinator(ctx, actor, reviewId);
  const group = await existingGroup(ctx, reviewId, groupId);
  const organisations = await organisationChoices(ctx.db, reviewId, group.snapshot.organisationIds);
  return { review, organisations, values: group.snapshot, version: group.version, groupId };
}

export async function updateGroup(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  groupId: number,
  command: GroupCommand,
): Promise<SavedGroup> {
  await requireCoordinator(ctx, actor, reviewId);
  const group = await existingGroup(ctx, reviewId, groupId);
  const organisations = await organisationChoices(ctx.db, reviewId, group.snapshot.organisationIds);
  const values = { number: command.number, heading: command.heading, organisationIds: command.organisationIds };
  const saved = await saveVersioned(ctx, {
    ...versioned(reviewId, groupId, organisations),
    actor,
    openedVersion: command.version,
    yours: values,
    async recheck(trx) {
      const other = await findGroupIdByNumber(trx, reviewId, values.number);
      if (other !== undefined && other !== groupId) throw taken(values.number);
    },
    async write(trx, version, old) {
      if (!(await updateGroupAtVersion(trx, groupId, version, { number: values.number, heading: values.heading })))
        return false;
      await replaceGroupOrganisations(trx, groupId, old.organisationIds, values.organisationIds);
      return true;
    },
  });
  return { id: groupId, ...values, version: saved.version };
}
