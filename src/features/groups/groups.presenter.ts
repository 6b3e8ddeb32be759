import type { RefusedForm } from '../../platform/http/form-replies.ts';
import { checkboxItems, formValues } from '../../platform/http/form-pages.ts';
import { reviewCrumbs } from '../../platform/review-paths.ts';
import type { GroupForm } from './group-editing.service.ts';

/* A recommendation group -> what the group form shows. */

export function presentGroupForm(form: GroupForm, refused: RefusedForm | null) {
  const base = `/reviews/${form.review.id}`;
  const { fields, version } = formValues(refused, form.values, form.version);
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
