import { z } from 'zod';
import { ALWAYS, choice, date, text } from '../../../platform/form-schema.ts';

/*
 * The revised due date forms and their JSON twins: an organisation proposes a new date with a
 * reason; the coordinator agrees or refuses it (a refusal needs a reason).
 */

export const proposeDueDateForm = z.object({
  dueDate: date('the action should now be due', { jsonMessage: 'iso' }),
  reason: text({ required: 'Enter why the due date should move', max: 4000, label: 'The reason' }),
});

export type ProposeDueDateCommand = z.output<typeof proposeDueDateForm>;

export const decideDueDateForm = z
  .object({
    decision: choice(['agree', 'refuse'], 'Choose whether to agree or refuse the revised date'),
    reason: text({ max: 4000, label: 'The reason' }),
  })
  .superRefine((form, ctx) => {
    if (form.decision === 'refuse' && !form.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Enter why the revised date is refused' });
    }
  }, ALWAYS);

export type DecideDueDateCommand = z.output<typeof decideDueDateForm>;
