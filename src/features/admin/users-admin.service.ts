import type { Actor } from '../../domain/permissions.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { formList, formText } from '../../platform/http/form-bodies.ts';
import { FormErrors } from '../../platform/forms.ts';
import { recordAudit } from '../../platform/audit.ts';
import { normaliseEmail } from '../../platform/auth/secrets.ts';
import {
  createInvitedAccount,
  emailFormatProblem,
  findAccountByEmail,
  reinvite,
  sendInviteEmail,
} from '../accounts/accounts.service.ts';
import { endAllSessions } from '../accounts/sessions.service.ts';
import type { AppContext } from '../context.ts';
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

export const NAME_MAX = 200;

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

export interface NewUserFields {
  name: string;
  email: string;
  isAdmin: boolean;
}

export type AddUserOutcome =
  { ok: true; userId: number; mailError: Error | null } | { ok: false; errors: FormErrors; fields: NewUserFields };

export function readNewUser(body: unknown): NewUserFields {
  return {
    name: formText(body, 'name').trim(),
    email: formText(body, 'email').trim(),
    isAdmin: formList(body, 'isAdmin').includes('yes'),
  };
}

/** Makes the account and its invitation in one transaction, then emails the link. */
export async function addUser(ctx: AppContext, actor: Actor, fields: NewUserFields): Promise<AddUserOutcome> {
  const now = ctx.now();
  requireAdministrator(actor);
  const errors = new FormErrors();
  if (!fields.name) errors.add('name', 'Enter the person’s full name');
  else if (fields.name.length > NAME_MAX) errors.add('name', `Name must be ${NAME_MAX} characters or fewer`);
  const emailProblem = emailFormatProblem(fields.email);
  if (emailProblem) errors.add('email', emailProblem);
  else if (await findAccountByEmail(ctx.db, normaliseEmail(fields.email)))
    errors.add('email', 'An account with this email address already exists');
  if (errors.any) return { ok: false, errors, fields };

  const { userId, token } = await ctx.db
    .transaction()
    .execute((trx) => createInvitedAccount(trx, fields, auditedBy(actor), now));
  const mailError = await sendInviteEmail(
    ctx.config,
    {
      email: normaliseEmail(fields.email),
      name: fields.name,
      token,
    },
    ctx.now,
  ).then(
    () => null,
    (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
  );
  return { ok: true, userId, mailError };
}

export type AccessChange = 'disable' | 'enable' | 'make-admin' | 'remove-admin';
export const ACCESS_CHANGES: readonly AccessChange[] = ['disable', 'enable', 'make-admin', 'remove-admin'];

export type AccessOutcome = { ok: true; userId: number; change: AccessChange } | { ok: false; message: string };

/**
 * Disables or enables an account, or gives or takes administrator rights. Disabling ends
 * every session at once (the account's pages stop working on the next request) and its API
 * tokens stop working while it stays disabled.
 */
export async function changeAccess(
  ctx: AppContext,
  actor: Actor,
  userId: number,
  change: AccessChange,
): Promise<AccessOutcome> {
  const now = ctx.now();
  requireAdministrator(actor);
  const user = await findUserForAdmin(ctx.db, userId);
  if (!user) throw new NotFoundError(`There is no account ${userId}`);
  if (user.id === actor.userId && change === 'disable')
    return { ok: false, message: 'You cannot disable your own account. Another administrator can.' };
  if (user.id === actor.userId && change === 'remove-admin') {
    return { ok: false, message: 'You cannot remove your own administrator rights. Another administrator can.' };
  }
  const wasAdmin = user.is_admin === 1;
  const wasDisabled = user.disabled_at !== null;
  const nowIso = now.toISOString();
  await ctx.db.transaction().execute(async (trx) => {
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
    }
  });
  return { ok: true, userId: user.id, change };
}

export type InviteOutcome = { ok: true; userId: number; mailError: Error | null } | { ok: false; message: string };

/** A new invitation for someone who has not set a password yet, for example when the first one ran out. */
export async function resendInvitation(ctx: AppContext, actor: Actor, userId: number): Promise<InviteOutcome> {
  const now = ctx.now();
  requireAdministrator(actor);
  const user = await findUserForAdmin(ctx.db, userId);
  if (!user) throw new NotFoundError(`There is no account ${userId}`);
  if (user.password_hash !== null)
    return {
      ok: false,
      message:
        `${user.name} has already set a password. If they have forgotten it, ` +
        'they can reset it from the sign-in page.',
    };
  if (user.disabled_at !== null)
    return { ok: false, message: `${user.name}’s account is disabled. Enable it before sending an invitation.` };
  const token = await ctx.db.transaction().execute((trx) => reinvite(trx, user, auditedBy(actor), now));
  const mailError = await sendInviteEmail(ctx.config, { email: user.email, name: user.name, token }, ctx.now).then(
    () => null,
    (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
  );
  return { ok: true, userId: user.id, mailError };
}
