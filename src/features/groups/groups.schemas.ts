import { z } from 'zod';
import { versionField } from '../../platform/plan-schemas.ts';

/* The JSON answers about recommendation groups. */

/** A recommendation group as saved. */
export const savedGroupSchema = z.object({
  id: z.number().int(),
  number: z.number().int().describe('The first part of its recommendations’ numbers: 2 for 2.1, 2.2…'),
  heading: z.string().describe('As the report words it: "NHS Rotherham CCG and … should:"'),
  organisationIds: z.array(z.number().int()).describe('The organisations the group’s recommendations are addressed to'),
  version: z.number().int().describe('Send it back with a change, so a stale edit is refused'),
});

export const groupAnswer = z.object({ group: savedGroupSchema });

/** What adding or changing a recommendation group sends: every field, as the form has them. */
export const groupBody = z
  .object({
    number: z.number().int().min(1).max(999).describe('The group’s number: 2 for recommendations 2.1, 2.2…'),
    heading: z.string().max(500).describe('As the report words it: "NHS Rotherham CCG and … should:"'),
    organisationIds: z
      .array(z.number().int())
      .min(1)
      .describe('The ids of the organisations its recommendations are addressed to: at least one'),
    version: versionField,
  })
  .describe('A group of recommendations. PUT replaces every field: fields left out are saved empty.')
  .meta({ examples: [{ number: 2, heading: 'NHS Testshire ICB should:', organisationIds: [1], version: 1 }] });
