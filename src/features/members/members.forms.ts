import { z } from 'zod';
import type { MemberRole } from '../../platform/db/schema.ts';
import { ALWAYS, choice, optionalId, text } from '../../platform/form-schema.ts';
import { emailAddress } from '../accounts/accounts.service.ts';

/*
 * Adding a person to a review: their email address, their name when they have no account yet,
 * the organisation they act for and their role. One schema for the page and the JSON API.
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

const NAME_MAX = 200;

/** An account a role can be given to. */
export interface MemberAccount {
  id: number;
  name: string;
  disabled: boolean;
}

/** An organisation a person can act for in the review. */
export interface MemberOrganisation {
  id: number;
  name: string;
}

/** What the form is checked against: the review's organisations, and the accounts and roles held. */
export interface MemberRules {
  organisations: readonly MemberOrganisation[];
  /** The account with this (normalised) email address, or null. */
  findAccount: (email: string) => Promise<MemberAccount | null>;
  /** Whether the person already has this role for this organisation in the review. */
  holdsRole: (membership: { userId: number; organisationId: number; role: MemberRole }) => Promise<boolean>;
}

/** Why a role cannot be given twice: it names the person, the role and the organisation. */
export function alreadyHeldMessage(person: string, role: MemberRole, organisation: string): string {
  return `${person} is already ${roleName(role).toLowerCase()} for ${organisation} in this review`;
}

/**
 * The email address with its account, once the address is right. A refused address stays the
 * text it was (the account is never looked up), so the rules below check before they read it.
 */
type CheckedEmail = { email: string; account: MemberAccount | null };

/** The checked address, or null while it is refused (then it is still whatever was sent, so `unknown`). */
function checked(email: unknown): CheckedEmail | null {
  // Only the transform above makes an object with an account, so one that has it is checked.
  return typeof email === 'object' && email !== null && 'account' in email ? (email as CheckedEmail) : null;
}

export function memberForm(rules: MemberRules) {
  // The person is checked first, as a whole (a name is needed only for someone without an
  // account), so the error summary keeps the order email, name, organisation, role.
  const person = z
    .object({
      email: emailAddress().transform(async (email): Promise<CheckedEmail> => ({
        email,
        account: await rules.findAccount(email),
      })),
      // Checked below: a name is needed, and limited, only for someone without an account.
      name: text({ max: Infinity }),
    })
    .superRefine((form, ctx) => {
      const address = checked(form.email);
      if (!address) return;
      const { account } = address;
      if (!account) {
        if (!form.name) {
          ctx.addIssue({
            code: 'custom',
            path: ['name'],
            message:
              'Enter their full name. There is no Clasp account for this email address yet, ' +
              'so we will make one and email them an invitation',
          });
        } else if (form.name.length > NAME_MAX) {
          ctx.addIssue({ code: 'custom', path: ['name'], message: `Name must be ${NAME_MAX} characters or fewer` });
        }
      } else if (account.disabled) {
        ctx.addIssue({
          code: 'custom',
          path: ['email'],
          message: `The account for ${address.email} is disabled. Ask a system administrator to enable it first`,
        });
      }
    }, ALWAYS);

  const organisationMessage = 'Select the organisation they will act for';
  const role = z.object({
    organisationId: optionalId(organisationMessage).transform((id, ctx) => {
      const organisation = rules.organisations.find((o) => o.id === id) ?? null;
      if (!organisation) ctx.addIssue({ code: 'custom', message: organisationMessage });
      return organisation;
    }),
    role: choice(
      ROLES.map((r) => r.value),
      'Select a role',
    ),
  });

  return z
    .intersection(person, role)
    .superRefine(async (form, ctx) => {
      const account = checked(form.email)?.account;
      const organisation = rules.organisations.find((o) => o === form.organisationId);
      const chosen = ROLES.find((r) => r.value === form.role)?.value ?? '';
      if (!account || !organisation || chosen === '') return;
      if (await rules.holdsRole({ userId: account.id, organisationId: organisation.id, role: chosen })) {
        ctx.addIssue({
          code: 'custom',
          path: ['email'],
          message: alreadyHeldMessage(account.name, chosen, organisation.name),
        });
      }
    }, ALWAYS)
    .transform((form, ctx) => {
      const { organisationId: organisation, role: chosen } = form;
      // Both have been refused already when missing; this only narrows their types.
      if (!organisation || chosen === '') {
        ctx.addIssue({ code: 'custom', path: ['role'], message: 'Select a role' });
        return z.NEVER;
      }
      return {
        email: form.email.email,
        name: form.name,
        account: form.email.account,
        organisation,
        role: chosen,
      };
    });
}

/** A role to give, checked: the person (with their account if they have one), the organisation and the role. */
export type NewMemberCommand = z.output<ReturnType<typeof memberForm>>;
