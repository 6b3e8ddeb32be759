import type { RefusedForm } from '../../platform/http/form-replies.ts';
import { fieldText } from '../../platform/forms.ts';
import { formValues } from '../../platform/http/form-pages.ts';
import { reviewCrumbs } from '../../platform/review-paths.ts';
import type { RecommendationForm } from './recommendation-editing.service.ts';

/* A recommendation -> what the recommendation form shows. */

export function presentRecommendationForm(form: RecommendationForm, refused: RefusedForm | null) {
  const base = `/reviews/${form.review.id}`;
  const { fields, version } = formValues(refused, form.values, form.version);
  const group = fieldText(fields, 'groupId');
  return {
    heading: form.number ? `Edit recommendation ${form.number}` : 'Add a recommendation',
    area: form.review.area,
    formAction: form.number
      ? `${base}/recommendations/${encodeURIComponent(form.number)}/edit`
      : `${base}/recommendations/new`,
    cancelHref: form.number ? `${base}/recommendations/${encodeURIComponent(form.number)}` : base,
    breadcrumbs: reviewCrumbs(form.review),
    newGroupHref: `${base}/groups/new`,
    fields,
    version,
    noGroups: form.groups.length === 0,
    groupItems: [{ value: '', text: 'Choose a group', selected: group === '' }].concat(
      form.groups.map((g) => ({
        value: String(g.id),
        text: `Group ${g.number}: ${g.heading}`,
        selected: group === String(g.id),
      })),
    ),
  };
}
