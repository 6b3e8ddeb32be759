import { ratingsOf } from '../../../domain/ratings.ts';
import { formatDate } from '../../../domain/dates.ts';
import { ratingTag } from '../../../platform/presentation.ts';
import type { ProgressFormSummary } from './progress.service.ts';
import { dateBoxes, dateInputFrom, fieldText } from '../../../platform/forms.ts';
import type { RefusedForm } from '../../../platform/http/form-replies.ts';
import { ACCEPTED_DESCRIPTION } from '../../../platform/uploads/file-check.ts';
import type { ActionAccess } from '../actions.service.ts';
import { actionPlace, dateValue, errorView, ratingItems, title } from '../assurance.presenter.ts';
import { NO_CHANGE } from './progress.forms.ts';

/* A progress update being posted -> what the progress form shows. */

function cut(text: string, most = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > most ? `${flat.slice(0, most - 1).trimEnd()}…` : flat;
}

export function presentProgressForm(
  access: ActionAccess,
  refused: RefusedForm | null,
  today: string,
  uploadLimit: string,
  summary: ProgressFormSummary,
  returnTo: string | null = null,
) {
  const scale = access.review.rating_scale;
  const errors = refused?.failure.errors ?? null;
  const fields = refused?.fields;
  const due = summary.dueDate
    ? formatDate(summary.dueDate)
    : summary.dateWords
      ? `No due date (“${summary.dateWords}”)`
      : 'No due date';
  return {
    // Where the action stands, so the update is written knowing it.
    standing: {
      tag: ratingTag(scale, summary.rating),
      why: summary.ratingWhy,
      due,
      last: summary.last
        ? `${formatDate(summary.last.on)}, by ${summary.last.by}: ${cut(summary.last.text)}`
        : 'None yet',
    },
    pageTitle: title(`Post a progress update – ${access.label}`, errors),
    ...actionPlace(access),
    ...errorView(errors),
    formAction: `/reviews/${access.review.id}/actions/${access.action.id}/progress/new`,
    // The page to go back to after posting (My work, say), kept in a hidden field.
    returnTo,
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
