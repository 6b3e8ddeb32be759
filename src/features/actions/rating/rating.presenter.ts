import { formatDate } from '../../../domain/dates.ts';
import { ratingName, shownRating } from '../../../domain/ratings.ts';
import { fieldText } from '../../../platform/forms.ts';
import type { RefusedForm } from '../../../platform/http/form-replies.ts';
import { ratingTag } from '../../../platform/presentation.ts';
import { actionPlace, errorView, ratingItems, title } from '../assurance.presenter.ts';
import type { RatingForm } from './rating.service.ts';

/* An action's rating -> what the form to agree or challenge it shows, afresh or again after a refusal. */

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
    values: {
      rating: agreeing && refused ? sent('rating') : (form.latestProposal?.rating ?? ''),
      rationale: agreeing ? sent('rationale') : '',
      overrideReason: sent('overrideReason'),
      challengeRationale: !agreeing ? sent('challengeRationale') : '',
    },
  };
}
