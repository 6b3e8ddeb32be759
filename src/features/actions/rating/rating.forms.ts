import { formText } from '../../../platform/http/form-bodies.ts';
import { readText, type FormErrors } from '../../../platform/forms.ts';

/* What the rating form and its JSON twin send. */

export interface RatingDraft {
  decision: string;
  rating: string;
  rationale: string;
  /** The field the reasons came from, for messages about them. */
  rationaleField: string;
  overrideReason: string;
}

/**
 * The rating page has two forms, so there the challenge's reasons have their own field
 * (`challengeField`, 'challengeRationale'); a JSON caller sends 'rationale' for both.
 */
export function readRatingDecision(
  body: unknown,
  errors: FormErrors,
  options: { challengeField?: string } = {},
): RatingDraft {
  const decision = formText(body, 'decision').trim();
  const rationaleField = decision === 'challenge' && options.challengeField ? options.challengeField : 'rationale';
  return {
    decision,
    rating: formText(body, 'rating').trim(),
    rationale: readText(body, rationaleField, errors, { max: 4000, label: 'The reasons' }),
    rationaleField,
    overrideReason: readText(body, 'overrideReason', errors, { max: 4000, label: 'The reason' }),
  };
}
