import { z } from 'zod';
import { EXCEPTION_KINDS, EXCEPTION_SUBJECT_TYPES } from '../../domain/exceptions.ts';

/* What GET /api/reviews/:reviewId/organisations/:organisationId answers: one organisation's part in a review. */

const rating = z.enum(['blue', 'green', 'amber', 'red']);
const isoDate = z.string().describe('YYYY-MM-DD');
const counts = z.object({ blue: z.number(), green: z.number(), amber: z.number(), red: z.number() });

export const organisationJsonSchema = z.object({
  organisation: z.object({
    id: z.number(),
    name: z.string(),
    shortName: z.string(),
    kind: z.enum(['commissioner', 'nhs_trust', 'gp_practice', 'local_authority', 'nhs_england', 'other']),
  }),
  lead: z.boolean().describe('Whether it leads the action plan'),
  covered: z.boolean().describe('Whether the review covers it'),
  addressedRecommendations: z.array(z.string()).describe('The numbers of the recommendations addressed to it'),
  ratings: z.object({
    rating: rating.nullable().describe('The worst rating of its actions; null when none is rated'),
    counts,
    unrated: z.number(),
    total: z.number(),
  }),
  lastProgressOn: isoDate.nullable(),
  actions: z.array(
    z.object({
      id: z.number(),
      label: z.string().nullable(),
      recommendation: z.string().nullable().describe('The number of its recommendation'),
      text: z.string(),
      rating: rating.nullable(),
      awaitingAgreement: z.boolean(),
      dueDate: isoDate.nullable(),
      dateWords: z.string(),
      lastProgressOn: isoDate.nullable(),
    }),
  ),
  exceptions: z.array(
    z.object({
      kind: z.enum(EXCEPTION_KINDS),
      subject: z.object({ type: z.enum(EXCEPTION_SUBJECT_TYPES), id: z.string(), label: z.string() }),
      recommendationId: z.string().optional(),
      reason: z.string(),
    }),
  ),
  people: z.array(
    z.object({
      name: z.string(),
      role: z.enum(['coordinator', 'editor', 'reviewer', 'viewer']),
      email: z.string().optional().describe('Given to the review’s coordinators and to administrators only'),
    }),
  ),
  asOf: isoDate,
});

export type OrganisationJson = z.output<typeof organisationJsonSchema>;
