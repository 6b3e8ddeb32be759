import { formatDate } from '../../../domain/dates.ts';
import { ratingName, shownRating } from '../../../domain/ratings.ts';
import { fieldText } from '../../../platform/forms.ts';
import type { RefusedForm } from '../../../platform/http/form-replies.ts';
import { ratingTag } from '../../../platform/presentation.ts';
import { actionPlace, errorView, ratingItems, title } from '../assurance.presenter.ts';
import type { RatingForm } from './rating.service.ts';

/* An action's rating -> what the form to agree or challenge it shows, afresh or again after a refusal. */

/** Where the rating stands, in the words the exception list uses for the same state. */
function standingWords(current: RatingForm['current']): string {
  if (current.awaitingDecision) return 'A proposal is waiting for the group’s decision';
  if (current.challenge) return 'Disputed: the group challenged the latest proposal';
  if (current.disputed && current.agreed && current.proposed) {
    const agreed = ratingName(current.agreed);
    return `Disputed: the group agreed ${agreed}; the latest proposal was ${ratingName(current.proposed)}`;
  }
  if (current.agreed) return 'Agreed';
  return 'No rating proposed or agreed yet';
}

export function presentRatingForm(form: RatingForm, refused: RefusedForm | null) {
  const { access, current } = form;
  const scale = access.review.rating_scale;
  const errors = refused?.failure.errors ?? null;
  const sent = (name: string) => (refused ? fieldText(refused.fields, name).trim() : '');
  const fieldErrors = errorView(errors);
  const showOverride = Boolean(fieldErrors.fieldErrors.overrideReason) || Boolean(sent('overrideReason'));
  const agreeing = !refused || sent('decision') === 'agree';
  return {
    pageTitle: title(`Agree or challenge the rating – ${access.label}`, errors),
    ...actionPlace(access),
    ...fieldErrors,
    formAction: `/reviews/${access.review.id}/actions/${access.action.id}/rating`,
    current: {
      tag: ratingTag(scale, shownRating(current)),
      standing: standingWords(current),
      agreed: current.agreed ? `${ratingName(current.agreed)}, agreed ${formatDate(current.agreedAt)}` : 'None yet',
      proposal: form.latestProposal
        ? `${ratingName(form.latestProposal.rating)}, proposed by ${form.latestProposal.by} ` +
          `on ${formatDate(form.latestProposal.decidedOn)}`
        : 'None',
      challenge: current.challenge
        ? `Challenged on ${formatDate(current.challenge.at)}: ${current.challenge.rationale}`
        : null,
    },
    evidence: {
      window: `${formatDate(form.window.from)} to ${formatDate(form.window.to)}`,
      staleDays: form.staleDays,
      items: form.recentEvidence.map((e) => `${e.title} (${formatDate(e.effectiveOn)})`),
    },
    ratingItems: ratingItems(scale, form.ratings),
    challengeable: form.challengeable,
    showOverride,
    // Only a proposal waiting for the group is offered as the starting choice; an older one
    // the group has already decided on is not.
    ratingHint: current.awaitingDecision
      ? 'The proposal waiting for a decision is chosen to start with.'
      : 'No proposal is waiting for a decision.',
    values: {
      rating: agreeing && refused ? sent('rating') : current.awaitingDecision ? (current.proposed ?? '') : '',
      rationale: agreeing ? sent('rationale') : '',
      overrideReason: sent('overrideReason'),
      challengeRationale: !agreeing ? sent('challengeRationale') : '',
    },
  };
}
