import { z } from 'zod';

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
