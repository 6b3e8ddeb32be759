import { ratingsOf } from '../../../domain/ratings.ts';
import { dateBoxes, dateInputFrom, fieldText } from '../../../platform/forms.ts';
import type { RefusedForm } from '../../../platform/http/form-replies.ts';
import { ACCEPTED_DESCRIPTION } from '../../../platform/uploads/file-check.ts';
import type { ActionAccess } from '../actions.service.ts';
import { actionPlace, dateValue, errorView, ratingItems, title } from '../assurance.presenter.ts';
import { NO_CHANGE } from './progress.forms.ts';

/* A progress update being posted -> what the progress form shows. */

export function presentProgressForm(
  access: ActionAccess,
  refused: RefusedForm | null,
  today: string,
  uploadLimit: string,
) {
  const scale = access.review.rating_scale;
  const errors = refused?.failure.errors ?? null;
  const fields = refused?.fields;
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
    values: fields
      ? {
          progressOn: dateBoxes(fields, 'progressOn'),
          text: fieldText(fields, 'text'),
          proposedRating: fieldText(fields, 'proposedRating') || NO_CHANGE,
          evidenceTitle: fieldText(fields, 'evidenceTitle'),
          evidenceOn: dateBoxes(fields, 'evidenceOn'),
        }
      : {
          progressOn: dateValue(dateInputFrom(today)),
          text: '',
          proposedRating: NO_CHANGE,
          evidenceTitle: '',
          evidenceOn: dateValue(dateInputFrom(null)),
        },
  };
}
