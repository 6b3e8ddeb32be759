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
