import type { Actor } from '../../domain/permissions.ts';
import { canCoordinate } from '../../domain/permissions.ts';
import type { MemberRole, ReviewRow } from '../../platform/db/schema.ts';
import type { Db } from '../../platform/db/database.ts';
import { ForbiddenError } from '../../platform/auth/plugin.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { recordSecurityEvent } from '../../platform/security-events.ts';
import { FormInvalid } from '../../platform/form-schema.ts';
import { recordAudit } from '../../platform/audit.ts';
import { getReview } from '../reviews/reviews.service.ts';
import { createInvitedAccount, findAccountByEmail, sendInviteEmail } from '../accounts/accounts.service.ts';
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
import { alreadyHeldMessage, type MemberRules, type NewMemberCommand } from './members.forms.ts';

/*
 * A review's people: who has which role for which organisation. The review's coordinators
 * manage them, and so do system administrators (who set up a review's first people). To
 * anyone outside the review it does not exist (404); other members may not manage it (403).
 * A review always keeps at least one coordinator.
 */

export { ROLES, roleName } from './members.forms.ts';

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

/** What the add form of this review is checked against; only its managers may use it. */
export async function memberRules(ctx: AppContext, actor: Actor, reviewId: number): Promise<MemberRules> {
  const { review, organisations } = await getMembers(ctx, actor, reviewId);
  return {
    organisations: organisations.map((o) => ({ id: o.id, name: o.name })),
    findAccount: async (email) => {
      const account = await findAccountByEmail(ctx.db, email);
      return account ? { id: account.id, name: account.name, disabled: account.disabled_at !== null } : null;
    },
    holdsRole: (membership) => hasMembership(ctx.db, { ...membership, reviewId: review.id }),
  };
}

export interface AddedMember {
  membershipId: number;
  /** Whether an account was made, with an invitation to set a password. */
  invited: boolean;
  /** Why the invitation email could not be sent, when it could not. */
  mailError: Error | null;
}

/**
 * Gives a person a role for an organisation in the review. Someone without an account gets
 * one, with an emailed invitation to set a password; the account, the role and their audit
 * events are written in one transaction, and the email goes once it has committed.
 */
export async function addMember(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  command: NewMemberCommand,
): Promise<AddedMember> {
  const now = ctx.now();
  const review = await requireMemberManager(ctx, actor, reviewId);
  const { email, name, account, organisation, role } = command;
  const by = { actor: actor.name, userId: actor.userId, requestId: actor.requestId ?? null };
  const result = await ctx.db.transaction().execute(async (trx) => {
    // Checked again where it is written: someone may have given the same role meanwhile.
    if (
      account &&
      (await hasMembership(trx, { userId: account.id, reviewId: review.id, organisationId: organisation.id, role }))
    ) {
      throw FormInvalid.of('email', alreadyHeldMessage(account.name, role, organisation.name));
    }
    const invitation = account ? null : await createInvitedAccount(trx, { email, name }, by, now);
    const userId = account?.id ?? invitation?.userId;
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
        after: { name: account?.name ?? name, email, organisation: organisation.name, role },
      },
      now,
    );
    return { membershipId, token: invitation?.token ?? null, userId };
  });
  await recordSecurityEvent(
    ctx.db,
    {
      kind: 'role changed',
      userId: actor.userId,
      requestId: actor.requestId ?? null,
      detail: { change: 'given', to: result.userId, review: review.id, organisation: organisation.name, role },
    },
    now,
  );
  let mailError: Error | null = null;
  if (result.token) {
    mailError = await sendInviteEmail(ctx.config, { email, name, token: result.token }, ctx.now).then(
      () => null,
      (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
    );
  }
  return { membershipId: result.membershipId, invited: result.token !== null, mailError };
}

class LastCoordinator extends Error {}

export const LAST_COORDINATOR_MESSAGE = 'A review needs at least one plan coordinator. Add another coordinator first.';

/**
 * Takes a person's role away. The review's last coordinator cannot be removed: that is refused
 * against the list of people ("members").
 */
export async function removeMember(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  membershipId: number,
): Promise<void> {
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
    if (error instanceof LastCoordinator) throw FormInvalid.of('members', LAST_COORDINATOR_MESSAGE);
    throw error;
  }
  await recordSecurityEvent(
    ctx.db,
    {
      kind: 'role changed',
      userId: actor.userId,
      requestId: actor.requestId ?? null,
      detail: { change: 'taken away', from: member.user_id, review: review.id, role: member.role },
    },
    now,
  );
}
