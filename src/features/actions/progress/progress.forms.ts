import { z } from 'zod';
import { formatLongDate } from '../../../domain/dates.ts';
import { ratingsOf, type RatingScale } from '../../../domain/ratings.ts';
import { ALWAYS, choice, date, file, optionalDate, text } from '../../../platform/form-schema.ts';
import type { UploadedFile } from '../../../platform/http/form-bodies.ts';
import { id } from '../../../platform/route-params.ts';
import type { CheckedEvidenceFile } from '../evidence/evidence.service.ts';

/*
 * The progress form and its JSON twin: one schema, so a page and a script are told the same
 * things. Dates are three boxes on the page and 'YYYY-MM-DD' in JSON.
 */

/** The value of the "No change to the rating" choice. */
export const NO_CHANGE = 'none';

/**
 * What the form is checked against: today's date, the day the review began, the plan's rating
 * scale and the upload check.
 */
export interface ProgressRules {
  today: string;
  /** An update is dated on or after the day the review began (reviewBeganOn), when that is known. */
  reviewBegan: string | null;
  scale: RatingScale;
  /** Checks a file by its content: the checked file, or the message saying what is wrong. */
  checkFile: (sent: UploadedFile) => Promise<CheckedEvidenceFile | string>;
}

export function progressForm(rules: ProgressRules) {
  return z
    .object({
      progressOn: date('of the update', {
        notAfter: rules.today,
        notBefore: rules.reviewBegan,
        notBeforeMessage: rules.reviewBegan
          ? `The date of the update must be on or after ${formatLongDate(rules.reviewBegan)}, when the review began`
          : undefined,
      }),
      text: text({ required: 'Enter what has been done', label: 'What has been done' }),
      proposedRating: choice(
        [...ratingsOf(rules.scale), NO_CHANGE],
        'Select a rating from the list, or "No change to the rating"',
        { required: false },
      ).transform((value) => (value === '' || value === NO_CHANGE ? null : value)),
      evidenceFile: file.transform(async (sent, ctx) => {
        if (!sent) return { sent: false, checked: null };
        const checked = await rules.checkFile(sent);
        if (typeof checked !== 'string') return { sent: true, checked };
        ctx.addIssue({ code: 'custom', message: checked });
        return { sent: true, checked: null };
      }),
      evidenceTitle: text({ max: 200, label: 'The title' }),
      evidenceOn: optionalDate('the evidence is from', { notAfter: rules.today }),
    })
    .superRefine((form, ctx) => {
      if (form.evidenceFile.sent && !form.evidenceTitle) {
        ctx.addIssue({ code: 'custom', path: ['evidenceTitle'], message: 'Enter a title for the evidence file' });
      }
      if (!form.evidenceFile.sent && (form.evidenceTitle || form.evidenceOn)) {
        ctx.addIssue({
          code: 'custom',
          path: ['evidenceFile'],
          message: 'Select the evidence file, or leave its title and date empty',
        });
      }
    }, ALWAYS)
    .transform(({ evidenceFile, evidenceTitle, evidenceOn, ...update }) => ({
      ...update,
      evidence: evidenceFile.checked
        ? { file: evidenceFile.checked, title: evidenceTitle, effectiveOn: evidenceOn }
        : null,
    }));
}

/** A progress update, checked: what the service writes. */
export type ProgressCommand = z.output<ReturnType<typeof progressForm>>;

/** Path parameters of pages about one progress update: a value that does not fit is a 404. */
export const progressUpdateParams = z.object({ reviewId: id, progressUpdateId: id });
