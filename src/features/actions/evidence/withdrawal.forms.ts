import { z } from 'zod';
import { text } from '../../../platform/form-schema.ts';

/*
 * The form that withdraws a progress update or an item of evidence, and its JSON twin: only a
 * reason, which is optional. Who may withdraw what, and until when, the services decide.
 */
export const withdrawalForm = z.object({
  reason: text({ max: 1000, label: 'The reason' }),
});

/** A withdrawal, checked: what the services write. */
export type WithdrawalCommand = z.output<typeof withdrawalForm>;
