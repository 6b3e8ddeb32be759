import { z } from 'zod';
import { pageQuery } from '../../platform/http/api-conventions.ts';

/* What the audit API answers: events as stored, with their before and after values as JSON. */

export const eventJsonSchema = z.object({
  id: z.number(),
  at: z.string().describe('When it happened: an ISO instant'),
  actor: z.string().describe('Who did it, by name ("command line" for the clasp command)'),
  userId: z.number().nullable(),
  organisation: z.object({ id: z.number(), name: z.string().nullable() }).nullable(),
  actionId: z.number().nullable(),
  entityType: z.string(),
  entityId: z.string(),
  action: z.string(),
  description: z.string().describe('What happened, in words'),
  before: z.unknown().describe('The fields before the change, as the trail stores them (JSON), or null'),
  after: z.unknown().describe('The fields after the change, as the trail stores them (JSON), or null'),
  href: z.string().nullable().describe('The page of what it is about, when there is one'),
});

/** GET /api/reviews/:reviewId/actions/:actionId/history, newest first. */
export const actionHistoryJson = z.object({
  action: z.object({ id: z.number(), label: z.string(), archived: z.boolean() }),
  events: z.array(eventJsonSchema),
});

/** GET /api/reviews/:reviewId/audit: one page of the review's trail, newest first. */
export const reviewTrailJsonSchema = z.object({
  total: z.number(),
  page: z.number(),
  pages: z.number(),
  pageSize: z.number(),
  events: z.array(eventJsonSchema),
});

export type EventJson = z.output<typeof eventJsonSchema>;
export type ReviewTrailJson = z.output<typeof reviewTrailJsonSchema>;

/** The trail's query: the audit page's filters, and paging by cursor. */
/** A filter as sent: its first value counts when it is given twice. */
const filterParam = z.union([z.string(), z.array(z.string())]).optional();

export const trailQuery = z.looseObject({
  person: filterParam.describe("A person's id"),
  organisation: filterParam.describe("An organisation's id"),
  type: filterParam.describe('A kind of record, e.g. action'),
  action: filterParam.describe('What happened, e.g. updated'),
  from: filterParam.describe("The first day shown, 'YYYY-MM-DD'"),
  to: filterParam.describe("The last day shown, 'YYYY-MM-DD'"),
  page: filterParam.describe('A page number, 50 events a page, when not paging by cursor'),
  ...pageQuery,
});
