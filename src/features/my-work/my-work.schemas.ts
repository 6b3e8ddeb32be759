import { z } from 'zod';
import { pageOfList, pageQuery } from '../../platform/http/api-conventions.ts';
import { isoDate } from '../../platform/plan-schemas.ts';

/* The answer of GET /api/my-work: what waits for the person, review by review. */

const workItem = z.object({
  kind: z.enum([
    'overdue',
    'stale',
    'due_soon',
    'evidence_rejected',
    'rating_disputed',
    'revised_date_refused',
    'evidence_to_decide',
    'rating_to_decide',
    'organisation_behind',
    'revised_date_to_agree',
    'plan_deadline',
    'evidence_requested',
    'question_to_answer',
    'response_to_approve',
    'assignment_to_accept',
    'assignment_disputed',
    'assurance_lapsed',
  ]),
  section: z.enum(['editing', 'assurance', 'coordination']).describe('Which of the person’s roles it is for'),
  reviewId: z.number().int(),
  subject: z.string(),
  detail: z.string().describe('One sentence with the facts'),
  href: z.string().describe('The page with the form that clears it'),
  todo: z.string(),
  since: z.string().nullable().describe('The day it has waited since (YYYY-MM-DD), oldest first'),
});

export const myWorkAnswer = z.object({
  count: z.number().int(),
  reviews: z.array(
    z.object({
      id: z.number().int(),
      title: z.string(),
      area: z.string(),
      asOf: z.string().describe('The day the work is worked out for: today, or the day the review is assessed at'),
      items: z.array(workItem),
    }),
  ),
});

export type MyWorkAnswer = z.output<typeof myWorkAnswer>;

export const myWorkQuery = z.object(pageQuery);

/**
 * One page of the work, items counted across reviews in their order. Each item is known by its
 * review, kind and page (numbered when two are alike), so the next page starts after the last shown.
 */
export function pageOfMyWork(answer: MyWorkAnswer, query: z.output<typeof myWorkQuery>) {
  const seen = new Map<string, number>();
  const items = answer.reviews.flatMap((review) =>
    review.items.map((item) => {
      const base = `${review.id}|${item.kind}|${item.href}`;
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      return { review, item, key: `${base}|${n}` };
    }),
  );
  const page = pageOfList(items, (entry) => entry.key, query);
  const reviews = answer.reviews
    .map((review) => ({ ...review, items: page.items.filter((e) => e.review === review).map((e) => e.item) }))
    .filter((review) => review.items.length > 0);
  return { answer: { count: answer.count, reviews }, next: page.next };
}

/** A coordinator's chase list as JSON: the actions of each organisation that are behind. */
export const chaseListAnswer = z.object({
  review: z.object({ id: z.number().int(), area: z.string() }),
  asOf: isoDate.describe('The day the list was worked out for'),
  lines: z.array(
    z.object({
      organisation: z.string().describe('The organisation asked about the action'),
      action: z.string().describe('The action, as the plan names it'),
      why: z.enum(['overdue', 'stale']).describe('overdue: past its due date; stale: no recent progress'),
      detail: z.string().describe('What is behind, in words'),
      dueDate: isoDate.nullable(),
      href: z.string().describe("The action's page"),
    }),
  ),
});
