import type { Actor } from '../../domain/permissions.ts';
import { canCoordinate } from '../../domain/permissions.ts';
import type { MemberRole, ReviewRow } from '../../platform/db/schema.ts';
import type { Db } from '../../platform/db/database.ts';
import { ForbiddenError } from '../../platform/auth/plugin.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { FormErrors } from '../../platform/forms.ts';
import { recordAudit } from '../../platform/audit.ts';
import { normaliseEmail } from '../../platform/auth/secrets.ts';
import { getReview } from '../reviews/reviews.service.ts';
import {
  createInvitedAccount,
  emailFormatProblem,
  findAccountByEmail,
  sendInviteEmail,
} from '../accounts/accounts.service.ts';
import type { AppContext } from '../context.ts';
import {
  countCoordinators,
  deleteMembership,
  findMembership,
  insertMembership,
  listMembers,
  listOrganisationChoices,
  type MemberRow,
  type OrganisationChoice,
} from './members.repository.ts';

/*
 * A review's people: who has which role for which organisation. The review's coordinators
 * manage them, and so do system administrators (who set up a review's first people). To
 * anyone outside the review it does not exist (404); other members may not manage it (403).
 * A review always keeps at least one coordinator.
 */

export const ROLES: readonly { value: MemberRole; name: string; description: string }[] = [
  {
    value: 'coordinator',
    name: 'Plan coordinator',
    description: 'Everything in this review, including who takes part',
  },
  {
    value: 'editor',
    name: 'Organisation editor',
    description: 'Updates their organisation’s actions: progress, evidence, proposed ratings',
  },
  {
    value: 'reviewer',
    name: 'Assurance reviewer',
    description: 'Peer challenge group: accepts or rejects evidence, agrees or challenges ratings',
  },
  { value: 'viewer', name: 'Viewer', description: 'Reads the plan: boards and scrutiny' },
];

export function roleName(role: MemberRole): string {
  return ROLES.find((r) => r.value === role)?.name ?? role;
}

/**
 * The review, if this person may manage its people: 404 to people outside it, 403 to members who do
 * not coordinate it.
 */
export async function requireMemberManager(ctx: AppContext, actor: Actor, reviewId: number): Promise<ReviewRow> {
  const review = await getReview(ctx, actor, reviewId);
  if (!actor.isAdmin && !canCoordinate(actor, review.id)) {
    throw new ForbiddenError('Only a coordinator of this review, or a system administrator, can manage its people.');
  }
  return review;
}

export interface NewMembership {
  userId: number;
  reviewId: number;
  organisationId: number;
  role: MemberRole;
}

/** Whether the person already has this role for this organisation in the review. */
export async function hasMembership(db: Db, membership: NewMembership): Promise<boolean> {
  return (await findMembership(db, membership)) !== undefined;
}

/**
 * Gives a role in the caller's transaction, for those that make a review with its first people
 * (the report import, the demo loader); the caller records the audit event. Returns its id.
 */
export function grantMembership(trx: Db, membership: NewMembership, createdAt: string): Promise<number> {
  return insertMembership(trx, membership, createdAt);
}

export interface MembersView {
  review: ReviewRow;
  members: MemberRow[];
  organisations: OrganisationChoice[];
  coordinators: number;
}

export async function getMembers(ctx: AppContext, actor: Actor, reviewId: number): Promise<MembersView> {
  const review = await requireMemberManager(ctx, actor, reviewId);
  const [members, organisations] = await Promise.all([
    listMembers(ctx.db, review.id),
    listOrganisationChoices(ctx.db, review.id, review.lead_organisation_id),
  ]);
  return { review, members, organisations, coordinators: members.filter((m) => m.role === 'coordinator').length };
}

export interface MemberFields {
  email: string;
  name: string;
  organisationId: string;
  role: string;
}

export type AddMemberOutcome =
  | { ok: true; membershipId: number; invited: boolean; mailError: Error | null }
  | { ok: false; errors: FormErrors; fields: MemberFields };

/**
 * Gives a person a role for an organisation in the review. Someone without an account gets
 * one, with an emailed invitation to set a password; the account, the role and their audit
 * events are written in one transaction, and the email goes once it has committed.
 */
export async function addMember(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  fields: MemberFields,
): Promise<AddMemberOutcome> {
  const now = ctx.now();
  const { review, organisations } = await getMembers(ctx, actor, reviewId);
  const errors = new FormErrors();
  const email = normaliseEmail(fields.email);
  const emailProblem = emailFormatProblem(email);
  if (emailProblem) errors.add('email', emailProblem);
  const existing = emailProblem ? undefined : await findAccountByEmail(ctx.db, email);
  const name = fields.name.trim();
  if (!emailProblem && !existing) {
    if (!name)
      errors.add(
        'name',
        'Enter their full name. There is no Clasp account for this email address yet, ' +
          'so we will make one and email them an invitation',
      );
    else if (name.length > 200) errors.add('name', 'Name must be 200 characters or fewer');
  }
  if (existing?.disabled_at)
    errors.add('email', `The account for ${email} is disabled. Ask a system administrator to enable it first`);
  const organisation = organisations.find((o) => String(o.id) === fields.organisationId.trim());
  if (!organisation) errors.add('organisationId', 'Select the organisation they will act for');
  const role = ROLES.find((r) => r.value === fields.role)?.value;
  if (!role) errors.add('role', 'Select a role');
  if (
    existing &&
    organisation &&
    role &&
    (await findMembership(ctx.db, { userId: existing.id, reviewId: review.id, organisationId: organisation.id, role }))
  ) {
    errors.add(
      'email',
      `${existing.name} is already ${roleName(role).toLowerCase()} for ${organisation.name} in this review`,
    );
  }
  if (errors.any || !organisation || !role) return { ok: false, errors, fields };

  const by = { actor: actor.name, userId: actor.userId, requestId: actor.requestId ?? null };
  const result = await ctx.db.transaction().execute(async (trx) => {
    const invitation = existing ? null : await createInvitedAccount(trx, { email, name }, by, now);
    const userId = existing?.id ?? invitation?.userId;
    if (userId === undefined) throw new Error('The member has no account');
    const membershipId = await insertMembership(
      trx,
      { userId, reviewId: review.id, organisationId: organisation.id, role },
      now.toISOString(),
    );
    await recordAudit(
      trx,
      {
        ...by,
        reviewId: review.id,
        organisationId: organisation.id,
        entityType: 'membership',
        entityId: membershipId,
        action: 'created',
        after: { name: existing?.name ?? name, email, organisation: organisation.name, role },
      },
      now,
    );
    return { membershipId, token: invitation?.token ?? null };
  });
  let mailError: Error | null = null;
  if (result.token) {
    mailError = await sendInviteEmail(ctx.config, { email, name, token: result.token }, ctx.now).then(
      () => null,
      (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
    );
  }
  return { ok: true, membershipId: result.membershipId, invited: result.token !== null, mailError };
}

export type RemoveMemberOutcome = { ok: true } | { ok: false; message: string };

class LastCoordinator extends Error {}

export const LAST_COORDINATOR_MESSAGE = 'A review needs at least one plan coordinator. Add another coordinator first.';

/** Takes a person's role away; the review's last coordinator cannot be removed. */
export async function removeMember(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  membershipId: number,
): Promise<RemoveMemberOutcome> {
  const now = ctx.now();
  const { review, members } = await getMembers(ctx, actor, reviewId);
  const member = members.find((m) => m.id === membershipId);
  if (!member) throw new NotFoundError(`There is no membership ${membershipId} in review ${reviewId}`);
  try {
    await ctx.db.transaction().execute(async (trx) => {
      // Deleted first and counted after: on PostgreSQL the delete's trigger locks the review's
      // row, so two coordinators removing each other at once are counted one after the other.
      if (!(await deleteMembership(trx, review.id, member.id)))
        throw new NotFoundError(`There is no membership ${membershipId} in review ${reviewId}`);
      if (member.role === 'coordinator' && (await countCoordinators(trx, review.id)) === 0) throw new LastCoordinator();
      await recordAudit(
        trx,
        {
          actor: actor.name,
          userId: actor.userId,
          requestId: actor.requestId ?? null,
          reviewId: review.id,
          organisationId: member.organisation_id,
          entityType: 'membership',
          entityId: member.id,
          action: 'removed',
          before: { name: member.name, email: member.email, organisation: member.organisation, role: member.role },
        },
        now,
      );
    });
  } catch (error) {
    if (error instanceof LastCoordinator) {
      return { ok: false, message: LAST_COORDINATOR_MESSAGE };
    }
    throw error;
  }
  return { ok: true };
}
