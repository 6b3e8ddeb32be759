import { z } from 'zod';
import type { OrganisationAdminRow, UserListRow } from './admin.repository.ts';

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
