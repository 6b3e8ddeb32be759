import { ratingsOf } from '../../../domain/ratings.ts';
import { dateInputFrom, type FormErrors } from '../../../platform/forms.ts';
import { ACCEPTED_DESCRIPTION } from '../../../platform/uploads/file-check.ts';
import type { ActionAccess } from '../actions.service.ts';
import { actionPlace, dateValue, errorView, ratingItems, title } from '../assurance.presenter.ts';
import type { ProgressDraft } from './progress.forms.ts';
import { NO_CHANGE } from './progress.service.ts';

/* A progress update being posted -> what the progress form shows. */

export function presentProgressForm(
  access: ActionAccess,
  draft: ProgressDraft | null,
  errors: FormErrors | null,
  today: string,
  uploadLimit: string,
) {
  const scale = access.review.rating_scale;
  return {
    pageTitle: title(`Post a progress update – ${access.label}`, errors),
    ...actionPlace(access),
    ...errorView(errors),
    formAction: `/reviews/${access.review.id}/actions/${access.action.id}/progress/new`,
    ratingItems: [
      ...ratingItems(scale, ratingsOf(scale)),
      { divider: 'or' },
      { value: NO_CHANGE, text: 'No change to the rating' },
    ],
    fileHint: `A ${ACCEPTED_DESCRIPTION} file, smaller than ${uploadLimit}.`,
    values: {
      progressOn: dateValue(draft?.progressOn ?? dateInputFrom(today)),
      text: draft?.text ?? '',
      proposedRating: draft?.proposedRating || NO_CHANGE,
      evidenceTitle: draft?.evidence.title ?? '',
      evidenceOn: dateValue(draft?.evidence.effectiveOn ?? dateInputFrom(null)),
    },
  };
}
