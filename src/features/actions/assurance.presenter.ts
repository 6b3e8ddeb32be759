import { actionCrumbs } from '../../platform/review-paths.ts';
import { ratingLabel, type Rating, type RatingScale } from '../../domain/ratings.ts';
import type { DateInputValue, FormErrors } from '../../platform/forms.ts';
import type { ActionAccess } from './actions.service.ts';

/* What the forms of an action's assurance loop (progress/, evidence/ and rating/) show alike. */

/** Error summary links go to the first box of a date and the first choice of radios. */
const DATE_FIELDS = ['progressOn', 'evidenceOn', 'effectiveOn', 'periodStart'];

export function errorView(errors: FormErrors | null) {
  if (!errors?.any) return { errors: [], fieldErrors: {} as Record<string, string> };
  const hrefs = Object.fromEntries(DATE_FIELDS.map((f) => [f, `#${f}-day`]));
  return { errors: errors.summary(hrefs), fieldErrors: errors.fields };
}

export function title(text: string, errors: FormErrors | null): string {
  return errors?.any ? `Error: ${text}` : text;
}

export function actionPlace(access: ActionAccess) {
  const base = `/reviews/${access.review.id}`;
  const actionHref = `${base}/actions/${access.action.id}`;
  return {
    label: access.label,
    actionHref,
    breadcrumbs: actionCrumbs(access.review, access.action.recommendation_number, {
      label: access.label,
      href: actionHref,
    }),
  };
}

/** The plan's own key as radio choices: "Blue: completed", "Green: on target"… */
export function ratingItems(scale: RatingScale, ratings: readonly Rating[]) {
  return ratings.map((rating) => ({ value: rating, text: ratingLabel(scale, rating) }));
}

export function dateValue(value: DateInputValue) {
  return { day: value.day, month: value.month, year: value.year };
}
