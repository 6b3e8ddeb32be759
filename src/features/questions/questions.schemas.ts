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

/** Recording a question asked of the plan. */
export const askQuestionBody = z
  .object({
    about: z
      .string()
      .max(40)
      .optional()
      .describe('What it is about: "review" (the default), "recommendation:ID" or "action:ID", by id'),
    text: z.string().max(4000).describe('The question'),
    askedBy: z.string().max(200).describe('Who asked it'),
    forum: z.enum(FORUMS).describe('The forum it was asked in'),
    meetingId: z.number().int().optional().describe('The id of the meeting of this review it was asked at'),
    meetingWords: z.string().max(200).optional().describe('The name of the meeting, when it is not one in Clasp'),
    askedOn: z.string().describe("The date it was asked, 'YYYY-MM-DD': today or earlier"),
    organisationId: z
      .string()
      .max(20)
      .optional()
      .describe(
        'Who answers: an organisation’s id, "coordinator" for the plan coordinator, or left out for Clasp to choose',
      ),
  })
  .describe('A question')
  .meta({
    examples: [
      {
        about: 'review',
        text: 'When will the audit results be reported?',
        askedBy: 'Councillor Smith',
        forum: 'scrutiny_panel',
        askedOn: '2026-11-20',
      },
    ],
  });

const questionVersion = z
  .number()
  .int()
  .positive()
  .describe('The version of the question you read: a change made on top of someone else’s is refused with 409');

/** Drafting (or redrafting) the response to a question. */
export const draftResponseBody = z
  .object({ response: z.string().max(10_000).describe('The response'), version: questionVersion })
  .describe('The response to a question')
  .meta({ examples: [{ response: 'The results go to the board in March.', version: 1 }] });

/** Approving (publishing) the response. */
export const approveResponseBody = z
  .object({ version: questionVersion })
  .describe('The approval of a response: only the version approved')
  .meta({ examples: [{ version: 2 }] });

/** How many days a question may wait for an answer. */
export const questionDaysBody = z
  .object({ questionDays: z.number().int().min(1).max(365).describe('Days, from 1 to 365') })
  .describe('The days a question may wait for an answer')
  .meta({ examples: [{ questionDays: 28 }] });
