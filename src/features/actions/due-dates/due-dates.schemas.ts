import { z } from 'zod';

/*
 * What the due date API answers, as docs/editing.md documents it. Fastify checks every answer
 * against this before sending it.
 */

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const change = z.object({
  id: z.number().int(),
  kind: z.enum(['proposed', 'agreed', 'refused', 'set']),
  proposalId: z.number().int().nullable(),
  fromDate: isoDate.nullable(),
  toDate: isoDate.nullable(),
  reason: z.string(),
  by: z.string(),
  at: z.string(),
});

/** 200: an action's agreed, original and proposed due dates, and their history oldest first. */
export const dueDatesResponse = z.object({
  action: z.string(),
  agreedDueDate: isoDate.nullable(),
  originalDueDate: isoDate.nullable(),
  moves: z.number().int(),
  pending: z
    .object({
      proposalId: z.number().int(),
      proposedDueDate: isoDate,
      reason: z.string(),
      by: z.string(),
      at: z.string(),
    })
    .nullable(),
  history: z.array(change),
});

/** 201 to a proposal. */
export const dueDateProposalResponse = z.object({
  proposalId: z.number().int(),
  agreedDueDate: isoDate.nullable(),
  proposedDueDate: isoDate,
  action: z.string(),
});

/** 201 to a decision. */
export const dueDateDecisionResponse = z.object({
  decisionId: z.number().int(),
  decision: z.enum(['agreed', 'refused']),
  proposalId: z.number().int(),
  agreedDueDate: isoDate.nullable(),
  action: z.string(),
});
