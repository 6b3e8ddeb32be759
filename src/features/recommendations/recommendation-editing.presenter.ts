import type { Fields } from '../reviews/plan-edits.service.ts';
import { reviewCrumbs } from '../reviews/plan-edit-forms.service.ts';
import type { RecommendationForm } from './recommendation-editing.service.ts';

/* A recommendation -> what the recommendation form shows. */

export function presentRecommendationForm(form: RecommendationForm, fields: Fields, version: number | null) {
  const base = `/reviews/${form.review.id}`;
  const group = typeof fields.groupId === 'string' ? fields.groupId : '';
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
