import { z } from 'zod';

/* The JSON answers about findings. */

const kind = z.enum(['concern', 'good_practice']);

const findingFields = {
  id: z.number().int(),
  number: z.string().describe('As the report numbers its paragraph: 3.19, 5.2.4'),
  section: z.string().describe('The section of the report it is in'),
  text: z.string(),
  kind,
  public_health: z.boolean().describe('The report brought it to the attention of public health'),
};

/** A review's findings in report order, each with the numbers of the live recommendations that answer it. */
export const findingsListAnswer = z.object({
  findings: z.array(z.object({ ...findingFields, recommendations: z.array(z.string()) })),
});

/** One finding and the live recommendations that answer it. */
export const findingPageAnswer = z.object({
  finding: z.object(findingFields),
  recommendations: z.array(z.object({ number: z.string(), text: z.string() })),
});

/** A finding as saved. */
export const savedFindingSchema = z.object({
  id: z.number().int(),
  version: z.number().int().describe('Send it back with a change, so a stale edit is refused'),
  number: z.string(),
  section: z.string(),
  text: z.string(),
  kind,
  publicHealth: z.boolean(),
  recommendationIds: z.array(z.number().int()).describe('The live recommendations that answer it'),
});

export const findingAnswer = z.object({ finding: savedFindingSchema });
