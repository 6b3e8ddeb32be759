import type { Actor } from '../../domain/permissions.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { FormInvalid } from '../../platform/form-schema.ts';
import { recordAudit } from '../../platform/audit.ts';
import { createInvitedAccount, findAccountByEmail, reinvite, sendInviteEmail } from '../accounts/accounts.service.ts';
import { endAllSessions } from '../accounts/sessions.service.ts';
import { administerTwoStep } from '../accounts/second-factor.service.ts';
import { recordSecurityEvent } from '../../platform/security-events.ts';
import type { AppContext } from '../context.ts';
import type { AccessChange, AccessCommand, NewUserCommand, NewUserRules } from './admin.forms.ts';
import { auditedBy, requireAdministrator } from './admin.policy.ts';
import {
  findUserForAdmin,
  listUserMemberships,
  listUsers,
  setUserAccess,
  type UserListRow,
  type UserMembershipRow,
} from './admin.repository.ts';

/*
 * Accounts, as system administrators manage them: add a person (who gets an emailed
 * invitation to set a password), disable and enable, make and unmake administrators. Nobody
 * can disable their own account or remove their own administrator rights, so there is
 * always an administrator left who can undo a mistake.
 */

export function listAccounts(ctx: AppContext, actor: Actor): Promise<UserListRow[]> {
  requireAdministrator(actor);
  return listUsers(ctx.db);
}

export interface AccountView {
  user: UserListRow;
  memberships: UserMembershipRow[];
}

/** One person's account and their roles in reviews. */
export async function getAccount(ctx: AppContext, actor: Actor, userId: number): Promise<AccountView> {
  requireAdministrator(actor);
  const [user] = await listUsers(ctx.db, userId);
  if (!user) throw new NotFoundError(`There is no account ${userId}`);
  return { user, memberships: await listUserMemberships(ctx.db, userId) };
}

const EMAIL_TAKEN = 'An account with this email address already exists';

/** What the form to add a person is checked against; only administrators may use it. */
export function newUserRules(ctx: AppContext, actor: Actor): NewUserRules {
  requireAdministrator(actor);
  return { emailTaken: async (email) => (await findAccountByEmail(ctx.db, email)) !== undefined };
}

/** Why an invitation email could not be sent, kept so the page can say so. */
function mailFailure(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Makes the account and its invitation in one transaction, then emails the link. */
export async function addUser(
  ctx: AppContext,
  actor: Actor,
  command: NewUserCommand,
): Promise<{ userId: number; mailError: Error | null }> {
  const now = ctx.now();
  requireAdministrator(actor);
  const { userId, token } = await ctx.db.transaction().execute(async (trx) => {
    // Checked again where it is written: the address may have been taken since the form was checked.
    if (await findAccountByEmail(trx, command.email)) throw FormInvalid.of('email', EMAIL_TAKEN);
    return createInvitedAccount(trx, command, auditedBy(actor), now);
  });
  const mailError = await sendInviteEmail(
    ctx.config,
    { email: command.email, name: command.name, token },
    ctx.now,
  ).then(() => null, mailFailure);
  return { userId, mailError };
}

export type { AccessChange } from './admin.forms.ts';

/** The changes of the person's page that are about two-step verification. */
const TWO_STEP_CHANGES: Partial<Record<AccessChange, 'require' | 'stop-requiring' | 'reset'>> = {
  'require-two-step': 'require',
  'stop-requiring-two-step': 'stop-requiring',
  'reset-two-step': 'reset',
};

/**
 * Disables or enables an account, or gives or takes administrator rights. Disabling ends
 * every session at once (the account's pages stop working on the next request) and its API
 * tokens stop working while it stays disabled. Refused against the page's buttons ("change")
 * for your own account.
 */
export async function changeAccess(
  ctx: AppContext,
  actor: Actor,
  userId: number,
  command: AccessCommand,
): Promise<void> {
  const { change } = command;
  const now = ctx.now();
  requireAdministrator(actor);
  const user = await findUserForAdmin(ctx.db, userId);
  if (!user) throw new NotFoundError(`There is no account ${userId}`);
  if (user.id === actor.userId && change === 'disable')
    throw FormInvalid.of('change', 'You cannot disable your own account. Another administrator can.');
  if (user.id === actor.userId && change === 'reset-two-step') {
    throw FormInvalid.of('change', 'You cannot change your own two-step verification here. Use your account page.');
  }
  if (user.id === actor.userId && change === 'remove-admin') {
    throw FormInvalid.of('change', 'You cannot remove your own administrator rights. Another administrator can.');
  }
  const wasAdmin = user.is_admin === 1;
  const wasDisabled = user.disabled_at !== null;
  const nowIso = now.toISOString();
  const twoStep = TWO_STEP_CHANGES[change];
  if (twoStep) {
    await administerTwoStep(ctx.db, user, twoStep, auditedBy(actor), now);
    return;
  }
  const changed = await ctx.db.transaction().execute(async (trx) => {
    const by = auditedBy(actor);
    const audit = (before: object, after: object) =>
      recordAudit(
        trx,
        {
          ...by,
          entityType: 'user',
          entityId: user.id,
          action: 'updated',
          before: { email: user.email, ...before },
          after: { email: user.email, ...after },
        },
        now,
      );
    if (change === 'disable' && !wasDisabled) {
      await setUserAccess(trx, user.id, { disabled_at: nowIso });
      await endAllSessions(trx, user.id);
      await audit({ disabled: false }, { disabled: true });
    } else if (change === 'enable' && wasDisabled) {
      await setUserAccess(trx, user.id, { disabled_at: null });
      await audit({ disabled: true }, { disabled: false });
    } else if (change === 'make-admin' && !wasAdmin) {
      await setUserAccess(trx, user.id, { is_admin: 1 });
      await audit({ isAdmin: false }, { isAdmin: true });
    } else if (change === 'remove-admin' && wasAdmin) {
      await setUserAccess(trx, user.id, { is_admin: 0 });
      await audit({ isAdmin: true }, { isAdmin: false });
    } else {
      return false;
    }
    return true;
  });
  if (changed) {
    await recordSecurityEvent(
      ctx.db,
      {
        kind: 'access changed',
        userId: user.id,
        email: user.email,
        detail: { change, by: actor.email },
        requestId: actor.requestId ?? null,
      },
      now,
    );
  }
}

/**
 * A new invitation for someone who has not set a password yet, for example when the first one
 * ran out. Refused, against the page's buttons ("change"), once they have a password or while
 * their account is disabled.
 */
export async function resendInvitation(
  ctx: AppContext,
  actor: Actor,
  userId: number,
): Promise<{ mailError: Error | null }> {
  const now = ctx.now();
  requireAdministrator(actor);
  const user = await findUserForAdmin(ctx.db, userId);
  if (!user) throw new NotFoundError(`There is no account ${userId}`);
  if (user.password_hash !== null)
    throw FormInvalid.of(
      'change',
      `${user.name} has already set a password. If they have forgotten it, ` +
        'they can reset it from the sign-in page.',
    );
  if (user.disabled_at !== null)
    throw FormInvalid.of('change', `${user.name}’s account is disabled. Enable it before sending an invitation.`);
  const token = await ctx.db.transaction().execute((trx) => reinvite(trx, user, auditedBy(actor), now));
  const mailError = await sendInviteEmail(ctx.config, { email: user.email, name: user.name, token }, ctx.now).then(
    () => null,
    mailFailure,
  );
  return { mailError };
}
