import { z } from 'zod';
import type { MembersView } from './members.service.ts';

/* What the members API answers, and the presenter that gives exactly that. */

const role = z.enum(['coordinator', 'editor', 'reviewer', 'viewer']);

/** GET /api/reviews/:reviewId/members: everyone's roles, and the organisations a role can be given for. */
export const memberListJson = z.object({
  members: z.array(
    z.object({
      id: z.number().describe('The membership: one person, organisation and role'),
      userId: z.number(),
      name: z.string(),
      email: z.string(),
      organisation: z.object({ id: z.number(), name: z.string() }),
      role,
    }),
  ),
  organisations: z.array(z.object({ id: z.number(), name: z.string(), short_name: z.string() })),
});

/** POST /api/reviews/:reviewId/members: the fields of the page's form. */
export const memberBody = z
  .object({
    email: z.string().describe('Their email address'),
    name: z
      .string()
      .max(200)
      .optional()
      .describe('Their full name: needed only when there is no account for the address yet (one is made)'),
    organisationId: z.number().int().describe('The organisation they act for: one of the list GET gives'),
    role: role.describe('What they may do in the review'),
  })
  .describe('A role to give someone. Someone without an account is emailed an invitation to set a password.');

/** POST /api/reviews/:reviewId/members (201). */
export const addedMemberJson = z.object({
  id: z.number().describe('The new membership'),
  invited: z.boolean().describe('Whether an account was made for them, with an invitation to set a password'),
  invitationSent: z.boolean(),
});

export function memberListOf(view: MembersView): z.output<typeof memberListJson> {
  return {
    members: view.members.map((m) => ({
      id: m.id,
      userId: m.user_id,
      name: m.name,
      email: m.email,
      organisation: { id: m.organisation_id, name: m.organisation },
      role: m.role,
    })),
    organisations: view.organisations.map((o) => ({ id: o.id, name: o.name, short_name: o.short_name })),
  };
}
