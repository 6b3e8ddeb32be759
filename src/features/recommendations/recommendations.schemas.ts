import { z } from 'zod';
import {
  exceptionSchema,
  isoDate,
  isoInstant,
  organisationOptionSchema,
  ratingSchema,
  rollUpSchema,
  versionField,
} from '../../platform/plan-schemas.ts';

/* The JSON answers about recommendations. */

/** One recommendation of a review, with its group, findings, rating, live actions and exceptions. */
export const recommendationPageAnswer = z.object({
  recommendation: z.object({
    id: z.number().int(),
    number: z.string().describe('As the report numbers it: 1.1'),
    text: z.string(),
    outcome: z.string(),
    anticipated_evidence: z.string(),
    assurance: z.string(),
    responsible_officer: z.string(),
    group_id: z.number().int(),
    archived_at: isoInstant.nullable(),
    group_number: z.number().int(),
    group_heading: z.string(),
  }),
  addressedOrganisations: z.array(organisationOptionSchema).describe('The organisations of its group'),
  findings: z.array(
    z.object({
      id: z.number().int(),
      number: z.string(),
      section: z.string(),
      text: z.string(),
      kind: z.enum(['concern', 'good_practice']),
      public_health: z.boolean().describe('The report brought it to the attention of public health'),
      position: z.number().int(),
    }),
  ),
  rating: rollUpSchema.nullable(),
  actions: z.array(
    z.object({
      id: z.number().int(),
      position: z.number().int(),
      agency_text: z.string(),
      action_text: z.string(),
      lead_text: z.string(),
      date_words: z.string().describe('The date as the plan words it'),
      due_date: isoDate.nullable(),
      measure: z.string(),
      organisations: z.array(z.string()).describe('Short names of its organisations'),
      rating: ratingSchema.nullable(),
      awaitingAgreement: z.boolean().describe('A proposed rating waits for the peer challenge group'),
    }),
  ),
  exceptions: z.array(exceptionSchema),
});

/** A recommendation as saved. */
export const savedRecommendationSchema = z.object({
  id: z.number().int(),
  version: z.number().int().describe('Send it back with a change, so a stale edit is refused'),
  number: z.string(),
  groupId: z.number().int(),
  text: z.string(),
  outcome: z.string(),
  anticipatedEvidence: z.string(),
  assurance: z.string(),
  responsibleOfficer: z.string(),
});

export const recommendationAnswer = z.object({ recommendation: savedRecommendationSchema });

const archivedState = z.object({ number: z.string(), archived: z.boolean() });

export const recommendationArchivedAnswer = z.object({
  recommendation: archivedState,
  actionsArchived: z.number().int().describe('Live actions archived with it'),
});

export const recommendationRestoredAnswer = z.object({
  recommendation: archivedState,
  actionsRestored: z.number().int().describe('Actions archived with it and restored with it'),
});

/** What adding or changing a recommendation sends: every field, as the form has them. */
export const recommendationBody = z
  .object({
    number: z.string().describe('As the report numbers it: 1.1 (one to four numbers joined by dots)'),
    groupId: z.number().int().describe('The id of the recommendation group it belongs to'),
    text: z.string().max(5000).describe('The recommendation, as the report words it'),
    outcome: z.string().max(5000).optional().describe('The outcome it should bring about'),
    anticipatedEvidence: z.string().max(5000).optional().describe('The evidence that will show it is done'),
    assurance: z.string().max(5000).optional().describe('How the board will be assured'),
    responsibleOfficer: z.string().max(200).optional().describe('Who answers for it'),
    version: versionField,
  })
  .describe('A recommendation. PUT replaces every field: fields left out are saved empty.')
  .meta({
    examples: [
      {
        number: '1.1',
        groupId: 1,
        text: 'Ensure that health staff record the voice of the child in every assessment.',
        outcome: 'Children’s views shape the help they get',
        version: 1,
      },
    ],
  });

/** Archiving or restoring a recommendation: nothing to send. */
export const nothingBody = z.object({}).describe('Nothing: send an empty JSON object, or no body');
