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

/** An organisation proposing a new due date. */
export const dueDateProposalBody = z
  .object({
    dueDate: z.string().describe("The date the action should now be due, 'YYYY-MM-DD'"),
    reason: z.string().max(4000).describe('Why the due date should move'),
  })
  .describe('A proposed due date')
  .meta({ examples: [{ dueDate: '2027-06-30', reason: 'The audit tool arrives in April' }] });

/** The coordinator agreeing or refusing the proposed due date. */
export const dueDateDecisionBody = z
  .object({
    decision: z.enum(['agree', 'refuse']).describe('Agree or refuse the proposed date'),
    reason: z.string().max(4000).optional().describe('Why: needed to refuse'),
  })
  .describe('A decision on a proposed due date')
  .meta({ examples: [{ decision: 'agree' }] });
