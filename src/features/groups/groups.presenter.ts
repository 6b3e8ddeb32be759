import type { Fields } from '../reviews/plan-edits.service.ts';
import { checkboxItems, reviewCrumbs } from '../reviews/plan-edit-forms.service.ts';
import type { GroupForm } from './group-editing.service.ts';

/* A recommendation group -> what the group form shows. */

export function presentGroupForm(form: GroupForm, fields: Fields, version: number | null) {
  const base = `/reviews/${form.review.id}`;
  return {
    heading: form.groupId ? 'Edit recommendation group' : 'Add a recommendation group',
    area: form.review.area,
    formAction: form.groupId ? `${base}/groups/${form.groupId}/edit` : `${base}/groups/new`,
    cancelHref: base,
    breadcrumbs: reviewCrumbs(form.review),
    editReviewHref: `${base}/edit`,
    fields,
    version,
    noOrganisations: form.organisations.length === 0,
    organisationItems: checkboxItems(form.organisations, fields.organisationIds),
  };
}
