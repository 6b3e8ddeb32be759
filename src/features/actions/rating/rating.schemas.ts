import { z } from 'zod';
import { RATINGS } from '../../../domain/ratings.ts';

/*
 * What the rating API answers, as docs/assurance.md documents it. Fastify checks every answer
 * against this before sending it.
 */

const rating = z.enum(RATINGS);

/** 201 to an agreement or a challenge: what was recorded, and the action's API address. */
export const ratingDecisionResponse = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('agreed'), ratingEventId: z.number().int(), rating, action: z.string() }),
  z.object({ kind: z.literal('challenged'), challengeId: z.number().int(), rating, action: z.string() }),
]);

/** The peer challenge group agreeing a rating, or challenging the latest proposed one. */
export const ratingBody = z
  .object({
    decision: z.enum(['agree', 'challenge']).describe('Agree a rating, or challenge the proposed rating'),
    rating: rating.optional().describe("The rating agreed, from the plan's scale: needed to agree"),
    rationale: z.string().max(4000).describe('Why the group agrees the rating, or why it challenges the proposal'),
    overrideReason: z
      .string()
      .max(4000)
      .optional()
      .describe('Why the group agrees Green or Blue without accepted evidence dated within the stale window'),
  })
  .describe('A decision on the rating of an action')
  .meta({ examples: [{ decision: 'agree', rating: 'amber', rationale: 'Audit started; results not yet in' }] });
