import { z } from 'zod';

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
