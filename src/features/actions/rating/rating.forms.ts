import { z } from 'zod';
import { needsRecentEvidence, ratingName, type Rating } from '../../../domain/ratings.ts';
import { plural } from '../../../domain/words.ts';
import { ALWAYS, choice, text } from '../../../platform/form-schema.ts';

/*
 * The rating form and its JSON twin: one schema, so a page and a script are told the same things.
 * The group either agrees a rating or challenges the latest proposal.
 */

/** What the form is checked against, as the action stood when it was sent. */
export interface RatingRules {
  /** The ratings of the plan's scale. */
  ratings: readonly Rating[];
  /** The review's stale window, in days. */
  staleDays: number;
  /** Whether any accepted evidence is dated within the stale window ending today. */
  hasRecentEvidence: boolean;
  /** Whether a proposed rating waits for the group, and so can be challenged. */
  challengeable: boolean;
}

/**
 * Where the reasons for a challenge are sent. The rating page has two forms, so there the
 * challenge's reasons have their own field, 'challengeRationale'; a JSON caller sends
 * 'rationale' for both.
 */
export type ChallengeField = 'rationale' | 'challengeRationale';

export const NOTHING_TO_CHALLENGE =
  'There is no proposed rating waiting for the group to decide on, so there is nothing to challenge';

/**
 * Green and Blue are agreed only on accepted evidence dated within the stale window, unless
 * the group records why it agrees without it: the message when neither is so, else null.
 */
export function unevidencedProblem(
  rating: Rating,
  hasRecentEvidence: boolean,
  overrideReason: string,
  staleDays: number,
): string | null {
  if (!needsRecentEvidence(rating) || hasRecentEvidence || overrideReason) return null;
  return (
    `There is no accepted evidence dated in the last ${plural(staleDays, 'day')}. ` +
    `Give a reason to agree ${ratingName(rating)} without it, or accept evidence first`
  );
}

const DECISION_MESSAGE = 'Choose whether to agree a rating or challenge the proposed rating';

export function ratingForm(rules: RatingRules, options: { challengeField?: ChallengeField } = {}) {
  const challengeField = options.challengeField ?? 'rationale';
  return z
    .object({
      decision: choice(['agree', 'challenge'], DECISION_MESSAGE),
      rating: text({ label: 'The rating' }),
      rationale: text({ max: 4000, label: 'The reasons' }),
      overrideReason: text({ max: 4000, label: 'The reason' }),
      challengeRationale: text({ max: 4000, label: 'The reasons' }),
    })
    .superRefine((form, ctx) => {
      const problem = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: [field], message });
      if (form.decision === 'agree') {
        const rating = rules.ratings.find((r) => r === form.rating);
        if (!rating) problem('rating', 'Select the rating the group agreed');
        if (!form.rationale) problem('rationale', 'Enter why the group agreed this rating');
        const unevidenced =
          rating && unevidencedProblem(rating, rules.hasRecentEvidence, form.overrideReason, rules.staleDays);
        if (unevidenced) problem('overrideReason', unevidenced);
      }
      if (form.decision === 'challenge') {
        if (!rules.challengeable) problem(challengeField, NOTHING_TO_CHALLENGE);
        else if (!form[challengeField]) problem(challengeField, 'Enter why the group challenges the proposed rating');
      }
    }, ALWAYS)
    .transform((form, ctx) => {
      const rating = rules.ratings.find((r) => r === form.rating);
      if (form.decision === 'agree' && rating) {
        return {
          decision: 'agree' as const,
          rating,
          rationale: form.rationale,
          // Why the group agrees Green or Blue without accepted recent evidence: recorded only when it does.
          overrideReason: form.overrideReason,
        };
      }
      if (form.decision === 'challenge') {
        return { decision: 'challenge' as const, rationale: form[challengeField], rationaleField: challengeField };
      }
      // Never so: the parse has already failed without a decision or a rating. This tells the types.
      ctx.addIssue({ code: 'custom', path: ['decision'], message: DECISION_MESSAGE });
      return z.NEVER;
    });
}

/** An agreement or a challenge, checked: what the service records. */
export type RatingCommand = z.output<ReturnType<typeof ratingForm>>;
