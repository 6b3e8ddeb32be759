import { z } from 'zod';
import type { SecurityEventRow } from '../../platform/security-events.ts';
import type { OrganisationAdminRow, UserListRow, UserMembershipRow } from './admin.repository.ts';

/* What the administration API answers, and the presenters that give exactly that. */

/** GET /api/admin/users */
export const userListJson = z.object({
  users: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      email: z.string(),
      isAdmin: z.boolean(),
      disabled: z.boolean(),
      passwordSet: z.boolean().describe('False while the person has not used their invitation'),
      lastSignedIn: z.string().nullable().describe('When they last signed in (an ISO instant), or null'),
    }),
  ),
});

/** GET /api/admin/organisations */
export const organisationListJson = z.object({
  organisations: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      shortName: z.string(),
      kind: z.enum(['commissioner', 'nhs_trust', 'gp_practice', 'local_authority', 'nhs_england', 'other']),
      version: z.number().describe('Send it back with an edit: an edit of an older version is refused'),
    }),
  ),
});

export function userListOf(rows: UserListRow[]): z.output<typeof userListJson> {
  return {
    users: rows.map((u) => ({
      id: u.id,
      name: u.name,
      email: u.email,
      isAdmin: u.is_admin === 1,
      disabled: u.disabled_at !== null,
      passwordSet: u.has_password,
      lastSignedIn: u.last_signed_in,
    })),
  };
}

export function organisationListOf(rows: OrganisationAdminRow[]): z.output<typeof organisationListJson> {
  return {
    organisations: rows.map((o) => ({
      id: o.id,
      name: o.name,
      shortName: o.short_name,
      kind: o.kind,
      version: o.version,
    })),
  };
}

const userJson = z.object({
  id: z.number(),
  name: z.string(),
  email: z.string(),
  isAdmin: z.boolean(),
  disabled: z.boolean(),
  passwordSet: z.boolean().describe('False while the person has not used their invitation'),
  lastSignedIn: z.string().nullable().describe('When they last signed in (an ISO instant), or null'),
  twoStepOn: z.boolean().describe('Whether they have set up two-step verification'),
  twoStepRequired: z.boolean().describe('Whether an administrator requires two-step verification of them'),
});

const organisationKind = z.enum([
  'commissioner',
  'nhs_trust',
  'gp_practice',
  'local_authority',
  'nhs_england',
  'other',
]);

const organisationJson = z.object({
  id: z.number(),
  name: z.string(),
  shortName: z.string(),
  kind: organisationKind,
  version: z.number().describe('Send it back with an edit: an edit of an older version is refused'),
});

/** GET /api/admin/users/:userId, and the answer of a change to one account. */
export const userAnswer = z.object({
  user: userJson,
  memberships: z.array(
    z.object({
      reviewId: z.number(),
      area: z.string().describe('The review'),
      organisation: z.string().describe('The organisation they act for in it'),
      role: z.enum(['coordinator', 'editor', 'reviewer', 'viewer']),
    }),
  ),
});

/** POST /api/admin/users (201) and POST /api/admin/users/:userId/invitation (200). */
export const invitedAnswer = z.object({
  user: userJson,
  invitationSent: z.boolean().describe('False when the invitation email could not be sent: try again later'),
});

/** One organisation: GET, POST and PUT under /api/admin/organisations. */
export const organisationAnswer = z.object({ organisation: organisationJson });

/** POST /api/admin/users: the fields of the page's form. */
export const newUserBody = z
  .object({
    name: z.string().max(200).describe('The person’s full name'),
    email: z.string().describe('Their email address: the invitation to set a password is sent there'),
    isAdmin: z.boolean().optional().describe('True to make them a system administrator (default false)'),
  })
  .describe('A person to add. They are emailed an invitation to set a password.');

/** POST /api/admin/users/:userId/access: the buttons of the person's page. */
export const accessBody = z
  .object({
    change: z
      .enum([
        'disable',
        'enable',
        'make-admin',
        'remove-admin',
        'require-two-step',
        'stop-requiring-two-step',
        'reset-two-step',
      ])
      .describe(
        'The change to make. Disabling ends their sessions and stops their API tokens working; ' +
          'reset-two-step makes them set up two-step verification again. You cannot disable your own ' +
          'account, remove your own administrator rights or reset your own two-step verification.',
      ),
  })
  .describe('One change to the account’s access.');

const organisationFields = {
  name: z.string().max(200).describe('The organisation’s full name: no two organisations may share one'),
  shortName: z.string().max(50).describe('A short name, for example TRFT'),
  kind: organisationKind.describe('What kind of organisation it is'),
};

/** POST /api/admin/organisations */
export const newOrganisationBody = z.object(organisationFields).describe('An organisation to add.');

/** PUT /api/admin/organisations/:organisationId */
export const organisationEditBody = z
  .object({
    ...organisationFields,
    version: z
      .number()
      .int()
      .positive()
      .describe(
        'The version you read (from GET). If someone saved since, the change is refused with 409 and ' +
          'what they changed; send it again with the version given then.',
      ),
  })
  .describe('The organisation’s details, all of them, with the version you read.');

export function userOf(row: UserListRow): z.output<typeof userJson> {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    isAdmin: row.is_admin === 1,
    disabled: row.disabled_at !== null,
    passwordSet: row.has_password,
    lastSignedIn: row.last_signed_in,
    twoStepOn: row.second_factor_on,
    twoStepRequired: row.second_factor_required,
  };
}

export function userAnswerOf(user: UserListRow, memberships: UserMembershipRow[]): z.output<typeof userAnswer> {
  return {
    user: userOf(user),
    memberships: memberships.map((m) => ({
      reviewId: m.review_id,
      area: m.area,
      organisation: m.organisation,
      role: m.role,
    })),
  };
}

export function organisationOf(row: OrganisationAdminRow): z.output<typeof organisationJson> {
  return { id: row.id, name: row.name, shortName: row.short_name, kind: row.kind, version: row.version };
}

/** GET /api/admin/security-events: as the page lists them, newest first. */
export const securityEventsAnswer = z.object({
  events: z.array(
    z.object({
      id: z.number(),
      at: z.string().describe('When it happened (an ISO instant)'),
      kind: z.string().describe('What happened, for example "sign-in failed" or "access changed"'),
      userId: z.number().nullable().describe('The account it is about, if known'),
      email: z.string().nullable().describe('The address typed or the account’s address'),
      ip: z.string().nullable().describe('The client address it came from'),
      method: z.string().nullable(),
      path: z.string().nullable().describe('The address asked for, when a request was refused'),
      detail: z.record(z.string(), z.unknown()).nullable().describe('Anything else recorded, for example the change'),
      requestId: z.string().nullable(),
    }),
  ),
});

export function securityEventsOf(rows: SecurityEventRow[]): z.output<typeof securityEventsAnswer> {
  return {
    events: rows.map((row) => {
      const parsed: unknown = row.detail ? JSON.parse(row.detail) : null;
      return {
        id: row.id,
        at: row.at,
        kind: row.kind,
        userId: row.user_id,
        email: row.email,
        ip: row.ip,
        method: row.method,
        path: row.path,
        detail: parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : null,
        requestId: row.request_id,
      };
    }),
  };
}
