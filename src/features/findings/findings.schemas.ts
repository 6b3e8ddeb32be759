import { z } from 'zod';
import { versionField } from '../../platform/plan-schemas.ts';
import { FINDING_SECTIONS } from './findings.forms.ts';

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

/** What adding or changing a finding sends: every field, as the form has them. */
export const findingBody = z
  .object({
    number: z.string().describe('As the report numbers it: 3.19 (one to four numbers joined by dots)'),
    section: z
      .string()
      .describe(
        `The section of the report it is in: ${FINDING_SECTIONS.join(', ')}, or the name of another section ` +
          '(100 characters or fewer)',
      ),
    sectionOther: z
      .string()
      .max(100)
      .optional()
      .describe('The name of another section, when section is "other" (as the page sends it)'),
    text: z.string().max(5000).describe('The finding, as the report words it'),
    kind: z.enum(['concern', 'good_practice']).describe('A concern, or good practice'),
    publicHealth: z.boolean().optional().describe('The report brought it to the attention of public health'),
    recommendationIds: z
      .array(z.number().int())
      .optional()
      .describe('The ids of the live recommendations that answer it'),
    version: versionField,
  })
  .describe('A finding. PUT replaces every field: fields left out are saved empty.')
  .meta({
    examples: [
      {
        number: '3.19',
        section: 'Child protection',
        text: 'Referrals to children’s social care were of variable quality.',
        kind: 'concern',
        publicHealth: false,
        recommendationIds: [],
        version: 1,
      },
    ],
  });
