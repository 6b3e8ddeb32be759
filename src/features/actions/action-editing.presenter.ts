import type { RefusedForm } from '../../platform/http/form-replies.ts';
import { checkboxItems, formValues } from '../../platform/http/form-pages.ts';
import { reviewCrumbs } from '../../platform/review-paths.ts';
import type { ActionForm, ActionNotes } from './action-editing.service.ts';

/* An action -> what the action form shows, and what it says after a save. */

export interface SavedNotice {
  added: boolean;
  notes: ActionNotes;
}

/** The date fields of the action form. */
const DATE_FIELDS = ['dueDate', 'reassuranceDueOn'];

export function presentActionForm(form: ActionForm, refused: RefusedForm | null, saved?: SavedNotice) {
  const { fields, version } = formValues(refused, form.values, form.version, DATE_FIELDS);
  const base = `/reviews/${form.review.id}`;
  const recommendationHref = `${base}/recommendations/${encodeURIComponent(form.recommendation.number)}`;
  const own = form.organisations.filter((o) => form.ownOrganisationIds.includes(o.id)).map((o) => o.name);
  return {
    heading: form.actionId ? 'Edit action' : `Add an action to recommendation ${form.recommendation.number}`,
    area: form.review.area,
    recommendation: { number: form.recommendation.number, text: form.recommendation.text, href: recommendationHref },
    formAction: form.actionId ? `${base}/actions/${form.actionId}/edit` : `${recommendationHref}/actions/new`,
    cancelHref: form.actionId ? `${base}/actions/${form.actionId}` : recommendationHref,
    actionHref: form.actionId ? `${base}/actions/${form.actionId}` : null,
    breadcrumbs: [
      ...reviewCrumbs(form.review),
      { text: `Recommendation ${form.recommendation.number}`, href: recommendationHref },
    ],
    fields,
    version,
    organisationHint: form.isCoordinator
      ? 'Select every organisation that takes part in the action.'
      : `Include at least one of your own organisations: ${own.join(' or ')}. You may add partner organisations too.`,
    organisationItems: checkboxItems(form.organisations, fields.organisationIds),
    // Changing an agreed due date: the coordinator gives a reason; others propose a new date.
    agreedDueDate: form.actionId !== null && typeof form.values.dueDate === 'string',
    isCoordinator: form.isCoordinator,
    dueDateHref: form.actionId ? `${base}/actions/${form.actionId}/due-date` : null,
    saved: saved
      ? {
          title: saved.added ? 'Action added' : 'Action saved',
          dueDate: saved.notes.dueDate,
          smart: saved.notes.smart.map((g) => g.reason),
        }
      : null,
  };
}
