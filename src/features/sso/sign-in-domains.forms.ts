import { z } from 'zod';
import { ALWAYS, choice, flag, optionalId, text } from '../../platform/form-schema.ts';

/*
 * An administrator's mapping: an email domain (or a value of the organisation claim) and the
 * organisation it belongs to, whether new people from it may join, and whether it must sign in
 * with the provider. The same form for the pages and the API.
 */

export const MAPPING_KINDS = ['domain', 'claim'] as const;

export interface MappingRules {
  /** Ids of the organisations that may be chosen. */
  organisationIds: ReadonlySet<number>;
  /** Whether this kind and value are mapped already (by another mapping than the one being changed). */
  taken(kind: 'domain' | 'claim', value: string): Promise<boolean>;
}

const DOMAIN = /^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function mappingForm(rules: MappingRules) {
  return z
    .object({
      kind: choice(MAPPING_KINDS, 'Select whether this is an email domain or an organisation code'),
      value: text({ required: 'Enter the email domain or organisation code', max: 200, label: 'The domain or code' }),
      organisationId: optionalId('Select the organisation'),
      mayJoin: flag,
      requireSso: flag,
    })
    .superRefine((form, ctx) => {
      if (form.kind === 'domain' && form.value) {
        const domain = form.value.replace(/^@/, '').toLowerCase();
        if (!DOMAIN.test(domain)) {
          ctx.addIssue({
            code: 'custom',
            path: ['value'],
            message: 'Enter the part of the email address after the @, like nhs.net',
          });
        }
      }
      if (form.organisationId === null || !rules.organisationIds.has(form.organisationId)) {
        ctx.addIssue({ code: 'custom', path: ['organisationId'], message: 'Select the organisation' });
      }
      if (form.kind === 'claim' && form.requireSso) {
        ctx.addIssue({
          code: 'custom',
          path: ['requireSso'],
          message: 'Single sign-on can only be required for an email domain: untick it for an organisation code',
        });
      }
    }, ALWAYS)
    .transform((form) => ({
      kind: form.kind as 'domain' | 'claim',
      value: form.kind === 'domain' ? form.value.replace(/^@/, '').toLowerCase() : form.value,
      organisationId: form.organisationId ?? 0,
      mayJoin: form.mayJoin,
      requireSso: form.requireSso,
    }))
    .superRefine(async (form, ctx) => {
      if (form.value && (await rules.taken(form.kind, form.value))) {
        ctx.addIssue({
          code: 'custom',
          path: ['value'],
          message: `${form.value} is mapped already: change that mapping instead`,
        });
      }
    });
}

export type MappingCommand = z.output<ReturnType<typeof mappingForm>>;

/** The mapping's fields, as the API describes them (the form above checks them). */
export const mappingBody = z
  .object({
    kind: z.enum(MAPPING_KINDS).describe('"domain" for an email domain, "claim" for a value of the organisation claim'),
    value: z.string().describe("The email domain (like nhs.net) or the organisation claim's value (like RHQ)"),
    organisationId: z.number().int().describe('The organisation people from here work for'),
    mayJoin: z.boolean().optional().describe('Whether someone new from here gets an account when they first sign in'),
    requireSso: z
      .boolean()
      .optional()
      .describe('Whether people with an address at this domain must sign in with single sign-on (domains only)'),
  })
  .describe('A sign-in domain mapping');
