import { z } from 'zod';
import {
  exceptionSchema,
  isoDate,
  isoInstant,
  organisationSchema,
  rollUpResultSchema,
} from '../../platform/plan-schemas.ts';

/* The JSON answers about reviews: the list, a review's overview, and a review's details as saved. */

const ratingScale = z.enum(['BRAG', 'RAG']).describe('BRAG: Blue, Red, Amber, Green; RAG: Red, Amber, Green');

/**
 * One filter value from the address. A field given twice counts as its last; an empty one
 * as not given. Whether the value is one the plan has is checked against the plan
 * (exception-filters.ts), so nothing here refuses a request.
 */
const filterValue = z.preprocess((value) => {
  const last: unknown = Array.isArray(value) ? value.at(-1) : value;
  const text = typeof last === 'string' ? last.trim() : '';
  return text === '' ? undefined : text;
}, z.string().optional());

/** The overview's exception filters: ?kind=overdue&organisation=12&lead=Named%20nurse */
export const exceptionFilterQuery = z.object({
  kind: filterValue.describe('A kind of exception, e.g. overdue'),
  organisation: filterValue.describe("An organisation's id"),
  lead: filterValue.describe("An action's lead, as the plan words it"),
});

/** The reviews this person can see, newest report first. */
export const reviewListAnswer = z.object({
  reviews: z.array(
    z.object({
      id: z.number().int(),
      title: z.string(),
      area: z.string(),
      report_published: isoDate.nullable(),
      is_demo: z.boolean().describe('A demonstration review, with illustrative progress and ratings'),
      findings: z.number().int(),
      recommendations: z.number().int().describe('Live recommendations'),
      actions: z.number().int().describe('Live actions'),
      review_start: isoDate.nullable(),
      review_end: isoDate.nullable(),
      plan_due: isoDate.nullable().describe('When the plan is due: 20 working days after the report was received'),
      plan_issued: isoDate.nullable().describe('When the plan was sent, or null while it is not'),
      ratings: z
        .object({
          red: z.number().int(),
          amber: z.number().int(),
          green: z.number().int(),
          blue: z.number().int(),
          unrated: z.number().int(),
        })
        .describe("The plan's live actions by the rating shown"),
      needs_attention: z.number().int().describe("How many exceptions the plan has (the overview's two lists)"),
      last_activity: z
        .string()
        .nullable()
        .describe('When anything in the review last changed (ISO time), from its audit trail'),
    }),
  ),
});

/** A review: its details, plan due date, organisations, ratings, exceptions and versions. */
export const reviewOverviewAnswer = z.object({
  review: z.object({
    id: z.number().int(),
    source_key: z.string().nullable().describe('A stable key for loaded data sets (the demo); null when made by hand'),
    title: z.string(),
    type: z.string().describe('CLAS'),
    area: z.string(),
    review_start: isoDate.nullable(),
    review_end: isoDate.nullable(),
    report_published: isoDate.nullable(),
    report_received: isoDate.nullable(),
    inspectors: z.array(z.string()),
    cqc_region: z.string().nullable(),
    nhs_england_area: z.string().nullable(),
    children_cases: z.number().int().nullable(),
    lead_organisation_id: z.number().int().nullable(),
    rating_scale: ratingScale,
    plan_issued: isoDate.nullable(),
    stale_days: z.number().int().nullable().describe('Days without progress before an open action is stale, if set'),
    assignment_days: z
      .number()
      .int()
      .nullable()
      .describe('Days an assignment may go unanswered before it is chased, if set (else 14)'),
    assessed_as_of: isoDate.nullable().describe('Exceptions are found as of this date instead of today, if set'),
    is_demo: z.boolean().describe('A demonstration review, with illustrative progress and ratings'),
    illustrative_notice: z.string().nullable(),
    created_at: isoInstant,
    updated_at: isoInstant,
    version: z.number().int().describe('Send it back with a change, so a stale edit is refused'),
    plan_revision: z.number().int().describe('Changes whenever anything in the plan changes'),
  }),
  planDueDate: isoDate.nullable().describe('20 working days after the report was received (or published)'),
  organisationsCovered: z.array(organisationSchema),
  leadOrganisation: organisationSchema.nullable(),
  ratings: rollUpResultSchema,
  exceptions: z
    .array(
      exceptionSchema.extend({
        organisationIds: z.array(z.string()).describe("Whose it is: an action's organisations, or the one uncovered"),
        lead: z.string().optional().describe("An action's lead"),
      }),
    )
    .describe('Only those passing the filters kind, organisation and lead, when given'),
  exceptionsTotal: z.number().int().describe('Exceptions in the plan before any filter'),
  exceptionFilters: z
    .object({ kind: z.string().nullable(), organisation: z.string().nullable(), lead: z.string().nullable() })
    .describe('The filters applied, null where none'),
  asOf: isoDate.describe('The day the exceptions are found as of'),
  staleDays: z.number().int(),
  versions: z.array(
    z.object({
      id: z.number().int(),
      number: z.string(),
      issued_on: isoDate.nullable(),
      author: z.string(),
      purpose: z.string(),
      action_text: z.string(),
      comment: z.string(),
    }),
  ),
});

/** A review's details as saved. */
export const reviewAnswer = z.object({
  review: z.object({
    id: z.number().int(),
    version: z.number().int().describe('Send it back with a change, so a stale edit is refused'),
    title: z.string(),
    area: z.string(),
    reviewStart: isoDate,
    reviewEnd: isoDate,
    reportPublished: isoDate,
    reportReceived: isoDate.nullable(),
    leadOrganisationId: z.number().int(),
    organisationIds: z.array(z.number().int()).describe('The organisations covered; the lead is always one'),
    ratingScale,
    assignmentDays: z
      .number()
      .int()
      .nullable()
      .describe('Days an assignment may go unanswered before it is chased; null is the default, 14'),
  }),
});
