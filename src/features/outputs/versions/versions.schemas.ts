import { z } from 'zod';
import { EXCEPTION_KINDS, EXCEPTION_SUBJECT_TYPES } from '../../../domain/exceptions.ts';
import { FORUMS } from '../../../domain/meeting-records.ts';
import {
  SNAPSHOT_FORMAT,
  VERSION_PURPOSES,
  type PlanSnapshot,
  type SnapshotVersionRow,
} from '../../../domain/plan-snapshot.ts';
import type { PlanComparison } from '../../../domain/plan-comparison.ts';

/*
 * What the versions API answers: a version's row, the frozen plan and a comparison, described
 * field by field. They are the domain's own shapes (src/domain/plan-snapshot.ts and
 * plan-comparison.ts); the checks at the end of this file fail to compile if the two drift apart.
 */

const rating = z.enum(['blue', 'green', 'amber', 'red']);
const isoDate = z.string().describe('YYYY-MM-DD');

export const versionRowSchema = z.object({
  number: z.string(),
  issuedOn: isoDate.nullable(),
  author: z.string(),
  purpose: z.string().describe('comment, cqc, hwb, scrutiny or other; the words as recorded for older versions'),
  actionText: z.string(),
  comment: z.string(),
  recipients: z.string(),
  frozen: z.boolean().describe('Whether Clasp holds the frozen plan of this version'),
});

const evidenceStatus = z.enum(['submitted', 'accepted', 'rejected']);

const meeting = z
  .object({ forum: z.enum(FORUMS), startsAt: z.string().describe('Local date and time, YYYY-MM-DDTHH:MM') })
  .describe('The meeting that took the decision');

const question = z.object({
  id: z.number(),
  about: z.string(),
  text: z.string(),
  askedBy: z.string(),
  forum: z.enum(FORUMS),
  meeting: z.string(),
  askedOn: isoDate,
  organisation: z.string().nullable(),
  response: z
    .object({ text: z.string(), publishedOn: isoDate, approvedBy: z.string() })
    .nullable()
    .describe('Only a published response'),
});

export const planSnapshotSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  takenAt: z.string(),
  asOf: isoDate,
  staleDays: z.number(),
  version: versionRowSchema.nullable(),
  review: z.object({
    id: z.number(),
    title: z.string(),
    type: z.string(),
    area: z.string(),
    reviewStart: isoDate.nullable(),
    reviewEnd: isoDate.nullable(),
    reportPublished: isoDate.nullable(),
    reportReceived: isoDate.nullable(),
    planDue: isoDate.nullable(),
    inspectors: z.array(z.string()),
    ratingScale: z.enum(['BRAG', 'RAG']),
    leadOrganisation: z.string().nullable(),
    illustrativeNotice: z.string().nullable(),
  }),
  organisations: z.array(z.object({ id: z.number(), name: z.string(), shortName: z.string(), kind: z.string() })),
  versions: z.array(versionRowSchema),
  groups: z.array(
    z.object({ id: z.number(), number: z.number(), heading: z.string(), organisationIds: z.array(z.number()) }),
  ),
  recommendations: z.array(
    z.object({
      id: z.number(),
      groupId: z.number(),
      number: z.string(),
      text: z.string(),
      outcome: z.string(),
      anticipatedEvidence: z.string(),
      assurance: z.string(),
      responsibleOfficer: z.string(),
      findingNumbers: z.array(z.string()),
      rating: rating.nullable(),
      basis: z.object({
        actions: z.number(),
        ratedActions: z.number(),
        acceptedEvidence: z.number(),
        lastProgressOn: isoDate.nullable(),
        lastAgreedBy: z.string().nullable(),
        lastAgreedOn: isoDate.nullable(),
        lastAgreedAt: meeting.nullable().optional(),
      }),
    }),
  ),
  actions: z.array(
    z.object({
      id: z.number(),
      recommendationId: z.number(),
      label: z.string(),
      number: z.number(),
      agency: z.string(),
      organisationIds: z.array(z.number()),
      action: z.string(),
      lead: z.string(),
      dateWords: z.string(),
      dueDate: isoDate.nullable(),
      originalDueDate: isoDate.nullable().optional(),
      dueDateMoves: z.number().int().optional(),
      proposedDueDate: isoDate.nullable().optional(),
      measure: z.string(),
      assurance: z.string(),
      createdOn: isoDate,
      rating: rating.nullable(),
      ratingStatus: z.enum(['agreed', 'proposed', 'none']),
      disputed: z.boolean(),
      agreedBy: z.string().nullable(),
      agreedOn: isoDate.nullable(),
      agreedAt: meeting.nullable().optional(),
      sustainHow: z.string().optional(),
      reassuranceDueOn: isoDate.nullable().optional(),
      ratingEvents: z.array(
        z.object({
          kind: z.enum(['proposed', 'agreed', 'challenged']),
          rating,
          on: isoDate,
          by: z.string(),
          meeting: meeting.nullable().optional(),
        }),
      ),
      progress: z.array(z.object({ id: z.number(), on: isoDate, text: z.string(), author: z.string() })),
      evidence: z.array(
        z.object({
          id: z.number(),
          kind: z.enum(['file', 'link', 'note']),
          title: z.string(),
          effectiveOn: isoDate,
          periodStart: isoDate.nullable().optional(),
          fileName: z.string().nullable(),
          mediaType: z.string().nullable(),
          size: z.number().nullable(),
          sha256: z.string().nullable(),
          url: z.string().nullable(),
          note: z.string().nullable(),
          status: evidenceStatus,
          statusReason: z.string().nullable(),
          statusBy: z.string().nullable(),
          statusOn: isoDate.nullable(),
          addedBy: z.string(),
          addedOn: isoDate,
        }),
      ),
    }),
  ),
  exceptions: z.array(
    z.object({
      kind: z.enum(EXCEPTION_KINDS),
      subjectType: z.enum(EXCEPTION_SUBJECT_TYPES),
      subjectId: z.number(),
      label: z.string(),
      recommendationId: z.number().nullable(),
      reason: z.string(),
    }),
  ),
  questions: z.array(question).optional(),
});

const comparedSide = z.object({
  label: z.string(),
  number: z.string().nullable().describe('The version number, or null for now'),
  takenAt: z.string(),
  asOf: isoDate,
});

const actionRef = { actionId: z.number(), label: z.string(), recommendationNumber: z.string() };
const fieldChange = z.object({ field: z.string(), before: z.string(), after: z.string() });
const recommendationText = z.object({ recommendationId: z.number(), number: z.string(), text: z.string() });
const actionText = z.object({ ...actionRef, action: z.string(), agency: z.string() });

export const planComparisonSchema = z.object({
  from: comparedSide,
  to: comparedSide,
  addedRecommendations: z.array(recommendationText),
  removedRecommendations: z.array(recommendationText),
  changedRecommendations: z.array(
    z.object({ recommendationId: z.number(), number: z.string(), changes: z.array(fieldChange) }),
  ),
  addedActions: z.array(actionText),
  removedActions: z.array(actionText),
  changedActions: z.array(z.object({ ...actionRef, changes: z.array(fieldChange) })),
  ratingChanges: z.array(z.object({ ...actionRef, before: rating.nullable(), after: rating.nullable() })),
  newProgress: z.array(
    z.object({ ...actionRef, progressId: z.number(), on: isoDate, text: z.string(), author: z.string() }),
  ),
  newEvidence: z.array(
    z.object({ ...actionRef, evidenceId: z.number(), title: z.string(), effectiveOn: isoDate, status: evidenceStatus }),
  ),
  evidenceDecisions: z.array(
    z.object({ ...actionRef, evidenceId: z.number(), title: z.string(), before: z.string(), after: z.string() }),
  ),
  unchanged: z.boolean(),
});

/** GET /api/reviews/:reviewId/versions */
export const versionListJson = z.object({ versions: z.array(versionRowSchema) });

/** POST /api/reviews/:reviewId/versions (201) */
export const issuedVersionJson = z.object({ version: versionRowSchema });

/** GET /api/reviews/:reviewId/versions/:number: the version's row and its frozen plan. */
export const versionJson = z.object({ version: versionRowSchema.nullable(), plan: planSnapshotSchema });

/* The schemas describe exactly the domain's types: each line fails to compile if they drift apart. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;
export type _SchemasMatchTheDomain = [
  Holds<Same<z.output<typeof versionRowSchema>, SnapshotVersionRow>>,
  Holds<Same<z.output<typeof planSnapshotSchema>, PlanSnapshot>>,
  Holds<Same<z.output<typeof planComparisonSchema>, PlanComparison>>,
];

/** Issuing a version of the plan. */
export const issueVersionBody = z
  .object({
    purpose: z.enum(VERSION_PURPOSES).describe('What the version is for'),
    comment: z.string().max(2000).optional().describe('A comment: needed when the purpose is "other"'),
    recipients: z.string().max(2000).optional().describe('Who it is sent to'),
  })
  .describe('A version to issue')
  .meta({ examples: [{ purpose: 'hwb', comment: 'For the board on 3 December', recipients: 'Board members' }] });
