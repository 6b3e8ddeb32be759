import { z } from 'zod';
import { EXCEPTION_KINDS, EXCEPTION_SUBJECT_TYPES } from '../domain/exceptions.ts';
import { ORGANISATION_KIND_NAMES, type OrganisationKind } from '../domain/organisations.ts';

/*
 * Pieces of the JSON answers about a review's plan that several features share: ratings,
 * roll-ups, exceptions and organisations. Dates are 'YYYY-MM-DD', instants ISO 8601 in UTC.
 */

export const ratingSchema = z.enum(['blue', 'green', 'amber', 'red']);

/** A calendar date, 'YYYY-MM-DD'. */
export const isoDate = z.string().describe("A calendar date, 'YYYY-MM-DD'");

/** An instant, ISO 8601 in UTC. */
export const isoInstant = z.string().describe('An instant, ISO 8601 in UTC');

const ratingCounts = {
  blue: z.number().int(),
  green: z.number().int(),
  amber: z.number().int(),
  red: z.number().int(),
};

/** How the rated actions of a recommendation or organisation stand. */
export const rollUpSchema = z.object({
  rating: ratingSchema
    .nullable()
    .describe(
      'The worst rating of its actions; null when none is rated, or when one is not rated and the rated ' +
        'ones are all Green or Blue',
    ),
  counts: z.object(ratingCounts),
  unrated: z.number().int().describe('Actions with no rating, or one the scale does not allow'),
  total: z.number().int(),
  lapsed: z.number().int().describe('Completed actions whose assurance lapsed; they still count by their rating'),
});

const planCounts = z.object({
  ...ratingCounts,
  unrated: z.number().int(),
  total: z.number().int(),
  lapsed: z.number().int().describe('Assurance lapsed: actions, or recommendations with such an action'),
});

/** The ratings of the whole plan: by recommendation and by organisation (keyed by id), and in total. */
export const rollUpResultSchema = z.object({
  byRecommendation: z.record(z.string(), rollUpSchema),
  byOrganisation: z.record(z.string(), rollUpSchema),
  plan: z.object({
    rating: ratingSchema.nullable().describe('The whole plan’s rating, by the same rule over all its actions'),
    actions: planCounts,
    recommendations: planCounts.describe('Counts of the recommendations’ ratings; unrated: those with none'),
  }),
});

/** Something the coordinator must chase, with the facts in one sentence. */
export const exceptionSchema = z.object({
  kind: z.enum(EXCEPTION_KINDS),
  subject: z.object({
    type: z.enum(EXCEPTION_SUBJECT_TYPES),
    id: z.string(),
    label: z.string(),
  }),
  recommendationId: z.string().optional(),
  reason: z.string(),
});

/** An organisation as the plan names it. */
export const organisationOptionSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  short_name: z.string(),
});

const organisationKinds = Object.keys(ORGANISATION_KIND_NAMES) as [OrganisationKind, ...OrganisationKind[]];

/** An organisation with its kind (commissioner, NHS trust…). */
export const organisationSchema = organisationOptionSchema.extend({ kind: z.enum(organisationKinds) });

/** The `version` a change sends back: the one it read, so a change made since is not overwritten. */
export const versionField = z
  .number()
  .int()
  .positive()
  .optional()
  .describe(
    'The version you read (from the GET answer or its ETag). If someone saved since, the change is refused ' +
      'with 409 and what they changed; send the change again with the version given then. ' +
      'Leave out to save regardless, or send If-Match instead.',
  );
