import { z } from 'zod';
import type { OrganisationKind } from '../../platform/db/schema.ts';
import { choice, flag, text, version } from '../../platform/form-schema.ts';
import { emailAddress } from '../accounts/accounts.service.ts';

/*
 * The administration forms: adding a person, changing an account's access, and adding or
 * editing an organisation. Checks that need the database (an address or a name already in use)
 * come from the service as rules, so they appear in the error summary in the fields' order.
 */

export const NAME_MAX = 200;
const SHORT_NAME_MAX = 50;

/** What adding a person is checked against. */
export interface NewUserRules {
  /** Whether an account has this (normalised) email address already. */
  emailTaken: (email: string) => Promise<boolean>;
}

export function newUserForm(rules: NewUserRules) {
  return z.object({
    name: text({ required: 'Enter the person’s full name', max: NAME_MAX, label: 'Name' }),
    email: emailAddress().superRefine(async (email, ctx) => {
      if (await rules.emailTaken(email)) {
        ctx.addIssue({ code: 'custom', message: 'An account with this email address already exists' });
      }
    }),
    isAdmin: flag,
  });
}

/** A person to add, checked: their name, their address as stored, and whether they administer. */
export type NewUserCommand = z.output<ReturnType<typeof newUserForm>>;

export type AccessChange =
  | 'disable'
  | 'enable'
  | 'make-admin'
  | 'remove-admin'
  | 'require-two-step'
  | 'stop-requiring-two-step'
  | 'reset-two-step';
export const ACCESS_CHANGES: readonly AccessChange[] = [
  'disable',
  'enable',
  'make-admin',
  'remove-admin',
  'require-two-step',
  'stop-requiring-two-step',
  'reset-two-step',
];

/** The buttons of a person's page: each posts the change it makes. */
export const accessForm = z
  .object({ change: choice(ACCESS_CHANGES, 'Choose a change from the buttons on this page') })
  .transform(({ change }, ctx) => {
    // A change that is not in the list has already been refused; this only narrows its type.
    if (change === '') {
      ctx.addIssue({ code: 'custom', path: ['change'], message: 'Choose a change from the buttons on this page' });
      return z.NEVER;
    }
    return { change };
  });

export type AccessCommand = z.output<typeof accessForm>;

export const ORGANISATION_KINDS: readonly { value: OrganisationKind; text: string; hint?: string }[] = [
  { value: 'commissioner', text: 'Commissioner (ICB or CCG)' },
  { value: 'nhs_trust', text: 'NHS trust', hint: 'A hospital, community or mental health trust' },
  { value: 'gp_practice', text: 'GP practice', hint: 'Or a group of practices' },
  { value: 'local_authority', text: 'Local authority', hint: 'A council: children’s social care, public health' },
  { value: 'nhs_england', text: 'NHS England', hint: 'Or one of its regional teams' },
  { value: 'other', text: 'Other', hint: 'For example a police force, a school or a charity' },
];

/** What an organisation's form is checked against. */
export interface OrganisationRules {
  /** Whether another organisation has this name, whatever its case. */
  nameTaken: (name: string) => Promise<boolean>;
}

const KIND_MESSAGE = 'Select what kind of organisation it is';

/**
 * The name, whose check waits for the database, is read as a part of its own ahead of the rest:
 * an object lists the problems of fields that wait after those that do not, so this keeps the
 * error summary in the order name, short name, kind.
 */
function organisationName(rules: OrganisationRules) {
  return z.object({
    name: text({ required: 'Enter the organisation’s name', max: NAME_MAX, label: 'Name' }).superRefine(
      async (name, ctx) => {
        if (await rules.nameTaken(name)) {
          ctx.addIssue({ code: 'custom', message: 'There is already an organisation with this name' });
        }
      },
    ),
  });
}

const organisationDetails = {
  shortName: text({ required: 'Enter a short name, for example TRFT', max: SHORT_NAME_MAX, label: 'Short name' }),
  kind: choice(
    ORGANISATION_KINDS.map((k) => k.value),
    KIND_MESSAGE,
  ),
};

/** A kind that is not in the list has already been refused; this only narrows its type. */
function withKind<T extends { kind: OrganisationKind | '' }>(form: T, ctx: z.RefinementCtx) {
  const { kind } = form;
  if (kind === '') {
    ctx.addIssue({ code: 'custom', path: ['kind'], message: KIND_MESSAGE });
    return z.NEVER;
  }
  return { ...form, kind };
}

/** Adding an organisation. */
export function newOrganisationForm(rules: OrganisationRules) {
  return z.intersection(organisationName(rules), z.object(organisationDetails)).transform(withKind);
}

export type OrganisationCommand = z.output<ReturnType<typeof newOrganisationForm>>;

/** Editing an organisation: the same fields, and the version the form was opened at. */
export function organisationEditForm(rules: OrganisationRules) {
  return z.intersection(organisationName(rules), z.object({ ...organisationDetails, version })).transform(withKind);
}

export type OrganisationEditCommand = z.output<ReturnType<typeof organisationEditForm>>;
