import { z } from 'zod';
import { isoDate } from '../../../platform/plan-schemas.ts';

/*
 * What the evidence API answers, as docs/assurance.md documents it. Fastify checks every answer
 * against these before sending it, so the presenters must give exactly these shapes.
 */

/** 201 to evidence added: its id, its status (always submitted) and the action's API address. */
export const addedEvidenceResponse = z.object({
  evidenceId: z.number().int(),
  status: z.literal('submitted'),
  action: z.string(),
});

/** The decision now recorded on an item of evidence, under its database names as the API has always sent them. */
export const decidedEvidenceSchema = z.object({
  id: z.number().int(),
  status: z.enum(['submitted', 'accepted', 'rejected']),
  status_reason: z.string().nullable(),
  status_by_name: z.string().nullable(),
  /** When it was decided: an ISO timestamp. */
  status_at: z.string().nullable(),
  version: z.number().int(),
});

/** 200 to a decision: the evidence as decided, and the action's API address. */
export const decisionResponse = z.object({
  evidence: decidedEvidenceSchema,
  action: z.string(),
});

/** 200 to a withdrawal: what was withdrawn, by whom, when and why, and the action's API address. */
export const withdrawalResponse = z.object({
  withdrawn: z.object({
    kind: z.enum(['progress_update', 'evidence_item']),
    id: z.number().int(),
    by: z.string(),
    /** When it was withdrawn: an ISO timestamp. */
    at: z.string(),
    reason: z.string(),
    /** Evidence sent with a withdrawn progress update, withdrawn with it. */
    evidenceIds: z.array(z.number().int()),
  }),
  action: z.string(),
});

/** Adding evidence: a file (multipart/form-data), a link or a note (JSON or multipart). */
export const evidenceBody = z
  .object({
    kind: z.enum(['file', 'link', 'note']).describe('What the evidence is'),
    file: z
      .string()
      .meta({ format: 'binary' })
      .optional()
      .describe('The file, for kind "file" (multipart/form-data only): PDF, Word, Excel, PowerPoint, image or text'),
    url: z.string().max(2000).optional().describe('The web address, for kind "link": https:// or http://'),
    note: z.string().optional().describe('The note, for kind "note"'),
    title: z.string().max(200).describe('A title for the evidence'),
    effectiveOn: isoDate.describe(
      "The date the evidence is from, or the last day of the period it covers, 'YYYY-MM-DD': today or earlier",
    ),
    periodStart: isoDate.optional().describe("The first day of the period it covers, if it covers one, 'YYYY-MM-DD'"),
  })
  .describe('An item of evidence')
  .meta({
    examples: [
      {
        kind: 'link',
        url: 'https://www.example.nhs.uk/audit-report',
        title: 'Audit of records, quarter 3',
        effectiveOn: '2026-11-20',
      },
    ],
  });

/** Accepting or rejecting evidence. */
export const evidenceDecisionBody = z
  .object({
    decision: z.enum(['accept', 'reject']).describe('Accept or reject the evidence'),
    reason: z.string().max(2000).optional().describe('Why it is rejected: needed to reject'),
    version: z
      .number()
      .int()
      .positive()
      .describe(
        'The version of the evidence you read: a decision made on evidence decided on since is refused with 409',
      ),
  })
  .describe('A decision on evidence')
  .meta({ examples: [{ decision: 'accept', version: 1 }] });

/** Withdrawing a progress update or an item of evidence. */
export const withdrawalBody = z
  .object({ reason: z.string().max(1000).optional().describe('Why it is withdrawn (optional)') })
  .describe('A withdrawal: only a reason, which may be left out')
  .meta({ examples: [{ reason: 'Posted on the wrong action' }] });
