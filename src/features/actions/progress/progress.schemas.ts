import { z } from 'zod';
import { RATINGS } from '../../../domain/ratings.ts';
import { isoDate } from '../../../platform/plan-schemas.ts';
import { NO_CHANGE } from './progress.forms.ts';

/* What posting a progress update sends. */

/** A progress update: JSON, or multipart/form-data when it carries an evidence file. */
export const progressBody = z
  .object({
    progressOn: isoDate.describe("The date of the update, 'YYYY-MM-DD': today or earlier, not before the review began"),
    text: z.string().describe('What has been done'),
    proposedRating: z
      .enum([...RATINGS, NO_CHANGE])
      .optional()
      .describe(
        `The rating the organisation proposes to the peer challenge group, from the plan's scale; ` +
          `"${NO_CHANGE}" or left out for no change`,
      ),
    evidenceFile: z
      .string()
      .meta({ format: 'binary' })
      .optional()
      .describe('An evidence file (multipart/form-data only): PDF, Word, Excel, PowerPoint, image or text'),
    evidenceTitle: z.string().max(200).optional().describe('The title of the evidence file: needed with a file'),
    evidenceOn: isoDate.optional().describe("The date the evidence file is from, 'YYYY-MM-DD'"),
  })
  .describe('A progress update, with an evidence file if it has one')
  .meta({ examples: [{ progressOn: '2026-11-20', text: 'Audit of 20 records completed.', proposedRating: 'green' }] });
