import { z } from 'zod';
import { ALWAYS, choice, optionalId, text } from '../../../platform/form-schema.ts';

/*
 * An organisation's answer to an action assigned to it, and its JSON twin: accepted, or disputed
 * with a reason ("this action is for the CCG"). The organisation is the one the person answers
 * for; it may be left out when they edit for only one of the action's organisations.
 */

export const assignmentForm = z
  .object({
    organisationId: optionalId('Choose the organisation you answer for'),
    response: choice(['accepted', 'disputed'], 'Choose whether your organisation accepts or disputes the action'),
    reason: text({ max: 4000, label: 'The reason' }),
  })
  .superRefine((form, ctx) => {
    if (form.response === 'disputed' && !form.reason) {
      ctx.addIssue({
        code: 'custom',
        path: ['reason'],
        message: 'Enter why your organisation disputes the action, for example who it is for instead',
      });
    }
  }, ALWAYS);

export type AssignmentCommand = z.output<typeof assignmentForm>;
