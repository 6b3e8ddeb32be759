import { z } from 'zod';

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
