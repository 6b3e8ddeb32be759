import { z } from 'zod';
import { FORUMS } from '../../domain/meeting-records.ts';
import { id, optionalText } from '../../platform/route-params.ts';

/*
 * What the questions API answers, as docs/questions.md documents it. Fastify checks every
 * answer against this before sending it. A draft response is in the answer only for the
 * people who may draft it.
 */

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const questionAnswer = z.object({
  id: z.number().int(),
  href: z.string(),
  about: z.object({
    kind: z.enum(['review', 'recommendation', 'action']),
    label: z.string(),
    href: z.string().nullable(),
  }),
  text: z.string(),
  askedBy: z.string(),
  forum: z.enum(FORUMS),
  meeting: z.string(),
  meetingId: z.number().int().nullable(),
  askedOn: isoDate,
  organisationId: z.number().int().nullable(),
  /** The organisation that answers, or 'The plan coordinator'. */
  answeredBy: z.string(),
  recordedBy: z.string(),
  status: z.enum(['waiting', 'answered']),
  overdue: z.boolean(),
  hasDraft: z.boolean(),
  draft: z.object({ text: z.string(), by: z.string(), at: z.string() }).nullable(),
  response: z.object({ text: z.string(), by: z.string(), publishedOn: isoDate, approvedBy: z.string() }).nullable(),
  isIllustrative: z.boolean(),
  version: z.number().int(),
  canDraft: z.boolean(),
  canApprove: z.boolean(),
});

/** 200: a review's questions, the latest asked first. */
export const questionsListAnswer = z.object({
  review: z.string(),
  questionDays: z.number().int(),
  questions: z.array(questionAnswer),
});

/** 200 and 201: one question. */
export const questionPageAnswer = z.object({ question: questionAnswer });

/** A question's address: /reviews/:reviewId/questions/:questionId. */
export const questionParams = z.object({ reviewId: id, questionId: id });

/** The list's filter by forum, and an ask form opened from an action or recommendation (?about=action:12). */
export const questionsQuery = z.object({ forum: optionalText, about: optionalText });

/** 200 to a change of the days a question may wait for its answer. */
export const questionDaysAnswer = z.object({ questionDays: z.number().int() });
