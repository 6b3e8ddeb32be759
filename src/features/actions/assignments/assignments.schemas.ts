import { z } from 'zod';
import { isoInstant } from '../../../platform/plan-schemas.ts';

/* The JSON answers about assignments: an organisation's answer, and where each organisation stands. */

const answerSchema = z.object({
  response: z.enum(['accepted', 'disputed']),
  reason: z.string().describe('Why it is disputed; may be empty for an acceptance'),
  by: z.string(),
  at: isoInstant,
});

/** One organisation given the action: when, and its latest answer. */
export const assignmentSchema = z.object({
  organisationId: z.number().int(),
  name: z.string(),
  assignedAt: isoInstant.nullable().describe('When the organisation was given the action; null when not known'),
  answer: answerSchema.nullable().describe('The latest answer counts; null when it has not answered'),
});

export const assignmentAnswered = z.object({
  answer: answerSchema.extend({
    id: z.number().int(),
    organisationId: z.number().int(),
    organisationName: z.string(),
  }),
  assignments: z.array(assignmentSchema).describe('Where every organisation given the action now stands'),
});

/** An organisation's answer to an action assigned to it. */
export const assignmentBody = z
  .object({
    organisationId: z
      .number()
      .int()
      .optional()
      .describe('The organisation you answer for: may be left out when you edit for only one of the action’s'),
    response: z.enum(['accepted', 'disputed']).describe('Whether your organisation accepts or disputes the action'),
    reason: z
      .string()
      .max(4000)
      .optional()
      .describe('Why your organisation disputes it, for example who it is for instead: needed to dispute'),
  })
  .describe('An answer to an assigned action')
  .meta({ examples: [{ response: 'accepted' }] });
