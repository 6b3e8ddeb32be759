import { z } from 'zod';
import {
  exceptionSchema,
  isoDate,
  isoInstant,
  organisationOptionSchema,
  ratingSchema,
  versionField,
} from '../../platform/plan-schemas.ts';
import { assignmentSchema } from './assignments/assignments.schemas.ts';

/* The JSON answers about actions: one action with its history, a saved action, moving and archiving. */

const rating = ratingSchema;

/** How the date words of an action read: the dates found and the due date they mean, with why. */
const dateReadingSchema = z.object({
  words: z.string().describe('The words exactly as given'),
  dates: z.array(isoDate).describe('Every date found, in the order the words give them'),
  date: isoDate.nullable().describe('The due date they mean: the latest date found, or null'),
  kind: z.enum(['day', 'month', 'season', 'year', 'financial-year', 'none']),
  reason: z.string(),
});

/** The action's rating now, from its history. */
const currentRatingSchema = z.object({
  agreed: rating.nullable().describe('The latest rating the peer challenge group agreed'),
  proposed: rating.nullable().describe('The latest rating an organisation proposed'),
  agreedAt: z.string().nullable(),
  proposedAt: z.string().nullable(),
  awaitingDecision: z.boolean().describe('The latest proposal is newer than the group’s last decision'),
  disputed: z
    .boolean()
    .describe('The group decided since the latest proposal, and differently (challenged it or agreed another rating)'),
  overrideReason: z.string().nullable().describe('Why the latest agreement was made without recent evidence'),
  challenge: z
    .object({ rating, rationale: z.string(), at: z.string() })
    .nullable()
    .describe('The group’s challenge of the latest proposal, until it is answered'),
});

export const actionPageAnswer = z.object({
  action: z.object({
    id: z.number().int(),
    review_id: z.number().int(),
    recommendation_id: z.number().int(),
    position: z.number().int(),
    agency_text: z.string(),
    action_text: z.string(),
    lead_text: z.string(),
    date_words: z.string().describe('The date as the plan words it'),
    due_date: isoDate.nullable(),
    measure: z.string(),
    assurance: z.string(),
    sustain_how: z.string().describe('How a completed action’s effect will be shown to last'),
    reassurance_due_on: isoDate.nullable().describe('The day by which fresh accepted evidence is due'),
    created_on: isoDate,
    archived_at: isoInstant.nullable(),
    version: z.number().int().describe('Send it back with a change, so a stale edit is refused'),
    recommendation_number: z.string(),
    recommendation_text: z.string(),
    recommendation_outcome: z.string(),
  }),
  label: z.string().describe('"Action 2 of recommendation 1.1"'),
  organisations: z.array(organisationOptionSchema),
  dateReading: dateReadingSchema,
  rating: currentRatingSchema,
  lastingAssurance: z
    .enum(['not_complete', 'no_date', 'due', 'held', 'lapsed'])
    .describe('Whether a completed action’s effect is shown to last: lapsed when fresh evidence did not come in time'),
  assignments: z
    .array(assignmentSchema)
    .describe('Each organisation given the action, when, and its latest answer (accepted or disputed)'),
  questions: z
    .array(
      z.object({
        id: z.number().int(),
        text: z.string(),
        asked_by: z.string(),
        forum: z.string(),
        asked_on: isoDate,
        response_text: z.string(),
        response_by_name: z.string().nullable(),
        published_on: isoDate.nullable(),
      }),
    )
    .describe('Questions from boards and panels about the action with a published response'),
  ratingHistory: z.array(
    z.object({
      id: z.number().int(),
      kind: z.enum(['proposed', 'agreed']),
      rating,
      decided_on: isoDate.describe('The day it was recorded'),
      effective_on: isoDate
        .nullable()
        .describe('The day it speaks for, when not the day it was recorded (a proposal sent with an earlier update)'),
      user_id: z.number().int().nullable(),
      actor_name: z.string(),
      rationale: z.string(),
      override_reason: z.string().nullable(),
      is_illustrative: z.boolean().describe('Made up for the demonstration, not a real decision'),
      created_at: isoInstant,
      meeting_id: z.number().int().nullable().describe('The meeting that took the decision; null outside a meeting'),
      meeting_forum: z.string().nullable(),
      meeting_starts_at: z.string().nullable().describe("Local (London) date and time, 'YYYY-MM-DDTHH:MM'"),
    }),
  ),
  challenges: z.array(
    z.object({
      id: z.number().int(),
      rating,
      decided_on: isoDate,
      user_id: z.number().int().nullable(),
      actor_name: z.string(),
      rationale: z.string(),
      created_at: isoInstant,
      meeting_id: z.number().int().nullable(),
      meeting_forum: z.string().nullable(),
      meeting_starts_at: z.string().nullable(),
    }),
  ),
  progress: z.array(
    z.object({
      id: z.number().int(),
      progress_on: isoDate,
      text: z.string(),
      author_name: z.string(),
      author_user_id: z.number().int().nullable(),
      proposed_rating: rating.nullable(),
      is_illustrative: z.boolean(),
      created_at: isoInstant,
      withdrawn_at: isoInstant.nullable().describe('When the person who posted it withdrew it; null if not withdrawn'),
      withdrawn_by: z.string().nullable(),
      withdrawn_reason: z.string().nullable(),
    }),
  ),
  evidence: z.array(
    z.object({
      id: z.number().int(),
      kind: z.enum(['file', 'link', 'note']),
      title: z.string(),
      effective_on: isoDate,
      period_start: isoDate.nullable(),
      file_name: z.string().nullable(),
      media_type: z.string().nullable(),
      size: z.number().int().nullable(),
      url: z.string().nullable(),
      note: z.string().nullable(),
      status: z.enum(['submitted', 'accepted', 'rejected']),
      status_reason: z.string().nullable(),
      status_by_name: z.string().nullable(),
      status_at: isoInstant.nullable(),
      added_by_name: z.string(),
      is_illustrative: z.boolean(),
      progress_update_id: z.number().int().nullable(),
      created_at: isoInstant,
      version: z.number().int(),
      download: z.string().nullable().describe('Where a file is downloaded; null for a link or a note'),
      withdrawn_at: isoInstant.nullable().describe('When the person who posted it withdrew it; null if not withdrawn'),
      withdrawn_by: z.string().nullable(),
      withdrawn_reason: z.string().nullable(),
    }),
  ),
  exceptions: z.array(exceptionSchema),
});

/** An action as saved, with what the page says after saving. */
export const savedActionAnswer = z.object({
  action: z.object({
    id: z.number().int(),
    recommendationNumber: z.string(),
    version: z.number().int().describe('Send it back with a change, so a stale edit is refused'),
    agencyText: z.string(),
    organisationIds: z.array(z.number().int()),
    actionText: z.string(),
    leadText: z.string(),
    dateWords: z.string(),
    dueDate: isoDate.nullable(),
    measure: z.string(),
    assurance: z.string(),
    sustainHow: z.string().describe('How a completed action’s effect will be shown to last'),
    reassuranceDueOn: isoDate.nullable().describe('The day by which fresh accepted evidence is due'),
    reviewId: z.number().int(),
    href: z.string(),
  }),
  notes: z.object({
    dueDate: z.string().nullable().describe('How the due date was read from the date words, if it was'),
    dueDateSource: z.enum(['typed', 'read', 'ongoing']),
    smart: z
      .array(z.object({ part: z.enum(['lead', 'date', 'measure']), reason: z.string() }))
      .describe('What keeps the action from being SMART: guidance, the action is saved'),
  }),
});

export const movedAnswer = z.object({
  recommendationNumber: z.string(),
  actionIds: z.array(z.number().int()).describe('The live actions of the recommendation in their new order'),
});

export const archivedActionAnswer = z.object({
  action: z.object({ id: z.number().int(), archived: z.boolean() }),
});

/** What adding or changing an action sends: every field, as the form has them. */
export const actionBody = z
  .object({
    agencyText: z.string().max(200).optional().describe('The agency or service, as the plan words it'),
    organisationIds: z
      .array(z.number().int())
      .min(1)
      .describe('The ids of the organisations the action is for: at least one, one of them yours if you edit for one'),
    actionText: z.string().max(5000).describe('The SMART action'),
    leadText: z.string().max(200).optional().describe('Who leads it'),
    dateWords: z.string().max(100).optional().describe('The date of the action as the plan words it: "March 2027"'),
    dueDate: isoDate
      .nullable()
      .optional()
      .describe(
        "The date the action is due, 'YYYY-MM-DD'. Left out or null, it is read from the date words. " +
          'An agreed due date is moved only by the coordinator, with dueDateReason; others propose a new date.',
      ),
    measure: z.string().max(5000).optional().describe('How you will know it has worked'),
    assurance: z.string().max(5000).optional().describe('The assurance the board will have'),
    sustainHow: z.string().max(5000).optional().describe('How the effect will be shown to last'),
    reassuranceDueOn: isoDate
      .nullable()
      .optional()
      .describe("The day by which fresh accepted evidence is due once the action is complete, 'YYYY-MM-DD'"),
    dueDateReason: z
      .string()
      .max(4000)
      .optional()
      .describe('Why an agreed due date is changing: needed when the coordinator moves it'),
    version: versionField,
  })
  .describe('An action. PUT replaces every field: fields left out are saved empty.')
  .meta({
    examples: [
      {
        agencyText: 'The Trust',
        organisationIds: [1],
        actionText: 'Audit 20 records of looked after children each quarter',
        leadText: 'Named nurse',
        dateWords: 'March 2027',
        dueDate: '2027-03-31',
        measure: 'Audit results reported to the board',
        version: 1,
      },
    ],
  });

/** Moving an action one place among its recommendation's actions. */
export const moveBody = z
  .object({ direction: z.enum(['up', 'down']).describe('Which way to move it, one place') })
  .meta({ examples: [{ direction: 'up' }] });

/** Archiving or restoring an action or a recommendation: nothing to send. */
export const emptyBody = z.object({}).describe('Nothing: send an empty JSON object, or no body');
